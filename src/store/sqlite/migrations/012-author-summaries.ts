/**
 * Author pages at a million papers: what a profile shows (co-authors with counts, years,
 * categories, distinctive terms, the co-author network, "possibly the same person") is
 * computed in the background and kept here, one row per author, so a page reads one row
 * instead of joining over every paper of everyone the person wrote with (a member of a large
 * collaboration has tens of thousands of co-authors).
 *
 * `seq` is the highest `paper_changes.seq` among the author's papers when the row was computed:
 * a row whose author has a paper changed since is stale and not used. Admin decisions (merge,
 * split, not the same) delete the rows of the people involved in the same transaction.
 */
export const authorSummaries = `
  CREATE TABLE author_summaries (
    author_id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    data TEXT NOT NULL
  );
`;

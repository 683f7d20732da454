/**
 * What admins decided about people, so that it outlives every re-import: merges (the id
 * merged away redirects to the one kept), splits, and pairs found not to be the same person.
 * Pins hold each authorship a decision moved, so that re-linking a paper's authors when a new
 * record for it arrives puts them back where the admin put them.
 */
export const authorDecisions = `
  CREATE TABLE author_decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'reject')),
    author_id INTEGER NOT NULL,
    other_id INTEGER NOT NULL,
    -- JSON: the names and papers that moved
    detail TEXT NOT NULL DEFAULT '{}',
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- who, as shown: an account's email, or "cli" for the machine's owner
    actor TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX author_decisions_author ON author_decisions(author_id);
  CREATE INDEX author_decisions_other ON author_decisions(other_id);

  -- An id merged away answers with the author that absorbed it.
  CREATE TABLE author_redirects (
    from_id INTEGER PRIMARY KEY,
    to_id INTEGER NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES author_decisions(id)
  );
  CREATE INDEX author_redirects_to ON author_redirects(to_id);

  -- "Not the same person": never suggested again (low id first).
  CREATE TABLE author_not_same (
    low_id INTEGER NOT NULL,
    high_id INTEGER NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES author_decisions(id),
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
  ) WITHOUT ROWID;
  CREATE INDEX author_not_same_high ON author_not_same(high_id);

  -- Authorships placed by a decision: on this paper, a name with this key is this author.
  CREATE TABLE author_pins (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    name_key TEXT NOT NULL,
    initial_key TEXT NOT NULL,
    family TEXT,
    given TEXT,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    PRIMARY KEY (paper_id, name_key)
  ) WITHOUT ROWID;
  CREATE INDEX author_pins_author ON author_pins(author_id);

  -- Document frequencies of indexed terms, for the terms that set a person apart.
  CREATE VIRTUAL TABLE paper_search_vocab USING fts5vocab(paper_search, 'row');
`;

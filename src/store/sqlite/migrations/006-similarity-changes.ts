/**
 * Which papers changed, in commit order, for the similar-papers index to catch up without a
 * rebuild. A counter rather than `updated_at`: SQLite runs one write transaction at a time, so
 * a change number taken inside it is larger than every number an earlier commit wrote, and a
 * reader that has applied everything up to N can never later see a commit below N (a timestamp
 * taken at write time can be older than one already seen when a long import commits late).
 * One row per paper (its latest change), so the table never outgrows the papers.
 */
export const similarityChanges = `
  CREATE TABLE paper_changes (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL
  );
  CREATE INDEX paper_changes_seq ON paper_changes(seq);

  CREATE TRIGGER paper_changes_on_insert AFTER INSERT ON papers
  BEGIN
    INSERT OR REPLACE INTO paper_changes (paper_id, seq)
    VALUES (NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM paper_changes));
  END;

  CREATE TRIGGER paper_changes_on_update AFTER UPDATE OF title, view ON papers
  BEGIN
    INSERT OR REPLACE INTO paper_changes (paper_id, seq)
    VALUES (NEW.id, (SELECT coalesce(max(seq), 0) + 1 FROM paper_changes));
  END;

  -- The papers already in the knowledge base, as changed in id order.
  INSERT INTO paper_changes (paper_id, seq) SELECT id, id FROM papers;
`;

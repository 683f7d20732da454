/**
 * The people who use this instance, and what they do with papers (the local signals of
 * trending). Everything private to a person hangs off `users(id)` and goes with it.
 */
export const peopleAndActivity = `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );

  -- Views and saves: local activity, time-stamped so that it can decay.
  CREATE TABLE paper_events (
    id INTEGER PRIMARY KEY,
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('view', 'save')),
    at TEXT NOT NULL
  );
  CREATE INDEX paper_events_at ON paper_events(at);
  CREATE INDEX paper_events_paper ON paper_events(paper_id, at);
`;

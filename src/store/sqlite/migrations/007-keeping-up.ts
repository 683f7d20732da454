/**
 * Keeping up: what people follow, their daily digests (settings, the outbox that makes a
 * crashed run resumable, and the papers each person was already sent), and which papers
 * the sync has asked Semantic Scholar about.
 */
export const keepingUp = `
  CREATE TABLE follows (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('author', 'search', 'category', 'tag')),
    -- author: the author id; search: the query; category: cs.LG; tag: the library tag.
    value TEXT NOT NULL,
    -- What the person sees: "Lechao Xiao", the query as typed.
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, kind, value)
  );

  CREATE TABLE digest_settings (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 1,
    send_hour INTEGER NOT NULL DEFAULT 7 CHECK (send_hour BETWEEN 0 AND 23),
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    -- The secret part of the person's private feed address.
    feed_token TEXT UNIQUE,
    -- Papers with a higher id arrived after the last digest (or after the person began to
    -- follow anything): ids, not clocks, so that an import's own timestamps never matter.
    since_paper_id INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
  );

  -- One digest per person per local day (the idempotency key): composed and stored first,
  -- sent after, marked sent last. A run that dies resends only what was never accepted.
  CREATE TABLE digest_outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    headers TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (user_id, day)
  );
  CREATE INDEX digest_outbox_status ON digest_outbox(status, id);

  -- Every paper a digest carried, so that no one is sent the same paper twice.
  CREATE TABLE digest_papers (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    outbox_id INTEGER NOT NULL REFERENCES digest_outbox(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (user_id, paper_id)
  ) WITHOUT ROWID;

  -- Papers the sync asked Semantic Scholar about (found or not), so each is asked once.
  CREATE TABLE enrichment_attempts (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    found INTEGER NOT NULL,
    at TEXT NOT NULL
  );
`;

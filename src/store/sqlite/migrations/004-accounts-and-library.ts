/**
 * Accounts (sessions, API tokens, sign-in attempts, instance settings) and each person's
 * library (saved papers with a note, their own tags). Secrets are never stored: a session id
 * and an API token are kept only as their SHA-256 (both are 256 random bits, so a fast hash
 * is enough — nothing to brute-force), passwords only as argon2id hashes in `users`.
 */
export const accountsAndLibrary = `
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);

  CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The first characters of the token, shown in lists so that people can tell tokens apart.
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE INDEX api_tokens_user ON api_tokens(user_id);

  -- Failed sign-ins only: the rate limit counts them per account (email) and per address.
  CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX sign_in_failures_email ON sign_in_failures(email, at);
  CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at);

  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE library_items (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    saved_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, paper_id)
  );
  CREATE INDEX library_items_saved ON library_items(user_id, saved_at);

  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (user_id, name COLLATE NOCASE)
  );

  CREATE TABLE library_item_tags (
    user_id INTEGER NOT NULL,
    paper_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, paper_id, tag_id),
    FOREIGN KEY (user_id, paper_id) REFERENCES library_items(user_id, paper_id) ON DELETE CASCADE
  );
  CREATE INDEX library_item_tags_tag ON library_item_tags(tag_id);
`;

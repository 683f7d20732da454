/** Papers, every source record, the keys that join them, authors and their names, code links, search. */
export const knowledgeBase = `
  CREATE TABLE papers (
    id INTEGER PRIMARY KEY,
    title TEXT,
    year INTEGER,
    published TEXT,
    arxiv_id TEXT,
    doi TEXT,
    view TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX papers_year ON papers(year);
  CREATE INDEX papers_published ON papers(published);

  -- Every record every source gave, as parsed: the provenance of everything.
  CREATE TABLE source_records (
    id INTEGER PRIMARY KEY,
    paper_id INTEGER REFERENCES papers(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES authors(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    record_key TEXT NOT NULL,
    hash TEXT NOT NULL,
    origin TEXT NOT NULL,
    locator TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (source, record_key)
  );
  CREATE INDEX source_records_paper ON source_records(paper_id);
  CREATE INDEX source_records_author ON source_records(author_id);

  -- How records find their paper: identifiers, normalized title, abstract opening.
  CREATE TABLE paper_keys (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX paper_keys_paper ON paper_keys(paper_id);

  CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    ids TEXT NOT NULL DEFAULT '{}'
  );

  CREATE TABLE author_names (
    author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    display TEXT NOT NULL,
    family TEXT,
    given TEXT,
    name_key TEXT NOT NULL,
    initial_key TEXT NOT NULL,
    PRIMARY KEY (author_id, display)
  ) WITHOUT ROWID;
  CREATE INDEX author_names_key ON author_names(name_key);
  CREATE INDEX author_names_initial ON author_names(initial_key);

  CREATE TABLE author_ids (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value)
  ) WITHOUT ROWID;

  CREATE TABLE paper_authors (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    display TEXT NOT NULL,
    PRIMARY KEY (paper_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX paper_authors_author ON paper_authors(author_id, paper_id);

  CREATE TABLE code_links (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (paper_id, url)
  ) WITHOUT ROWID;

  CREATE TABLE state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  -- Contentless: the text lives in papers.view already; the index keeps only what search needs.
  CREATE VIRTUAL TABLE paper_search USING fts5(
    title, abstract, authors,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  `;

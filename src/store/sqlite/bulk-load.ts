import { hostname } from 'node:os';
import type { Db } from './database.ts';

/**
 * Bulk-load mode: a large file going into an empty or mostly new store.
 *
 * Per record, the plain write path pays for every secondary index (random keys into big
 * b-trees), for two triggers on `papers` (trending's categories, migration 005, which reads the
 * paper's JSON view twice; the similar-papers change counter, migration 006) and for FTS5
 * merging its segments as it goes. For the length of a load these are switched off:
 *
 * - the indexes that nothing the load reads needs (dates and years of papers; author names by
 *   key, which the load answers from memory; a person's papers, likewise) are dropped, and built
 *   again at the end from sorted data;
 * - the triggers are dropped; every paper the load writes is logged in `bulk_load_changes` in the
 *   order written, with its categories (`categoryRowsOf`, computed by the writer from the merged
 *   paper), and at the end the triggers' rows are made for all of them at once
 *   (`INSERT … SELECT`): the same category rows, and in `paper_changes` the same numbers the
 *   trigger would have given (the k-th change of the load takes the counter's value at the
 *   start plus k; a paper keeps its last);
 * - FTS5 automerge is off (each transaction adds one segment; a crisis merge at 64 keeps their
 *   number bounded), and the index is merged into one (`optimize`) at the end.
 *
 * The store (`SqliteStore.beginBulkLoad`) also answers author look-ups from memory
 * (`AuthorMemory`) and checkpoints the WAL less often for the length of the load.
 *
 * Crash safety. The schema's definitions of what was dropped are kept in `state` under
 * `BULK_LOAD_STATE`, written in the same transaction as the drops. A crash mid-load leaves every
 * committed batch whole (papers, their records, keys, authors and search entries) and the store
 * without those indexes and triggers; the next open of the store (or the end of the load in a
 * `finally`, after an error) finishes the job: makes the triggers' rows for whatever the log
 * holds, builds the indexes, puts the triggers back, in one transaction. Importing the file
 * again then adds what never committed. Another process that opens the store while the loader
 * lives (`isLoadAlive`) leaves the load alone and logs its own writes for the load's end.
 */

export const BULK_LOAD_STATE = 'bulk-load';

/** Indexes a load does not read (each is rebuilt at the end). */
const DROPPED_INDEXES = [
  'papers_year',
  'papers_published',
  'papers_updated_at',
  'author_names_key',
  'author_names_initial',
  'paper_authors_author',
];

/** The triggers whose work is done set-based at the end of a load. */
const DROPPED_TRIGGERS = [
  'paper_categories_on_insert',
  'paper_categories_on_update',
  'paper_changes_on_insert',
  'paper_changes_on_update',
];

export interface BulkLoadMarker {
  /** Who is loading: a store opened by another process leaves a live load alone. */
  pid: number;
  host: string;
  startedAt: string;
  /** `paper_changes`' counter when the load began. */
  baseSeq: number;
  /** FTS5's merge settings before the load. */
  fts: FtsMergeConfig;
  /** The schema's own definitions of what was dropped, to put back exactly. */
  dropped: { type: 'index' | 'trigger'; name: string; sql: string }[];
}

/** Switch the store into bulk-load mode. Runs in one transaction; returns the marker it kept. */
export function beginBulkLoad(db: Db, now: string): BulkLoadMarker {
  return db.transaction(() => {
    const definition = db.prepare('SELECT type, sql FROM sqlite_master WHERE name = ? AND sql IS NOT NULL');
    const dropped: BulkLoadMarker['dropped'] = [];
    for (const name of [...DROPPED_TRIGGERS, ...DROPPED_INDEXES]) {
      const row = definition.get(name) as { type: 'index' | 'trigger'; sql: string } | undefined;
      if (!row) continue;
      dropped.push({ type: row.type, name, sql: row.sql });
      db.exec(`DROP ${row.type === 'index' ? 'INDEX' : 'TRIGGER'} ${name}`);
    }
    const marker: BulkLoadMarker = {
      pid: process.pid,
      host: hostname(),
      startedAt: now,
      baseSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM paper_changes').pluck().get() as number,
      fts: ftsConfig(db),
      dropped,
    };
    // `categories`: the paper's trending rows as of that write (`categoryRowsOf`), a JSON array.
    db.exec(`DROP TABLE IF EXISTS bulk_load_changes;
      CREATE TABLE bulk_load_changes (seq INTEGER PRIMARY KEY, paper_id INTEGER NOT NULL, categories TEXT NOT NULL)`);
    // One segment per transaction, merged once at the end instead of again and again (a crisis
    // merge still bounds their number: FTS5 allows at most 2,000).
    setFtsConfig(db, { automerge: 0, crisismerge: 64 });
    setMarker(db, JSON.stringify(marker), now);
    return marker;
  })();
}

/** The marker of a load in progress or interrupted, if any. */
export function bulkLoadMarker(db: Db): BulkLoadMarker | undefined {
  const value = db.prepare('SELECT value FROM state WHERE name = ?').pluck().get(BULK_LOAD_STATE) as
    | string
    | undefined;
  return value === undefined ? undefined : (JSON.parse(value) as BulkLoadMarker);
}

/**
 * Whether the process that began this load is still running (then it will finish it itself).
 * A crashed loader's pid taken by another process meanwhile delays the recovery until that
 * process ends; a store opened twice in one process treats the load as its own.
 */
export function isLoadAlive(marker: BulkLoadMarker): boolean {
  if (marker.pid === process.pid || marker.host !== hostname()) return false;
  try {
    process.kill(marker.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Leave bulk-load mode: the triggers' work for every paper the load wrote, the indexes built,
 * the triggers back, all in one transaction (a crash in it leaves the marker, and the next open
 * does it again); then FTS5's segments merged into one, and automerge back on.
 */
export function finishBulkLoad(db: Db, marker: BulkLoadMarker): void {
  // The end sorts what the whole load wrote (each index built, the change log grouped): with
  // temporary storage in memory (the store's setting) its sorters would hold all of it in RAM,
  // which grows with the file; in temporary files they spill past the page cache's size.
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = FILE');
  try {
    finishInTransaction(db, marker);
  } finally {
    db.pragma(`temp_store = ${Math.trunc(tempStore)}`);
  }
}

function finishInTransaction(db: Db, marker: BulkLoadMarker): void {
  db.transaction(() => {
    const logged = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bulk_load_changes'")
      .get();
    if (logged) {
      // Trending (005): a touched paper's category rows are those of its view as it now is.
      db.exec(`DELETE FROM paper_categories
        WHERE paper_id IN (SELECT paper_id FROM bulk_load_changes)`);
      db.exec(`INSERT OR IGNORE INTO paper_categories (category, published, paper_id)
        SELECT j.value, p.published, p.id
        FROM (SELECT paper_id, categories, max(seq) FROM bulk_load_changes GROUP BY paper_id) last
        JOIN papers p ON p.id = last.paper_id, json_each(last.categories) j
        WHERE p.published IS NOT NULL`);
      // Similar papers (006): the number the change counter would have given each paper's last change.
      db.prepare(
        `INSERT OR REPLACE INTO paper_changes (paper_id, seq)
         SELECT paper_id, ? + max(seq) FROM bulk_load_changes GROUP BY paper_id ORDER BY 2`,
      ).run(marker.baseSeq);
      db.exec('DROP TABLE bulk_load_changes');
    }
    for (const d of marker.dropped) {
      const exists = db
        .prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?')
        .get(d.type, d.name);
      if (!exists) db.exec(d.sql);
    }
    setFtsConfig(db, marker.fts);
    db.prepare('DELETE FROM state WHERE name = ?').run(BULK_LOAD_STATE);
  })();
  // Not needed for correctness (search reads every segment): merging them makes it fast again.
  db.exec("INSERT INTO paper_search (paper_search) VALUES ('optimize')");
}

/** Finish a load that an earlier process began and did not end (it crashed or was killed). */
export function recoverBulkLoad(db: Db): boolean {
  const marker = bulkLoadMarker(db);
  if (!marker || isLoadAlive(marker)) return false;
  finishBulkLoad(db, marker);
  return true;
}

interface FtsMergeConfig {
  automerge: number;
  crisismerge: number;
}

/** FTS5's defaults, for a table that never set them. */
const FTS_DEFAULTS: FtsMergeConfig = { automerge: 4, crisismerge: 16 };

function ftsConfig(db: Db): FtsMergeConfig {
  const value = db.prepare('SELECT v FROM paper_search_config WHERE k = ?').pluck();
  return {
    automerge: (value.get('automerge') as number | undefined) ?? FTS_DEFAULTS.automerge,
    crisismerge: (value.get('crisismerge') as number | undefined) ?? FTS_DEFAULTS.crisismerge,
  };
}

function setFtsConfig(db: Db, config: FtsMergeConfig): void {
  // FTS5 reads a command's name only when written in the statement, not bound.
  const set = (name: string, value: number) =>
    db.exec(`INSERT INTO paper_search (paper_search, rank) VALUES ('${name}', ${Math.trunc(value)})`);
  set('automerge', config.automerge);
  set('crisismerge', config.crisismerge);
}

function setMarker(db: Db, value: string, now: string): void {
  db.prepare(
    `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(BULK_LOAD_STATE, value, now);
}

/** `category_codes` (migration 005): arXiv's subject names and their codes. */
export function loadCategoryCodes(db: Db): Map<string, string> {
  const rows = db.prepare('SELECT name, code FROM category_codes').raw().all() as [string, string][];
  return new Map(rows);
}

/**
 * The categories migration 005's triggers list a paper under (see `categoryRows` there),
 * computed here from the merged paper instead of from its JSON view in SQL (which parses the
 * whole view twice): each category as a code (a subject named in words turned into its code),
 * values with a digit and empty ones left out, and each subject under its archive too
 * (`cs.LG` → `cs`). SQLite's `trim` takes off spaces only, and so does this.
 */
export function categoryRowsOf(categories: readonly unknown[], codes: ReadonlyMap<string, string>): string[] {
  const rows = new Set<string>();
  for (const value of categories) {
    if (typeof value !== 'string' || /[0-9]/.test(value)) continue;
    const trimmed = value.replace(/^ +| +$/g, '');
    if (trimmed === '') continue;
    const code = codes.get(trimmed) ?? trimmed;
    rows.add(code);
    const dot = code.indexOf('.');
    if (dot > 0) rows.add(code.slice(0, dot));
  }
  return [...rows];
}

import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { MergedPaper } from '../../domain/merge.ts';
import { foldName, personFromDisplay } from '../../domain/names.ts';
import type { CodeLink, Paper } from '../../domain/paper.ts';
import type { Provenance } from '../../domain/record.ts';
import type { AuthorProfile, AuthorSummary, IngestTx, ListOptions, PaperStore, Stats } from '../port.ts';
import { type BulkLoadMarker, beginBulkLoad, finishBulkLoad, recoverBulkLoad } from './bulk-load.ts';
import { type Db, openDatabase } from './database.ts';
import { SqliteIngestTx } from './ingest-tx.ts';

export const DATABASE_FILE = 'paperscope.sqlite';
/** WAL pages between checkpoints during a bulk load (4 KiB pages: 64 MiB). */
const BULK_WAL_PAGES = 16384;

/**
 * The embedded default store: one SQLite file in the data folder. Writes go through one
 * connection, one transaction at a time; reads use a second connection so that a page
 * being served never sees a half-written import (WAL gives it the last committed state).
 */
export class SqliteStore implements PaperStore {
  readonly file: string;
  private readonly writer: Db;
  private readonly reader: Db;
  private readonly tx: SqliteIngestTx;
  /** Prepared once: every paper read goes through it. */
  private readonly authorIdsOfPaper: Statement;
  private readonly bulkLoadActive: Statement;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => string;
  /** The bulk load in progress in this process, if any. */
  private bulkLoad: BulkLoadMarker | undefined;
  /** The writer's `wal_autocheckpoint` before the load. */
  private walAutoCheckpoint = 1000;
  /** `PRAGMA data_version` when this store's load last looked: it changes when another connection commits. */
  private dataVersion = 0;

  constructor(file: string, now: () => string = () => new Date().toISOString()) {
    this.file = file;
    this.now = now;
    this.writer = openDatabase(file);
    // A bulk load that a crashed process left half done: finish it (indexes, triggers' rows).
    recoverBulkLoad(this.writer);
    this.reader = file === ':memory:' ? this.writer : openDatabase(file, { readonly: true });
    this.tx = new SqliteIngestTx(this.writer, now);
    this.bulkLoadActive = this.writer.prepare("SELECT 1 FROM state WHERE name = 'bulk-load'");
    this.authorIdsOfPaper = this.reader
      .prepare('SELECT author_id FROM paper_authors WHERE paper_id = ? ORDER BY position')
      .pluck();
  }

  static inDataDir(dataDir: string): SqliteStore {
    return new SqliteStore(join(dataDir, DATABASE_FILE));
  }

  /** Serialized: a second transaction waits for the first to commit or roll back. */
  transaction<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        this.followForeignBulkLoad();
        const result = await fn(this.tx);
        this.tx.flush();
        this.writer.exec('COMMIT');
        return result;
      } catch (err) {
        this.tx.discard();
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw err;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * A write to the product's own tables (accounts, libraries, activity, …) on the one writer
   * connection, in a transaction of its own, queued behind any import in progress: an import
   * that rolls back never takes someone's saved paper with it, and no second connection ever
   * waits on a lock while holding up the event loop.
   */
  write<T>(fn: (db: Db) => T): Promise<T> {
    const run = async (): Promise<T> => this.writer.transaction(() => fn(this.writer))();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Bulk-load mode for a large import into an empty or mostly new store (see `bulk-load.ts`):
   * triggers and the indexes the load does not read dropped, authors resolved from memory.
   * Queued like a transaction. Always pair with `endBulkLoad` (in a `finally`).
   */
  beginBulkLoad(): Promise<void> {
    return this.enqueue(() => {
      if (this.bulkLoad) return;
      recoverBulkLoad(this.writer);
      this.bulkLoad = beginBulkLoad(this.writer, this.now());
      this.tx.startBulkLoad();
      // Checkpoints (each with two fsyncs) every 64 MiB of WAL instead of every 4: a third of
      // the commits' time at 20k records. Durability is unchanged; the WAL file grows larger.
      this.walAutoCheckpoint = this.writer.pragma('wal_autocheckpoint', { simple: true }) as number;
      this.writer.pragma(`wal_autocheckpoint = ${BULK_WAL_PAGES}`);
      this.dataVersion = this.writer.pragma('data_version', { simple: true }) as number;
    });
  }

  /** Leave bulk-load mode: the triggers' rows for what was loaded, indexes rebuilt, search merged. */
  endBulkLoad(): Promise<void> {
    return this.enqueue(() => {
      const marker = this.bulkLoad;
      if (!marker) return;
      this.bulkLoad = undefined;
      this.tx.endBulkLoad();
      this.writer.pragma(`wal_autocheckpoint = ${this.walAutoCheckpoint}`);
      try {
        finishBulkLoad(this.writer, marker);
      } catch (err) {
        // Still in bulk-load mode (the end rolled back): keep logging; a later end or open finishes it.
        this.bulkLoad = marker;
        this.tx.startBulkLoad();
        throw err;
      }
    });
  }

  /**
   * Another process's bulk load under way (its marker in `state`): this transaction's papers
   * are logged for its end to do the triggers' work, as its own are. Checked in each
   * transaction (one primary-key read), since a load can begin after this store opened.
   */
  private followForeignBulkLoad(): void {
    if (this.bulkLoad) {
      // Another connection wrote since this one last looked: what the load holds in memory
      // about authors may be stale (read it again before answering from it).
      const version = this.writer.pragma('data_version', { simple: true }) as number;
      if (version !== this.dataVersion) {
        this.tx.forgetKnownNames();
        this.tx.forgetKeys();
      }
      this.dataVersion = version;
      return;
    }
    const foreign = this.bulkLoadActive.get() !== undefined;
    if (foreign && !this.tx.inBulkLoad) this.tx.startBulkLoad(false);
    else if (!foreign && this.tx.inBulkLoad) this.tx.endBulkLoad();
  }

  private enqueue<T>(fn: () => T): Promise<T> {
    const run = async (): Promise<T> => fn();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** An admin moved names from one person to another: what ingestion remembers as stored is stale. */
  forgetKnownAuthorNames(): void {
    this.tx.forgetKnownNames();
  }

  /** The read connection: the last committed state, for queries of the product's own tables. */
  get readDb(): Db {
    return this.reader;
  }

  private toPaper(id: number, view: string): Paper {
    const merged = JSON.parse(view) as MergedPaper;
    const authorIds = this.authorIdsOfPaper.all(id) as number[];
    const authors = merged.authors.map((a, i) => {
      const authorId = authorIds[i];
      return authorId === undefined ? a : { ...a, authorId };
    });
    return { ...merged, id, authors };
  }

  getPaper(id: number): Paper | undefined {
    const view = this.reader.prepare('SELECT view FROM papers WHERE id = ?').pluck().get(id) as
      | string
      | undefined;
    return view ? this.toPaper(id, view) : undefined;
  }

  findPaper(ref: string): Paper | undefined {
    const trimmed = ref.trim();
    if (/^\d+$/.test(trimmed)) {
      const byId = this.getPaper(Number(trimmed));
      if (byId) return byId;
    }
    const arxiv = trimmed.replace(/^(arxiv:|https?:\/\/arxiv\.org\/(abs|pdf)\/)/i, '').replace(/v\d+$/, '');
    const doi = trimmed.replace(/^(doi:|https?:\/\/(dx\.)?doi\.org\/)/i, '').toLowerCase();
    const row = this.reader
      .prepare(
        `SELECT paper_id FROM paper_keys WHERE (kind = 'arxiv' AND value = ?) OR (kind = 'doi' AND value = ?)
         OR (kind IN ('s2', 'openalex', 'bibcode') AND value = ?) LIMIT 1`,
      )
      .pluck()
      .get(arxiv, doi, trimmed) as number | undefined;
    return row === undefined ? undefined : this.getPaper(row);
  }

  listPapers(options: ListOptions = {}): Paper[] {
    const limit = options.limit ?? 50;
    const offset = options.offset ?? 0;
    const rows = (
      options.authorId === undefined
        ? this.reader
            .prepare('SELECT id, view FROM papers WHERE id > ? ORDER BY id LIMIT ? OFFSET ?')
            .all(options.afterId ?? 0, limit, offset)
        : this.reader
            .prepare(
              `SELECT p.id, p.view FROM papers p JOIN paper_authors pa ON pa.paper_id = p.id
               WHERE pa.author_id = ? ORDER BY p.published DESC, p.id LIMIT ? OFFSET ?`,
            )
            .all(options.authorId, limit, offset)
    ) as { id: number; view: string }[];
    return rows.map((r) => this.toPaper(r.id, r.view));
  }

  countPapers(options: ListOptions = {}): number {
    if (options.authorId === undefined) {
      return this.reader.prepare('SELECT count(*) FROM papers').pluck().get() as number;
    }
    return this.reader
      .prepare('SELECT count(DISTINCT paper_id) FROM paper_authors WHERE author_id = ?')
      .pluck()
      .get(options.authorId) as number;
  }

  getAuthor(id: number): AuthorProfile | undefined {
    const row = this.reader.prepare('SELECT id, display_name, ids FROM authors WHERE id = ?').get(id) as
      | { id: number; display_name: string; ids: string }
      | undefined;
    if (!row) return undefined;
    const r = this.reader;
    const names = r
      .prepare(
        `SELECT n.display, (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = n.author_id AND pa.display = n.display) AS count
         FROM author_names n WHERE n.author_id = ? ORDER BY count DESC, n.display`,
      )
      .all(id) as { display: string; count: number }[];
    const coauthors = r
      .prepare(
        `SELECT a.id, a.display_name AS displayName, count(DISTINCT b.paper_id) AS count
         FROM paper_authors x JOIN paper_authors b ON b.paper_id = x.paper_id AND b.author_id != x.author_id
         JOIN authors a ON a.id = b.author_id
         WHERE x.author_id = ? GROUP BY a.id ORDER BY count DESC, a.display_name LIMIT 100`,
      )
      .all(id) as { id: number; displayName: string; count: number }[];
    const papersPerYear = r
      .prepare(
        `SELECT p.year AS year, count(DISTINCT p.id) AS count FROM papers p JOIN paper_authors pa ON pa.paper_id = p.id
         WHERE pa.author_id = ? AND p.year IS NOT NULL GROUP BY p.year ORDER BY p.year`,
      )
      .all(id) as { year: number; count: number }[];
    const links = r
      .prepare(
        `SELECT DISTINCT c.url, c.kind, c.status FROM code_links c JOIN paper_authors pa ON pa.paper_id = c.paper_id
         WHERE pa.author_id = ? ORDER BY c.url`,
      )
      .all(id) as Pick<CodeLink, 'url' | 'kind' | 'status'>[];
    const sources = r
      .prepare(
        'SELECT source, origin, locator, fetched_at AS fetchedAt FROM source_records WHERE author_id = ?',
      )
      .all(id) as Provenance[];
    return {
      id: row.id,
      displayName: row.display_name,
      paperCount: this.countPapers({ authorId: id }),
      names,
      ids: JSON.parse(row.ids) as Record<string, string>,
      coauthors,
      papersPerYear,
      codeLinks: links.map((l) => ({ ...l, raw: l.url, foundIn: [] })),
      sources,
    };
  }

  findAuthors(name: string): AuthorSummary[] {
    const person = personFromDisplay(name);
    const folded = foldName(name);
    const family = foldName(person.family ?? name);
    const rows = this.reader
      .prepare(
        `SELECT a.id, a.display_name AS displayName,
                (SELECT count(DISTINCT paper_id) FROM paper_authors WHERE author_id = a.id) AS paperCount
         FROM authors a WHERE a.id IN (
           SELECT author_id FROM author_names WHERE name_key = ? OR initial_key = ? OR initial_key LIKE ?)
         ORDER BY paperCount DESC, a.id LIMIT 200`,
      )
      .all(folded, folded, `% ${family}`) as AuthorSummary[];
    // Exact spellings first, then people the name could stand for (`L Xiao` for `Lechao Xiao`).
    const exact = new Set(
      this.reader
        .prepare('SELECT DISTINCT author_id FROM author_names WHERE name_key = ?')
        .pluck()
        .all(folded) as number[],
    );
    return rows.sort(
      (a, b) => Number(exact.has(b.id)) - Number(exact.has(a.id)) || b.paperCount - a.paperCount,
    );
  }

  listAuthors(options: { limit?: number; offset?: number } = {}): AuthorSummary[] {
    return this.reader
      .prepare(
        `SELECT a.id, a.display_name AS displayName, count(DISTINCT pa.paper_id) AS paperCount
         FROM authors a LEFT JOIN paper_authors pa ON pa.author_id = a.id
         GROUP BY a.id ORDER BY paperCount DESC, a.display_name LIMIT ? OFFSET ?`,
      )
      .all(options.limit ?? 50, options.offset ?? 0) as AuthorSummary[];
  }

  stats(): Stats {
    const r = this.reader;
    const count = (sql: string) => r.prepare(sql).pluck().get() as number;
    const bySource: Record<string, number> = {};
    for (const row of r.prepare('SELECT source, count(*) AS n FROM source_records GROUP BY source').all() as {
      source: string;
      n: number;
    }[]) {
      bySource[row.source] = row.n;
    }
    return {
      papers: count('SELECT count(*) FROM papers'),
      authors: count('SELECT count(*) FROM authors WHERE id IN (SELECT author_id FROM paper_authors)'),
      codeLinks: count('SELECT count(*) FROM code_links'),
      sourceRecords: count('SELECT count(*) FROM source_records'),
      bySource,
      partialPapers: {
        withoutTitle: count('SELECT count(*) FROM papers WHERE title IS NULL'),
        withoutAuthors: count(
          'SELECT count(*) FROM papers WHERE id NOT IN (SELECT paper_id FROM paper_authors)',
        ),
      },
    };
  }

  getState(name: string): string | undefined {
    return this.reader.prepare('SELECT value FROM state WHERE name = ?').pluck().get(name) as
      | string
      | undefined;
  }

  async setState(name: string, value: string | undefined): Promise<void> {
    await this.transaction(async (tx) => tx.setState(name, value));
  }

  close(): void {
    if (this.reader !== this.writer) this.reader.close();
    this.writer.close();
  }
}

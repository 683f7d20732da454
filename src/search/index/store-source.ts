import type { Statement } from 'better-sqlite3';
import { SOURCE_NAMES } from '../../domain/record.ts';
import type { Db } from '../../store/sqlite/database.ts';
import { createAuthorResolver } from '../engine/authors.ts';
import { PaperHits } from '../engine/hits.ts';
import { FLAG_ABSTRACT, FLAG_CODE, FLAG_DOI } from './doc-table.ts';
import type { Directory } from './evaluate.ts';
import type { HitSource } from './indexed-search.ts';
import type { IndexedPaper, SearchIndex } from './search-index.ts';

/** Where the index has read the store up to: the newest `updated_at`, and the papers seen at it. */
export interface SyncMark {
  updatedAt: string;
  idsAtMark: number[];
}

interface PaperRow {
  id: number;
  year: number | null;
  published: string | null;
  hasDoi: number;
  updatedAt: string;
  title: string | null;
  abstract: string | null;
  authors: string | null;
  categories: string | null;
  hasCode: number;
  sources: string | null;
  authorIds: string;
}

const COLUMNS = `p.id AS id, p.year AS year, p.published AS published, p.doi IS NOT NULL AS hasDoi,
  p.updated_at AS updatedAt,
  json_extract(p.view, '$.title') AS title, json_extract(p.view, '$.abstractText') AS abstract,
  json_extract(p.view, '$.authors') AS authors, json_extract(p.view, '$.categories') AS categories,
  EXISTS (SELECT 1 FROM code_links cl WHERE cl.paper_id = p.id) AS hasCode,
  (SELECT group_concat(DISTINCT sr.source) FROM source_records sr WHERE sr.paper_id = p.id) AS sources,
  (SELECT json_group_array(author_id) FROM
     (SELECT pa.author_id FROM paper_authors pa WHERE pa.paper_id = p.id ORDER BY pa.position)) AS authorIds`;

/** A `papers` row as the index takes it (the same text the SQLite engine's `paper_search` gets). */
export function toIndexedPaper(r: PaperRow): IndexedPaper {
  const authors = (r.authors ? (JSON.parse(r.authors) as { name: { display: string } }[]) : []).map(
    (a) => a.name.display,
  );
  let sources = 0;
  for (const s of r.sources?.split(',') ?? []) {
    const i = (SOURCE_NAMES as readonly string[]).indexOf(s);
    if (i >= 0) sources |= 1 << i;
  }
  return {
    id: r.id,
    year: r.year,
    published: r.published,
    flags: (r.hasCode ? FLAG_CODE : 0) | (r.hasDoi ? FLAG_DOI : 0) | (r.abstract ? FLAG_ABSTRACT : 0),
    sources,
    categories: r.categories ? (JSON.parse(r.categories) as string[]) : [],
    authorIds: JSON.parse(r.authorIds) as number[],
    title: r.title ?? '',
    abstract: r.abstract ?? '',
    authors: authors.join(', '),
  };
}

/**
 * The index's view of the SQLite store, through a read-only connection: people and
 * identifiers for the query's leaves, whole papers for the page, and the papers changed since
 * the index last looked (`catchUp`), found by `updated_at` (indexed by migration 008).
 */
export class StoreSource implements Directory, HitSource {
  private readonly resolve: ReturnType<typeof createAuthorResolver>;
  private readonly hits: PaperHits;
  private readonly byAuthor: Statement;
  private readonly byFirstAuthor: Statement;
  private readonly byKey: Statement;
  private readonly names: Statement;
  private readonly atMark: Statement;
  private readonly changed: Statement;
  private readonly after: Statement;
  private readonly dataVersion: Statement;
  private readonly averages: Statement;
  private lastDataVersion = -1;

  constructor(db: Db) {
    this.resolve = createAuthorResolver(db);
    this.hits = new PaperHits(db);
    this.byAuthor = db
      .prepare(
        'SELECT DISTINCT paper_id FROM paper_authors WHERE author_id IN (SELECT value FROM json_each(?))',
      )
      .pluck();
    this.byFirstAuthor = db
      .prepare(
        'SELECT paper_id FROM paper_authors WHERE author_id IN (SELECT value FROM json_each(?)) AND position = 0',
      )
      .pluck();
    this.byKey = db
      .prepare('SELECT paper_id FROM paper_keys WHERE kind IN (SELECT value FROM json_each(?)) AND value = ?')
      .pluck();
    this.names = db
      .prepare('SELECT id, display_name AS name FROM authors WHERE id IN (SELECT value FROM json_each(?))')
      .raw();
    this.atMark = db.prepare(`SELECT ${COLUMNS} FROM papers p WHERE p.updated_at = ?`);
    this.changed = db.prepare(
      `SELECT ${COLUMNS} FROM papers p WHERE (p.updated_at, p.id) > (?, ?) ORDER BY p.updated_at, p.id LIMIT 2000`,
    );
    this.after = db.prepare(`SELECT ${COLUMNS} FROM papers p WHERE p.id > ? ORDER BY p.id LIMIT 2000`);
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.averages = db.prepare('SELECT block FROM paper_search_data WHERE id = 1').pluck();
  }

  authorIds(node: Parameters<Directory['authorIds']>[0]): number[] {
    return this.resolve(node);
  }

  papersOfAuthors(ids: number[], firstOnly: boolean): number[] {
    return (firstOnly ? this.byFirstAuthor : this.byAuthor).all(JSON.stringify(ids)) as number[];
  }

  papersWithKey(kinds: readonly string[], value: string): number[] {
    return this.byKey.all(JSON.stringify(kinds), value) as number[];
  }

  hit(id: number, score: number, textLeaves: Parameters<HitSource['hit']>[2]) {
    return this.hits.hit(id, score, textLeaves);
  }

  authorNames(ids: number[]): Map<number, string> {
    const out = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 5000) {
      for (const [id, name] of this.names.all(JSON.stringify(ids.slice(i, i + 5000))) as [number, string][]) {
        out.set(id, name);
      }
    }
    return out;
  }

  /**
   * The row and token totals FTS5 keeps for `paper_search` (its "averages" record: SQLite4
   * varints, rows then tokens per column). BM25 divides by these; a contentless-delete table
   * does not take replaced rows out of them, so they run a little ahead of the live papers,
   * and reading them is how our scores stay equal to the SQLite engine's.
   */
  ftsStatistics(): { rows: number; tokens: number } | undefined {
    const block = this.averages.get() as Buffer | undefined;
    if (!block) return undefined;
    const values: number[] = [];
    let v = 0;
    for (const byte of block) {
      v = v * 128 + (byte & 0x7f);
      if (byte < 0x80) {
        values.push(v);
        v = 0;
      }
    }
    if (values.length < 2) return undefined;
    return { rows: values[0]!, tokens: values.slice(1).reduce((a, b) => a + b, 0) };
  }

  /** True when another connection has committed since the last call (cheap: no table is read). */
  storeChanged(): boolean {
    const v = this.dataVersion.get() as number;
    const changed = v !== this.lastDataVersion;
    this.lastDataVersion = v;
    return changed;
  }

  /** Index every paper of the store, in id order. Returns the mark to catch up from. */
  buildInto(index: SearchIndex, progress?: (papers: number) => void): SyncMark {
    let mark: SyncMark = { updatedAt: '', idsAtMark: [] };
    let last = 0;
    let n = 0;
    for (;;) {
      const rows = this.after.all(last) as PaperRow[];
      if (rows.length === 0) break;
      for (const r of rows) {
        index.put(toIndexedPaper(r));
        mark = advance(mark, r);
      }
      last = rows[rows.length - 1]!.id;
      n += rows.length;
      progress?.(n);
    }
    return mark;
  }

  /** Index what changed since `mark`; returns the new mark. */
  catchUp(index: SearchIndex, mark: SyncMark, progress?: (papers: number) => void): SyncMark {
    let current = mark;
    let n = 0;
    // Papers written in the same millisecond as the mark but after the last look.
    const seen = new Set(mark.idsAtMark);
    for (const r of this.atMark.all(mark.updatedAt) as PaperRow[]) {
      if (seen.has(r.id)) continue;
      index.put(toIndexedPaper(r));
      current = advance(current, r);
    }
    let cursor: [string, number] = [mark.updatedAt, Number.MAX_SAFE_INTEGER];
    for (;;) {
      const rows = this.changed.all(...cursor) as PaperRow[];
      if (rows.length === 0) return current;
      for (const r of rows) {
        index.put(toIndexedPaper(r));
        current = advance(current, r);
      }
      n += rows.length;
      progress?.(n);
      const last = rows[rows.length - 1]!;
      cursor = [last.updatedAt, last.id];
    }
  }
}

/** How many papers a catch-up from `mark` would read (at most; some may be seen already). */
export function papersChangedSince(db: Db, mark: SyncMark): number {
  return db
    .prepare('SELECT count(*) FROM papers WHERE updated_at >= ?')
    .pluck()
    .get(mark.updatedAt) as number;
}

function advance(mark: SyncMark, r: { id: number; updatedAt: string }): SyncMark {
  if (r.updatedAt > mark.updatedAt) return { updatedAt: r.updatedAt, idsAtMark: [r.id] };
  if (r.updatedAt === mark.updatedAt)
    return { updatedAt: mark.updatedAt, idsAtMark: [...mark.idsAtMark, r.id] };
  return mark;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import Database from 'better-sqlite3';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { keptBytes } from '../../src/search/index/evaluate.ts';
import { IndexedSearch, SearchIndex, saveSnapshot } from '../../src/search/index/index.ts';
import { warmUp } from '../../src/search/index/warm-up.ts';
import type { AuthorNode } from '../../src/search/query/index.ts';
import { type BenchPaper, BenchPeople } from './corpus.ts';
import type { BenchQuery } from './mix.ts';

/** One engine under test: fed the papers, then asked the mix for the 20 best ids. */
export interface BenchEngine {
  add(papers: BenchPaper[]): void | Promise<void>;
  finish(): void | Promise<void>;
  /**
   * What a server holds the built index as (Paperscope's: saved, then its positions read from
   * the saved file, as `StoreSearch.save` leaves it); not counted in the build time.
   */
  serve?(): void;
  /** Bytes by structure, for the memory table (Paperscope's). */
  memory?(): Record<string, number>;
  /** What a server does once the index is loaded, before the first query (Paperscope's warm-up). */
  warmUp?(): Promise<Record<string, unknown>>;
  query(q: BenchQuery): number[] | Promise<number[]>;
  close?(): void;
}

export const ENGINE_NAMES = ['paperscope', 'fts5', 'minisearch', 'flexsearch', 'orama'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
const K = 20;

export interface PaperscopeOptions {
  positions?: 'filed' | 'held';
  /** The warm-up's budget (its default, 128 MiB, when not given). */
  warmUpBytes?: number;
}

/**
 * Paperscope's index, with people filed in memory as the store's author tables would file them.
 * `positions: 'held'` keeps the positions in memory as the build left them (the code before
 * they stayed in the snapshot file).
 */
function paperscope(options: PaperscopeOptions = {}): BenchEngine {
  const index = new SearchIndex();
  let snapshotDir: string | undefined;
  const people = new BenchPeople();
  let start = new Int32Array(0);
  let papers = new Int32Array(0);
  const directory = {
    authorIds: (node: AuthorNode) =>
      !node.initialsOnly && node.given.length > 0
        ? people.withKey(node.key)
        : people.withInitialKey(node.initialKey),
    papersOfAuthors: (ids: number[]) =>
      ids.flatMap((a) => Array.from(papers.subarray(start[a]!, start[a + 1]!))),
    papersWithKey: () => [],
  };
  const source = {
    hit: () => {
      throw new Error('the benchmark ranks only');
    },
    authorNames: (ids: number[]) => new Map(ids.map((id) => [id, people.names[id] ?? ''])),
  };
  const engine = new IndexedSearch(index, directory, source);
  return {
    add(batch) {
      for (const p of batch) {
        index.put({
          id: p.id,
          year: p.year,
          published: p.published,
          flags: (p.abstract ? 4 : 0) | (p.doi ? 2 : 0),
          sources: 1 << 2,
          categories: p.categories,
          authorIds: p.authors.map((a) => people.idOf(a)),
          title: p.title,
          abstract: p.abstract,
          authors: p.authors.join(', '),
        });
      }
    },
    finish() {
      // Papers of each person, as the store's paper_authors index gives them.
      const docs = index.docs;
      start = new Int32Array(people.names.length + 1);
      for (let d = 1; d < docs.size; d++) for (const a of docs.authorIdsOf(d)) start[a + 1]!++;
      for (let a = 0; a < people.names.length; a++) start[a + 1]! += start[a]!;
      papers = new Int32Array(start[people.names.length]!);
      const fill = start.slice();
      for (let d = 1; d < docs.size; d++) for (const a of docs.authorIdsOf(d)) papers[fill[a]!++] = d;
    },
    serve() {
      if (options.positions === 'held') return;
      snapshotDir = mkdtempSync(join(tmpdir(), 'bench-search-snapshot-'));
      const filed = saveSnapshot(join(snapshotDir, 'search-index.bin'), index.state, {
        updatedAt: '',
        idsAtMark: [],
      });
      index.text.fileStreams(filed);
    },
    memory() {
      const text = index.text;
      return {
        postings: text.heldPostingBytes,
        positionsHeld: text.heldPositionBytes,
        positionsInFile: text.filedBytes,
        docTable: index.docs.bytes,
        vocabulary: text.vocabulary,
        skipTables: text.skipTableBytes,
        keptLeaves: keptBytes(index.docs),
      };
    },
    async warmUp() {
      const r = await warmUp(engine, options.warmUpBytes ? { bytes: options.warmUpBytes } : {});
      return {
        leaves: r.leaves.length,
        answers: r.answers,
        sets: r.sets,
        skipTables: r.skipTables,
        bytes: r.bytes,
      };
    },
    query(q) {
      return engine.rank({ query: q.query, limit: K }).ids;
    },
    close() {
      index.text.close();
      if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
    },
  };
}

/** SQLite FTS5 on its own: the same tokenizer and weights, a year column beside the text. */
function fts5(): BenchEngine {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fts5-'));
  const db = new Database(join(dir, 'fts.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE VIRTUAL TABLE f USING fts5(title, abstract, authors, year UNINDEXED,
           tokenize = 'porter unicode61 remove_diacritics 2')`);
  const insert = db.prepare('INSERT INTO f (rowid, title, abstract, authors, year) VALUES (?, ?, ?, ?, ?)');
  const text = db.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, 10, 1, 3) LIMIT 20').pluck();
  const withYear = db
    .prepare('SELECT rowid FROM f WHERE f MATCH ? AND year = ? ORDER BY bm25(f, 10, 1, 3) LIMIT 20')
    .pluck();
  const quote = (w: string) => `"${w.replace(/"/g, '""')}"`;
  db.exec('BEGIN');
  return {
    add(batch) {
      for (const p of batch) insert.run(p.id, p.title, p.abstract, p.authors.join(', '), p.year);
    },
    finish() {
      db.exec('COMMIT');
      db.exec("INSERT INTO f(f) VALUES ('optimize')");
    },
    query(q) {
      if (q.kind === 'author+year') return withYear.all(`authors : ${quote(q.author!)}`, q.year) as number[];
      if (q.kind === 'phrase') return text.all(quote(q.words.join(' '))) as number[];
      if (q.without) return text.all(`${quote(q.words[0]!)} NOT ${quote(q.without[0]!)}`) as number[];
      return text.all(quote(q.words[0]!)) as number[];
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface MiniDoc {
  id: number;
  title: string;
  abstract: string;
  authors: string;
  year: number | null;
}

function minisearch(): BenchEngine {
  const ms = new MiniSearch<MiniDoc>({
    fields: ['title', 'abstract', 'authors'],
    storeFields: ['year'],
    searchOptions: { boost: { title: 10, authors: 3 } },
  });
  return {
    add(batch) {
      ms.addAll(batch.map((p) => ({ ...p, authors: p.authors.join(', ') })));
    },
    finish() {},
    query(q) {
      let hits: { id: number }[];
      if (q.kind === 'author+year') {
        hits = ms.search(q.author!, {
          fields: ['authors'],
          combineWith: 'AND',
          filter: (r) => r['year'] === q.year,
        });
      } else if (q.without) {
        hits = ms.search({ combineWith: 'AND_NOT', queries: [q.words[0]!, q.without[0]!] });
      } else {
        // No positions: a phrase is all its words.
        hits = ms.search(q.words.join(' '), { combineWith: 'AND' });
      }
      return hits.slice(0, K).map((h) => h.id);
    },
  };
}

function flexsearch(): BenchEngine {
  const index = new FlexSearch.Document({
    document: { id: 'id', index: ['title', 'abstract', 'authors'], tag: 'year' },
  } as never) as unknown as {
    add(doc: object): void;
    search(opts: object): { field?: string; result: number[] }[] | number[];
  };
  const ids = (res: { field?: string; result: (number | { id: number })[] }[] | number[]): number[] => {
    const out = new Set<number>();
    for (const r of res as { result: (number | { id: number })[] }[]) {
      for (const x of r.result) out.add(typeof x === 'number' ? x : x.id);
    }
    return [...out];
  };
  return {
    add(batch) {
      for (const p of batch) {
        index.add({
          id: p.id,
          title: p.title,
          abstract: p.abstract,
          authors: p.authors.join(', '),
          year: String(p.year),
        });
      }
    },
    finish() {},
    query(q) {
      if (q.kind === 'author+year') {
        return ids(
          index.search({ query: q.author!, index: 'authors', tag: { year: String(q.year) }, limit: K }),
        ).slice(0, K);
      }
      const found = ids(index.search({ query: q.words.join(' '), limit: q.without ? 5000 : K }));
      if (!q.without) return found.slice(0, K);
      // No NOT in the query language: subtract what the other word finds.
      const drop = new Set(ids(index.search({ query: q.without[0]!, limit: 1_000_000 })));
      return found.filter((id) => !drop.has(id)).slice(0, K);
    },
  };
}

function orama(): BenchEngine {
  const db = create({
    schema: { title: 'string', abstract: 'string', authors: 'string', year: 'number' } as const,
  });
  return {
    async add(batch) {
      await insertMultiple(
        db,
        batch.map((p) => ({
          id: String(p.id),
          title: p.title,
          abstract: p.abstract,
          authors: p.authors.join(', '),
          year: p.year ?? 0,
        })),
        1000,
      );
    },
    finish() {},
    async query(q) {
      const run = async (term: string, more: object = {}) =>
        (
          await oramaSearch(db, {
            term,
            threshold: 0,
            boost: { title: 10, authors: 3 },
            limit: K,
            ...more,
          })
        ).hits.map((h) => Number(h.id));
      if (q.kind === 'author+year')
        return run(q.author!, { properties: ['authors'], where: { year: { eq: q.year } } });
      if (!q.without) return run(q.words.join(' '));
      const found = await run(q.words[0]!, { limit: 5000 });
      const drop = new Set(await run(q.without[0]!, { limit: 1_000_000 }));
      return found.filter((id) => !drop.has(id)).slice(0, K);
    },
  };
}

export function makeEngine(name: EngineName, options: PaperscopeOptions = {}): BenchEngine {
  switch (name) {
    case 'paperscope':
      return paperscope(options);
    case 'fts5':
      return fts5();
    case 'minisearch':
      return minisearch();
    case 'flexsearch':
      return flexsearch();
    case 'orama':
      return orama();
  }
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { UnavailableError } from '../../domain/errors.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { type Db, openDatabase } from '../../store/sqlite/database.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { SqliteSearch } from '../engine/search.ts';
import { OAI_PAGES } from '../engine/test-corpus.ts';
import { SearchWhileIndexing, serveSearch, whenIndexed } from './search-while-indexing.ts';
import { SNAPSHOT_FILE, StoreSearch } from './store-search.ts';
import { updateSearchIndex } from './update-index.ts';

/**
 * The index an import leaves behind (`updateSearchIndex`, run by `paperscope import` and by the
 * server's background build) answers as an index built afresh from the store, and as FTS5.
 */
let dir: string;
let store: SqliteStore;
let importer: ImportService;
const snapshot = () => join(dir, SNAPSHOT_FILE);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperscope-update-index-'));
  store = new SqliteStore(join(dir, 'paperscope.sqlite'));
  importer = new ImportService(store, defaultRegistry, () => new Date('2025-01-01T00:00:00Z'));
  for (const name of Object.values(SEED_FILES)) await importer.importFile(seedPath(name));
}, 120_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PROBES = [
  'learning',
  '"neural tangent kernel"',
  'author:"Xiao, Lechao"',
  'cat:cs',
  'source:arxiv-oai',
  'kernel -year:2023',
  'has:code',
  'title:(scaling OR laws)',
  'quantum OR graph',
  '',
];

/** Every probe answered the same by `a` and `b`: hits in order, scores (to float rounding), facets. */
function expectSameAnswers(a: { search: SqliteSearch['search'] }, b: { search: SqliteSearch['search'] }) {
  for (const query of PROBES) {
    for (const sort of ['relevance', 'date'] as const) {
      const x = a.search({ query, limit: 50, sort, correct: false });
      const y = b.search({ query, limit: 50, sort, correct: false });
      expect(y.total, query).toBe(x.total);
      expect(
        y.hits.map((h) => h.paper.id),
        query,
      ).toEqual(x.hits.map((h) => h.paper.id));
      y.hits.forEach((h, i) => {
        expect(h.score, query).toBeCloseTo(x.hits[i]!.score, 9);
      });
      expect(y.facets, query).toEqual(x.facets);
    }
  }
}

function withDb<T>(f: (db: Db) => T): T {
  const db = openDatabase(store.file, { readonly: true });
  try {
    return f(db);
  } finally {
    db.close();
  }
}

describe('updateSearchIndex', () => {
  it('builds and saves the index when there is none; read back, it answers as a fresh build', () => {
    expect(existsSync(snapshot())).toBe(false);
    const seen: number[] = [];
    const update = updateSearchIndex(store.file, { progress: (p) => seen.push(p.done) });
    const papers = withDb((db) => db.prepare('SELECT count(*) FROM papers').pluck().get() as number);
    expect(update).toMatchObject({ how: 'built', papers, indexed: papers, file: snapshot() });
    expect(seen.at(-1)).toBe(papers);
    withDb((db) => {
      const saved = StoreSearch.forStore(db, store.file);
      expect(saved.loadedFrom).toBe('snapshot');
      expectSameAnswers(new StoreSearch(db), saved);
      expectSameAnswers(new SqliteSearch(db), saved);
    });
  });

  it('after another import, catches the saved index up: new papers and papers given new records', async () => {
    const before = withDb((db) => db.prepare('SELECT count(*) FROM papers').pluck().get() as number);
    let summaries = 0;
    for (const page of OAI_PAGES) {
      const s = await importer.importFile(fixturePath('arxiv-oai', page));
      summaries += s.new + s.merged;
    }
    expect(summaries).toBeGreaterThan(0);
    // (More than half the papers are new: kept from the rebuild a real store would get.)
    const update = updateSearchIndex(store.file, { rebuildFrom: Number.POSITIVE_INFINITY });
    const papers = withDb((db) => db.prepare('SELECT count(*) FROM papers').pluck().get() as number);
    expect(papers).toBeGreaterThan(before);
    expect(update.how).toBe('caught-up');
    expect(update.papers).toBe(papers);
    expect(update.indexed).toBeGreaterThanOrEqual(papers - before);
    withDb((db) => {
      const saved = StoreSearch.forStore(db, store.file);
      expect(saved.loadedFrom).toBe('snapshot');
      // Nothing left for a search to catch up on: the import's changes are in the file.
      expect(saved.index.generation).toBe(0);
      expect(saved.search({ query: 'source:arxiv-oai' }).total).toBeGreaterThan(0);
      expectSameAnswers(new StoreSearch(db), saved);
      expectSameAnswers(new SqliteSearch(db), saved);
    });
  });

  it('with nothing changed, leaves the index as it is', () => {
    const update = updateSearchIndex(store.file);
    expect(update).toMatchObject({ how: 'caught-up', indexed: 0 });
  });

  it('builds afresh instead of catching up when most papers changed', async () => {
    // Every paper marked changed (as re-importing a newer snapshot of the arXiv would).
    await store.write((db) => db.prepare("UPDATE papers SET updated_at = '9999-01-01T00:00:00.000Z'").run());
    const update = updateSearchIndex(store.file, { rebuildFrom: 0 });
    const papers = withDb((db) => db.prepare('SELECT count(*) FROM papers').pluck().get() as number);
    expect(update).toMatchObject({ how: 'built', papers, indexed: papers });
    withDb((db) => expectSameAnswers(new StoreSearch(db), StoreSearch.forStore(db, store.file)));
  });
});

describe('serveSearch', () => {
  it('answers "not yet" while a worker brings the index up to date, then from the index', async () => {
    rmSync(snapshot());
    const db = openDatabase(store.file, { readonly: true });
    try {
      const lines: string[] = [];
      const served = serveSearch(db, store.file, {
        smallStore: 0,
        smallCatchUp: 0,
        log: (l) => lines.push(l),
      });
      expect(served).toBeInstanceOf(SearchWhileIndexing);
      const pending = served as SearchWhileIndexing;
      expect(pending.answering).toBe('none');
      expect(() => pending.search({ query: 'learning' })).toThrow(UnavailableError);
      expect(() => pending.search({ query: 'learning' })).toThrow(/search index is being/);
      const index = await whenIndexed(served);
      expect(index).toBeInstanceOf(StoreSearch);
      expect(pending.answering).toBe('index');
      expect(existsSync(snapshot())).toBe(true);
      expectSameAnswers(new StoreSearch(db), pending);
      expect(lines.at(-1)).toMatch(/^search index: ready, \d+ papers \(built\)/);
    } finally {
      db.close();
    }
  }, 60_000);

  it('reads an index that needs little catching up at once', async () => {
    const db = openDatabase(store.file, { readonly: true });
    try {
      const served = serveSearch(db, store.file, { smallStore: 0 });
      expect(served).toBeInstanceOf(StoreSearch);
      expect((served as StoreSearch).loadedFrom).toBe('snapshot');
      expect(await whenIndexed(served)).toBe(served);
    } finally {
      db.close();
    }
  });
});

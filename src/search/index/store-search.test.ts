import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { type Db, openDatabase } from '../../store/sqlite/database.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { InvalidQueryError, SqliteSearch } from '../engine/search.ts';
import { OAI_PAGES } from '../engine/test-corpus.ts';
import { StoreSearch } from './store-search.ts';

/**
 * The index beside a real store: built from it, caught up as imports land (new papers and
 * papers merged with new records), saved and read back, and never thrown off by garbage.
 */
let dir: string;
let store: SqliteStore;
let db: Db;
let importer: ImportService;
const snapshotFile = () => join(dir, 'search-index.bin');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperscope-index-'));
  store = new SqliteStore(join(dir, 'paperscope.sqlite'));
  importer = new ImportService(store, defaultRegistry, () => new Date('2025-01-01T00:00:00Z'));
  for (const name of Object.values(SEED_FILES)) await importer.importFile(seedPath(name));
  db = openDatabase(store.file, { readonly: true });
}, 120_000);
afterAll(() => {
  db?.close();
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
  '',
];

function expectSameAsSqlite(engine: StoreSearch): void {
  const reference = new SqliteSearch(db);
  for (const query of PROBES) {
    const a = reference.search({ query, limit: 40 });
    const b = engine.search({ query, limit: 40, correct: false });
    expect(b.total, query).toBe(a.total);
    expect(
      b.hits.map((h) => h.paper.id),
      query,
    ).toEqual(a.hits.map((h) => h.paper.id));
    expect(b.facets, query).toEqual(a.facets);
  }
}

describe('StoreSearch', () => {
  let first: StoreSearch;

  it('builds from the store and answers as the SQLite engine', () => {
    first = new StoreSearch(db, { snapshotFile: snapshotFile() });
    expect(first.loadedFrom).toBe('store');
    // The seed pages alone: 2 + 10 + 256 + … papers, none from the OAI harvest yet.
    expect(first.search({ query: 'source:arxiv-oai' }).total).toBe(0);
    expect(first.search({ query: '' }).total).toBe(db.prepare('SELECT count(*) FROM papers').pluck().get());
    expectSameAsSqlite(first);
    first.save();
    expect(statSync(snapshotFile()).size).toBeGreaterThan(10_000);
    // Saved, its postings and positions are read from the file from now on (the catch-up below
    // appends to memory); only each word's bookkeeping stays held: 13 bytes a word, in arrays
    // grown by doubling.
    expect(first.index.text.filedBytes).toBeGreaterThan(0);
    const bookkeeping = first.index.text.vocabulary * 13 * 2;
    expect(first.index.text.heldPositionBytes).toBeLessThanOrEqual(bookkeeping);
    expect(first.index.text.heldPostingBytes).toBeLessThanOrEqual(bookkeeping);
    expectSameAsSqlite(first);
  });

  it('catches up when an import lands: new papers and papers merged with new records', async () => {
    const before = first.search({ query: 'learning' }).total;
    const updatedBefore = db.prepare('SELECT max(updated_at) FROM papers').pluck().get() as string;
    const stamp = new ImportService(store, defaultRegistry, () => new Date('2025-02-01T00:00:00Z'));
    for (const page of OAI_PAGES) await stamp.importFile(fixturePath('arxiv-oai', page));
    const merged = db
      .prepare('SELECT count(*) FROM papers WHERE created_at <= ? AND updated_at > ?')
      .pluck()
      .get(updatedBefore, updatedBefore) as number;
    expect(merged).toBeGreaterThan(0);
    expect(first.search({ query: 'source:arxiv-oai' }).total).toBe(2265);
    expect(first.search({ query: 'learning' }).total).toBeGreaterThan(before);
    expectSameAsSqlite(first);
  });

  it('reads the saved snapshot back and catches up from its mark', () => {
    // The snapshot was saved before the OAI import: loading it must bring in the harvest.
    const second = new StoreSearch(db, { snapshotFile: snapshotFile() });
    expect(second.loadedFrom).toBe('snapshot');
    expect(second.index.text.filedBytes).toBeGreaterThan(0);
    expect(second.search({ query: 'source:arxiv-oai' }).total).toBe(2265);
    expectSameAsSqlite(second);
    second.save();
    const third = new StoreSearch(db, { snapshotFile: snapshotFile() });
    expect(third.loadedFrom).toBe('snapshot');
    for (const query of PROBES) {
      expect(third.search({ query, limit: 30 })).toEqual(second.search({ query, limit: 30 }));
    }
  });

  it('rebuilds when the snapshot belongs to another store', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'paperscope-index-other-'));
    const other = new SqliteStore(join(otherDir, 'paperscope.sqlite'));
    try {
      await new ImportService(other, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
      const otherDb = openDatabase(other.file, { readonly: true });
      const engine = new StoreSearch(otherDb, { snapshotFile: snapshotFile() });
      expect(engine.loadedFrom).toBe('store');
      expect(engine.search({ query: '' }).total).toBe(other.countPapers());
      otherDb.close();
    } finally {
      other.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('points at the place of a malformed query', () => {
    const engine = new StoreSearch(db);
    try {
      engine.search({ query: 'kernel "infinite width' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidQueryError);
      expect((err as InvalidQueryError).error.offset).toBe(7);
      expect((err as Error).message).toContain('^');
    }
    expect(() => engine.search({ query: 'x', limit: 0 })).toThrow(InvalidInputError);
  });

  it('throws nothing but InvalidQueryError on any input, and agrees with SQLite on what it answers', () => {
    const engine = new StoreSearch(db);
    const reference = new SqliteSearch(db);
    const piece = fc.constantFrom(
      'author:',
      'title:',
      'abs:',
      'year:',
      'cat:',
      'has:',
      'source:',
      'id:',
      '"',
      '(',
      ')',
      ' OR ',
      ' AND ',
      ' NOT ',
      '-',
      '*',
      '^',
      ':',
      ' ',
      'learning',
      'kernel',
      'neural',
      'xiao',
      'cs',
      '2021',
      '2020-2023',
      'code',
      'ads',
      'é',
      '\u0000',
      'Σ',
    );
    const query = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(query, (q) => {
        let result: ReturnType<StoreSearch['search']> | undefined;
        try {
          result = engine.search({ query: q, limit: 10, correct: false });
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidQueryError);
          expect(() => reference.search({ query: q })).toThrow(InvalidQueryError);
          return;
        }
        const expected = reference.search({ query: q, limit: 10 });
        expect(result.total).toBe(expected.total);
        expect(result.hits.map((h) => h.paper.id)).toEqual(expected.hits.map((h) => h.paper.id));
      }),
      { numRuns: 300 },
    );
  });
});

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../../test/cli-helpers.ts';
import { fixturePath, SEED_FILES, seedPath } from '../../test/shared.ts';
import { StoreSearch } from '../search/index/store-search.ts';
import { openDatabase } from '../store/sqlite/database.ts';
import { indexWanted } from './search-index-step.ts';

/** `paperscope import` leaves the search index in the data folder ready for the first search. */
let data: ReturnType<typeof tempDataDir>;
let bare: ReturnType<typeof tempDataDir>;
const seeds = Object.values(SEED_FILES).map(seedPath);
const TWO_PAPERS = `@article{one, title = {Holographic tensor sketches}, author = {Doe, Jane}, year = {2024}}
@article{two, title = {Sparse tensor sketches revisited}, author = {Roe, Richard}, year = {2025}}`;

beforeAll(() => {
  data = tempDataDir('paperscope-import-index-');
  bare = tempDataDir('paperscope-import-no-index-');
});
afterAll(() => {
  data.cleanup();
  bare.cleanup();
});

function savedIndex(dir: string) {
  const file = join(dir, 'paperscope.sqlite');
  const db = openDatabase(file, { readonly: true });
  try {
    const search = StoreSearch.forStore(db, file);
    return { from: search.loadedFrom, caughtUp: search.index.generation, live: search.index.docs.live };
  } finally {
    db.close();
  }
}

describe('paperscope import and the search index', () => {
  it('builds the index after an import and says so; the next search reads it as it is', async () => {
    const run = await runCli(data.dir, ['import', ...seeds]);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(run.out).toMatch(/^Search index built: 278 papers in \d+\.\d s\.$/m);
    expect(savedIndex(data.dir)).toEqual({ from: 'snapshot', caughtUp: 0, live: 278 });
  });

  it('leaves a small import to the next search, which catches up', async () => {
    const bib = join(data.dir, 'two.bib');
    writeFileSync(bib, TWO_PAPERS);
    const run = await runCli(data.dir, ['import', bib]);
    expect(run.code).toBe(0);
    expect(run.out).not.toMatch(/Search index/);
    expect(savedIndex(data.dir)).toMatchObject({ from: 'snapshot', caughtUp: 2, live: 280 });
    const found = await runCli(data.dir, ['search', 'tensor sketches']);
    expect(found.out).toMatch(/^2 papers match/);
    expect(savedIndex(data.dir)).toEqual({ from: 'snapshot', caughtUp: 0, live: 280 });
  });

  it('catches the index up after an import that changed many papers', async () => {
    const oai = fixturePath('arxiv-oai', 'ListRecords_data_0.xml');
    const summary = {
      origin: oai,
      read: 0,
      new: 0,
      merged: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      problems: [],
    };
    const store = join(data.dir, 'paperscope.sqlite');
    expect(indexWanted([{ ...summary, new: 9_999 }], store)).toBe(false);
    expect(
      indexWanted(
        [
          { ...summary, new: 9_000 },
          { ...summary, merged: 1_000 },
        ],
        store,
      ),
    ).toBe(true);
    expect(indexWanted([{ ...summary, unchanged: 50_000 }], store)).toBe(false);
    expect(indexWanted([{ ...summary, new: 1 }], join(bare.dir, 'paperscope.sqlite'))).toBe(true);
  });

  it('leaves the index alone when nothing changed, and with --no-index', async () => {
    const again = await runCli(data.dir, ['import', ...seeds]);
    expect(again.out).not.toMatch(/Search index/);
    const run = await runCli(bare.dir, ['import', '--no-index', ...seeds]);
    expect(run.code).toBe(0);
    expect(run.out).not.toMatch(/Search index/);
    expect(existsSync(join(bare.dir, 'search-index.bin'))).toBe(false);
  });

  it('prints only the summaries with --json', async () => {
    const run = await runCli(bare.dir, [
      'import',
      '--json',
      fixturePath('arxiv-oai', 'ListRecords_data_0.xml'),
    ]);
    expect(() => JSON.parse(run.out)).not.toThrow();
    expect(existsSync(join(bare.dir, 'search-index.bin'))).toBe(true);
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { CorpusTermFrequencies } from './term-frequencies.ts';

let data: { dir: string; cleanup: () => void };
let store: SqliteStore;
let papers: number;

beforeAll(async () => {
  data = tempDataDir('paperscope-terms-');
  store = new SqliteStore(join(data.dir, 'paperscope.sqlite'));
  const importer = new ImportService(store, defaultRegistry);
  for (const seed of Object.values(SEED_FILES)) await importer.importFile(seedPath(seed));
  papers = store.countPapers();
}, 60_000);

afterAll(() => {
  store.close();
  data.cleanup();
});

/** Counted another way: how many papers the full-text index finds for the term. */
const matches = (stem: string) =>
  store.readDb
    .prepare('SELECT count(*) FROM paper_search WHERE paper_search MATCH ?')
    .pluck()
    .get(`"${stem}"`) as number;

const STEMS = ['kernel', 'learn', 'model', 'scale', 'languag', 'nngp', 'zzzzunknown'];

describe('CorpusTermFrequencies', () => {
  it('looks every term up directly in a small corpus, with the counts of the index', async () => {
    const terms = new CorpusTermFrequencies(store.readDb, store.file);
    const { df, complete } = terms.lookup(STEMS, papers);
    expect(complete).toBe(true);
    for (const stem of STEMS) expect(df.get(stem), stem).toBe(matches(stem));
    expect(df.get('model')).toBeGreaterThan(50);
    // Nothing to count ahead for a corpus this small.
    await terms.ready(papers);
    expect(terms.generation).toBe(0);
  });

  it('in a large corpus, counts the common terms once in the background; until then it says it guessed', async () => {
    const terms = new CorpusTermFrequencies(store.readDb, store.file, { directBelow: 0, budgetMs: 0 });
    const before = terms.lookup(STEMS, papers);
    expect(before.complete).toBe(false);
    expect([...before.df.values()]).toContain(Math.ceil(papers / 10));
    await terms.ready(papers);
    expect(terms.generation).toBe(1);
    const after = terms.lookup(STEMS, papers);
    expect(after.complete).toBe(true);
    for (const stem of STEMS) expect(after.df.get(stem), stem).toBe(matches(stem));
  });
});

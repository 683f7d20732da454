import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRecords } from '../../../bench/synth/generate.ts';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { openDatabase } from '../../store/sqlite/database.ts';
import { AuthorReader } from './author-data.ts';
import { BulkSummaries, binaryCompare } from './bulk-summaries.ts';
import { AuthorService, type Decider } from './service.ts';
import { AuthorSummarizer } from './summarize.ts';

/**
 * The pass over everyone computed in bulk gives, for every author, the row the per-person
 * summarizer gives on the same store: the same `seq`, and the same summary field by field
 * (profile, categories, terms, network, sources, years, suggestions with their evidence, the
 * latest decision, the newest papers). On the seed pages with hand-made twists (a person twice
 * on one author list, namesakes, code links, undated papers, a rejected suggestion and a
 * merge), and on a synthetic corpus.
 */

const ADMIN: Decider = { label: 'admin@example.org', isAdmin: true };
const now = () => new Date('2026-03-04T05:06:07Z');

const TWISTS = `@article{twice,
  title = {Kernel methods twice over: a note on wide networks},
  author = {Xiao, Lechao and Doe, Jane and Xiao, Lechao},
  journal = {Hand-made test entry},
  abstract = {A note on kernel regression with wide networks, posted without a date. Code at https://github.com/example/kernels.}
}

@article{namesakes,
  title = {Two people of one name},
  author = {Smith, John and Smith, John and Doe, Jane},
  year = {2021},
  journal = {Hand-made test entry},
  abstract = {Neural tangent kernel regression and the infinite width limit, again. See https://github.com/example/two-smiths}
}

@article{initials,
  title = {Wide networks: the neural tangent kernel at infinite width},
  author = {Xiao, L. and Roe, Richard},
  year = {2019},
  journal = {Hand-made test entry},
  abstract = {The neural tangent kernel of infinitely wide networks and the finite width corrections.}
}`;

interface Store {
  data: { dir: string; cleanup: () => void };
  app: Paperscope;
}

async function storeWith(prefix: string, files: string[]): Promise<Store> {
  const data = tempDataDir(prefix);
  const app = Paperscope.open(loadConfig({}, { data: join(data.dir, 'db') }), { now });
  const importer = new ImportService(app.store, defaultRegistry);
  for (const file of files) await importer.importFile(file);
  return { data, app };
}

/** Every author summarized both ways on one read connection: the ids whose rows differ, with the first difference. */
async function compareAll(app: Paperscope): Promise<{ compared: number; first?: unknown }> {
  const file = app.store.file;
  const db = openDatabase(file, { readonly: true });
  try {
    const reader = new AuthorReader(db, file);
    await reader.termsReady();
    const bulk = new BulkSummaries(db, reader);
    const one = new AuthorSummarizer(reader);
    const everyone = db.prepare('SELECT DISTINCT author_id FROM paper_authors').pluck().all() as number[];
    // The pass covers exactly the people with papers.
    expect([...bulk.queue].sort((a, b) => a - b)).toEqual([...everyone].sort((a, b) => a - b));
    for (const id of bulk.queue) {
      const expected = one.stored(id);
      const got = bulk.summarize(id);
      if (!expected || !got)
        throw new Error(`author ${id}: no summary (${!expected ? 'per person' : 'bulk'})`);
      expect(got.seq).toBe(expected.seq);
      // Field by field, so a failure names the field; then the whole row as stored.
      for (const key of Object.keys(expected.summary) as (keyof typeof expected.summary)[]) {
        expect({ id, key, value: got.summary[key] }).toEqual({ id, key, value: expected.summary[key] });
      }
      expect(JSON.parse(JSON.stringify(got.summary))).toEqual(JSON.parse(JSON.stringify(expected.summary)));
    }
    return { compared: bulk.queue.length };
  } finally {
    db.close();
  }
}

describe('the bulk pass over every author', () => {
  let seeds: Store;
  let synthetic: Store;

  beforeAll(async () => {
    const twists = join(tempDataDir('paperscope-twists-').dir, 'twists.bib');
    writeFileSync(twists, TWISTS);
    seeds = await storeWith('paperscope-bulk-seeds-', [
      ...Object.values(SEED_FILES).map((s) => seedPath(s)),
      twists,
    ]);
    const dir = tempDataDir('paperscope-bulk-synth-');
    const records = join(dir.dir, 'synth.jsonl');
    await writeRecords(2000, 7, records);
    synthetic = await storeWith('paperscope-bulk-synthetic-', [records]);
    dir.cleanup();
  }, 240_000);

  afterAll(() => {
    seeds?.app.close();
    seeds?.data.cleanup();
    synthetic?.app.close();
    synthetic?.data.cleanup();
  });

  it('gives every person of the seed pages the row the per-person summarizer gives', async () => {
    const { compared } = await compareAll(seeds.app);
    expect(compared).toBeGreaterThan(50);
    // The twists are there: a person twice on one list, two namesakes, an undated paper, code links.
    const db = seeds.app.store.readDb;
    expect(
      db
        .prepare(
          'SELECT count(*) FROM (SELECT 1 FROM paper_authors GROUP BY paper_id, author_id HAVING count(*) > 1)',
        )
        .pluck()
        .get(),
    ).toBeGreaterThan(0);
    expect(
      db.prepare('SELECT count(*) FROM papers WHERE published IS NULL AND year IS NULL').pluck().get(),
    ).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM code_links').pluck().get()).toBeGreaterThan(0);
  });

  it('still does after a rejected suggestion and a merge (decisions, people not the same, moved papers)', async () => {
    const service = new AuthorService(seeds.app.store, now, { summariesFrom: Number.POSITIVE_INFINITY });
    const lechao = (await service.find('Lechao Xiao')).id;
    const initials = (await service.profile('L. Xiao')).id;
    expect((await service.suggestions(lechao, 50)).map((s) => s.id)).toContain(initials);
    await service.reject(lechao, initials, ADMIN);
    const doe = (await service.find('Jane Doe')).id;
    const roman = (await service.find('Roman Novak')).id;
    await service.merge(roman, doe, ADMIN);
    const { compared } = await compareAll(seeds.app);
    expect(compared).toBeGreaterThan(50);
    await service.close();
  });

  it('gives every person of a synthetic corpus the row the per-person summarizer gives', async () => {
    const { compared } = await compareAll(synthetic.app);
    expect(compared).toBeGreaterThan(500);
  }, 240_000);
});

describe('binaryCompare', () => {
  it('orders as SQLite’s BINARY collation (UTF-8 bytes), not as UTF-16 units', () => {
    const db = openDatabase(':memory:');
    const words = ['a', 'B', 'é', '\uffff', '😀', 'ab', '', 'Z', '\ue000'];
    const sqlite = db
      .prepare('SELECT value FROM json_each(?) ORDER BY value COLLATE BINARY')
      .pluck()
      .all(JSON.stringify(words)) as string[];
    expect([...words].sort(binaryCompare)).toEqual(sqlite);
    // JavaScript's own order puts the emoji (a surrogate pair) before U+E000 and U+FFFF.
    expect([...words].sort()).not.toEqual(sqlite);
    db.close();
  });
});

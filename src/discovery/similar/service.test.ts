import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { loadIndex } from './index-file.ts';
import { INDEX_FILE, SimilarityService } from './service.ts';

let data: ReturnType<typeof tempDataDir>;
let store: SqliteStore;
let builds: string[];

const OPTIONS = { index: { dimensions: 16 } };
const serviceFor = (s: SqliteStore) =>
  new SimilarityService(s, {
    ...OPTIONS,
    dir: join(data.dir, 'similar'),
    progress: (phase) => builds.push(phase),
  });
const importSeed = (name: string) => new ImportService(store, defaultRegistry).importFile(seedPath(name));

beforeEach(async () => {
  data = tempDataDir();
  store = SqliteStore.inDataDir(data.dir);
  builds = [];
  // The arXiv listing has abstracts only: the ADS page, imported later, gives them titles.
  await importSeed(SEED_FILES.arxivListing);
});
afterEach(() => {
  store.close();
  data.cleanup();
});

describe('SimilarityService', () => {
  it('answers with papers from the store, never the paper itself, best first', async () => {
    const found = await new SimilarityService(store, OPTIONS).neighbours(1, 5);
    expect(found).toHaveLength(5);
    expect(found.map((n) => n.paper.id)).not.toContain(1);
    expect(found.every((n, i) => i === 0 || found[i - 1]!.score >= n.score)).toBe(true);
    for (const n of found) expect(n.paper.id).toBe(n.paperId);
  });

  it('saves its index and, after a restart, loads it instead of learning again', async () => {
    const first = serviceFor(store);
    const before = await first.neighbours(3, 10);
    expect(builds).toContain('finding neighbours');
    const file = join(data.dir, 'similar', INDEX_FILE);
    const savedAt = statSync(file).mtimeMs;
    builds = [];
    store.close();
    store = SqliteStore.inDataDir(data.dir);
    const second = serviceFor(store);
    expect(await second.neighbours(3, 10)).toEqual(before);
    expect(builds).toEqual([]);
    expect(statSync(file).mtimeMs).toBe(savedAt);
  });

  it('adds papers imported later, and papers whose text changed on merge, without a rebuild', async () => {
    const service = serviceFor(store);
    const index = await service.index();
    const before = index.size;
    builds = [];
    // The ADS page adds titles and authors to the listing's papers and papers of its own.
    await importSeed(SEED_FILES.adsAuthor);
    const changes = store.readDb
      .prepare('SELECT paper_id FROM paper_changes WHERE paper_id <= ? AND seq > ?')
      .pluck()
      .all(before, before) as number[];
    const vectorsBefore = new Map(changes.map((id) => [id, index.vectorOf(id)]));
    const after = await service.index();
    expect(after).toBe(index);
    expect(builds).toEqual([]);
    expect(after.size).toBe(await store.countPapers());
    expect(after.size).toBeGreaterThan(before);
    // Merged papers whose text changed got new vectors.
    expect(changes.length).toBeGreaterThan(0);
    const moved = changes.filter((id) => !equal(vectorsBefore.get(id), after.vectorOf(id)));
    expect(moved.length).toBeGreaterThan(0);
    // A new paper has neighbours, and the saved file knows how far it got.
    const newest = (await store.countPapers()) as number;
    expect(await service.neighbours(newest, 3)).toHaveLength(3);
    const latest = store.readDb.prepare('SELECT max(seq) FROM paper_changes').pluck().get() as number;
    service.close();
    expect(loadIndex(join(data.dir, 'similar', INDEX_FILE)).header.extra['changeSeq']).toBe(latest);
  });

  it('learns everything again when asked', async () => {
    const service = serviceFor(store);
    const first = await service.index();
    builds = [];
    const again = await service.rebuild();
    expect(again).not.toBe(first);
    expect(builds).toContain('learning vocabulary and basis');
    expect(again.size).toBe(first.size);
  });
});

describe('paperscope similar', () => {
  it('builds the index once, with progress, then reads it; --rebuild and --status', async () => {
    const first = await runCli(data.dir, ['similar', '1', '--k', '3']);
    expect(first.code).toBe(0);
    expect(first.err).toContain('similar: finding neighbours');
    expect(first.out.match(/ · /g)).toHaveLength(3);
    const second = await runCli(data.dir, ['similar', '1', '--k', '3', '--json']);
    expect(second.err).not.toContain('similar:');
    const parsed = JSON.parse(second.out) as { neighbours: { paperId: number; reason: string }[] };
    expect(parsed.neighbours).toHaveLength(3);
    const rebuilt = await runCli(data.dir, ['similar', '--rebuild']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.err).toMatch(/Indexed \d+ papers in/);
    const status = await runCli(data.dir, ['similar', '--status', '--json']);
    const parsed2 = JSON.parse(status.out) as { indexed: number; listsKept: number };
    expect(parsed2).toMatchObject({ encoder: 'svd', refitDue: false });
    // A corpus this small gets every list at build.
    expect(parsed2.listsKept).toBe(parsed2.indexed);
    const text = await runCli(data.dir, ['similar', '--status']);
    expect(text.out).toContain(`${parsed2.listsKept} neighbour lists kept`);
    const missing = await runCli(data.dir, ['similar']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('similar wants a paper id');
  });
});

function equal(a: Float32Array | undefined, b: Float32Array | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

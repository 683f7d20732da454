import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import type { Paper } from '../../domain/paper.ts';
import { buildTestCorpus, type TestCorpus } from '../../search/engine/test-corpus.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { loadIndex, saveIndex } from './index-file.ts';
import { NeighbourIndex, type NeighbourIndexOptions } from './neighbour-index.ts';
import { NeighbourLists } from './neighbour-lists.ts';
import { INDEX_FILE, SimilarityService } from './service.ts';

// The seeds and the OAI harvest (2,542 papers) in ~80 inverted-file groups of ~32: a probe of 8
// groups reads ~256 vectors across groups for its 200 candidates, as at scale (8 × 512 of 2.9M).
const OPTIONS: NeighbourIndexOptions = { dimensions: 32, exactBelow: 0, eagerBelow: 0, clusterSize: 32 };
let corpus: TestCorpus;
let papers: Paper[];
/** Vectors held in memory, as built. */
let held: NeighbourIndex;
let temp: { dir: string; cleanup: () => void };

const source = (list: Paper[]) => ({
  count: list.length,
  async *pages() {
    for (let i = 0; i < list.length; i += 700) yield list.slice(i, i + 700);
  },
});
const fileIn = (name: string) => join(temp.dir, `${name}-${Math.random().toString(36).slice(2)}.index`);

beforeAll(async () => {
  corpus = await buildTestCorpus();
  papers = corpus.store.listPapers({ limit: 10_000 });
  held = await NeighbourIndex.build(source(papers), OPTIONS);
  temp = tempDataDir('paperscope-vectors-on-disk-');
}, 120_000);
afterAll(() => {
  corpus?.cleanup();
  temp?.cleanup();
});

/** A fresh index loaded from `file` (vectors on disk unless asked). */
function load(file: string, options: { vectorsInMemory?: boolean; keptListBytes?: number } = {}) {
  const loaded = loadIndex(file, { vectorsInMemory: options.vectorsInMemory });
  return {
    version: loaded.version,
    index: NeighbourIndex.fromParts(loaded.parts, undefined, { keptListBytes: options.keptListBytes }),
  };
}

describe('int8 vectors read from the index file, not held', () => {
  it('hold 4 bytes a paper instead of 32, and give every list, reason and vector the held ones gave', () => {
    const file = fileIn('grouped');
    saveIndex(file, held);
    const { version, index } = load(file);
    expect(version).toBe(3);
    expect(held.invertedFile()!.clusters).toBeGreaterThan(40);
    expect(index.vectorsInMemory).toBe(false);
    expect(held.vectorsInMemory).toBe(true);
    expect(index.vectorBytesHeld).toBe(4 * papers.length);
    expect(held.vectorBytesHeld).toBeGreaterThanOrEqual(32 * papers.length);
    for (const p of papers) {
      expect(index.neighbours(p.id, 10)).toEqual(held.neighbours(p.id, 10));
      expect(index.vectorOf(p.id)).toEqual(held.vectorOf(p.id));
    }
    for (const p of papers.slice(0, 40)) {
      expect(index.neighbours(p.id, 30)).toEqual(held.neighbours(p.id, 30));
      expect(index.exactList(p.id, 10)).toEqual(held.exactList(p.id, 10));
      const v = held.vectorOf(p.id)!;
      expect(index.nearestToVector(v, 20, new Set([p.id]))).toEqual(
        held.nearestToVector(v, 20, new Set([p.id])),
      );
    }
    index.close();
  });

  it('arrivals and changed papers held until saved; saved and loaded again, read from the file, the same', async () => {
    const fromFile = load(await copyOf(held)).index;
    const inMemory = load(await copyOf(held), { vectorsInMemory: true }).index;
    expect(inMemory.vectorsInMemory).toBe(true);
    const base = papers.find((p) => (p.abstractText ?? '').length > 400)!;
    const arrivals = [
      { ...base, id: 900_001 },
      { ...papers[7]!, id: 900_002, title: `${papers[7]!.title} revisited` },
    ];
    const changed = [
      { ...papers[3]!, abstractText: `${papers[3]!.abstractText ?? ''} ${base.abstractText}` },
    ];
    for (const index of [fromFile, inMemory]) {
      await index.update(arrivals);
      await index.update(changed);
    }
    const asked = [...papers.slice(0, 300), ...arrivals, ...changed];
    for (const p of asked) expect(fromFile.neighbours(p.id, 10)).toEqual(inMemory.neighbours(p.id, 10));
    const heldBefore = fromFile.vectorBytesHeld;
    const again = fileIn('again');
    saveIndex(again, fromFile);
    fromFile.reload(loadIndex(again).parts);
    expect(fromFile.vectorBytesHeld).toBe(4 * fromFile.size);
    expect(heldBefore).toBeGreaterThanOrEqual(4 * fromFile.size + 32 * 3);
    for (const p of asked) {
      expect(fromFile.neighbours(p.id, 10)).toEqual(inMemory.neighbours(p.id, 10));
      expect(fromFile.vectorOf(p.id)).toEqual(inMemory.vectorOf(p.id));
    }
    fromFile.close();
    inMemory.close();
  });

  it('reads a file of the earlier format (vectors in paper order) without holding them, and answers the same', () => {
    const old = fileIn('v2');
    saveIndex(old, held, {}, { format: 2 });
    const { version, index } = load(old);
    expect(version).toBe(2);
    // Left in the file too, in paper order (read one at a time until saved again).
    expect(index.vectorsInMemory).toBe(false);
    expect(index.vectorBytesHeld).toBe(4 * papers.length);
    for (const p of papers.slice(0, 400))
      expect(index.neighbours(p.id, 10)).toEqual(held.neighbours(p.id, 10));
    // Saved again, it is of the current format and reads its vectors from the file.
    const upgraded = fileIn('v3');
    saveIndex(upgraded, index);
    const next = load(upgraded);
    expect(next.version).toBe(3);
    expect(next.index.vectorsInMemory).toBe(false);
    for (const p of papers.slice(0, 400))
      expect(next.index.neighbours(p.id, 10)).toEqual(held.neighbours(p.id, 10));
    index.close();
    next.index.close();
  });
});

describe('kept neighbour lists, capped', () => {
  it('let the least recently asked-for list go past the cap; asked again, it comes back equal', async () => {
    // Room for 5 lists of 20 (172 bytes each).
    const { index } = load(await copyOf(held), { keptListBytes: 5 * 172 });
    const asked = papers.slice(0, 8);
    const first = asked.map((p) => index.neighbours(p.id, 10));
    expect(index.listsKept).toBe(5);
    expect(asked.map((p) => index.hasList(p.id))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    // Asking for a kept list makes it the most recent: the next new list pushes out the one after it.
    index.neighbours(asked[3]!.id, 10);
    index.neighbours(papers[20]!.id, 10);
    expect(index.hasList(asked[3]!.id)).toBe(true);
    expect(index.hasList(asked[4]!.id)).toBe(false);
    expect(index.neighbours(asked[0]!.id, 10)).toEqual(first[0]);
    expect(index.hasList(asked[0]!.id)).toBe(true);
    asked.forEach((p, i) => {
      expect(index.neighbours(p.id, 10)).toEqual(first[i]);
    });
    expect(index.listsKept).toBe(5);
    index.close();
  });

  it('saves what is kept; loaded under a smaller cap, keeps the most recently used', async () => {
    const { index } = load(await copyOf(held), { keptListBytes: 6 * 172 });
    const asked = papers.slice(100, 106);
    for (const p of asked) index.neighbours(p.id, 10);
    index.neighbours(asked[0]!.id, 10);
    const file = fileIn('kept');
    saveIndex(file, index);
    expect(loadIndex(file).header.listsKept).toBe(6);
    const small = load(file, { keptListBytes: 2 * 172 }).index;
    expect(small.listsKept).toBe(2);
    expect(asked.filter((p) => small.hasList(p.id)).map((p) => p.id)).toEqual([asked[0]!.id, asked[5]!.id]);
    expect(small.storedList(asked[0]!.id)).toEqual(index.storedList(asked[0]!.id));
    const roomy = load(file).index;
    expect(asked.every((p) => roomy.hasList(p.id))).toBe(true);
    for (const i of [index, small, roomy]) i.close();
  });

  it('keeps a pool of places in order of use through drops, reuse and a limit lowered', () => {
    const lists = new NeighbourLists(2, 4);
    lists.limit(3);
    const list = (s: number) => [{ slot: s + 100, score: 0.5 }];
    for (const s of [0, 1, 2]) lists.set(s, list(s));
    lists.use(0);
    lists.set(3, list(3));
    expect([0, 1, 2, 3].map((s) => lists.cached(s) !== undefined)).toEqual([true, false, true, true]);
    lists.drop(2);
    lists.set(4, list(4));
    lists.set(5, list(5));
    expect([0, 3, 4, 5].map((s) => lists.cached(s) !== undefined)).toEqual([false, true, true, true]);
    const saved = lists.parts(6);
    expect([...saved.slots.filter((_, i) => i % 2 === 0)]).toEqual([103, 104, 105]);
    const restored = NeighbourLists.fromPool(2, saved.entryOf, saved.slots, saved.scores);
    restored.limit(1);
    expect(restored.count).toBe(1);
    expect(restored.cached(5)).toEqual(list(5));
  });
});

describe('the service', () => {
  it('loads a file of the earlier format, answers the same, and saves it again as the current one', async () => {
    const data = tempDataDir('paperscope-similar-upgrade-');
    const store = SqliteStore.inDataDir(data.dir);
    try {
      await new ImportService(store, defaultRegistry).importFile(seedPath(SEED_FILES.arxivListing));
      const options = {
        dir: join(data.dir, 'similar'),
        index: { dimensions: 16, exactBelow: 0, clusterSize: 16 },
      };
      const first = new SimilarityService(store, options);
      const before = await first.neighbours(3, 10);
      expect((await first.index()).vectorsInMemory).toBe(false);
      first.close();
      const file = join(data.dir, 'similar', INDEX_FILE);
      const built = loadIndex(file, { vectorsInMemory: true, rowsInMemory: true });
      saveIndex(file, NeighbourIndex.fromParts(built.parts), built.header.extra, { format: 2 });
      expect(loadIndex(file).version).toBe(2);
      const second = new SimilarityService(store, options);
      expect(await second.neighbours(3, 10)).toEqual(before);
      expect((await second.index()).vectorsInMemory).toBe(false);
      expect(loadIndex(file).version).toBe(3);
      second.close();
    } finally {
      store.close();
      data.cleanup();
    }
  });
});

/** An independent copy, through an index file (vectors as built). */
async function copyOf(source: NeighbourIndex): Promise<string> {
  const file = fileIn('copy');
  saveIndex(file, source);
  return file;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import type { Paper } from '../../domain/paper.ts';
import { buildTestCorpus, type TestCorpus } from '../../search/engine/test-corpus.ts';
import { documentTerms } from './document.ts';
import { loadIndex, saveIndex } from './index-file.ts';
import { NeighbourIndex, type NeighbourIndexOptions } from './neighbour-index.ts';
import { SimilarityIndex } from './similarity-index.ts';

// The four seed pages and the 2,265 OAI records, with a small basis to keep the test quick.
const OPTIONS: NeighbourIndexOptions = { dimensions: 32 };
let corpus: TestCorpus;
let papers: Paper[];
/** Built once; tests that change an index work on copies of it. */
let built: NeighbourIndex;
let index: NeighbourIndex;
let temp: { dir: string; cleanup: () => void };

const source = (list: Paper[]) => ({
  count: list.length,
  async *pages() {
    for (let i = 0; i < list.length; i += 700) yield list.slice(i, i + 700);
  },
});

beforeAll(async () => {
  corpus = await buildTestCorpus();
  papers = corpus.store.listPapers({ limit: 10_000 });
  built = await NeighbourIndex.build(source(papers), OPTIONS);
  index = built;
  temp = tempDataDir('paperscope-similar-');
}, 120_000);
afterAll(() => {
  corpus?.cleanup();
  temp?.cleanup();
});

const ids = (list: { paperId: number }[]) => list.map((n) => n.paperId);

describe('precomputed neighbour lists on the real seeds and OAI harvest', () => {
  it('holds every paper, each with a full list of other papers, best first', () => {
    expect(index.size).toBe(2542);
    for (const p of papers) {
      const list = index.storedList(p.id);
      expect(list).toHaveLength(20);
      expect(ids(list)).not.toContain(p.id);
      expect(list.every((n, i) => i === 0 || list[i - 1]!.score >= n.score)).toBe(true);
    }
  });

  it('are the lists a search over every paper gives', () => {
    for (const p of papers.filter((_, i) => i % 3 === 0)) {
      expectSameList(index.storedList(p.id).slice(0, 10), index.exactList(p.id, 10));
    }
  });

  it('through an inverted file that probes every group, still the exhaustive lists', async () => {
    const ivf = await NeighbourIndex.build(source(papers), { ...OPTIONS, exactBelow: 0, clusterSize: 400 });
    for (const p of papers.filter((_, i) => i % 3 === 0)) {
      expectSameList(ivf.storedList(p.id).slice(0, 10), ivf.exactList(p.id, 10));
    }
  });

  it('through an inverted file that probes a third of the groups, most of them', async () => {
    const ivf = await NeighbourIndex.build(source(papers), {
      ...OPTIONS,
      exactBelow: 0,
      clusterSize: 100,
      probes: 8,
    });
    let kept = 0;
    for (const p of papers) {
      const stored = new Set(ids(ivf.storedList(p.id).slice(0, 10)));
      kept += ivf.exactList(p.id, 10).filter((n) => stored.has(n.paperId)).length;
    }
    expect(kept / (papers.length * 10)).toBeGreaterThan(0.85);
  });

  it('agree with the brute-force SimilarityIndex (every paper sharing a term scored) on most neighbours', () => {
    const reference = SimilarityIndex.build(papers, OPTIONS);
    let same = 0;
    for (const p of papers) {
      const mine = new Set(ids(index.neighbours(p.id, 10)));
      same += reference.neighbours(p.id, 10).filter((n) => mine.has(n.paperId)).length;
    }
    expect(same / (papers.length * 10)).toBeGreaterThan(0.9);
  });

  it('answers with reasons, and beyond the stored width by computing the list', () => {
    const first = index.neighbours(papers[0]!.id, 10);
    expect(first.some((n) => n.reason.startsWith('shares: '))).toBe(true);
    const long = index.neighbours(papers[0]!.id, 50);
    expect(long).toHaveLength(50);
    expect(ids(long.slice(0, 20))).toEqual(ids(index.storedList(papers[0]!.id)));
  });
});

describe('lists computed when first asked for (a large corpus)', () => {
  it('a build computes none; a request computes the list it asks for, keeps it, and it is the eager one', async () => {
    const phases: string[] = [];
    const lazy = await NeighbourIndex.build(
      source(papers),
      { ...OPTIONS, eagerBelow: 0 },
      undefined,
      (phase) => phases.push(phase),
    );
    expect(phases).not.toContain('finding neighbours');
    expect(lazy.listsKept).toBe(0);
    const asked = papers.filter((_, i) => i % 50 === 0);
    for (const p of asked) {
      expect(lazy.hasList(p.id)).toBe(false);
      expect(lazy.neighbours(p.id, 10)).toEqual(index.neighbours(p.id, 10));
      expect(lazy.hasList(p.id)).toBe(true);
      expect(lazy.storedList(p.id)).toEqual(index.storedList(p.id));
    }
    expect(lazy.listsKept).toBe(asked.length);
    expect(lazy.hasList(papers[1]!.id)).toBe(false);
  });

  it('saves the lists it kept, and only those, with the index', async () => {
    const lazy = await NeighbourIndex.build(source(papers), { ...OPTIONS, eagerBelow: 0 });
    const asked = papers.slice(100, 130);
    for (const p of asked) lazy.neighbours(p.id, 5);
    const file = join(temp.dir, 'lazy.index');
    saveIndex(file, lazy);
    const loaded = loadIndex(file);
    expect(loaded.header.listsKept).toBe(asked.length);
    const restored = NeighbourIndex.fromParts(loaded.parts);
    expect(restored.listsKept).toBe(asked.length);
    for (const p of asked) {
      expect(restored.hasList(p.id)).toBe(true);
      expect(restored.storedList(p.id)).toEqual(lazy.storedList(p.id));
    }
    expect(restored.hasList(papers[0]!.id)).toBe(false);
    expect(restored.neighbours(papers[0]!.id, 10)).toEqual(index.neighbours(papers[0]!.id, 10));
    restored.close();
  });

  it('an arrival drops the kept lists it would enter; computed again, they hold it', async () => {
    const lazy = await NeighbourIndex.build(source(papers), { ...OPTIONS, eagerBelow: 0 });
    const original = papers.find((p) => (p.abstractText ?? '').length > 400)!;
    const unrelated = papers.find(
      (p) => p.abstractText && !ids(lazy.storedList(original.id)).includes(p.id) && p.id !== original.id,
    )!;
    lazy.storedList(unrelated.id);
    const keptBefore = lazy.listsKept;
    const twin = twinOf(original, 900_003);
    await lazy.update([twin]);
    expect(lazy.hasList(original.id)).toBe(false);
    expect(lazy.storedList(original.id)[0]!.paperId).toBe(twin.id);
    expect(lazy.hasList(twin.id)).toBe(true);
    expect(lazy.listsKept).toBeLessThanOrEqual(keptBefore + 2);
  });
});

describe('an inverted file of more than 256 groups (learned in two levels)', () => {
  it('has about the groups asked for, every paper in one, and finds most exhaustive neighbours', async () => {
    const ivf = await NeighbourIndex.build(source(papers), {
      ...OPTIONS,
      exactBelow: 0,
      eagerBelow: 0,
      clusterSize: 8,
      probes: 48,
    });
    const groups = ivf.invertedFile()!;
    // 2,542 papers / 8 = 318 asked; a group of the first level with fewer points than its share gives fewer.
    expect(groups.clusters).toBeGreaterThan(256);
    expect(groups.clusters).toBeLessThanOrEqual(318);
    let kept = 0;
    const probe = papers.filter((_, i) => i % 5 === 0);
    for (const p of probe) {
      const stored = new Set(ids(ivf.storedList(p.id).slice(0, 10)));
      kept += ivf.exactList(p.id, 10).filter((n) => stored.has(n.paperId)).length;
    }
    expect(kept / (probe.length * 10)).toBeGreaterThan(0.6);
  });
});

describe('saved and loaded', () => {
  it('reads an index file of the first version (every list, in paper order)', () => {
    const file = join(temp.dir, 'v2.index');
    saveIndex(file, index, {}, { format: 2 });
    const bytes = readFileSync(file);
    const v1 = toFirstVersion(bytes, index.size, index.width);
    const old = join(temp.dir, 'v1.index');
    writeFileSync(old, v1);
    const restored = NeighbourIndex.fromParts(loadIndex(old).parts);
    expect(restored.listsKept).toBe(index.size);
    for (const p of papers.slice(0, 300))
      expect(restored.neighbours(p.id, 10)).toEqual(index.neighbours(p.id, 10));
    restored.close();
  });

  it('gives the same neighbours, vectors and later updates after a restart', async () => {
    const file = join(temp.dir, 'similar.index');
    saveIndex(file, index, { changeSeq: 42 });
    const loaded = loadIndex(file);
    expect(loaded.header.extra).toEqual({ changeSeq: 42 });
    const restored = NeighbourIndex.fromParts(loaded.parts);
    for (const p of papers) {
      expect(restored.neighbours(p.id, 10)).toEqual(index.neighbours(p.id, 10));
      expect(restored.vectorOf(p.id)).toEqual(index.vectorOf(p.id));
    }
    const copy = twinOf(papers[5]!, 900_001);
    const other = copyOf(built);
    await other.update([copy]);
    await restored.update([copy]);
    expect(restored.neighbours(copy.id, 10)).toEqual(other.neighbours(copy.id, 10));
    expect(restored.storedList(papers[5]!.id)).toEqual(other.storedList(papers[5]!.id));
    expect(built.has(copy.id)).toBe(false);
    // Saved again with rows partly on disk (the loaded ones) and partly in memory (the arrival's).
    const again = join(temp.dir, 'again.index');
    saveIndex(again, restored);
    const reloaded = NeighbourIndex.fromParts(loadIndex(again, { rowsInMemory: true }).parts);
    for (const p of [...papers.slice(0, 200), copy]) {
      expect(reloaded.neighbours(p.id, 10)).toEqual(restored.neighbours(p.id, 10));
    }
  });

  it('refuses a file cut short or not an index, naming it', () => {
    const file = join(temp.dir, 'cut.index');
    saveIndex(file, index);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    expect(() => loadIndex(file)).toThrow(`${file}: cut short`);
    writeFileSync(file, 'GIF89a and more');
    expect(() => loadIndex(file)).toThrow(`${file}: not a Paperscope similar-papers index`);
    expect(() => loadIndex(join(temp.dir, 'none.index'))).toThrow(
      'none.index: no similar-papers index there',
    );
  });
});

describe('papers that arrive or change, without a rebuild', () => {
  it('gives an arrival its list and puts it on the lists of the papers it is near', async () => {
    const live = copyOf(built);
    const original = papers.find((p) => (p.abstractText ?? '').length > 400)!;
    const twin = twinOf(original, 900_002);
    await live.update([twin]);
    expect(live.size).toBe(papers.length + 1);
    const found = live.neighbours(twin.id, 10);
    expect(found[0]!.paperId).toBe(original.id);
    expect(found[0]!.score).toBeGreaterThan(0.95);
    expect(ids(live.storedList(twin.id))).toEqual(ids(live.exactList(twin.id)));
    expect(live.storedList(original.id)[0]!.paperId).toBe(twin.id);
  });

  it('re-indexes a changed paper and the lists that held it', async () => {
    const live = copyOf(built);
    const changed = papers.find(
      (p) => p.categories[0]?.startsWith('math') && holders(live, p.id).length > 0,
    )!;
    const before = holders(live, changed.id);
    const other = papers.find((p) => p.categories[0]?.startsWith('astro-ph') && p.abstractText)!;
    await live.update([{ ...changed, title: other.title, abstractText: other.abstractText, authors: [] }]);
    expect(live.size).toBe(papers.length);
    expect(live.neighbours(changed.id, 1)[0]!.paperId).toBe(other.id);
    // The papers that listed it for its old text (mathematics) list it no longer (it is astronomy now).
    const still = holders(live, changed.id).filter((id) => before.includes(id));
    expect(still.length).toBeLessThan(before.length / 4);
  });

  it('offers recommenders neighbours without reasons and the tf-idf rows as indexed', () => {
    const p = papers[20]!;
    expect(index.nearestPapers(p.id, 10)).toEqual(
      index.neighbours(p.id, 10).map((n) => ({ paperId: n.paperId, score: n.score })),
    );
    expect(ids(index.nearestPapers(p.id, 60))).toEqual(ids(index.neighbours(p.id, 60)));
    expect(index.nearestPapers(123_456_789, 5)).toEqual([]);
    const row = index.lexicalOf(p.id)!;
    const d = documentTerms(p, index.options);
    const weighed = index.model.vectorize(d.terms, d.weights);
    expect(row.indices.length).toBeGreaterThan(5);
    expect([...row.indices]).toEqual([...weighed.indices]);
    // Weights kept to 1/65,535 of an L2-normalised row.
    row.values.forEach((v, i) => {
      expect(Math.abs(v - weighed.values[i]!)).toBeLessThan(1e-4);
    });
    expect(index.lexicalOf(123_456_789)).toBeUndefined();
  });

  it('offers its dense vectors to recommenders', () => {
    const p = papers[10]!;
    const v = index.vectorOf(p.id)!;
    expect(v).toHaveLength(index.dimensions);
    const near = index.nearestToVector(v, 5);
    expect(near[0]!.paperId).toBe(p.id);
    expect(near[0]!.score).toBeCloseTo(1, 2);
    expect(ids(index.nearestToVector(v, 5, new Set([p.id])))).not.toContain(p.id);
    expect(index.vectorOf(123_456_789)).toBeUndefined();
    expect(() => index.nearestToVector(new Float32Array(3))).toThrow('3 dimensions');
  });
});

function holders(index: NeighbourIndex, paperId: number): number[] {
  return papers.filter((p) => ids(index.storedList(p.id)).includes(paperId)).map((p) => p.id);
}

function expectSameList(
  a: { paperId: number; score: number }[],
  b: { paperId: number; score: number }[],
): void {
  expect(ids(a)).toEqual(ids(b));
  a.forEach((n, i) => {
    expect(n.score).toBeCloseTo(b[i]!.score, 5);
  });
}

/** An independent copy, through the index file. */
function copyOf(source: NeighbourIndex): NeighbourIndex {
  const file = join(temp.dir, `copy-${Math.random().toString(36).slice(2)}.index`);
  saveIndex(file, source);
  return NeighbourIndex.fromParts(loadIndex(file).parts);
}

/**
 * The same index in the first file format: magic "1"; the tf-idf rows as all columns then all
 * weights (version 2 keeps each row's columns and weights together); every paper's list in paper
 * order where version 2 has the place of each list and the pool (the same thing when every list
 * is kept).
 */
function toFirstVersion(bytes: Buffer, count: number, width: number): Buffer {
  const magic = 'PAPERSCOPE-SIMILAR 2\n';
  expect(bytes.subarray(0, magic.length).toString('latin1')).toBe(magic);
  const jsonLength = bytes.readUInt32LE(magic.length);
  const headerEnd = magic.length + 4 + jsonLength;
  const header = JSON.parse(bytes.subarray(magic.length + 4, headerEnd).toString('utf8')) as {
    terms: string[];
    dimensions: number;
    clusters: number;
    termsStored: number;
  };
  const v = header.terms.length;
  const d = header.dimensions;
  const lengthsAt =
    headerEnd +
    v * 4 +
    v * d * 4 +
    count * 4 +
    count * d +
    header.clusters * d * 4 +
    (header.clusters > 0 ? count * 4 : 0);
  const rowsAt = lengthsAt + count * 2;
  const lengths = new Uint16Array(
    bytes.buffer.slice(bytes.byteOffset + lengthsAt, bytes.byteOffset + rowsAt),
  );
  const rows = new Uint16Array(
    bytes.buffer.slice(bytes.byteOffset + rowsAt, bytes.byteOffset + rowsAt + header.termsStored * 4),
  );
  const cols = new Uint16Array(header.termsStored);
  const weights = new Uint16Array(header.termsStored);
  for (let r = 0, from = 0; r < count; r++) {
    const l = lengths[r]!;
    cols.set(rows.subarray(2 * from, 2 * from + l), from);
    weights.set(rows.subarray(2 * from + l, 2 * from + 2 * l), from);
    from += l;
  }
  const entryAt = rowsAt + header.termsStored * 4;
  expect(bytes.length).toBe(entryAt + count * 4 + count * width * 8);
  const entryOf = new Int32Array(
    bytes.buffer.slice(bytes.byteOffset + entryAt, bytes.byteOffset + entryAt + count * 4),
  );
  expect([...entryOf]).toEqual([...Array(count).keys()]);
  return Buffer.concat([
    Buffer.from('PAPERSCOPE-SIMILAR 1\n', 'latin1'),
    bytes.subarray(magic.length, rowsAt),
    Buffer.from(cols.buffer),
    Buffer.from(weights.buffer),
    bytes.subarray(entryAt + count * 4),
  ]);
}

function twinOf(p: Paper, id: number): Paper {
  return { ...p, id };
}

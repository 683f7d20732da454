import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bitsFor } from './bitset.ts';
import { HOT, isKept, keptBytes } from './evaluate.ts';
import { IndexedSearch } from './indexed-search.ts';
import { type IndexedPaper, SearchIndex } from './search-index.ts';
import { warmUp } from './warm-up.ts';

/**
 * The warm-up decodes the commonest words ahead of the first search: what it keeps must be
 * what a search would have computed (same results, scores and facets as an index never
 * warmed), the commonest first, within its budget, a step at a time, and it stops when told.
 * 9,000 papers over a Zipf-like vocabulary: the common words have thousands of postings (skip
 * tables), the kept-leaf threshold is lowered so that dozens of words count as common.
 */

const VOCAB = Array.from(
  { length: 60 },
  (_, i) => `w${String.fromCharCode(97 + (i % 26))}${'x'.repeat(Math.floor(i / 26))}ord`,
);

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Word i with probability about 1 / (i + 1): a few very common words, many rarer ones. */
function text(next: () => number, words: number): string {
  const out: string[] = [];
  for (let k = 0; k < words; k++)
    out.push(
      VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.exp(next() * Math.log(VOCAB.length + 1)) - 1))]!,
    );
  return out.join(' ');
}

function papers(): IndexedPaper[] {
  const next = random(11);
  return Array.from({ length: 9000 }, (_, i) => ({
    id: i + 1,
    year: 2000 + (i % 25),
    published: null,
    flags: i % 3 === 0 ? 1 : 0,
    sources: 1,
    categories: [`cat.${i % 7}`],
    authorIds: [i % 500, (i * 7) % 500],
    title: text(next, 4 + Math.floor(next() * 5)),
    abstract: text(next, 10 + Math.floor(next() * 30)),
    authors: 'Ann Lee, Bo Chen',
  }));
}

const directory = { authorIds: () => [], papersOfAuthors: () => [], papersWithKey: () => [] };
const source = {
  hit: () => {
    throw new Error('ranked only');
  },
  authorNames: (ids: number[]) => new Map(ids.map((id) => [id, `Person ${id}`])),
};

function searchOver(all: IndexedPaper[]): IndexedSearch {
  const index = new SearchIndex();
  for (const p of all) index.put(p);
  return new IndexedSearch(index, directory, source);
}

/** The words by postings, most first. */
function commonest(search: IndexedSearch): string[] {
  const { terms, postings } = search.index.text.state;
  return terms
    .map((t, i) => [t, postings[i]!] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([t]) => t);
}

const noPause = () => Promise.resolve();

describe('warming the index up', () => {
  const all = papers();
  let before: number;
  beforeEach(() => {
    before = HOT.matches;
    HOT.matches = 300;
  });
  afterEach(() => {
    HOT.matches = before;
  });

  it('leaves every search answering as an index never warmed', async () => {
    const cold = searchOver(all);
    const warm = searchOver(all);
    const report = await warmUp(warm, { pause: noPause, bytes: 1 << 20, leafBytes: 1 << 18 });
    const words = commonest(warm);
    expect(warm.index.text.postingsOf(words[0]!)).toBeGreaterThan(4096);
    expect(report.leaves.length).toBeGreaterThan(2);
    expect(report.sets).toBeGreaterThan(0);
    expect(report.skipTables).toBeGreaterThan(0);
    const [a, b, c] = words;
    const rare = words[words.length - 1]!;
    const queries = [
      a!,
      b!,
      `${a} ${b}`,
      `"${a} ${b}"`,
      `"${c} ${a} ${b}"`,
      `"${rare} ${a}"`,
      `title:"${b} ${a}"`,
      `abs:${c}`,
      `${a} -${b}`,
      `${c} year:2005-2010`,
      `${words[10]} OR ${words[20]}`,
      `"${words[12]} ${words[15]}"`,
    ];
    for (const query of queries) {
      for (const req of [
        { query, limit: 20 },
        { query, limit: 7, offset: 5 },
        { query, limit: 10, sort: 'date' as const },
      ]) {
        const want = cold.rank(req);
        const got = warm.rank(req);
        expect(got.total, query).toBe(want.total);
        expect(got.ids, query).toEqual(want.ids);
        expect(got.scores, query).toEqual(want.scores);
        expect(got.facets, query).toEqual(want.facets);
      }
    }
  });

  it('keeps the commonest words first, within its budget', async () => {
    const search = searchOver(all);
    const words = commonest(search);
    const setBytes = bitsFor(search.index.docs.size).byteLength;
    const leafBytes = (w: string) => setBytes + 8 * search.index.text.postingsOf(w);
    // Room for exactly the two commonest words decoded whole.
    const room = leafBytes(words[0]!) + leafBytes(words[1]!);
    const report = await warmUp(search, { pause: noPause, bytes: room + 200_000, leafBytes: room });
    expect(report.leaves).toEqual(words.slice(0, 2));
    expect(isKept(search.index.docs, words[0]!)).toBe(true);
    expect(isKept(search.index.docs, words[1]!)).toBe(true);
    expect(isKept(search.index.docs, words[2]!)).toBe(false);
    expect(report.bytes).toBeLessThanOrEqual(room + 200_000);
    expect(keptBytes(search.index.docs)).toBeLessThanOrEqual(report.bytes);
    expect(keptBytes(search.index.docs)).toBeGreaterThanOrEqual(room);
  });

  it('answers a search for a word past the leaf budget from its kept answer, without decoding it', async () => {
    const cold = searchOver(all);
    const warm = searchOver(all);
    const words = commonest(warm);
    const report = await warmUp(warm, { pause: noPause, bytes: 1 << 20, leafBytes: 0 });
    expect(report.leaves).toEqual([]);
    expect(report.answers).toBeGreaterThan(8);
    for (const w of words.slice(0, 8)) {
      for (const req of [
        { query: w, limit: 20 },
        { query: w, limit: 7, offset: 5 },
        { query: `title:${w}`, limit: 20 },
      ]) {
        const want = cold.rank(req);
        const got = warm.rank(req);
        expect([got.total, got.ids, got.scores, got.facets], req.query).toEqual([
          want.total,
          want.ids,
          want.scores,
          want.facets,
        ]);
      }
      // Its postings were not decoded for the plain word: they would be kept now (it is common).
      expect(isKept(warm.index.docs, w)).toBe(false);
      expect(isKept(cold.index.docs, w)).toBe(true);
    }
    // Papers arriving change the index: the kept answer no longer serves.
    warm.index.put({ ...all[0]!, id: 9001, title: `${words[0]} ${words[0]}` });
    cold.index.put({ ...all[0]!, id: 9001, title: `${words[0]} ${words[0]}` });
    const after = warm.rank({ query: words[0]!, limit: 20 });
    expect(after.total).toBe(cold.rank({ query: words[0]!, limit: 20 }).total);
    expect(after.ids).toEqual(cold.rank({ query: words[0]!, limit: 20 }).ids);
  });

  it('gives way between steps, and stops when told', async () => {
    const search = searchOver(all);
    let pauses = 0;
    const report = await warmUp(search, {
      bytes: 1 << 20,
      pause: async () => {
        pauses++;
      },
      stopped: () => pauses >= 8,
    });
    expect(report.stoppedEarly).toBe(true);
    expect(pauses).toBe(8);
    // Six searches to compile the code, then two words.
    expect(report.leaves.length + report.sets).toBe(2);

    const whole = await warmUp(searchOver(all), { bytes: 1 << 20, pause: noPause });
    expect(whole.stoppedEarly).toBe(false);
    expect(whole.leaves.length + whole.sets).toBeGreaterThan(2);
  });

  it('keeps a word by its indexed form: another spelling of it finds it kept', () => {
    const search = searchOver([
      ...all.slice(0, 400).map((p) => ({ ...p, title: `${p.title} models` })),
      ...all.slice(400, 800).map((p) => ({ ...p, title: `${p.title} modeling` })),
    ]);
    expect(isKept(search.index.docs, 'model')).toBe(false);
    const models = search.rank({ query: 'models', limit: 5 });
    expect(models.total).toBe(800);
    expect(isKept(search.index.docs, 'model')).toBe(true);
    const modeling = search.rank({ query: 'modeling', limit: 5 });
    expect([modeling.total, modeling.ids, modeling.scores, modeling.facets]).toEqual([
      models.total,
      models.ids,
      models.scores,
      models.facets,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { BruteForceVectorSearch, TopK } from './vector-search.ts';

describe('TopK', () => {
  it('keeps the best k, best first, equal scores by slot', () => {
    const top = new TopK(3);
    [0.1, 0.9, 0.5, 0.9, -1, 0.7].forEach((score, slot) => {
      top.push(slot, score);
    });
    expect(top.sorted()).toEqual([
      { slot: 1, score: 0.9 },
      { slot: 3, score: 0.9 },
      { slot: 5, score: 0.7 },
    ]);
    expect(new TopK(0).sorted()).toEqual([]);
  });
});

describe('BruteForceVectorSearch', () => {
  it('finds the largest inner products, leaving out the excluded slot, and grows as vectors arrive', () => {
    const search = new BruteForceVectorSearch(2, 1);
    search.set(0, Float32Array.of(1, 0));
    search.set(1, Float32Array.of(0, 1));
    search.set(2, Float32Array.of(Math.SQRT1_2, Math.SQRT1_2));
    const hits = search.search(Float32Array.of(1, 0), 2, 0);
    expect(hits.map((h) => h.slot)).toEqual([2, 1]);
    expect(hits[0]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect([...search.vector(1)!]).toEqual([0, 1]);
    expect(search.vector(3)).toBeUndefined();
  });
});

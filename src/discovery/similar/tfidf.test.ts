import { describe, expect, it } from 'vitest';
import { csrFromDense, csrFromRows, sparseDot } from './sparse.ts';
import { TfidfModel } from './tfidf.ts';

const docs = [
  ['a', 'b'],
  ['a', 'c'],
  ['a', 'b', 'b'],
];

describe('TfidfModel', () => {
  it('computes smoothed idf and sublinear, L2-normalised weights', () => {
    const model = TfidfModel.fit(docs, { minDf: 1 });
    expect(model.terms).toEqual(['a', 'b', 'c']);
    // idf = ln((1 + n) / (1 + df)) + 1 with n = 3.
    expect([...model.idf].map((x) => Number(x.toFixed(6)))).toEqual([1, 1.287682, 1.693147]);
    const v = model.vectorize(['a', 'b', 'b']);
    expect([...v.indices]).toEqual([0, 1]);
    // tf(b) = 2 → 1 + ln 2.
    expect(v.values[0]).toBeCloseTo(0.416905, 5);
    expect(v.values[1]).toBeCloseTo(0.90895, 5);
    const w = model.vectorize(['c', 'a']);
    expect([...w.indices]).toEqual([0, 2]);
    expect(w.values[1]).toBeCloseTo(0.861037, 5);
    expect(sparseDot(v, w)).toBeCloseTo(0.416905 * 0.508542, 5);
  });

  it('caps the vocabulary by document frequency', () => {
    expect(TfidfModel.fit(docs, { minDf: 1, maxFeatures: 2 }).terms).toEqual(['a', 'b']);
    expect(TfidfModel.fit(docs, { minDf: 2 }).terms).toEqual(['a', 'b']);
    expect(TfidfModel.fit(docs, { minDf: 1, maxDfRatio: 0.9 }).terms).toEqual(['b', 'c']);
  });

  it('weighs repeated terms by the given weights and leaves unknown terms out', () => {
    const model = TfidfModel.fit(docs, { minDf: 1, sublinearTf: false });
    const v = model.vectorize(['a', 'zzz'], [3, 5]);
    expect([...v.indices]).toEqual([0]);
    expect(v.values[0]).toBeCloseTo(1, 6);
    expect(model.vectorize(['zzz']).indices).toHaveLength(0);
  });
});

describe('sparse rows', () => {
  it('builds CSR from dense rows and from sparse rows alike', () => {
    const a = csrFromDense([
      [0, 2, 0],
      [1, 0, 3],
    ]);
    expect([...a.indptr]).toEqual([0, 1, 3]);
    expect([...a.indices]).toEqual([1, 0, 2]);
    expect([...a.values]).toEqual([2, 1, 3]);
    const b = csrFromRows(
      [
        { indices: Uint32Array.of(1), values: Float32Array.of(2) },
        { indices: Uint32Array.of(0, 2), values: Float32Array.of(1, 3) },
      ],
      3,
    );
    expect(b).toEqual(a);
  });
});

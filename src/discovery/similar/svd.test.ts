import { describe, expect, it } from 'vitest';
import { csrFromDense } from './sparse.ts';
import { symmetricEigen, truncatedSvd } from './svd.ts';

// numpy.linalg.svd of this matrix: σ = [4.68072287, 3.05149026, 1.94402691],
// V^T rows (up to sign) [0.27795762, 0.48259185, 0.83056888], [0.38500011, 0.73618898, -0.55659744],
// [0.88006504, -0.47447961, -0.01883142].
const A = [
  [2, 0, 1],
  [1, 3, 0],
  [0, 1, 4],
  [1, 1, 1],
];
const SIGMA = [4.68072287, 3.05149026, 1.94402691];
const VT = [
  [0.27795762, 0.48259185, 0.83056888],
  [0.38500011, 0.73618898, -0.55659744],
  [0.88006504, -0.47447961, -0.01883142],
];

function column(basis: Float64Array, rows: number, c: number): number[] {
  return [...basis.subarray(c * rows, (c + 1) * rows)];
}

describe('truncatedSvd', () => {
  it('reproduces the singular values and vectors of a small matrix', () => {
    const svd = truncatedSvd(csrFromDense(A), 3);
    expect(svd.rank).toBe(3);
    [...svd.singularValues].forEach((s, i) => {
      expect(Math.abs(s - SIGMA[i]!)).toBeLessThan(1e-4);
    });
    for (let c = 0; c < 3; c++) {
      const v = column(svd.basis, 3, c);
      const sign = Math.sign(v[0]!) * Math.sign(VT[c]![0]!);
      v.forEach((x, t) => {
        expect(Math.abs(sign * x - VT[c]![t]!)).toBeLessThan(1e-4);
      });
    }
  });

  it('gives an orthonormal basis', () => {
    const svd = truncatedSvd(csrFromDense(A), 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const a = column(svd.basis, 3, i);
        const b = column(svd.basis, 3, j);
        const dot = a.reduce((s, x, t) => s + x * b[t]!, 0);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-6);
      }
  });

  it('keeps the leading values when truncating', () => {
    const svd = truncatedSvd(csrFromDense(A), 2, { oversample: 0, powerIterations: 8 });
    expect(svd.rank).toBe(2);
    expect(Math.abs(svd.singularValues[0]! - SIGMA[0]!)).toBeLessThan(1e-4);
    expect(Math.abs(svd.singularValues[1]! - SIGMA[1]!)).toBeLessThan(1e-3);
  });

  it('gives zeros, not NaN, for directions a rank-deficient matrix lacks', () => {
    const svd = truncatedSvd(
      csrFromDense([
        [1, 2, 0],
        [2, 4, 0],
        [3, 6, 0],
      ]),
      3,
    );
    expect(svd.singularValues[0]).toBeCloseTo(Math.sqrt(14 * 5), 6);
    expect(svd.singularValues[1]).toBeLessThan(1e-6);
    expect([...svd.basis].every(Number.isFinite)).toBe(true);
    expect(Math.abs(column(svd.basis, 3, 0)[1]!)).toBeCloseTo(2 / Math.sqrt(5), 6);
  });

  it('handles an empty matrix', () => {
    expect(truncatedSvd(csrFromDense([]), 4).rank).toBe(0);
  });
});

describe('symmetricEigen', () => {
  it('solves a 2 × 2 and a 3 × 3 matrix exactly, values descending', () => {
    const two = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect([...two.values].map((x) => Number(x.toFixed(10)))).toEqual([3, 1]);
    expect(Math.abs(two.vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 10);
    const three = symmetricEigen(Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2), 3);
    // Trace 9 and determinant 18 are kept by the eigenvalues (3 + √3, 3, 3 − √3).
    expect([...three.values].map((x) => Number(x.toFixed(8)))).toEqual([
      Number((3 + Math.sqrt(3)).toFixed(8)),
      3,
      Number((3 - Math.sqrt(3)).toFixed(8)),
    ]);
  });
});

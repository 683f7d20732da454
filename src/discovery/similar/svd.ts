import type { CsrMatrix } from './sparse.ts';

/**
 * Truncated SVD of a sparse matrix A (documents × terms) by a randomized range finder
 * (Halko, Martinsson & Tropp 2011): an orthonormal basis Q (documents × l) of the leading
 * column space of A is found from AΩ with a few power iterations (A A^T Q), then the small
 * l × l matrix Q^T A A^T Q = W Σ² W^T is solved exactly by Jacobi rotations. The term basis is
 * V = A^T Q W Σ^-1. When l covers the rank of A the result is exact. The work is about
 * nnz(A)·l per product plus documents·l² per orthonormalisation and terms·l·rank for V, so a
 * large corpus is fitted on a sample (see SimilarityIndex) and the rest projected.
 *
 * Dense matrices here are column-major Float64Array: column j of an r-row matrix starts at j·r.
 */

export interface SvdOptions {
  /** Extra columns beyond the rank asked for; they make the leading ones accurate. Default 16. */
  oversample?: number;
  /** Power iterations; each sharpens the gap between kept and dropped directions. Default 3. */
  powerIterations?: number;
  seed?: number;
}

export interface SvdResult {
  rank: number;
  /** Descending. */
  singularValues: Float64Array;
  /** The right singular vectors: a terms × rank column-major matrix with orthonormal columns. */
  basis: Float64Array;
}

export function truncatedSvd(a: CsrMatrix, rank: number, options: SvdOptions = {}): SvdResult {
  const n = a.rows;
  const m = a.cols;
  const l = Math.max(0, Math.min(rank + (options.oversample ?? 16), n, m));
  const k = Math.min(rank, l);
  const random = gaussian(options.seed ?? 1);
  const omega = new Float64Array(m * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random();
  // Q: an orthonormal basis of the leading column space of A (document side, n × l).
  let q = orthonormalize(multiply(a, omega, l), n, l);
  for (let it = 0; it < (options.powerIterations ?? 3); it++) {
    q = orthonormalize(
      multiply(a, multiplyTransposed(a, q, l), l),
      n,
      l,
      it + 1 < (options.powerIterations ?? 3) ? 1 : 2,
    );
  }
  // B = Q^T A = W Σ V^T; with Bt = A^T Q (m × l), B B^T = Q^T A Bt and V = Bt W Σ^-1.
  const bt = multiplyTransposed(a, q, l);
  const abt = multiply(a, bt, l);
  const gram = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      const qi = i * n;
      const aj = j * n;
      for (let r = 0; r < n; r++) s += q[qi + r]! * abt[aj + r]!;
      gram[i * l + j] = s;
      gram[j * l + i] = s;
    }
  }
  // Symmetrise against rounding before the exact solve.
  for (let i = 0; i < l; i++)
    for (let j = i + 1; j < l; j++) {
      const avg = (gram[i * l + j]! + gram[j * l + i]!) / 2;
      gram[i * l + j] = avg;
      gram[j * l + i] = avg;
    }
  const { values, vectors } = symmetricEigen(gram, l);
  const singularValues = new Float64Array(k);
  const basis = new Float64Array(m * k);
  const top = Math.sqrt(Math.max(0, values[0] ?? 0));
  for (let c = 0; c < k; c++) {
    const sigma = Math.sqrt(Math.max(0, values[c]!));
    singularValues[c] = sigma;
    // A direction with no weight has no defined vector: leave it zero.
    if (sigma <= 1e-12 * top || sigma === 0) continue;
    const out = c * m;
    for (let j = 0; j < l; j++) {
      const w = vectors[c * l + j]! / sigma;
      if (w === 0) continue;
      const bj = j * m;
      for (let t = 0; t < m; t++) basis[out + t] = basis[out + t]! + bt[bj + t]! * w;
    }
  }
  return { rank: k, singularValues, basis };
}

/** A · X for sparse A (rows × cols) and dense X (cols × width): rows × width. */
function multiply(a: CsrMatrix, x: Float64Array, width: number): Float64Array {
  // Row-major copies keep the inner loop on contiguous memory.
  const xr = transpose(x, a.cols, width);
  const out = new Float64Array(a.rows * width);
  for (let r = 0; r < a.rows; r++) {
    const o = r * width;
    for (let p = a.indptr[r]!; p < a.indptr[r + 1]!; p++) {
      const xo = a.indices[p]! * width;
      const v = a.values[p]!;
      for (let j = 0; j < width; j++) out[o + j] = out[o + j]! + v * xr[xo + j]!;
    }
  }
  return transpose(out, width, a.rows);
}

/** A^T · Y for sparse A (rows × cols) and dense Y (rows × width): cols × width. */
function multiplyTransposed(a: CsrMatrix, y: Float64Array, width: number): Float64Array {
  const yr = transpose(y, a.rows, width);
  const out = new Float64Array(a.cols * width);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * width;
    for (let p = a.indptr[r]!; p < a.indptr[r + 1]!; p++) {
      const o = a.indices[p]! * width;
      const v = a.values[p]!;
      for (let j = 0; j < width; j++) out[o + j] = out[o + j]! + v * yr[yo + j]!;
    }
  }
  return transpose(out, width, a.cols);
}

/** Column-major rows × width to column-major width × rows (i.e. the same numbers row-major). */
function transpose(x: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(rows * width);
  for (let j = 0; j < width; j++) for (let r = 0; r < rows; r++) out[r * width + j] = x[j * rows + r]!;
  return out;
}

/**
 * Modified Gram-Schmidt, by default twice ("twice is enough"), in place on a column-major
 * rows × width matrix. A column that falls to nothing (rank deficiency) becomes zero rather
 * than noise. Intermediate power iterations only need one pass.
 */
export function orthonormalize(x: Float64Array, rows: number, width: number, passes = 2): Float64Array {
  const norms = new Float64Array(width);
  for (let j = 0; j < width; j++) {
    const cj = j * rows;
    let before = 0;
    for (let r = 0; r < rows; r++) before += x[cj + r]! ** 2;
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < j; i++) {
        if (norms[i] === 0) continue;
        const ci = i * rows;
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += x[ci + r]! * x[cj + r]!;
        for (let r = 0; r < rows; r++) x[cj + r] = x[cj + r]! - dot * x[ci + r]!;
      }
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += x[cj + r]! ** 2;
    norm = Math.sqrt(norm);
    const keep = norm > 1e-10 * Math.sqrt(before) && norm > 1e-300;
    norms[j] = keep ? norm : 0;
    for (let r = 0; r < rows; r++) x[cj + r] = keep ? x[cj + r]! / norm : 0;
  }
  return x;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix by cyclic Jacobi rotations. Returns the
 * eigenvalues descending and the eigenvectors as columns (column-major), in the same order.
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i]! ** 2;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off <= 1e-26 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[p * n + k]!;
          const vkq = v[q * n + k]!;
          v[p * n + k] = c * vkp - s * vkq;
          v[q * n + k] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(n).keys()].sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src]!;
    vectors.set(v.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

/** A seeded standard-normal generator (mulberry32 + Box-Muller), so the basis is the same on every run. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = uniform() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

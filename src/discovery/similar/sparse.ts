/** Sparse vectors and row matrices over a fixed vocabulary. */

export interface SparseVector {
  /** Term indices, ascending. */
  indices: Uint32Array;
  values: Float32Array;
}

/** Rows in compressed sparse row form: row i holds `indices/values[indptr[i] .. indptr[i+1])`. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  indptr: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
}

export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) sum += a.values[i++]! * b.values[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

export function csrFromRows(rows: SparseVector[], cols: number): CsrMatrix {
  const indptr = new Uint32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    nnz += r.indices.length;
    indptr[i + 1] = nnz;
  });
  const indices = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  rows.forEach((r, i) => {
    indices.set(r.indices, indptr[i]!);
    values.set(r.values, indptr[i]!);
  });
  return { rows: rows.length, cols, indptr, indices, values };
}

/** A dense matrix given as rows of numbers, as CSR (for tests and small inputs). */
export function csrFromDense(dense: number[][]): CsrMatrix {
  const cols = dense[0]?.length ?? 0;
  return csrFromRows(
    dense.map((row) => {
      const idx: number[] = [];
      const val: number[] = [];
      row.forEach((v, j) => {
        if (v !== 0) {
          idx.push(j);
          val.push(v);
        }
      });
      return { indices: Uint32Array.from(idx), values: Float32Array.from(val) };
    }),
    cols,
  );
}

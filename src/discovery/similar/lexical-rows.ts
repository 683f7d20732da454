import type { SparseVector } from './sparse.ts';

/**
 * Every paper's tf-idf row, packed: term columns and weights as 16-bit integers (a weight of an
 * L2-normalised row lies in [0, 1] and is kept as weight × 65,535), 4 bytes a stored term instead
 * of the 16 or more of a typed-array pair per paper. A row that is replaced is written at the end
 * (the old space is dropped when the rows are saved).
 */
export const WEIGHT_SCALE = 65_535;
export const MAX_TERMS = 65_536;

export class LexicalRows {
  private cols: Uint16Array;
  private weights: Uint16Array;
  private end = 0;
  private start: Float64Array;
  private length: Uint16Array;
  private used = 0;

  constructor(capacityRows = 1024, capacityTerms = capacityRows * 64) {
    this.cols = new Uint16Array(Math.max(16, capacityTerms));
    this.weights = new Uint16Array(Math.max(16, capacityTerms));
    this.start = new Float64Array(Math.max(16, capacityRows));
    this.length = new Uint16Array(Math.max(16, capacityRows));
  }

  /** Rows saved earlier: lengths per row, then columns and weights of all rows in order. */
  static fromParts(lengths: Uint16Array, cols: Uint16Array, weights: Uint16Array): LexicalRows {
    const rows = new LexicalRows(1, 1);
    rows.cols = cols;
    rows.weights = weights;
    rows.length = lengths;
    rows.start = new Float64Array(Math.max(16, lengths.length));
    let at = 0;
    for (let r = 0; r < lengths.length; r++) {
      rows.start[r] = at;
      at += lengths[r]!;
    }
    if (at !== cols.length || at !== weights.length) {
      throw new RangeError(
        `row lengths add up to ${at} terms; ${cols.length} columns and ${weights.length} weights stored`,
      );
    }
    rows.end = at;
    rows.used = lengths.length;
    return rows;
  }

  get count(): number {
    return this.used;
  }

  /** Lengths, columns and weights of the rows in slot order, with no gaps: what `fromParts` reads. */
  parts(): { lengths: Uint16Array; cols: Uint16Array; weights: Uint16Array } {
    const lengths = this.length.slice(0, this.used);
    let total = 0;
    for (const l of lengths) total += l;
    const cols = new Uint16Array(total);
    const weights = new Uint16Array(total);
    let at = 0;
    for (let r = 0; r < this.used; r++) {
      const from = this.start[r]!;
      const l = lengths[r]!;
      cols.set(this.cols.subarray(from, from + l), at);
      weights.set(this.weights.subarray(from, from + l), at);
      at += l;
    }
    return { lengths, cols, weights };
  }

  set(slot: number, row: SparseVector): void {
    const n = Math.min(row.indices.length, 65_535);
    if (slot >= this.start.length) {
      const size = Math.max(slot + 1, Math.ceil(this.start.length * 1.5));
      this.start = grow(this.start, size, Float64Array);
      this.length = grow(this.length, size, Uint16Array);
    }
    if (this.end + n > this.cols.length) {
      const size = Math.max(this.end + n, Math.ceil(this.cols.length * 1.5));
      this.cols = grow(this.cols, size, Uint16Array);
      this.weights = grow(this.weights, size, Uint16Array);
    }
    for (let i = 0; i < n; i++) {
      const col = row.indices[i]!;
      if (col >= MAX_TERMS) throw new RangeError(`term column ${col} does not fit 16 bits`);
      this.cols[this.end + i] = col;
      this.weights[this.end + i] = Math.round(Math.min(1, Math.max(0, row.values[i]!)) * WEIGHT_SCALE);
    }
    this.start[slot] = this.end;
    this.length[slot] = n;
    this.end += n;
    this.used = Math.max(this.used, slot + 1);
  }

  row(slot: number): SparseVector {
    const from = this.start[slot] ?? 0;
    const l = slot < this.used ? this.length[slot]! : 0;
    const indices = new Uint32Array(l);
    const values = new Float32Array(l);
    for (let i = 0; i < l; i++) {
      indices[i] = this.cols[from + i]!;
      values[i] = this.weights[from + i]! / WEIGHT_SCALE;
    }
    return { indices, values };
  }

  /** The cosine of a row with the row at `slot` (both L2-normalised). */
  dot(query: SparseVector, slot: number): number {
    if (slot >= this.used) return 0;
    const cols = this.cols;
    const weights = this.weights;
    let i = 0;
    let j = this.start[slot]!;
    const jEnd = j + this.length[slot]!;
    const qi = query.indices;
    const qv = query.values;
    let sum = 0;
    while (i < qi.length && j < jEnd) {
      const x = qi[i]!;
      const y = cols[j]!;
      if (x === y) sum += qv[i++]! * weights[j++]!;
      else if (x < y) i++;
      else j++;
    }
    return sum / WEIGHT_SCALE;
  }
}

function grow<T extends Float64Array | Uint16Array>(array: T, size: number, Kind: new (n: number) => T): T {
  const out = new Kind(size);
  out.set(array);
  return out;
}

import { closeSync, readSync } from 'node:fs';
import type { SparseVector } from './sparse.ts';

/**
 * Every paper's tf-idf row, packed: term columns and weights as 16-bit integers (a weight of an
 * L2-normalised row lies in [0, 1] and is kept as weight × 65,535), 4 bytes a stored term instead
 * of the 16 or more of a typed-array pair per paper. A row that is replaced is written at the end
 * (the old space is dropped when the rows are saved).
 *
 * Loaded from an index file, the rows stay on disk (`fromFile`): only their lengths and offsets
 * are in memory, and a row is read when it is needed (the reasons of a request, the candidates of
 * an arrival): 4 bytes a term times ~100 terms a paper is 1.2 GB for all of arXiv, which a server
 * holding 2.5 GB in all cannot keep in memory. Of the offsets only every 64th row's is held (a
 * row's is that plus the lengths before it): 2 bytes a paper in all, not 11. Rows set afterwards
 * live in memory until saved.
 */
/** Rows between two held offsets of rows in a file. */
const SAMPLE = 64;

export const WEIGHT_SCALE = 65_535;
export const MAX_TERMS = 65_536;

export class LexicalRows {
  private cols: Uint16Array;
  private weights: Uint16Array;
  private end = 0;
  /** In memory: where each row starts, in terms. */
  private start: Float64Array;
  /** Each row's length; from a file, the file's (a row set since has its own in `file.held`). */
  private length: Uint16Array;
  private used = 0;
  /** Rows of an index file: how many, every SAMPLE-th one's offset in terms, the rows set since. */
  private file:
    | { rows: number; offsets: Float64Array; held: Map<number, { from: number; length: number }> }
    | undefined;
  /** Rows still in the index file: columns then weights, from these byte offsets. */
  private backing:
    | {
        fd: number;
        /** Where the rows start; with `weightsAt` ≥ 0 (split layout) where the columns start. */
        at: number;
        weightsAt: number;
        scratch: Uint16Array;
      }
    | undefined;

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

  /**
   * Rows kept in an index file, read one at a time when needed. `lengths` per row; the rows start
   * at byte `at`: `interleaved` (the current file), each row's columns then its weights, so a row is
   * one read; `split` (files of the first version), the columns of all rows, then all weights
   * from byte `weightsAt`. Takes the file descriptor (closed by `close()`).
   */
  static fromFile(
    fd: number,
    lengths: Uint16Array,
    at: number,
    layout: { kind: 'interleaved' } | { kind: 'split'; weightsAt: number },
  ): LexicalRows {
    const rows = new LexicalRows(1, 1024);
    rows.length = lengths;
    rows.start = new Float64Array(0);
    const offsets = new Float64Array(Math.ceil(lengths.length / SAMPLE));
    for (let r = 0, terms = 0; r < lengths.length; r++) {
      if (r % SAMPLE === 0) offsets[r / SAMPLE] = terms;
      terms += lengths[r]!;
    }
    rows.file = { rows: lengths.length, offsets, held: new Map() };
    rows.used = lengths.length;
    rows.backing = {
      fd,
      at,
      weightsAt: layout.kind === 'split' ? layout.weightsAt : -1,
      scratch: new Uint16Array(1024),
    };
    return rows;
  }

  /** Rows of the interleaved layout, read into memory from `bytes` (the section as written). */
  static fromInterleaved(lengths: Uint16Array, bytes: Uint16Array): LexicalRows {
    let total = 0;
    for (let r = 0; r < lengths.length; r++) total += lengths[r]!;
    if (bytes.length !== total * 2) {
      throw new RangeError(`row lengths add up to ${total} terms; ${bytes.length / 2} stored`);
    }
    const cols = new Uint16Array(total);
    const weights = new Uint16Array(total);
    for (let r = 0, from = 0; r < lengths.length; r++) {
      const l = lengths[r]!;
      cols.set(bytes.subarray(2 * from, 2 * from + l), from);
      weights.set(bytes.subarray(2 * from + l, 2 * from + 2 * l), from);
      from += l;
    }
    return LexicalRows.fromParts(lengths, cols, weights);
  }

  close(): void {
    if (this.backing) closeSync(this.backing.fd);
    this.backing = undefined;
  }

  get count(): number {
    return this.used;
  }

  get storedTerms(): number {
    let total = 0;
    for (let r = 0; r < this.used; r++) total += this.place(r)[1];
    return total;
  }

  /** Bytes held for the rows' places (the benchmark reports it). */
  get heldBytes(): number {
    return this.length.byteLength + this.start.byteLength + (this.file?.offsets.byteLength ?? 0);
  }

  /**
   * Where row `slot` is: its offset in terms, its length, and whether that offset is in the file
   * (else in the memory arrays).
   */
  private place(slot: number): [number, number, boolean] {
    const file = this.file;
    if (!file) return slot < this.used ? [this.start[slot]!, this.length[slot]!, false] : [0, 0, false];
    const held = file.held.get(slot);
    if (held) return [held.from, held.length, false];
    // Past the file's rows, or the file closed: an empty row.
    if (slot >= file.rows || slot < 0 || !this.backing) return [0, 0, false];
    const first = slot - (slot % SAMPLE);
    let from = file.offsets[first / SAMPLE]!;
    for (let r = first; r < slot; r++) from += this.length[r]!;
    return [from, this.length[slot]!, true];
  }

  /**
   * Lengths, then each row in slot order, its columns then its weights: what `fromFile` (layout
   * `interleaved`) and `fromInterleaved` read. Written through an 8 MB buffer; runs of rows still
   * on disk in that layout are copied through in large reads.
   */
  writeTo(write: (bytes: Uint8Array) => void): void {
    let lengths = this.length.subarray(0, this.used);
    if (this.file) {
      lengths = new Uint16Array(this.used);
      for (let r = 0; r < this.used; r++) lengths[r] = this.place(r)[1];
    }
    write(new Uint8Array(lengths.buffer, lengths.byteOffset, lengths.byteLength));
    const buffer = new Uint16Array(4 << 20);
    let filled = 0;
    const flush = () => {
      if (filled > 0) write(new Uint8Array(buffer.buffer, 0, filled * 2));
      filled = 0;
    };
    const b = this.backing;
    let runFrom = -1;
    let runTerms = 0;
    const flushRun = () => {
      if (runFrom < 0 || !b) return;
      flush();
      const chunk = new Uint8Array(Math.min(runTerms * 4, 8 << 20));
      for (let done = 0; done < runTerms * 4; ) {
        const n = Math.min(chunk.length, runTerms * 4 - done);
        readExactly(b.fd, chunk, n, b.at + runFrom * 4 + done);
        write(chunk.subarray(0, n));
        done += n;
      }
      runFrom = -1;
      runTerms = 0;
    };
    for (let r = 0; r < this.used; r++) {
      const [from, l, inFile] = this.place(r);
      if (inFile && b && b.weightsAt < 0) {
        if (runFrom >= 0 && runFrom + runTerms !== from) flushRun();
        if (runFrom < 0) runFrom = from;
        runTerms += l;
        continue;
      }
      flushRun();
      const [cols, weights, at] = this.source(from, l, inFile);
      if (filled + 2 * l > buffer.length) flush();
      buffer.set(cols.subarray(at, at + l), filled);
      buffer.set(weights.subarray(at, at + l), filled + l);
      filled += 2 * l;
    }
    flushRun();
    flush();
  }

  set(slot: number, row: SparseVector): void {
    const n = Math.min(row.indices.length, 65_535);
    if (!this.file && slot >= this.start.length) {
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
    if (this.file) {
      this.file.held.set(slot, { from: this.end, length: n });
    } else {
      this.start[slot] = this.end;
      this.length[slot] = n;
    }
    this.end += n;
    this.used = Math.max(this.used, slot + 1);
  }

  row(slot: number): SparseVector {
    const [from, l, inFile] = this.place(slot);
    const indices = new Uint32Array(l);
    const values = new Float32Array(l);
    const [cols, weights, at] = this.source(from, l, inFile);
    for (let i = 0; i < l; i++) {
      indices[i] = cols[at + i]!;
      values[i] = weights[at + i]! / WEIGHT_SCALE;
    }
    return { indices, values };
  }

  /** Where the row's columns and weights are: the memory arrays, or read from disk (one read, or two for the split layout). */
  private source(from: number, l: number, inFile: boolean): [Uint16Array, Uint16Array, number] {
    const b = this.backing;
    if (!inFile || !b) return [this.cols, this.weights, from];
    if (b.weightsAt >= 0) {
      const cols = new Uint16Array(l);
      const weights = new Uint16Array(l);
      readExactly(b.fd, new Uint8Array(cols.buffer), l * 2, b.at + from * 2);
      readExactly(b.fd, new Uint8Array(weights.buffer), l * 2, b.weightsAt + from * 2);
      return [cols, weights, 0];
    }
    if (b.scratch.length < 2 * l) b.scratch = new Uint16Array(2 * l);
    const both = b.scratch;
    readExactly(b.fd, new Uint8Array(both.buffer, 0, l * 4), l * 4, b.at + from * 4);
    // Columns first, weights after: both views of the one read (used before the next read).
    return [both, both.subarray(l), 0];
  }

  /** The cosine of a row with the row at `slot` (both L2-normalised). */
  dot(query: SparseVector, slot: number): number {
    if (slot >= this.used) return 0;
    const [at, l, inFile] = this.place(slot);
    const [cols, weights, from] = this.source(at, l, inFile);
    let i = 0;
    let j = from;
    const jEnd = j + l;
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

function readExactly(fd: number, into: Uint8Array, bytes: number, position: number): void {
  for (let done = 0; done < bytes; ) {
    const n = readSync(fd, into, done, bytes - done, position + done);
    if (n === 0) throw new RangeError(`index file ends at byte ${position + done}, inside a tf-idf row`);
    done += n;
  }
}

import { closeSync, readSync } from 'node:fs';

/**
 * Unit vectors kept as signed bytes (coordinate × 127, rounded): a quarter of Float32's memory,
 * 128 bytes a paper at 128 dimensions. A cosine read back this way is off by about 0.002, well
 * below the gaps that order neighbours.
 *
 * Two homes. A build holds every vector in memory, by slot. An index loaded from its file
 * (`fromFile`) leaves them there: 128 bytes a paper is 354 MiB for all of arXiv, which a server
 * holding 2.5 GB in all should not keep when a request reads ~4,000 of them. Only each slot's row
 * in the file is held (4 bytes); the file keeps the vectors of one inverted-file group next to each
 * other, so a probe is a few positional reads from the page cache (`copyInto`). Vectors set after
 * loading (arrivals, changed papers) are held in memory until the index is saved and loaded again.
 */
export const INT8_SCALE = 127;

export class Int8Vectors {
  /** Memory: vector of slot s at s × dimensions. File: the vectors set since loading (`rowOf` < 0). */
  private bytes: Int8Array;
  private used = 0;
  /** File: where each slot's vector is: ≥ 0 a row of the file's section, < 0 held row −(r + 1). */
  private rowOf: Int32Array | undefined;
  private held = 0;
  private file: { fd: number; at: number; rows: number } | undefined;
  /** One vector read from the file, reused (a read is used before the next). */
  private scratch: Int8Array;

  constructor(
    readonly dimensions: number,
    capacity = 1024,
  ) {
    this.bytes = new Int8Array(Math.max(1, capacity) * Math.max(1, dimensions));
    this.scratch = new Int8Array(Math.max(1, dimensions));
  }

  /** Vectors saved earlier: `count` rows of `dimensions` bytes, held in memory. */
  static fromBytes(dimensions: number, bytes: Int8Array, count: number): Int8Vectors {
    if (bytes.length < count * dimensions) {
      throw new RangeError(`${bytes.length} bytes hold fewer than ${count} vectors of ${dimensions}`);
    }
    const vectors = new Int8Vectors(dimensions, 1);
    vectors.bytes = bytes;
    vectors.used = count;
    return vectors;
  }

  /**
   * Vectors left in a file: rows of `dimensions` bytes from byte `at`, slot s's at row `rowOf[s]`
   * (a permutation of 0..count−1). Takes the file descriptor (closed by `close()`).
   */
  static fromFile(dimensions: number, fd: number, at: number, rowOf: Int32Array): Int8Vectors {
    const vectors = new Int8Vectors(dimensions, 16);
    vectors.file = { fd, at, rows: rowOf.length };
    vectors.rowOf = rowOf;
    vectors.used = rowOf.length;
    return vectors;
  }

  get count(): number {
    return this.used;
  }

  /** Whether every vector is in memory (a build, a small or an old-format index). */
  get inMemory(): boolean {
    return this.file === undefined;
  }

  /** Bytes held in memory for vectors (the benchmark reports it). */
  get heldBytes(): number {
    return this.file ? this.held * this.dimensions + (this.rowOf?.byteLength ?? 0) : this.bytes.byteLength;
  }

  close(): void {
    // What is held still answers; the file's rows read as zero vectors from here on.
    if (this.file) closeSync(this.file.fd);
    this.file = undefined;
  }

  set(slot: number, unit: Float32Array): void {
    const d = this.dimensions;
    let o: number;
    if (this.rowOf) {
      if (slot >= this.rowOf.length) {
        const grown = new Int32Array(Math.max(slot + 1, Math.ceil(this.rowOf.length * 1.5)));
        grown.set(this.rowOf);
        this.rowOf = grown;
      }
      let r = slot < this.used ? this.rowOf[slot]! : 0;
      if (r >= 0) {
        r = -(this.held++ + 1);
        this.rowOf[slot] = r;
      }
      o = (-r - 1) * d;
    } else {
      o = slot * d;
    }
    if (o + d > this.bytes.length) {
      const grown = new Int8Array(Math.max(o + d, Math.ceil(this.bytes.length * 1.5)));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    for (let j = 0; j < d; j++) {
      this.bytes[o + j] = Math.max(-INT8_SCALE, Math.min(INT8_SCALE, Math.round(unit[j]! * INT8_SCALE)));
    }
    this.used = Math.max(this.used, slot + 1);
  }

  /** The vector at `slot` as floats (renormalised, so that its cosines with itself are 1). */
  vector(slot: number): Float32Array {
    if (slot < 0 || slot >= this.used) return new Float32Array(this.dimensions);
    const [bytes, o] = this.locate(slot);
    return unitAt(bytes, o, this.dimensions);
  }

  /** Inner product of a float query with the stored vector at `slot`. */
  dot(query: Float32Array, slot: number): number {
    const [bytes, o] = this.locate(slot);
    return dotAt(query, bytes, o, this.dimensions);
  }

  /**
   * The bytes of the vectors of `slots[0..n)`, in that order, into `into` from byte `offset`: runs
   * of slots whose rows follow each other in the file are one read (a group of the inverted file is
   * one run unless papers of it changed since the file was written).
   */
  copyInto(slots: ArrayLike<number>, n: number, into: Int8Array, offset: number): void {
    const d = this.dimensions;
    const rowOf = this.rowOf;
    if (!rowOf) {
      for (let i = 0; i < n; i++) {
        const o = slots[i]! * d;
        into.set(this.bytes.subarray(o, o + d), offset + i * d);
      }
      return;
    }
    let runRow = -1;
    let runFrom = 0;
    let runLength = 0;
    const flush = () => {
      if (runLength > 0) this.readRows(runRow, runLength, into, offset + runFrom * d);
      runLength = 0;
    };
    for (let i = 0; i < n; i++) {
      const r = rowOf[slots[i]!]!;
      if (r >= 0 && this.file) {
        if (runLength > 0 && r === runRow + runLength) {
          runLength++;
          continue;
        }
        flush();
        runRow = r;
        runFrom = i;
        runLength = 1;
        continue;
      }
      flush();
      if (r < 0) {
        const o = (-r - 1) * d;
        into.set(this.bytes.subarray(o, o + d), offset + i * d);
      } else {
        into.fill(0, offset + i * d, offset + (i + 1) * d);
      }
    }
    flush();
  }

  /**
   * The inner product of `query` with every vector, by slot (what an exhaustive scan reads): from
   * a file, read in its own order in large pieces, not one vector at a time.
   */
  scoreAll(query: Float32Array): Float64Array {
    const d = this.dimensions;
    const out = new Float64Array(this.used);
    if (!this.rowOf || !this.file) {
      for (let s = 0; s < this.used; s++) out[s] = this.dot(query, s);
      return out;
    }
    const slotOfRow = new Int32Array(this.file.rows).fill(-1);
    for (let s = 0; s < this.used; s++) {
      const r = this.rowOf[s]!;
      if (r >= 0) slotOfRow[r] = s;
      else out[s] = this.dot(query, s);
    }
    const chunkRows = Math.max(1, Math.floor((4 << 20) / Math.max(1, d)));
    const chunk = new Int8Array(chunkRows * d);
    for (let from = 0; from < this.file.rows; from += chunkRows) {
      const rows = Math.min(chunkRows, this.file.rows - from);
      this.readRows(from, rows, chunk, 0);
      for (let i = 0; i < rows; i++) {
        const s = slotOfRow[from + i]!;
        if (s >= 0) out[s] = dotAt(query, chunk, i * d, d);
      }
    }
    return out;
  }

  /**
   * Every vector, written in the order of `order` (slots; all of 0..count−1 once each, or null for
   * slot order), through a buffer of a few MB: runs still in the file are copied through in large
   * reads.
   */
  writeInOrder(order: Int32Array | null, write: (bytes: Uint8Array) => void): void {
    const d = this.dimensions;
    const n = this.used;
    const perChunk = Math.max(1, Math.floor((8 << 20) / Math.max(1, d)));
    const buffer = new Int8Array(perChunk * d);
    const slots = new Int32Array(perChunk);
    for (let from = 0; from < n; from += perChunk) {
      const count = Math.min(perChunk, n - from);
      for (let i = 0; i < count; i++) slots[i] = order ? order[from + i]! : from + i;
      this.copyInto(slots, count, buffer, 0);
      write(new Uint8Array(buffer.buffer, 0, count * d));
    }
  }

  private locate(slot: number): [Int8Array, number] {
    const d = this.dimensions;
    if (!this.rowOf) return [this.bytes, slot * d];
    const r = this.rowOf[slot]!;
    if (r < 0) return [this.bytes, (-r - 1) * d];
    if (r >= 0 && this.file) {
      this.readRows(r, 1, this.scratch, 0);
    } else {
      this.scratch.fill(0);
    }
    return [this.scratch, 0];
  }

  private readRows(row: number, rows: number, into: Int8Array, offset: number): void {
    const file = this.file!;
    const bytes = rows * this.dimensions;
    const position = file.at + row * this.dimensions;
    for (let done = 0; done < bytes; ) {
      const got = readSync(file.fd, into, offset + done, bytes - done, position + done);
      if (got === 0) throw new RangeError(`index file ends at byte ${position + done}, inside a vector`);
      done += got;
    }
  }
}

/** Inner product of a float query with the int8 vector at byte `o` of `bytes` (the one formula every reader uses). */
export function dotAt(query: Float32Array, bytes: Int8Array, o: number, d: number): number {
  const d4 = d - (d % 4);
  // Four running sums: independent additions the CPU can overlap.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j < d4; j += 4) {
    s0 += query[j]! * bytes[o + j]!;
    s1 += query[j + 1]! * bytes[o + j + 1]!;
    s2 += query[j + 2]! * bytes[o + j + 2]!;
    s3 += query[j + 3]! * bytes[o + j + 3]!;
  }
  for (; j < d; j++) s0 += query[j]! * bytes[o + j]!;
  return (s0 + s1 + s2 + s3) / INT8_SCALE;
}

/** The int8 vector at byte `o` as floats, renormalised. */
export function unitAt(bytes: Int8Array, o: number, d: number): Float32Array {
  const out = new Float32Array(d);
  let norm = 0;
  for (let j = 0; j < d; j++) {
    const x = bytes[o + j]!;
    out[j] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < d; j++) out[j] = out[j]! / norm;
  return out;
}

/**
 * Unit vectors kept as signed bytes (coordinate × 127, rounded): a quarter of Float32's memory,
 * 128 bytes a paper at 128 dimensions, 370 MB for the whole of arXiv. A cosine read back this
 * way is off by about 0.002, well below the gaps that order neighbours.
 */
export const INT8_SCALE = 127;

export class Int8Vectors {
  private bytes: Int8Array;
  private used = 0;

  constructor(
    readonly dimensions: number,
    capacity = 1024,
  ) {
    this.bytes = new Int8Array(Math.max(1, capacity) * Math.max(1, dimensions));
  }

  /** Vectors saved earlier: `count` rows of `dimensions` bytes. */
  static fromBytes(dimensions: number, bytes: Int8Array, count: number): Int8Vectors {
    if (bytes.length < count * dimensions) {
      throw new RangeError(`${bytes.length} bytes hold fewer than ${count} vectors of ${dimensions}`);
    }
    const vectors = new Int8Vectors(dimensions, 1);
    vectors.bytes = bytes;
    vectors.used = count;
    return vectors;
  }

  get count(): number {
    return this.used;
  }

  /** The first `count` rows, as stored. */
  get data(): Int8Array {
    return this.bytes.subarray(0, this.used * this.dimensions);
  }

  set(slot: number, unit: Float32Array): void {
    const d = this.dimensions;
    const need = (slot + 1) * d;
    if (need > this.bytes.length) {
      const grown = new Int8Array(Math.max(need, Math.ceil(this.bytes.length * 1.5)));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const o = slot * d;
    for (let j = 0; j < d; j++) {
      this.bytes[o + j] = Math.max(-INT8_SCALE, Math.min(INT8_SCALE, Math.round(unit[j]! * INT8_SCALE)));
    }
    this.used = Math.max(this.used, slot + 1);
  }

  /** The vector at `slot` as floats (renormalised, so that its cosines with itself are 1). */
  vector(slot: number): Float32Array {
    const d = this.dimensions;
    const out = new Float32Array(d);
    if (slot < 0 || slot >= this.used) return out;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const x = this.bytes[slot * d + j]!;
      out[j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < d; j++) out[j] = out[j]! / norm;
    return out;
  }

  /** Inner product of a float query with the stored vector at `slot`. */
  dot(query: Float32Array, slot: number): number {
    const d = this.dimensions;
    const b = this.bytes;
    const o = slot * d;
    const d4 = d - (d % 4);
    // Four running sums: independent additions the CPU can overlap.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < d4; j += 4) {
      s0 += query[j]! * b[o + j]!;
      s1 += query[j + 1]! * b[o + j + 1]!;
      s2 += query[j + 2]! * b[o + j + 2]!;
      s3 += query[j + 3]! * b[o + j + 3]!;
    }
    for (; j < d; j++) s0 += query[j]! * b[o + j]!;
    return (s0 + s1 + s2 + s3) / INT8_SCALE;
  }
}

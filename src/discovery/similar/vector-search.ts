/**
 * Nearest neighbours among dense unit vectors by inner product. The brute-force version below
 * scans every vector (n · d multiply-adds a query); an approximate index (HNSW, IVF) can take
 * its place behind this interface when the corpus grows.
 */
export interface VectorSearch {
  readonly dimensions: number;
  /** Put the vector for `slot` (replacing what it held). */
  set(slot: number, vector: Float32Array): void;
  vector(slot: number): Float32Array | undefined;
  /** The inner product of `query` with the vector at `slot` (0 for an empty slot). */
  score(query: Float32Array, slot: number): number;
  /** The `k` slots with the largest inner product with `query`, best first, leaving out `exclude`. */
  search(query: Float32Array, k: number, exclude?: number): { slot: number; score: number }[];
}

export class BruteForceVectorSearch implements VectorSearch {
  private data: Float32Array;
  private count = 0;

  constructor(
    readonly dimensions: number,
    capacity = 1024,
  ) {
    this.data = new Float32Array(Math.max(1, capacity) * dimensions);
  }

  set(slot: number, vector: Float32Array): void {
    const need = (slot + 1) * this.dimensions;
    if (need > this.data.length) {
      const grown = new Float32Array(Math.max(need, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(vector.subarray(0, this.dimensions), slot * this.dimensions);
    this.count = Math.max(this.count, slot + 1);
  }

  vector(slot: number): Float32Array | undefined {
    if (slot < 0 || slot >= this.count) return undefined;
    return this.data.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
  }

  score(query: Float32Array, slot: number): number {
    if (slot < 0 || slot >= this.count) return 0;
    const d = this.dimensions;
    const data = this.data;
    const o = slot * d;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += query[j]! * data[o + j]!;
    return dot;
  }

  search(query: Float32Array, k: number, exclude = -1): { slot: number; score: number }[] {
    const d = this.dimensions;
    const data = this.data;
    const top = new TopK(k);
    const d4 = d - (d % 4);
    for (let s = 0, o = 0; s < this.count; s++, o += d) {
      if (s === exclude) continue;
      // Four running sums: independent additions the CPU can overlap.
      let a = 0;
      let b = 0;
      let c = 0;
      let e = 0;
      let j = 0;
      for (; j < d4; j += 4) {
        a += query[j]! * data[o + j]!;
        b += query[j + 1]! * data[o + j + 1]!;
        c += query[j + 2]! * data[o + j + 2]!;
        e += query[j + 3]! * data[o + j + 3]!;
      }
      for (; j < d; j++) a += query[j]! * data[o + j]!;
      const dot = a + b + c + e;
      if (dot > top.threshold) top.push(s, dot);
    }
    return top.sorted();
  }
}

/** The k best (slot, score) pairs seen, kept in a small min-heap. */
export class TopK {
  private readonly slots: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  push(slot: number, score: number): void {
    if (this.k <= 0 || Number.isNaN(score)) return;
    if (this.slots.length < this.k) {
      this.slots.push(slot);
      this.scores.push(score);
      this.up(this.slots.length - 1);
    } else if (score > this.scores[0]! || (score === this.scores[0]! && slot < this.slots[0]!)) {
      this.slots[0] = slot;
      this.scores[0] = score;
      this.down(0);
    }
  }

  /** A score must reach this to enter (−∞ until k are kept). Equal scores may still enter by slot. */
  get threshold(): number {
    return this.slots.length < this.k ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  /** Best first; equal scores by slot, so results do not depend on scan order. */
  sorted(): { slot: number; score: number }[] {
    return this.slots
      .map((slot, i) => ({ slot, score: this.scores[i]! }))
      .sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  // The heap's root is the worst kept: lowest score, then highest slot.
  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.slots[i]! > this.slots[j]!);
  }

  private swap(i: number, j: number): void {
    [this.slots[i], this.slots[j]] = [this.slots[j]!, this.slots[i]!];
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.slots.length && this.worse(l, m)) m = l;
      if (r < this.slots.length && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

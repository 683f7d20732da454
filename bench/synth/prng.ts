/**
 * A small seeded PRNG and samplers, so the same seed always yields the same file.
 * mulberry32: 32-bit state, fast, good enough for synthetic data (not for crypto).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/**
 * Walker's alias method: O(1) draws from a fixed discrete distribution. Used for the word
 * vocabulary (tens of thousands of entries drawn a hundred million times for 1M records).
 */
export class AliasSampler<T> {
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    const n = items.length;
    if (n === 0 || weights.length !== n) throw new Error('AliasSampler needs one weight per item');
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const total = weights.reduce((a, b) => a + b, 0);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (const [i, p] of scaled.entries()) (p < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.prob[i] = 1;
  }

  draw(rng: Rng): T {
    const i = rng.int(this.prob.length);
    return this.items[rng.next() < this.prob[i]! ? i : this.alias[i]!]!;
  }

  /** Build from a count map (value → times seen). */
  static fromCounts<T>(counts: Map<T, number>): AliasSampler<T> {
    return new AliasSampler([...counts.keys()], [...counts.values()]);
  }
}

/**
 * Zipf–Mandelbrot ranks: P(r) ∝ 1 / (r + q)^s over r = 0..n-1. The offset q flattens the
 * head so that the most prolific author has thousands of papers, not a quarter of them.
 */
export class ZipfSampler {
  private readonly cumulative: Float64Array;

  constructor(n: number, s: number, q: number) {
    this.cumulative = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      sum += 1 / (r + 1 + q) ** s;
      this.cumulative[r] = sum;
    }
    for (let r = 0; r < n; r++) this.cumulative[r]! /= sum;
  }

  draw(rng: Rng): number {
    const u = rng.next();
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Add one to a count map. */
export function bump<T>(counts: Map<T, number>, key: T, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

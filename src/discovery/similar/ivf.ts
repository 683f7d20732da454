import type { Int8Vectors } from './int8-vectors.ts';
import { TopK } from './vector-search.ts';

/**
 * An inverted-file index over unit vectors: the vectors are grouped around `clusters` centroids
 * (spherical k-means on a sample), and a query scans only the groups of its `probes` nearest
 * centroids. With C ≈ √(probes · n) clusters, assigning a vector and answering a query both cost
 * about √(probes · n) dot products instead of n: 8,500 instead of 2.9 million for all of arXiv.
 */
export interface IvfOptions {
  /** Groups scanned a query. Default 8. */
  probes?: number;
  /** Number of clusters; default √(probes · n), at least 1. */
  clusters?: number;
  seed?: number;
}

const KMEANS_ROUNDS = 6;
/** Sample points per centroid while training. */
const SAMPLE_PER_CLUSTER = 24;

export class IvfIndex {
  /** Cluster → slots in it. */
  private readonly members: number[][];
  /** Slot → cluster (−1: not assigned). */
  private clusterOfSlot: Int32Array;

  private constructor(
    private readonly vectors: Int8Vectors,
    /** Clusters × dimensions, unit rows. */
    readonly centroids: Float32Array,
    readonly probes: number,
  ) {
    const c = this.clusterCount;
    this.members = Array.from({ length: c }, () => []);
    this.clusterOfSlot = new Int32Array(Math.max(16, vectors.count)).fill(-1);
  }

  get clusterCount(): number {
    return this.vectors.dimensions === 0 ? 0 : this.centroids.length / this.vectors.dimensions;
  }

  /** Learn centroids from (a sample of) the vectors and assign every vector to one. */
  static train(vectors: Int8Vectors, options: IvfOptions = {}): IvfIndex {
    const probes = Math.max(1, options.probes ?? 8);
    const n = vectors.count;
    const clusters = Math.max(1, Math.min(n, options.clusters ?? Math.round(Math.sqrt(probes * n))));
    const centroids = kMeans(vectors, clusters, options.seed ?? 1);
    const ivf = new IvfIndex(vectors, centroids, probes);
    for (let s = 0; s < n; s++) ivf.assign(s);
    return ivf;
  }

  /** Centroids and assignments saved earlier. */
  static restore(
    vectors: Int8Vectors,
    centroids: Float32Array,
    assignment: Int32Array,
    probes: number,
  ): IvfIndex {
    const ivf = new IvfIndex(vectors, centroids, probes);
    const clusters = ivf.clusterCount;
    ivf.clusterOfSlot = new Int32Array(Math.max(16, assignment.length)).fill(-1);
    assignment.forEach((c, s) => {
      if (c < 0) return;
      if (c >= clusters) throw new RangeError(`slot ${s} assigned to cluster ${c} of ${clusters}`);
      ivf.clusterOfSlot[s] = c;
      ivf.members[c]!.push(s);
    });
    return ivf;
  }

  /** Slot → cluster for the first `count` slots, for saving. */
  assignment(count: number): Int32Array {
    const out = new Int32Array(count).fill(-1);
    out.set(this.clusterOfSlot.subarray(0, Math.min(count, this.clusterOfSlot.length)));
    return out;
  }

  /** Put `slot` (new, or whose vector changed) in the group of its nearest centroid. */
  assign(slot: number): void {
    if (slot >= this.clusterOfSlot.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.clusterOfSlot.length * 2)).fill(-1);
      grown.set(this.clusterOfSlot);
      this.clusterOfSlot = grown;
    }
    const before = this.clusterOfSlot[slot]!;
    const best = this.nearestClusters(this.vectors.vector(slot), 1)[0]!;
    if (before === best) return;
    if (before >= 0) {
      const list = this.members[before]!;
      list.splice(list.indexOf(slot), 1);
    }
    this.members[best]!.push(slot);
    this.clusterOfSlot[slot] = best;
  }

  /** The `k` slots with the largest inner product with `query` among the probed groups, best first. */
  search(
    query: Float32Array,
    k: number,
    exclude = -1,
    probes = this.probes,
  ): { slot: number; score: number }[] {
    const top = new TopK(k);
    for (const c of this.nearestClusters(query, probes)) {
      for (const s of this.members[c]!) {
        if (s === exclude) continue;
        const score = this.vectors.dot(query, s);
        if (score > top.threshold) top.push(s, score);
      }
    }
    return top.sorted();
  }

  private nearestClusters(query: Float32Array, count: number): number[] {
    const d = this.vectors.dimensions;
    const top = new TopK(count);
    const cs = this.centroids;
    for (let c = 0, o = 0; o < cs.length; c++, o += d) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += query[j]! * cs[o + j]!;
      top.push(c, dot);
    }
    return top.sorted().map((t) => t.slot);
  }
}

/** Spherical k-means (cosine) on an even sample; centroids start at sample points picked by a seeded generator. */
function kMeans(vectors: Int8Vectors, clusters: number, seed: number): Float32Array {
  const d = vectors.dimensions;
  const n = vectors.count;
  const sampleSize = Math.min(n, clusters * SAMPLE_PER_CLUSTER);
  const step = n / sampleSize;
  const sample = Array.from({ length: sampleSize }, (_, i) => vectors.vector(Math.floor(i * step)));
  const random = mulberry32(seed);
  const centroids = new Float32Array(clusters * d);
  const picked = new Set<number>();
  for (let c = 0; c < clusters; c++) {
    let i = Math.floor(random() * sampleSize);
    while (picked.has(i) && picked.size < sampleSize) i = (i + 1) % sampleSize;
    picked.add(i);
    centroids.set(sample[i]!, c * d);
  }
  const owner = new Int32Array(sampleSize);
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    sample.forEach((v, i) => {
      let best = 0;
      let bestDot = Number.NEGATIVE_INFINITY;
      for (let c = 0, o = 0; c < clusters; c++, o += d) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += v[j]! * centroids[o + j]!;
        if (dot > bestDot) {
          bestDot = dot;
          best = c;
        }
      }
      owner[i] = best;
    });
    const sums = new Float32Array(clusters * d);
    const counts = new Int32Array(clusters);
    sample.forEach((v, i) => {
      const o = owner[i]! * d;
      counts[owner[i]!]!++;
      for (let j = 0; j < d; j++) sums[o + j] = sums[o + j]! + v[j]!;
    });
    for (let c = 0; c < clusters; c++) {
      // An empty cluster keeps its centroid: it may still catch vectors outside the sample.
      if (counts[c] === 0) continue;
      let norm = 0;
      for (let j = 0; j < d; j++) norm += sums[c * d + j]! ** 2;
      norm = Math.sqrt(norm);
      for (let j = 0; j < d; j++) centroids[c * d + j] = norm > 0 ? sums[c * d + j]! / norm : 0;
    }
  }
  return centroids;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

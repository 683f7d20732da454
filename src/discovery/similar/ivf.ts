import { dotAt, type Int8Vectors } from './int8-vectors.ts';
import { TopK } from './vector-search.ts';

/**
 * An inverted-file index over unit vectors: the vectors are grouped around centroids (spherical
 * k-means on a sample), about `clusterSize` to a group, and a query scans only the groups of its
 * `probes` nearest centroids: 8 × 512 ≈ 4,000 vectors whatever the corpus, instead of all
 * 2.9 million. The centroids themselves are grouped the same way (√C groups of centroids), so
 * finding the nearest centroids reads a few hundred of them, not thousands.
 */
export interface IvfOptions {
  /** Groups scanned a query. Default 8. */
  probes?: number;
  /** Vectors per group, on average. Default 512. */
  clusterSize?: number;
  seed?: number;
}

/** Below this many centroids, all are read; above it, through the groups of centroids. */
const FLAT_CENTROIDS = 256;

const KMEANS_ROUNDS = 6;
/** Sample points per centroid while training. */
const SAMPLE_PER_CLUSTER = 24;

/** The best slots a search found, best first, and their vectors' bytes in the same order. */
export interface Probe {
  hits: { slot: number; score: number }[];
  vectors: Int8Array;
}

export class IvfIndex {
  /** The vectors of the groups of one probe (about 0.5 MB at the defaults), reused. */
  private buffer = new Int8Array(0);
  /** Cluster → slots in it. */
  private members: GroupMembers;
  private readonly coarse: { centroids: Float32Array; members: number[][] } | undefined;
  /** Slot → cluster (−1: not assigned). */
  private clusterOfSlot: SlotGroups;

  private constructor(
    private readonly vectors: Int8Vectors,
    /** Clusters × dimensions, unit rows. */
    readonly centroids: Float32Array,
    readonly probes: number,
  ) {
    const c = this.clusterCount;
    this.clusterOfSlot = new SlotGroups(c, 16);
    this.members = new GroupMembers(this.clusterOfSlot, c, 0);
    this.coarse = c > FLAT_CENTROIDS ? groupCentroids(centroids, vectors.dimensions) : undefined;
  }

  get clusterCount(): number {
    return this.vectors.dimensions === 0 ? 0 : this.centroids.length / this.vectors.dimensions;
  }

  /** Learn centroids from (a sample of) the vectors and assign every vector to one. */
  static train(vectors: Int8Vectors, options: IvfOptions = {}): IvfIndex {
    const probes = Math.max(1, options.probes ?? 8);
    const n = vectors.count;
    const clusters = Math.max(1, Math.min(n, Math.round(n / (options.clusterSize ?? 512))));
    const d = vectors.dimensions;
    const sampleSize = Math.min(n, clusters * SAMPLE_PER_CLUSTER);
    const step = n / sampleSize;
    const sample = Array.from({ length: sampleSize }, (_, i) => vectors.vector(Math.floor(i * step)));
    const seed = options.seed ?? 1;
    const centroids =
      clusters > FLAT_CENTROIDS
        ? twoLevelKMeans(sample, d, clusters, seed)
        : kMeans(sample, d, clusters, seed);
    const ivf = new IvfIndex(vectors, centroids, probes);
    ivf.clusterOfSlot = new SlotGroups(ivf.clusterCount, n);
    for (let s = 0; s < n; s++) ivf.clusterOfSlot.set(s, ivf.nearestOf(s));
    ivf.members = new GroupMembers(ivf.clusterOfSlot, ivf.clusterCount, n);
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
    ivf.clusterOfSlot = new SlotGroups(clusters, assignment.length);
    assignment.forEach((c, s) => {
      if (c < 0) return;
      if (c >= clusters) throw new RangeError(`slot ${s} assigned to cluster ${c} of ${clusters}`);
      ivf.clusterOfSlot.set(s, c);
    });
    ivf.members = new GroupMembers(ivf.clusterOfSlot, clusters, assignment.length);
    return ivf;
  }

  /** Slot → cluster for the first `count` slots, for saving. */
  assignment(count: number): Int32Array {
    const out = new Int32Array(count).fill(-1);
    for (let s = 0; s < count; s++) out[s] = this.clusterOfSlot.get(s);
    return out;
  }

  /** Put `slot` (new, or whose vector changed) in the group of its nearest centroid. */
  assign(slot: number): void {
    const before = this.clusterOfSlot.get(slot);
    const best = this.nearestOf(slot);
    if (before === best) return;
    if (before >= 0) this.members.remove(before, slot);
    this.members.add(best, slot);
    this.clusterOfSlot.set(slot, best);
  }

  private nearestOf(slot: number): number {
    // One more group of centroids than the nearest, not three more as a search reads: assigning
    // every paper of a build is most of its inverted-file time, and a vector's own centroid is
    // nearly always in the nearest group or the next.
    return this.nearestClusters(this.vectors.vector(slot), 1, 1)[0]!;
  }

  /**
   * The `k` slots with the largest inner product with `query` among the probed groups, best first,
   * with their vectors' bytes (`vectors`, one row of `dimensions` a hit, in the hits' order: what a
   * caller re-ranks with, without reading them again). At most twice the expected number of vectors
   * is read (probes × average group size): groups that k-means left uneven (one group holding much
   * of a corpus whose vectors all point alike) cost no more than that. A group's vectors are read
   * together (from the index file, one read a group) into a buffer kept for the next probe.
   */
  search(query: Float32Array, k: number, exclude = -1, probes = this.probes): Probe {
    const d = this.vectors.dimensions;
    const top = new TopK(k);
    let budget = Math.max(k, Math.ceil((2 * probes * this.vectors.count) / Math.max(1, this.clusterCount)));
    /** Where the vectors that entered the top sit in the buffer. */
    const placeOf = new Map<number, number>();
    let filled = 0;
    for (const c of this.nearestClusters(query, probes)) {
      const members = this.members.of(c);
      const n = Math.min(members.length, budget);
      if ((filled + n) * d > this.buffer.length) {
        const grown = new Int8Array(Math.max((filled + n) * d, this.buffer.length * 2));
        grown.set(this.buffer.subarray(0, filled * d));
        this.buffer = grown;
      }
      this.vectors.copyInto(members, n, this.buffer, filled * d);
      const buffer = this.buffer;
      for (let i = 0; i < n; i++) {
        const s = members[i]!;
        if (s === exclude) continue;
        const score = dotAt(query, buffer, (filled + i) * d, d);
        if (score > top.threshold) {
          top.push(s, score);
          placeOf.set(s, filled + i);
        }
      }
      filled += n;
      budget -= n;
      if (budget <= 0) break;
    }
    const hits = top.sorted();
    const vectors = new Int8Array(hits.length * d);
    hits.forEach((h, i) => {
      const at = placeOf.get(h.slot)! * d;
      vectors.set(this.buffer.subarray(at, at + d), i * d);
    });
    return { hits, vectors };
  }

  /** The number of groups and the share of the vectors in the largest. */
  balance(): { clusters: number; largestShare: number } {
    let largest = 0;
    for (let c = 0; c < this.clusterCount; c++) largest = Math.max(largest, this.members.of(c).length);
    return { clusters: this.clusterCount, largestShare: largest / Math.max(1, this.vectors.count) };
  }

  private nearestClusters(query: Float32Array, count: number, extraGroups = 3): number[] {
    const d = this.vectors.dimensions;
    const top = new TopK(count);
    const cs = this.centroids;
    const score = (c: number) => {
      let dot = 0;
      for (let j = 0, o = c * d; j < d; j++) dot += query[j]! * cs[o + j]!;
      return dot;
    };
    if (!this.coarse) {
      for (let c = 0; c < this.clusterCount; c++) top.push(c, score(c));
    } else {
      const groups = this.coarse.members;
      const perGroup = this.clusterCount / groups.length;
      const nearGroups = new TopK(Math.min(groups.length, Math.ceil(count / perGroup) + extraGroups));
      for (let g = 0; g < groups.length; g++) {
        let dot = 0;
        for (let j = 0, o = g * d; j < d; j++) dot += query[j]! * this.coarse.centroids[o + j]!;
        nearGroups.push(g, dot);
      }
      for (const { slot: g } of nearGroups.sorted()) for (const c of groups[g]!) top.push(c, score(c));
    }
    return top.sorted().map((t) => t.slot);
  }
}

/** Slot → its group (−1: none), in 2 bytes a paper while there are fewer than 65,535 groups (all of arXiv: ~5,700). */
class SlotGroups {
  /** Group + 1; 0: none. */
  private values: Uint16Array | Int32Array;

  constructor(
    private readonly clusters: number,
    capacity: number,
  ) {
    this.values = this.make(Math.max(16, capacity));
  }

  get(slot: number): number {
    return slot >= 0 && slot < this.values.length ? this.values[slot]! - 1 : -1;
  }

  set(slot: number, cluster: number): void {
    if (slot >= this.values.length) {
      const grown = this.make(Math.max(slot + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[slot] = cluster + 1;
  }

  private make(n: number): Uint16Array | Int32Array {
    return this.clusters < 0xffff ? new Uint16Array(n) : new Int32Array(n);
  }
}

/**
 * Cluster → its slots, packed: every slot once in one array (4 bytes a paper, not the 8–12 of an
 * array per cluster), cluster c's from `start[c]`, in slot order. A cluster that gains or loses a
 * paper afterwards gets an array of its own (few: the papers that arrived or changed).
 */
class GroupMembers {
  private readonly packed: Int32Array;
  private readonly start: Int32Array;
  private readonly changed = new Map<number, number[]>();

  constructor(clusterOfSlot: SlotGroups, clusters: number, count: number) {
    this.start = new Int32Array(clusters + 1);
    for (let s = 0; s < count; s++) {
      const c = clusterOfSlot.get(s);
      if (c >= 0) this.start[c + 1]!++;
    }
    for (let c = 0; c < clusters; c++) this.start[c + 1]! += this.start[c]!;
    this.packed = new Int32Array(this.start[clusters]!);
    const next = this.start.slice(0, clusters);
    for (let s = 0; s < count; s++) {
      const c = clusterOfSlot.get(s);
      if (c >= 0) this.packed[next[c]!++] = s;
    }
  }

  of(c: number): ArrayLike<number> {
    return this.changed.get(c) ?? this.packed.subarray(this.start[c]!, this.start[c + 1]!);
  }

  add(c: number, slot: number): void {
    this.own(c).push(slot);
  }

  remove(c: number, slot: number): void {
    const list = this.own(c);
    list.splice(list.indexOf(slot), 1);
  }

  private own(c: number): number[] {
    let list = this.changed.get(c);
    if (!list) {
      list = Array.from(this.packed.subarray(this.start[c]!, this.start[c + 1]!));
      this.changed.set(c, list);
    }
    return list;
  }
}

/** The centroids grouped around √C centroids of their own. */
function groupCentroids(
  centroids: Float32Array,
  d: number,
): { centroids: Float32Array; members: number[][] } {
  const count = centroids.length / d;
  const points = Array.from({ length: count }, (_, c) => centroids.subarray(c * d, (c + 1) * d));
  const groups = Math.max(1, Math.round(Math.sqrt(count)));
  const coarse = kMeans(points, d, groups, 1);
  const members: number[][] = Array.from({ length: groups }, () => []);
  points.forEach((p, c) => {
    members[nearest(p, coarse, d)]!.push(c);
  });
  return { centroids: coarse, members };
}

function nearest(v: Float32Array, centroids: Float32Array, d: number): number {
  let best = 0;
  let bestDot = Number.NEGATIVE_INFINITY;
  for (let c = 0, o = 0; o < centroids.length; c++, o += d) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += v[j]! * centroids[o + j]!;
    if (dot > bestDot) {
      bestDot = dot;
      best = c;
    }
  }
  return best;
}

/**
 * Many centroids in two levels: √C groups of the sample first, then each group split into its
 * share of the C centroids. Flat k-means compares every sample point with every centroid (at all
 * of arXiv: 136,000 × 5,700 × 128 multiplications a round, minutes); this compares each with √C
 * groups and then with the centroids of its own group, about √C times less.
 */
function twoLevelKMeans(
  points: readonly Float32Array[],
  d: number,
  clusters: number,
  seed: number,
): Float32Array {
  const groups = Math.max(1, Math.round(Math.sqrt(clusters)));
  const top = kMeans(points, d, groups, seed);
  const members: Float32Array[][] = Array.from({ length: groups }, () => []);
  for (const p of points) members[nearest(p, top, d)]!.push(p);
  const out = new Float32Array(clusters * d);
  let made = 0;
  let seen = 0;
  members.forEach((group, g) => {
    // Centroids in proportion to the points so far, so rounding never adds up past `clusters`.
    seen += group.length;
    const count = Math.min(group.length, Math.round((clusters * seen) / points.length) - made);
    if (count <= 0) return;
    out.set(kMeans(group, d, count, seed + g + 1), made * d);
    made += count;
  });
  return out.slice(0, made * d);
}

/** Spherical k-means (cosine) over `points`; centroids start at points picked by a seeded generator. */
function kMeans(points: readonly Float32Array[], d: number, clusters: number, seed: number): Float32Array {
  const n = points.length;
  const random = mulberry32(seed);
  const centroids = new Float32Array(clusters * d);
  const picked = new Set<number>();
  for (let c = 0; c < clusters; c++) {
    let i = Math.floor(random() * n);
    while (picked.has(i) && picked.size < n) i = (i + 1) % n;
    picked.add(i);
    centroids.set(points[i]!, c * d);
  }
  const owner = new Int32Array(n);
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    points.forEach((v, i) => {
      owner[i] = nearest(v, centroids, d);
    });
    const sums = new Float32Array(clusters * d);
    const counts = new Int32Array(clusters);
    points.forEach((v, i) => {
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

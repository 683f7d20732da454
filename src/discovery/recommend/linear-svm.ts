/**
 * A linear support vector machine, trained the way liblinear trains scikit-learn's
 * `LinearSVC` (the per-request model of arxiv-sanity-lite): L2-regularised squared hinge loss,
 * solved in the dual by coordinate descent (Hsieh et al., ICML 2008), with a per-example cost
 * so that classes can be balanced, and a bias learned as the weight of a constant feature 1.
 *
 *   min_w ½‖w‖² + Σ_i C_i · max(0, 1 − y_i w·x_i)²
 *
 * Pure: examples in, weights out. Examples are sparse rows over `dimensions` features.
 */

export interface Example {
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
  /** +1 or −1. */
  label: 1 | -1;
  /** This example's C (cost of its errors). */
  cost: number;
}

export interface LinearModel {
  /** One weight per feature. */
  weights: Float64Array;
  bias: number;
  iterations: number;
}

export interface SvmOptions {
  /** Stop when the projected gradient's spread falls below this. Default 1e-4. */
  tolerance?: number;
  maxIterations?: number;
  /** The order examples are visited in each pass (a fixed seed gives the same model each time). */
  seed?: number;
}

export function trainLinearSvm(
  examples: readonly Example[],
  dimensions: number,
  options: SvmOptions = {},
): LinearModel {
  const tolerance = options.tolerance ?? 1e-4;
  const maxIterations = options.maxIterations ?? 1000;
  const n = examples.length;
  const w = new Float64Array(dimensions);
  let bias = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qii = new Float64Array(n);
  examples.forEach((e, i) => {
    if (!(e.cost > 0)) throw new RangeError(`example ${i} has cost ${e.cost}; a cost must be positive`);
    diag[i] = 1 / (2 * e.cost);
    let sq = 1; // the bias feature
    for (let j = 0; j < e.values.length; j++) sq += e.values[j]! * e.values[j]!;
    qii[i] = sq + diag[i]!;
  });
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(options.seed ?? 1);
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxPg = Number.NEGATIVE_INFINITY;
    let minPg = Number.POSITIVE_INFINITY;
    for (const i of order) {
      const e = examples[i]!;
      let dot = bias;
      for (let j = 0; j < e.indices.length; j++) dot += w[e.indices[j]!]! * e.values[j]!;
      const g = e.label * dot - 1 + diag[i]! * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        alpha[i] = Math.max(old - g / qii[i]!, 0);
        const step = (alpha[i]! - old) * e.label;
        for (let j = 0; j < e.indices.length; j++) w[e.indices[j]!] = w[e.indices[j]!]! + step * e.values[j]!;
        bias += step;
      }
    }
    if (maxPg - minPg < tolerance) break;
  }
  return { weights: w, bias, iterations: iteration + 1 };
}

/** w·x + b for a sparse row. */
export function decision(model: LinearModel, indices: ArrayLike<number>, values: ArrayLike<number>): number {
  let s = model.bias;
  for (let j = 0; j < indices.length; j++) s += model.weights[indices[j]!]! * values[j]!;
  return s;
}

/**
 * Costs that weigh each class as a whole alike, as scikit-learn's `class_weight='balanced'`:
 * C · n / (2 · n_class) for each example of a class.
 */
export function balancedCosts(labels: readonly (1 | -1)[], c: number): number[] {
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  return labels.map((l) => (c * labels.length) / (2 * (l === 1 ? positives : negatives)));
}

/** A small seeded generator (for the visiting order, and samples that must repeat). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import type { SparseVector } from './sparse.ts';

/**
 * A tf-idf model: sublinear term frequency (1 + ln tf), smoothed idf
 * (ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it), L2-normalised sparse vectors.
 * The vocabulary is chosen once, from document frequencies, and then stays fixed: documents
 * that arrive later are weighed with the same idf and their unknown terms are left out.
 */

export interface TfidfOptions {
  /** Keep at most this many terms, those in the most documents. Default 20,000. */
  maxFeatures?: number;
  /** Drop terms in fewer documents than this. Default 2. */
  minDf?: number;
  /** Drop terms in more than this share of documents (too common to tell papers apart). Default 1. */
  maxDfRatio?: number;
  /** 1 + ln(tf) instead of tf. Default true. */
  sublinearTf?: boolean;
}

export class TfidfModel {
  private constructor(
    /** Term → column. */
    readonly vocabulary: ReadonlyMap<string, number>,
    /** Column → term. */
    readonly terms: readonly string[],
    readonly idf: Float32Array,
    readonly sublinearTf: boolean,
  ) {}

  /** A model saved earlier: its terms (column order) and their idf. */
  static fromParts(terms: readonly string[], idf: Float32Array, sublinearTf = true): TfidfModel {
    if (terms.length !== idf.length)
      throw new RangeError(`${terms.length} terms but ${idf.length} idf values`);
    return new TfidfModel(new Map(terms.map((t, i) => [t, i])), [...terms], idf, sublinearTf);
  }

  /** Learn the vocabulary and idf from documents given as term lists (a term may repeat). */
  static fit(docs: readonly (readonly string[])[], options: TfidfOptions = {}): TfidfModel {
    const maxFeatures = options.maxFeatures ?? 20_000;
    const minDf = options.minDf ?? 2;
    const maxDf = (options.maxDfRatio ?? 1) * docs.length;
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    const kept = [...df]
      .filter(([, n]) => n >= minDf && n <= maxDf)
      // Most documents first; ties in term order so the vocabulary does not depend on input order.
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, maxFeatures)
      .map(([t]) => t)
      .sort();
    const vocabulary = new Map(kept.map((t, i) => [t, i]));
    const idf = new Float32Array(kept.length);
    kept.forEach((t, i) => {
      idf[i] = Math.log((1 + docs.length) / (1 + df.get(t)!)) + 1;
    });
    return new TfidfModel(vocabulary, kept, idf, options.sublinearTf ?? true);
  }

  get size(): number {
    return this.terms.length;
  }

  /** The L2-normalised tf-idf vector of a document's terms; all zero (empty) when none is known. */
  vectorize(terms: readonly string[], weights?: readonly number[]): SparseVector {
    const tf = new Map<number, number>();
    terms.forEach((t, i) => {
      const col = this.vocabulary.get(t);
      if (col !== undefined) tf.set(col, (tf.get(col) ?? 0) + (weights?.[i] ?? 1));
    });
    const indices = Uint32Array.from([...tf.keys()].sort((a, b) => a - b));
    const values = new Float32Array(indices.length);
    let norm = 0;
    indices.forEach((col, i) => {
      const f = tf.get(col)!;
      const w = (this.sublinearTf && f >= 1 ? 1 + Math.log(f) : f) * this.idf[col]!;
      values[i] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < values.length; i++) values[i] = values[i]! / norm;
    return { indices, values };
  }
}

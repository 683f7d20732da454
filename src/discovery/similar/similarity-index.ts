import { type DocumentOptions, documentTerms, type SimilarityInput } from './document.ts';
import { fitModel, normalize, project } from './fit.ts';
import { sharedTerms } from './reasons.ts';
import type { SparseVector } from './sparse.ts';
import { TfidfModel, type TfidfOptions } from './tfidf.ts';
import { BruteForceVectorSearch, TopK, type VectorSearch } from './vector-search.ts';

/**
 * Similar papers from two signals over title, abstract and authors:
 * - lexical: cosine of tf-idf vectors (words and adjacent pairs, sublinear tf);
 * - dense: cosine of the same vectors projected on the leading singular directions of the
 *   corpus's tf-idf matrix (latent semantic analysis), learned here from the corpus itself.
 * score = lexicalWeight · lexical + (1 − lexicalWeight) · dense, in [−1, 1] (0.3 and 0.7 by
 * default). With expansion on, the dense query is first moved towards the paper's best first
 * neighbours (pseudo-relevance feedback) and `dense` is the cosine with that moved query.
 * Papers that arrive after the build are weighed with the same vocabulary and idf and
 * projected on the same basis, so adding one costs one projection, not a rebuild.
 */

export interface SimilarityOptions extends DocumentOptions, TfidfOptions {
  /** Dense dimensions (singular directions kept). Default 128. */
  dimensions?: number;
  /** Weight of the lexical cosine in the blend; the dense cosine gets the rest. Default 0.3. */
  lexicalWeight?: number;
  /**
   * Dense coordinates are scaled by σ^(sigmaPower − 1) after projection: 1 keeps the
   * singular values (classic LSA document vectors UΣ), 0 weighs every direction alike, 2
   * leans on the broad leading directions (a field more than a phrase). Default 2, the best
   * of 0, 0.5, 1, 1.5, 2 and 3 on the quality benchmark (docs/quality.md).
   */
  sigmaPower?: number;
  /**
   * Weight of the first neighbours' dense vectors added to the query before a second pass
   * (pseudo-relevance feedback); 0 turns it off. Default 1.
   */
  expansion?: number;
  /** Learn vocabulary and basis from at most this many papers (an even sample). Default 50,000. */
  fitSample?: number;
  /** How many first neighbours feed the expansion. Default 5. */
  expansionDepth?: number;
  /** How many dense neighbours to consider besides every paper sharing a term. Default 100. */
  denseCandidates?: number;
  seed?: number;
}

/**
 * What a build learned (options, vocabulary, idf, dense basis) as plain JSON, so a process can
 * index papers again without the SVD: `SimilarityIndex.restore(snapshot, papers)`.
 */
export interface SimilaritySnapshot {
  version: 1;
  options: SimilarityOptions;
  terms: string[];
  idf: number[];
  sublinearTf: boolean;
  dimensions: number;
  /** Terms × dimensions Float32 values, row-major, little-endian, base64. */
  basis: string;
}

export interface Neighbour {
  paperId: number;
  /** The blend, in [−1, 1]. */
  score: number;
  /** Cosine of the tf-idf vectors, in [0, 1]. */
  lexical: number;
  /** Cosine of the dense vectors (with the expanded query when expansion is on). */
  dense: number;
  /** The shared terms that weigh most in the lexical score, best first. */
  shared: string[];
  /** "shares: neural tangent kernel, infinite width", or "" when no term is shared. */
  reason: string;
}

interface Defaults {
  dimensions: number;
  lexicalWeight: number;
  sigmaPower: number;
  denseCandidates: number;
  expansion: number;
  expansionDepth: number;
  fitSample: number;
}

const DEFAULTS: Defaults = {
  dimensions: 128,
  lexicalWeight: 0.3,
  sigmaPower: 2,
  denseCandidates: 100,
  expansion: 1,
  expansionDepth: 5,
  fitSample: 50_000,
};

export class SimilarityIndex {
  private readonly ids: number[] = [];
  private readonly slots = new Map<number, number>();
  private readonly lexical: SparseVector[] = [];
  /** Term column → slots holding it and the term's weight there. */
  private readonly postings: { slots: number[]; weights: number[] }[];
  private readonly settings: Defaults;

  private constructor(
    private readonly model: TfidfModel,
    /** Terms × dimensions, row-major: the projection of term t is row t, already scaled. */
    private readonly basis: Float32Array,
    readonly dimensions: number,
    private readonly vectors: VectorSearch,
    private readonly options: SimilarityOptions,
  ) {
    this.settings = { ...DEFAULTS, ...definedOnly(options) };
    this.postings = Array.from({ length: model.size }, () => ({ slots: [], weights: [] }));
  }

  /** Learn the vocabulary and the dense basis from `papers` and index them. */
  static build(papers: readonly SimilarityInput[], given: SimilarityOptions = {}): SimilarityIndex {
    // Word pairs by default: they make the reasons readable ("neural tangent kernel").
    const options: SimilarityOptions = { ngrams: 2, ...definedOnly(given) };
    const settings = { ...DEFAULTS, ...definedOnly(options) };
    const docs = papers.map((p) => documentTerms(p, options));
    const { model, basis, dimensions: k } = fitModel(docs, { ...options, ...settings });
    const rows = docs.map((d) => model.vectorize(d.terms, d.weights));
    const index = new SimilarityIndex(model, basis, k, new BruteForceVectorSearch(k, papers.length), options);
    papers.forEach((p, i) => {
      index.put(p.id, rows[i]!);
    });
    return index;
  }

  /** Index `papers` with what an earlier build learned: one projection each, no SVD. */
  static restore(snapshot: SimilaritySnapshot, papers: readonly SimilarityInput[]): SimilarityIndex {
    if (snapshot.version !== 1)
      throw new RangeError(`unknown similarity snapshot version ${snapshot.version}`);
    const model = TfidfModel.fromParts(snapshot.terms, Float32Array.from(snapshot.idf), snapshot.sublinearTf);
    const bytes = Buffer.from(snapshot.basis, 'base64');
    const basis = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(basis.buffer).set(bytes);
    if (basis.length !== model.size * snapshot.dimensions) {
      throw new RangeError(
        `basis holds ${basis.length} values, expected ${model.size} × ${snapshot.dimensions}`,
      );
    }
    const index = new SimilarityIndex(
      model,
      basis,
      snapshot.dimensions,
      new BruteForceVectorSearch(snapshot.dimensions, papers.length),
      snapshot.options,
    );
    for (const p of papers) index.add(p);
    return index;
  }

  snapshot(): SimilaritySnapshot {
    return {
      version: 1,
      options: { ...this.options },
      terms: [...this.model.terms],
      idf: [...this.model.idf],
      sublinearTf: this.model.sublinearTf,
      dimensions: this.dimensions,
      basis: Buffer.from(this.basis.buffer, this.basis.byteOffset, this.basis.byteLength).toString('base64'),
    };
  }

  get size(): number {
    return this.ids.length;
  }

  has(paperId: number): boolean {
    return this.slots.has(paperId);
  }

  /** Index a paper that arrived after the build (or replace one already indexed). */
  add(paper: SimilarityInput): void {
    const d = documentTerms(paper, this.options);
    this.put(paper.id, this.model.vectorize(d.terms, d.weights));
  }

  /** The `k` papers most similar to `paperId`, best first; [] for a paper not indexed. */
  neighbours(paperId: number, k = 10): Neighbour[] {
    const slot = this.slots.get(paperId);
    if (slot === undefined || k <= 0) return [];
    return this.search(this.lexical[slot]!, this.vectors.vector(slot)!, slot, k);
  }

  /**
   * The `k` indexed papers most similar to a paper that is not indexed (a pasted abstract),
   * leaving it unindexed. A paper with an indexed id is not listed as its own neighbour.
   */
  similarTo(paper: SimilarityInput, k = 10): Neighbour[] {
    if (k <= 0) return [];
    const d = documentTerms(paper, this.options);
    const vector = this.model.vectorize(d.terms, d.weights);
    return this.search(vector, this.project(vector), this.slots.get(paper.id) ?? -1, k);
  }

  private search(query: SparseVector, queryDense: Float32Array, slot: number, k: number): Neighbour[] {
    // Lexical cosines by slot, accumulated over the postings of the query's terms.
    const lexicalScores = new Float64Array(this.ids.length);
    const touched: number[] = [];
    for (let i = 0; i < query.indices.length; i++) {
      const list = this.postings[query.indices[i]!]!;
      const w = query.values[i]!;
      for (let j = 0; j < list.slots.length; j++) {
        const s = list.slots[j]!;
        if (s === slot) continue;
        if (lexicalScores[s] === 0) touched.push(s);
        lexicalScores[s] = lexicalScores[s]! + w * list.weights[j]!;
      }
    }
    let ranked = this.rank(
      slot,
      queryDense,
      lexicalScores,
      touched,
      Math.max(k, this.settings.expansionDepth),
    );
    const beta = this.settings.expansion;
    if (beta > 0 && ranked.length > 0) {
      // Pseudo-relevance feedback: move the dense query towards its best first neighbours, which
      // pulls the list towards the paper's field rather than towards one accidental shared phrase.
      const expanded = Float32Array.from(queryDense);
      const depth = Math.min(ranked.length, this.settings.expansionDepth);
      for (const { slot: s } of ranked.slice(0, depth)) {
        const v = this.vectors.vector(s)!;
        for (let c = 0; c < expanded.length; c++) expanded[c] = expanded[c]! + (beta / depth) * v[c]!;
      }
      ranked = this.rank(slot, normalize(expanded), lexicalScores, touched, k);
    }
    return ranked.slice(0, k).map(({ slot: s, score, lexical, dense }) => {
      const shared = sharedTerms(query, this.lexical[s]!, this.model.terms);
      return {
        paperId: this.ids[s]!,
        score: clamp(score),
        lexical: clamp(lexical),
        dense: clamp(dense),
        shared,
        reason: shared.length > 0 ? `shares: ${shared.join(', ')}` : '',
      };
    });
  }

  /** The best `k` by the blend: every paper sharing a term, plus the dense search's candidates. */
  private rank(
    slot: number,
    queryDense: Float32Array,
    lexicalScores: Float64Array,
    touched: number[],
    k: number,
  ): { slot: number; score: number; lexical: number; dense: number }[] {
    const denseScores = new Map<number, number>();
    for (const hit of this.vectors.search(queryDense, Math.max(k, this.settings.denseCandidates), slot)) {
      denseScores.set(hit.slot, hit.score);
    }
    const wl = this.settings.lexicalWeight;
    const top = new TopK(k);
    let denseFloor = Number.POSITIVE_INFINITY;
    for (const [s, dense] of denseScores) {
      denseFloor = Math.min(denseFloor, dense);
      top.push(s, wl * lexicalScores[s]! + (1 - wl) * dense);
    }
    // A paper outside the dense candidates has a dense cosine at most the last candidate's, so
    // its lexical score alone tells whether it could still enter.
    const prune = wl >= 0 && wl <= 1;
    for (const s of touched) {
      if (denseScores.has(s)) continue;
      if (prune && wl * lexicalScores[s]! + (1 - wl) * denseFloor < top.threshold) continue;
      top.push(s, wl * lexicalScores[s]! + (1 - wl) * this.vectors.score(queryDense, s));
    }
    const denseOf = (s: number) => denseScores.get(s) ?? this.vectors.score(queryDense, s);
    return top.sorted().map(({ slot: s, score }) => ({
      slot: s,
      score,
      lexical: lexicalScores[s]!,
      dense: denseOf(s),
    }));
  }

  private put(paperId: number, vector: SparseVector): void {
    let slot = this.slots.get(paperId);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(paperId);
      this.slots.set(paperId, slot);
    } else {
      for (const col of this.lexical[slot]!.indices) {
        const list = this.postings[col]!;
        const at = list.slots.indexOf(slot);
        list.slots.splice(at, 1);
        list.weights.splice(at, 1);
      }
    }
    this.lexical[slot] = vector;
    for (let i = 0; i < vector.indices.length; i++) {
      const list = this.postings[vector.indices[i]!]!;
      list.slots.push(slot);
      list.weights.push(vector.values[i]!);
    }
    this.vectors.set(slot, this.project(vector));
  }

  private project(vector: SparseVector): Float32Array {
    return project(vector, this.basis, this.dimensions);
  }
}

/** Float rounding can put a cosine of unit vectors a hair outside [−1, 1]. */
function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { AUTHOR_PREFIX, type DocumentOptions, documentTerms, type SimilarityInput } from './document.ts';
import { csrFromRows, type SparseVector } from './sparse.ts';
import { truncatedSvd } from './svd.ts';
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
const REASON_TERMS = 4;

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
    // A large corpus learns its vocabulary and basis from an even sample; the rest is projected
    // like papers that arrive later.
    const step = Math.max(1, Math.ceil(docs.length / settings.fitSample));
    const sample = docs.filter((_, i) => i % step === 0);
    const model = TfidfModel.fit(
      sample.map((d) => d.terms),
      options,
    );
    const rows = docs.map((d) => model.vectorize(d.terms, d.weights));
    const fitRows = step === 1 ? rows : rows.filter((_, i) => i % step === 0);
    const svd = truncatedSvd(csrFromRows(fitRows, model.size), settings.dimensions, {
      seed: options.seed ?? 1,
    });
    const k = svd.rank;
    const basis = new Float32Array(model.size * k);
    for (let c = 0; c < k; c++) {
      const sigma = svd.singularValues[c]!;
      const scale = sigma > 0 ? sigma ** (settings.sigmaPower - 1) : 0;
      for (let t = 0; t < model.size; t++) basis[t * k + c] = svd.basis[c * model.size + t]! * scale;
    }
    const index = new SimilarityIndex(model, basis, k, new BruteForceVectorSearch(k, papers.length), options);
    papers.forEach((p, i) => {
      index.put(p.id, rows[i]!);
    });
    return index;
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
    const query = this.lexical[slot]!;
    const queryDense = this.vectors.vector(slot)!;
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
      const shared = this.sharedTerms(query, this.lexical[s]!);
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
    const k = this.dimensions;
    const out = new Float32Array(k);
    for (let i = 0; i < vector.indices.length; i++) {
      const o = vector.indices[i]! * k;
      const v = vector.values[i]!;
      for (let c = 0; c < k; c++) out[c] = out[c]! + v * this.basis[o + c]!;
    }
    let norm = 0;
    for (let c = 0; c < k; c++) norm += out[c]! * out[c]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < k; c++) out[c] = out[c]! / norm;
    return out;
  }

  /**
   * The shared terms with the largest share of the lexical cosine. A pair is preferred to its
   * words, and overlapping pairs are joined: "neural tangent" + "tangent kernel" → "neural tangent kernel".
   */
  private sharedTerms(a: SparseVector, b: SparseVector): string[] {
    const contributions: { term: string; weight: number }[] = [];
    let i = 0;
    let j = 0;
    while (i < a.indices.length && j < b.indices.length) {
      const x = a.indices[i]!;
      const y = b.indices[j]!;
      if (x === y)
        contributions.push({ term: this.model.terms[x]!, weight: a.values[i++]! * b.values[j++]! });
      else if (x < y) i++;
      else j++;
    }
    contributions.sort((p, q) => q.weight - p.weight || (p.term < q.term ? -1 : 1));
    const picked: string[] = [];
    for (const { term } of contributions) {
      if (picked.length >= REASON_TERMS * 2) break;
      if (term.includes(' ') && !term.startsWith(AUTHOR_PREFIX)) {
        picked.push(term);
      } else if (!picked.some((p) => p.split(' ').includes(term))) {
        picked.push(term);
      }
    }
    return joinOverlaps(picked.filter((t, n) => !isWordOfLaterPair(t, picked, n)))
      .slice(0, REASON_TERMS)
      .map((t) => (t.startsWith(AUTHOR_PREFIX) ? `same author ${t.slice(AUTHOR_PREFIX.length)}` : t));
  }
}

/** A single word picked before a pair that contains it adds nothing. */
function isWordOfLaterPair(term: string, picked: string[], at: number): boolean {
  return (
    !term.includes(' ') &&
    picked.some((p, n) => n > at && !p.startsWith(AUTHOR_PREFIX) && p.split(' ').includes(term))
  );
}

function joinOverlaps(terms: string[]): string[] {
  const out = [...terms];
  for (let changed = true; changed; ) {
    changed = false;
    for (let x = 0; x < out.length && !changed; x++) {
      for (let y = 0; y < out.length && !changed; y++) {
        const a = out[x]!;
        const b = out[y]!;
        if (x === y || a.startsWith(AUTHOR_PREFIX) || b.startsWith(AUTHOR_PREFIX)) continue;
        const aw = a.split(' ');
        const bw = b.split(' ');
        if (aw.length === 2 && bw.length === 2 && aw[1] === bw[0]) {
          out[x] = `${a} ${bw[1]}`;
          out.splice(y, 1);
          changed = true;
        }
      }
    }
  }
  return out;
}

function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let c = 0; c < v.length; c++) norm += v[c]! * v[c]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let c = 0; c < v.length; c++) v[c] = v[c]! / norm;
  return v;
}

/** Float rounding can put a cosine of unit vectors a hair outside [−1, 1]. */
function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import type { DenseEncoder } from './dense-encoder.ts';
import { encoderText } from './dense-encoder.ts';
import { documentTerms, type SimilarityInput } from './document.ts';
import { fitModel, normalize, project } from './fit.ts';
import { dotAt, Int8Vectors, unitAt } from './int8-vectors.ts';
import { IvfIndex, type Probe } from './ivf.ts';
import { LexicalRows, MAX_TERMS } from './lexical-rows.ts';
import { NeighbourLists } from './neighbour-lists.ts';
import { sharedTerms } from './reasons.ts';
import type { Neighbour, SimilarityOptions } from './similarity-index.ts';
import type { SparseVector } from './sparse.ts';
import type { TfidfModel } from './tfidf.ts';
import { TopK } from './vector-search.ts';

/**
 * Similar papers at the scale of all of arXiv. The same two signals and blend as
 * `SimilarityIndex` (tf-idf cosine and the dense cosine, 0.3 / 0.7, with pseudo-relevance
 * feedback), computed differently:
 * - the dense vectors are kept as bytes (`Int8Vectors`) and searched through an inverted file
 *   (`IvfIndex`) once the corpus passes `exactBelow` papers (every vector is scanned below that);
 * - the candidates of a paper are its `candidates` best dense neighbours; each gets its exact
 *   lexical cosine from the packed tf-idf rows (`LexicalRows`), the blend ranks them, the dense
 *   query moves towards the best five and the candidates are ranked again;
 * - a paper's best `width` neighbours are computed the first time they are asked for (a bounded
 *   probe of the inverted file: a few thousand int8 vectors, a few ms) and kept (`NeighbourLists`,
 *   saved with the index), so a build costs one pass over the papers whatever the corpus, and a
 *   request for a kept list is no search at all. A corpus of at most `eagerBelow` papers gets
 *   every list at build (seconds), as a large one would after its papers have all been asked for.
 * A paper that arrives gets its own list; the kept lists of the papers among its candidates that it
 * would enter (scored from their side) are dropped, to be computed again with it; a paper whose
 * text changed is re-indexed, and the kept lists that held it are dropped. A list is thus always
 * the one a search would give at the time it was computed. `SimilarityIndex` stays as the exact
 * brute-force reference.
 */
export interface NeighbourIndexOptions extends SimilarityOptions {
  /** Neighbours kept per paper. Default 20. */
  width?: number;
  /** Dense candidates scored per paper. Default 200. */
  candidates?: number;
  /** Corpora smaller than this scan every vector instead of an inverted file. Default 20,000. */
  exactBelow?: number;
  /** Inverted-file groups scanned per search. Default 8. */
  probes?: number;
  /** Papers per inverted-file group, on average. Default 512. */
  clusterSize?: number;
  /** Corpora of at most this many papers get every list at build. Default 10,000. */
  eagerBelow?: number;
  /**
   * Memory for kept neighbour lists, in bytes (168 a list at width 20): past it the least recently
   * asked-for list is let go, and computed again when asked for. Default 64 MiB (~400,000 lists).
   */
  keptListBytes?: number;
}

/** Options of a loaded index that may differ from those it was built with. */
export interface ServingOptions {
  keptListBytes?: number;
}

export interface ScoredPaper {
  paperId: number;
  score: number;
}

export type BuildProgress = (phase: string, done: number, total: number) => void;

/** Papers read in pages, twice over for a build (a sample to learn from, then everything). */
export interface PaperPages {
  count: number;
  pages(): AsyncIterable<readonly SimilarityInput[]>;
  /**
   * Every `step`-th paper (the 1st, the (step+1)-th, …), if the source can give them without
   * reading the others in full (a file can skip lines unparsed); else they are taken from `pages`.
   */
  sample?(step: number): AsyncIterable<readonly SimilarityInput[]>;
}

interface Settings {
  width: number;
  candidates: number;
  exactBelow: number;
  probes: number;
  eagerBelow: number;
  dimensions: number;
  lexicalWeight: number;
  sigmaPower: number;
  expansion: number;
  expansionDepth: number;
  fitSample: number;
  keptListBytes: number;
}

const DEFAULTS: Settings = {
  width: 20,
  candidates: 200,
  exactBelow: 20_000,
  probes: 8,
  eagerBelow: 10_000,
  dimensions: 128,
  lexicalWeight: 0.3,
  sigmaPower: 2,
  expansion: 1,
  expansionDepth: 5,
  fitSample: 50_000,
  keptListBytes: 64 * 2 ** 20,
};

/** Everything an index holds, as saved and restored by `index-file.ts`. */
export interface NeighbourIndexParts {
  options: NeighbourIndexOptions;
  model: TfidfModel;
  basis: Float32Array;
  dimensions: number;
  encoderId: string | undefined;
  fittedOn: number;
  ids: Int32Array;
  vectors: Int8Vectors;
  rows: LexicalRows;
  lists: NeighbourLists;
  ivf: { centroids: Float32Array; assignment: Int32Array } | undefined;
}

export class NeighbourIndex {
  private readonly settings: Settings;
  private ids: Int32Array;
  private slotById = new Int32Array(0);
  private ivf: IvfIndex | undefined;

  private constructor(
    readonly options: NeighbourIndexOptions,
    readonly model: TfidfModel,
    private readonly basis: Float32Array,
    readonly dimensions: number,
    private readonly encoder: DenseEncoder | undefined,
    /** How many papers the vocabulary and basis were learned over (the refit policy reads it). */
    readonly fittedOn: number,
    private vectors: Int8Vectors,
    private rows: LexicalRows,
    private lists: NeighbourLists,
    ids: Int32Array,
    serving: ServingOptions = {},
  ) {
    this.settings = { ...DEFAULTS, ...definedOnly(options), ...definedOnly(serving) };
    this.lists.limit(this.maxLists());
    this.ids = ids;
    // Sized once to the largest id (growing by half as ids come would leave up to a third unused).
    let largest = -1;
    for (let s = 0; s < vectors.count; s++) largest = Math.max(largest, ids[s]!);
    if (largest >= 0) this.slotById = new Int32Array(largest + 1).fill(-1);
    for (let s = 0; s < vectors.count; s++) this.mapId(ids[s]!, s);
  }

  /** Lists that fit `keptListBytes`: slots and scores (8 bytes a neighbour) and 12 bytes of bookkeeping. */
  private maxLists(): number {
    return Math.max(1, Math.floor(this.settings.keptListBytes / (this.settings.width * 8 + 12)));
  }

  /** Learn from the papers and index them all (and, for a small corpus, compute every list). */
  static async build(
    source: PaperPages,
    given: NeighbourIndexOptions = {},
    encoder?: DenseEncoder,
    progress: BuildProgress = () => {},
  ): Promise<NeighbourIndex> {
    const options: NeighbourIndexOptions = { ngrams: 2, ...definedOnly(given) };
    const settings = { ...DEFAULTS, ...definedOnly(options) };
    if ((options.maxFeatures ?? 20_000) > MAX_TERMS) {
      throw new RangeError(
        `maxFeatures ${options.maxFeatures} is more than the ${MAX_TERMS} terms a row can name`,
      );
    }
    // Pass 1: an even sample to learn the vocabulary and the basis from.
    const step = Math.max(1, Math.ceil(source.count / settings.fitSample));
    const sample: { terms: string[]; weights: number[] }[] = [];
    let seen = 0;
    if (source.sample) {
      for await (const page of source.sample(step)) {
        for (const paper of page) sample.push(documentTerms(paper, options));
        seen += page.length * step;
        progress('reading a sample', Math.min(seen, source.count), source.count);
      }
    } else {
      for await (const page of source.pages()) {
        for (const paper of page) if (seen++ % step === 0) sample.push(documentTerms(paper, options));
        progress('reading a sample', seen, source.count);
      }
    }
    progress('learning vocabulary and basis', 0, 1);
    const fitted = fitModel(sample, { ...options, ...settings, lexicalOnly: encoder !== undefined });
    const dimensions = encoder ? encoder.dimensions : fitted.dimensions;
    const index = new NeighbourIndex(
      options,
      fitted.model,
      fitted.basis,
      dimensions,
      encoder,
      sample.length * step,
      new Int8Vectors(dimensions, source.count),
      new LexicalRows(source.count),
      new NeighbourLists(settings.width, source.count),
      new Int32Array(Math.max(16, source.count)),
    );
    // Pass 2: every paper weighed and projected.
    let done = 0;
    for await (const page of source.pages()) {
      await index.put(page);
      done += page.length;
      progress('indexing papers', done, source.count);
    }
    if (index.size >= settings.exactBelow) progress('grouping vectors', 0, 1);
    index.trainIvfIfLarge();
    const n = index.size;
    if (n <= settings.eagerBelow) {
      for (let s = 0; s < n; s++) {
        index.lists.set(s, index.computeList(s, settings.width));
        if (s % 2000 === 1999 || s === n - 1) progress('finding neighbours', s + 1, n);
      }
    }
    return index;
  }

  static fromParts(
    parts: NeighbourIndexParts,
    encoder?: DenseEncoder,
    serving: ServingOptions = {},
  ): NeighbourIndex {
    if ((encoder?.id ?? undefined) !== parts.encoderId) {
      throw new RangeError(
        `the index was built with ${parts.encoderId ?? 'the SVD of the corpus'}, not ${encoder?.id ?? 'the SVD of the corpus'}`,
      );
    }
    const index = new NeighbourIndex(
      parts.options,
      parts.model,
      parts.basis,
      parts.dimensions,
      encoder,
      parts.fittedOn,
      parts.vectors,
      parts.rows,
      parts.lists,
      parts.ids,
      serving,
    );
    index.restoreIvf(parts);
    return index;
  }

  /**
   * Take the vectors, rows, lists and groups of the same index as just saved and loaded again, in
   * place of those held (after a save: what arrived since is then read from the new file, not
   * held). The model, basis and options must be the ones this index has: it is the same index.
   */
  reload(parts: NeighbourIndexParts): void {
    if (parts.ids.length !== this.size || parts.dimensions !== this.dimensions) {
      throw new RangeError(`a reload of ${this.size} papers given ${parts.ids.length}`);
    }
    const old = [this.vectors, this.rows];
    this.vectors = parts.vectors;
    this.rows = parts.rows;
    this.lists = parts.lists;
    this.lists.limit(this.maxLists());
    this.ids = parts.ids;
    this.ivf = undefined;
    this.restoreIvf(parts);
    for (const o of old) o.close();
  }

  private restoreIvf(parts: NeighbourIndexParts): void {
    if (!parts.ivf) return;
    this.ivf = IvfIndex.restore(
      parts.vectors,
      parts.ivf.centroids,
      parts.ivf.assignment,
      this.settings.probes,
    );
  }

  /** What `index-file.ts` saves. */
  parts(): NeighbourIndexParts {
    const n = this.size;
    return {
      options: this.options,
      model: this.model,
      basis: this.basis,
      dimensions: this.dimensions,
      encoderId: this.encoder?.id,
      fittedOn: this.fittedOn,
      ids: this.ids.subarray(0, n),
      vectors: this.vectors,
      rows: this.rows,
      lists: this.lists,
      ivf: this.ivf ? { centroids: this.ivf.centroids, assignment: this.ivf.assignment(n) } : undefined,
    };
  }

  get size(): number {
    return this.vectors.count;
  }

  /** The inverted file's groups (none below `exactBelow` papers), for the benchmark. */
  invertedFile(): { clusters: number; largestShare: number } | undefined {
    return this.ivf?.balance();
  }

  /** How many papers' lists are kept (computed at build or when first asked for). */
  get listsKept(): number {
    return this.lists.count;
  }

  /** Let go of the index file the tf-idf rows and vectors are read from (after loading). */
  close(): void {
    this.rows.close();
    this.vectors.close();
  }

  /** Whether the dense vectors are all held in memory (as built, or loaded from a file of an earlier format). */
  get vectorsInMemory(): boolean {
    return this.vectors.inMemory;
  }

  /** Bytes held for the dense vectors (all of them in memory, or only each one's row in the file). */
  get vectorBytesHeld(): number {
    return this.vectors.heldBytes;
  }

  get width(): number {
    return this.settings.width;
  }

  get encoderId(): string | undefined {
    return this.encoder?.id;
  }

  has(paperId: number): boolean {
    return this.slotOf(paperId) >= 0;
  }

  /**
   * Index papers that arrived or whose text changed, without a rebuild: each gets its list; the kept
   * lists of its candidates that it would enter, and those that held a changed paper, are dropped
   * (computed again, with it, when next asked for).
   */
  async update(papers: readonly SimilarityInput[]): Promise<void> {
    if (papers.length === 0) return;
    const changed = new Set(papers.map((p) => this.slotOf(p.id)).filter((s) => s >= 0));
    const slots = await this.put(papers);
    if (this.trainIvfIfLarge()) {
      // New groups: every kept list was found through none; they are computed again when asked.
      this.lists.clear();
      return;
    }
    for (const s of slots) this.ivf?.assign(s);
    if (changed.size > 0) {
      // Lists that held a changed paper scored its old text; its own list too.
      for (const s of this.lists.holdersOf(changed)) this.lists.drop(s);
      for (const s of changed) this.lists.drop(s);
    }
    for (const s of slots) {
      const pool: number[] = [];
      this.lists.set(s, this.computeList(s, this.width, pool));
      const v = this.vectors.vector(s);
      const row = this.rows.row(s);
      // A kept list it would enter is dropped rather than patched: computed again, it is exactly
      // what a search now gives (the query's expansion moves with its best neighbours).
      for (const c of pool) {
        if (this.lists.cached(c) && this.lists.wouldEnter(c, s, this.scoreFromSide(c, row, v)))
          this.lists.drop(c);
      }
    }
  }

  /** The `k` papers most similar to `paperId`, best first, with the shared terms; [] if not indexed. */
  neighbours(paperId: number, k = 10): Neighbour[] {
    const slot = this.slotOf(paperId);
    if (slot < 0 || k <= 0) return [];
    const list = k <= this.width ? this.listOf(slot).slice(0, k) : this.computeList(slot, k);
    return this.explain(this.rows.row(slot), this.vectors.vector(slot), list);
  }

  /** The `k` papers most similar to `paperId`, best first, without reasons (what a recommender reads). */
  nearestPapers(paperId: number, k = 10): ScoredPaper[] {
    const slot = this.slotOf(paperId);
    if (slot < 0 || k <= 0) return [];
    const list = k <= this.width ? this.listOf(slot).slice(0, k) : this.computeList(slot, k);
    return list.map((n) => ({ paperId: this.ids[n.slot]!, score: n.score }));
  }

  /** Neighbours of a paper that is not indexed (a pasted abstract); it stays unindexed. */
  async similarTo(paper: SimilarityInput, k = 10): Promise<Neighbour[]> {
    if (k <= 0) return [];
    const row = this.vectorize(paper);
    const [dense] = await this.denseOf([paper], [row]);
    const list = this.rank(row, dense!, this.slotOf(paper.id), k);
    return this.explain(row, dense!, list);
  }

  /** The paper's dense unit vector (SVD projection or the encoder's), as indexed; undefined if not indexed. */
  vectorOf(paperId: number): Float32Array | undefined {
    const slot = this.slotOf(paperId);
    return slot < 0 ? undefined : this.vectors.vector(slot);
  }

  /** The paper's tf-idf row as indexed (weights to 1/65,535); undefined if not indexed. */
  lexicalOf(paperId: number): SparseVector | undefined {
    const slot = this.slotOf(paperId);
    return slot < 0 ? undefined : this.rows.row(slot);
  }

  /**
   * The `k` papers whose dense vectors have the largest inner product with `vector` (normalised
   * first), best first: candidates for a recommender's own model. Papers in `exclude` are skipped.
   */
  nearestToVector(vector: Float32Array, k = 100, exclude: ReadonlySet<number> = new Set()): ScoredPaper[] {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`a vector of ${vector.length} dimensions given; the index has ${this.dimensions}`);
    }
    const query = normalize(Float32Array.from(vector));
    return this.denseSearch(query, k + exclude.size, -1)
      .hits.map((h) => ({ paperId: this.ids[h.slot]!, score: h.score }))
      .filter((h) => !exclude.has(h.paperId))
      .slice(0, k);
  }

  /** The list a full build would compute for `slot` (the bench and tests compare it with the stored one). */
  computeList(slot: number, k: number, pool?: number[]): { slot: number; score: number }[] {
    return this.rank(this.rows.row(slot), this.vectors.vector(slot), slot, k, pool);
  }

  /**
   * The list with the dense candidates found by scanning every vector instead of the inverted
   * file: what the stored lists are measured against (recall, in the benchmark and tests).
   */
  exactList(paperId: number, k = this.width): ScoredPaper[] {
    const slot = this.slotOf(paperId);
    if (slot < 0) return [];
    return this.rank(this.rows.row(slot), this.vectors.vector(slot), slot, k, undefined, true).map((n) => ({
      paperId: this.ids[n.slot]!,
      score: n.score,
    }));
  }

  /** The kept list of a paper (computed now if none is kept), as paper ids and scores. */
  storedList(paperId: number): ScoredPaper[] {
    const slot = this.slotOf(paperId);
    if (slot < 0) return [];
    return this.listOf(slot).map((n) => ({ paperId: this.ids[n.slot]!, score: n.score }));
  }

  /** Whether the list of a paper is kept (no search needed to answer it). */
  hasList(paperId: number): boolean {
    return this.lists.cached(this.slotOf(paperId)) !== undefined;
  }

  /** The kept list of `slot` (now the most recently used), or the list computed now and kept. */
  private listOf(slot: number): { slot: number; score: number }[] {
    const kept = this.lists.use(slot);
    if (kept) return kept;
    this.lists.set(slot, this.computeList(slot, this.width));
    // Read back as kept (scores as 32-bit floats), so a first answer equals every later one.
    return this.lists.cached(slot) ?? [];
  }

  paperIdAt(slot: number): number {
    return this.ids[slot]!;
  }

  private rank(
    row: SparseVector,
    dense: Float32Array,
    exclude: number,
    k: number,
    pool?: number[],
    exhaustive = false,
  ): { slot: number; score: number }[] {
    const { lexicalWeight: wl, expansion, expansionDepth } = this.settings;
    const d = this.dimensions;
    const { hits, vectors } = this.denseSearch(
      dense,
      Math.max(k, this.settings.candidates),
      exclude,
      exhaustive,
    );
    if (pool) for (const h of hits) pool.push(h.slot);
    const lexical = hits.map((h) => this.rows.dot(row, h.slot));
    const blend = (denseScores: number[]) => {
      const top = new TopK(Math.max(k, expansionDepth));
      hits.forEach((h, i) => {
        top.push(h.slot, wl * lexical[i]! + (1 - wl) * denseScores[i]!);
      });
      return top.sorted();
    };
    let ranked = blend(hits.map((h) => h.score));
    if (expansion > 0 && ranked.length > 0) {
      // Pseudo-relevance feedback, as in SimilarityIndex: move the dense query towards the best
      // first neighbours, then rank the same candidates again.
      // The candidates' vectors came with them from the probe: not read again.
      const expanded = Float32Array.from(dense);
      const depth = Math.min(ranked.length, expansionDepth);
      const placeOf = new Map(hits.map((h, i) => [h.slot, i]));
      for (const { slot } of ranked.slice(0, depth)) {
        const v = unitAt(vectors, placeOf.get(slot)! * d, d);
        for (let c = 0; c < expanded.length; c++) expanded[c] = expanded[c]! + (expansion / depth) * v[c]!;
      }
      normalize(expanded);
      ranked = blend(hits.map((_, i) => dotAt(expanded, vectors, i * d, d)));
    }
    return ranked.slice(0, k);
  }

  /** The blend of `candidate` as a neighbour of `slot`, with `slot`'s query expanded by its current list. */
  private scoreFromSide(slot: number, candidateRow: SparseVector, candidateDense: Float32Array): number {
    const { lexicalWeight: wl, expansion, expansionDepth } = this.settings;
    const query = this.vectors.vector(slot);
    if (expansion > 0) {
      const best = (this.lists.cached(slot) ?? []).slice(0, expansionDepth);
      for (const { slot: b } of best) {
        const v = this.vectors.vector(b);
        for (let c = 0; c < query.length; c++) query[c] = query[c]! + (expansion / best.length) * v[c]!;
      }
      normalize(query);
    }
    let dense = 0;
    for (let c = 0; c < query.length; c++) dense += query[c]! * candidateDense[c]!;
    return wl * this.rows.dot(candidateRow, slot) + (1 - wl) * dense;
  }

  private explain(
    row: SparseVector,
    dense: Float32Array,
    list: { slot: number; score: number }[],
  ): Neighbour[] {
    return list.map(({ slot, score }) => {
      const shared = sharedTerms(row, this.rows.row(slot), this.model.terms);
      return {
        paperId: this.ids[slot]!,
        score: clamp(score),
        lexical: clamp(this.rows.dot(row, slot)),
        dense: clamp(this.vectors.dot(dense, slot)),
        shared,
        reason: shared.length > 0 ? `shares: ${shared.join(', ')}` : '',
      };
    });
  }

  private denseSearch(query: Float32Array, k: number, exclude: number, exhaustive = false): Probe {
    if (this.ivf && !exhaustive) return this.ivf.search(query, k, exclude);
    const top = new TopK(k);
    const scores = this.vectors.scoreAll(query);
    for (let s = 0; s < this.size; s++) {
      if (s === exclude) continue;
      const score = scores[s]!;
      if (score > top.threshold) top.push(s, score);
    }
    const hits = top.sorted();
    const vectors = new Int8Array(hits.length * this.dimensions);
    this.vectors.copyInto(
      hits.map((h) => h.slot),
      hits.length,
      vectors,
      0,
    );
    return { hits, vectors };
  }

  /** An inverted file once the corpus is large enough; true when one was just trained. */
  private trainIvfIfLarge(): boolean {
    if (this.ivf || this.size < this.settings.exactBelow) return false;
    this.ivf = IvfIndex.train(this.vectors, {
      probes: this.settings.probes,
      clusterSize: this.options.clusterSize,
      seed: this.options.seed ?? 1,
    });
    return true;
  }

  /** Weigh and project papers into their slots (new slots at the end); returns the slots. */
  private async put(papers: readonly SimilarityInput[]): Promise<number[]> {
    const rows = papers.map((p) => this.vectorize(p));
    const dense = await this.denseOf(papers, rows);
    return papers.map((p, i) => {
      let slot = this.slotOf(p.id);
      if (slot < 0) {
        slot = this.size;
        if (slot >= this.ids.length) {
          const grown = new Int32Array(Math.max(16, Math.ceil(this.ids.length * 1.5)));
          grown.set(this.ids);
          this.ids = grown;
        }
        this.ids[slot] = p.id;
        this.mapId(p.id, slot);
      }
      this.rows.set(slot, rows[i]!);
      this.vectors.set(slot, dense[i]!);
      return slot;
    });
  }

  private vectorize(paper: SimilarityInput): SparseVector {
    const d = documentTerms(paper, this.options);
    return this.model.vectorize(d.terms, d.weights);
  }

  private async denseOf(papers: readonly SimilarityInput[], rows: SparseVector[]): Promise<Float32Array[]> {
    if (!this.encoder) return rows.map((r) => project(r, this.basis, this.dimensions));
    const vectors = await this.encoder.encode(papers.map(encoderText));
    for (const v of vectors) {
      if (v.length !== this.dimensions) {
        throw new RangeError(`the embedding model gave ${v.length} dimensions, expected ${this.dimensions}`);
      }
    }
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }

  private slotOf(paperId: number): number {
    return Number.isInteger(paperId) && paperId >= 0 && paperId < this.slotById.length
      ? this.slotById[paperId]!
      : -1;
  }

  /** Paper ids are the store's row ids, dense from 1: an array indexed by id is smaller than a map. */
  private mapId(paperId: number, slot: number): void {
    if (!Number.isInteger(paperId) || paperId < 0)
      throw new RangeError(`paper id ${paperId} is not a row id`);
    if (paperId >= this.slotById.length) {
      const grown = new Int32Array(Math.max(paperId + 1, Math.ceil(this.slotById.length * 1.5))).fill(-1);
      grown.set(this.slotById);
      this.slotById = grown;
    }
    this.slotById[paperId] = slot;
  }
}

/** Float rounding can put a cosine of unit vectors a hair outside [−1, 1]. */
function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { quotedPaperName } from '../../domain/paper-name.ts';
import type { MaybePromise } from '../../store/port.ts';
import { type DocumentOptions, documentTerms } from '../similar/document.ts';
import { sharedTerms } from '../similar/reasons.ts';
import { type SparseVector, sparseDot } from '../similar/sparse.ts';
import type { TfidfModel } from '../similar/tfidf.ts';
import { balancedCosts, decision, type Example, type LinearModel, trainLinearSvm } from './linear-svm.ts';

/**
 * Recommendations from papers a person liked (and, optionally, disliked):
 * 1. candidates from the similarity index — the nearest neighbours of each liked paper and the
 *    papers nearest the centroid of their dense vectors — so the cost follows the number of
 *    liked papers, not the size of the knowledge base;
 * 2. a linear SVM trained for this request on the index's features of each paper (tf-idf
 *    vector ⊕ dense vector): liked papers positive; disliked papers and a fixed random sample
 *    of the knowledge base (what a paper looks like in general) negative;
 * 3. candidates ranked by the model's score plus a share of their similarity to the nearest
 *    liked paper; each explained by the shared terms that weigh most in the model and by the
 *    liked paper it is nearest to.
 * arxiv-sanity-lite trains the same kind of model over every paper's tf-idf on each request
 * (`SvmBaseline` in baseline.ts); docs/quality.md compares the two.
 */

/** What the recommender reads of the similarity index (`NeighbourIndex` has it). */
export interface CandidateIndex {
  /** The index's tf-idf model and the options its documents were made with. */
  readonly model: TfidfModel;
  readonly options: DocumentOptions;
  /** Length of the dense vectors. */
  readonly dimensions: number;
  neighbours(paperId: number, k: number): readonly { paperId: number }[];
  /** The same papers without their reasons (which a recommender does not show), if the index can. */
  nearestPapers?(paperId: number, k: number): readonly { paperId: number }[];
  /** A paper's dense unit vector, as indexed. */
  vectorOf(paperId: number): Float32Array | undefined;
  /**
   * A paper's tf-idf vector as indexed, if the index keeps it: read instead of weighing the
   * paper's text again (tokenizing ~800 papers was half of a request).
   */
  lexicalOf?(paperId: number): SparseVector | undefined;
  nearestToVector(
    vector: Float32Array,
    k: number,
    exclude?: ReadonlySet<number>,
  ): readonly { paperId: number; score: number }[];
}

export interface RecommendCorpus {
  similarityIndex(): Promise<CandidateIndex>;
  getPaper(id: number): MaybePromise<Paper | undefined>;
  /** A paper by Paperscope id, arXiv id or DOI. */
  findPaper(ref: string): MaybePromise<Paper | undefined>;
  /** About `n` papers drawn at random, the same ones for the same seed. */
  samplePapers(n: number, seed: number): MaybePromise<Paper[]>;
}

export interface RecommendParameters {
  /** Neighbours taken from each liked paper. */
  perLiked: number;
  /** Papers taken nearest the centroid of the liked papers' dense vectors. */
  fromCentroid: number;
  /** Random papers that stand for "everything else" as negatives. */
  background: number;
  /** The SVM's C (arxiv-sanity-lite uses 0.01 over its whole corpus). */
  c: number;
  /** The dense vector's scale next to the unit tf-idf vector. */
  denseScale: number;
  /** A disliked paper counts as this many random negatives. */
  dislikeWeight: number;
  /** Added to the model's score: this times the blended cosine to the nearest liked paper. */
  similarityWeight: number;
  /** Share of the lexical cosine in that blend (as the similarity index does). */
  lexicalWeight: number;
}

export const RECOMMEND_PARAMETERS: RecommendParameters = {
  perLiked: 150,
  fromCentroid: 300,
  background: 300,
  c: 1,
  denseScale: 1,
  dislikeWeight: 3,
  similarityWeight: 1,
  lexicalWeight: 0.3,
};

export interface RecommendOptions {
  /** Paperscope ids, arXiv ids or DOIs. */
  like: readonly (string | number)[];
  dislike?: readonly (string | number)[];
  limit?: number;
}

export interface Recommendation {
  paper: Paper;
  score: number;
  /** The model's heaviest terms this paper shares with the liked ones. */
  terms: string[];
  /** The liked paper this one is nearest to. */
  nearest: { paperId: number; title: string | undefined; similarity: number };
  /** "shares: kernel regression, infinite width · like “Wide networks…”" */
  reason: string;
}

export interface Recommendations {
  like: number[];
  dislike: number[];
  candidates: number;
  papers: Recommendation[];
}

const BACKGROUND_SEED = 20_240_101;

interface Featured {
  paper: Paper;
  lexical: SparseVector;
  dense: Float32Array;
}

export class Recommender {
  /** The random negatives, drawn and weighed once per index: they stand for "any paper". */
  private readonly backgrounds = new WeakMap<CandidateIndex, Promise<Featured[]>>();

  constructor(
    private readonly corpus: RecommendCorpus,
    private readonly parameters: RecommendParameters = RECOMMEND_PARAMETERS,
  ) {}

  async recommend(options: RecommendOptions): Promise<Recommendations> {
    const limit = options.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new InvalidInputError(`limit must be a whole number from 1 to 500 (got ${limit}).`);
    }
    if (options.like.length === 0) throw new InvalidInputError('Give at least one liked paper.');
    if (options.like.length > 500) throw new InvalidInputError('Give at most 500 liked papers.');
    const liked = await this.resolve(options.like, 'liked');
    const disliked = await this.resolve(options.dislike ?? [], 'disliked');
    const likedIds = new Set(liked.map((p) => p.id));
    const both = disliked.find((p) => likedIds.has(p.id));
    if (both) throw new InvalidInputError(`Paper ${both.id} is both liked and disliked.`);
    const excluded = new Set([...likedIds, ...disliked.map((p) => p.id)]);

    const p = this.parameters;
    const index = await this.corpus.similarityIndex();
    const features = new Features(index);
    const featured = (paper: Paper): Featured => ({
      paper,
      lexical: features.lexical(paper),
      dense: features.dense(paper.id),
    });

    const candidateIds = new Set<number>();
    for (const paper of liked) {
      const near = index.nearestPapers?.(paper.id, p.perLiked) ?? index.neighbours(paper.id, p.perLiked);
      for (const n of near) candidateIds.add(n.paperId);
    }
    const centroid = new Float32Array(features.dimensions);
    for (const paper of liked) {
      const v = features.dense(paper.id);
      for (let c = 0; c < v.length; c++) centroid[c] = centroid[c]! + v[c]!;
    }
    if (centroid.some((x) => x !== 0)) {
      for (const n of index.nearestToVector(centroid, p.fromCentroid, excluded)) candidateIds.add(n.paperId);
    }
    for (const id of excluded) candidateIds.delete(id);
    const candidates = (await Promise.all([...candidateIds].map((id) => this.corpus.getPaper(id))))
      .filter((x): x is Paper => x !== undefined)
      .map(featured);

    const background = (await this.background(index, featured)).filter((f) => !excluded.has(f.paper.id));
    const positives = liked.map(featured);
    const negatives = [...disliked.map(featured), ...background];
    const model = this.train(positives, negatives, disliked.length, features);

    const scored = candidates.map((c) => {
      const nearest = nearestLiked(c, positives, p.lexicalWeight);
      const score = this.decide(model, c, features) + p.similarityWeight * nearest.similarity;
      return { c, score, nearest };
    });
    scored.sort((a, b) => b.score - a.score || a.c.paper.id - b.c.paper.id);

    const likedTerms = likedTermWeights(positives, model);
    return {
      like: liked.map((x) => x.id),
      dislike: disliked.map((x) => x.id),
      candidates: candidates.length,
      papers: scored.slice(0, limit).map(({ c, score, nearest }) => {
        const terms = sharedTerms(likedTerms, c.lexical, features.terms);
        const nearestPaper = nearest.featured.paper;
        const like = `like ${quotedPaperName(nearestPaper)}`;
        return {
          paper: c.paper,
          score,
          terms,
          nearest: { paperId: nearestPaper.id, title: nearestPaper.title, similarity: nearest.similarity },
          reason: terms.length > 0 ? `shares: ${terms.join(', ')} · ${like}` : like,
        };
      }),
    };
  }

  private background(index: CandidateIndex, featured: (paper: Paper) => Featured): Promise<Featured[]> {
    let drawn = this.backgrounds.get(index);
    if (!drawn) {
      drawn = Promise.resolve(this.corpus.samplePapers(this.parameters.background, BACKGROUND_SEED)).then(
        (papers) => papers.map(featured),
      );
      this.backgrounds.set(index, drawn);
    }
    return drawn;
  }

  private async resolve(refs: readonly (string | number)[], role: string): Promise<Paper[]> {
    const papers: Paper[] = [];
    const seen = new Set<number>();
    for (const ref of refs) {
      const text = String(ref).trim();
      if (text === '') throw new InvalidInputError(`An empty paper reference among the ${role} papers.`);
      const paper = await this.corpus.findPaper(text);
      if (!paper) {
        throw new NotFoundError(
          `No paper "${text}" (among the ${role} papers): give a Paperscope id, an arXiv id or a DOI.`,
        );
      }
      if (!seen.has(paper.id)) papers.push(paper);
      seen.add(paper.id);
    }
    return papers;
  }

  private example(f: Featured, label: 1 | -1, cost: number, features: Features): Example {
    const v = features.vocabularySize;
    const indices = new Uint32Array(f.lexical.indices.length + f.dense.length);
    const values = new Float32Array(indices.length);
    indices.set(f.lexical.indices);
    values.set(f.lexical.values);
    for (let c = 0; c < f.dense.length; c++) {
      indices[f.lexical.indices.length + c] = v + c;
      values[f.lexical.indices.length + c] = this.parameters.denseScale * f.dense[c]!;
    }
    return { indices, values, label, cost };
  }

  private train(
    positives: Featured[],
    negatives: Featured[],
    dislikedCount: number,
    features: Features,
  ): LinearModel {
    // Balanced classes; within the negatives a disliked paper weighs `dislikeWeight` random ones.
    const labels: (1 | -1)[] = [...positives.map(() => 1 as const), ...negatives.map(() => -1 as const)];
    const costs = balancedCosts(labels, this.parameters.c);
    const units = negatives.map((_, i) => (i < dislikedCount ? this.parameters.dislikeWeight : 1));
    const unitSum = units.reduce((a, b) => a + b, 0);
    const examples = [
      ...positives.map((f, i) => this.example(f, 1, costs[i]!, features)),
      ...negatives.map((f, i) => {
        const cost = (costs[positives.length + i]! * units[i]! * negatives.length) / unitSum;
        return this.example(f, -1, cost, features);
      }),
    ];
    return trainLinearSvm(examples, features.vocabularySize + features.dimensions, { maxIterations: 200 });
  }

  private decide(model: LinearModel, f: Featured, features: Features): number {
    let s = decision(model, f.lexical.indices, f.lexical.values);
    const v = features.vocabularySize;
    for (let c = 0; c < f.dense.length; c++)
      s += model.weights[v + c]! * this.parameters.denseScale * f.dense[c]!;
    return s;
  }
}

/** A paper as the per-request model sees it: the index's tf-idf vector ⊕ its dense vector. */
class Features {
  readonly dimensions: number;

  constructor(private readonly index: CandidateIndex) {
    this.dimensions = index.dimensions;
  }

  get terms(): readonly string[] {
    return this.index.model.terms;
  }

  get vocabularySize(): number {
    return this.index.model.size;
  }

  lexical(paper: Paper): SparseVector {
    const kept = this.index.lexicalOf?.(paper.id);
    if (kept) return kept;
    const d = documentTerms(paper, this.index.options);
    return this.index.model.vectorize(d.terms, d.weights);
  }

  dense(paperId: number): Float32Array {
    return this.index.vectorOf(paperId) ?? new Float32Array(this.dimensions);
  }
}

function nearestLiked(
  c: Featured,
  liked: Featured[],
  lexicalWeight: number,
): { featured: Featured; similarity: number } {
  let best = { featured: liked[0]!, similarity: Number.NEGATIVE_INFINITY };
  for (const l of liked) {
    let dense = 0;
    for (let i = 0; i < l.dense.length; i++) dense += l.dense[i]! * c.dense[i]!;
    const similarity = lexicalWeight * sparseDot(l.lexical, c.lexical) + (1 - lexicalWeight) * dense;
    if (similarity > best.similarity) best = { featured: l, similarity };
  }
  return best;
}

/** The model's positive weights on the terms of the liked papers: what a shared term is worth. */
function likedTermWeights(liked: Featured[], model: LinearModel): SparseVector {
  const terms = new Set<number>();
  for (const l of liked) for (const t of l.lexical.indices) if (model.weights[t]! > 0) terms.add(t);
  const indices = Uint32Array.from([...terms].sort((a, b) => a - b));
  const values = Float32Array.from(indices, (t) => model.weights[t]!);
  return { indices, values };
}

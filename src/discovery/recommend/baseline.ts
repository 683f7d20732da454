import { baselineTerms } from '../similar/baseline.ts';
import type { SimilarityInput } from '../similar/document.ts';
import type { SparseVector } from '../similar/sparse.ts';
import { TfidfModel } from '../similar/tfidf.ts';
import { balancedCosts, decision, type Example, trainLinearSvm } from './linear-svm.ts';

/**
 * Recommendations the arxiv-sanity-lite way, for comparison: tf-idf over title, abstract and
 * authors (words and word pairs, sublinear tf, at most 20,000 terms, min_df 5, max_df 0.1 —
 * `TfidfBaseline`'s features), and on each request a linear SVM over every paper of the corpus
 * (`LinearSVC(class_weight='balanced', C=0.01, tol=1e-6)`): the liked papers positive, every
 * other paper negative; papers ranked by the SVM's score.
 */
export class SvmBaseline {
  private readonly slots: Map<number, number>;

  private constructor(
    private readonly ids: number[],
    private readonly vectors: SparseVector[],
    private readonly dimensions: number,
  ) {
    this.slots = new Map(ids.map((id, i) => [id, i]));
  }

  static build(papers: readonly SimilarityInput[]): SvmBaseline {
    const docs = papers.map((p) => baselineTerms(p));
    const model = TfidfModel.fit(docs, { maxFeatures: 20_000, minDf: 5, maxDfRatio: 0.1, sublinearTf: true });
    return new SvmBaseline(
      papers.map((p) => p.id),
      docs.map((d) => model.vectorize(d)),
      model.size,
    );
  }

  /** The `k` best papers for the liked ids (those not in the corpus are ignored), liked ones left out. */
  recommend(like: readonly number[], k: number): { paperId: number; score: number }[] {
    const liked = new Set(like.filter((id) => this.slots.has(id)));
    if (liked.size === 0) return [];
    const labels = this.ids.map((id) => (liked.has(id) ? 1 : -1) as 1 | -1);
    const costs = balancedCosts(labels, 0.01);
    const examples: Example[] = this.vectors.map((v, i) => ({
      indices: v.indices,
      values: v.values,
      label: labels[i]!,
      cost: costs[i]!,
    }));
    const model = trainLinearSvm(examples, this.dimensions, { tolerance: 1e-6, maxIterations: 1000 });
    return this.vectors
      .map((v, i) => ({ paperId: this.ids[i]!, score: decision(model, v.indices, v.values) }))
      .filter((r) => !liked.has(r.paperId))
      .sort((a, b) => b.score - a.score || a.paperId - b.paperId)
      .slice(0, k);
  }
}

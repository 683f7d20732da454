import type { SimilarityInput } from './document.ts';
import { type SparseVector, sparseDot } from './sparse.ts';
import { ENGLISH_STOP_WORDS } from './stop-words.ts';
import { TfidfModel } from './tfidf.ts';
import { TopK } from './vector-search.ts';

/**
 * The arxiv-sanity-lite way, for comparison: one text of title, abstract and author names;
 * scikit-learn's token pattern (`\b[a-zA-Z_][a-zA-Z0-9_]+\b` on lower-cased, accent-stripped
 * text), English stop words removed, words and word pairs, sublinear tf, smoothed idf,
 * at most 20,000 terms with min_df 5 and max_df 0.1 (its `compute.py` defaults), cosine.
 * One difference: the 20,000 are chosen by document frequency here, by total count there.
 */
export class TfidfBaseline {
  private readonly ids: number[];
  private readonly slots: Map<number, number>;

  private constructor(
    private readonly vectors: SparseVector[],
    ids: number[],
  ) {
    this.ids = ids;
    this.slots = new Map(ids.map((id, i) => [id, i]));
  }

  /** `minDf` and `maxDfRatio` default to arxiv-sanity-lite's 5 and 0.1. */
  static build(
    papers: readonly SimilarityInput[],
    options: { minDf?: number; maxDfRatio?: number } = {},
  ): TfidfBaseline {
    const docs = papers.map((p) => baselineTerms(p));
    const model = TfidfModel.fit(docs, {
      maxFeatures: 20_000,
      minDf: options.minDf ?? 5,
      maxDfRatio: options.maxDfRatio ?? 0.1,
      sublinearTf: true,
    });
    return new TfidfBaseline(
      docs.map((d) => model.vectorize(d)),
      papers.map((p) => p.id),
    );
  }

  neighbours(paperId: number, k = 10): { paperId: number; score: number }[] {
    const slot = this.slots.get(paperId);
    if (slot === undefined) return [];
    const query = this.vectors[slot]!;
    const top = new TopK(k);
    this.vectors.forEach((v, s) => {
      if (s !== slot) top.push(s, sparseDot(query, v));
    });
    return top.sorted().map(({ slot: s, score }) => ({ paperId: this.ids[s]!, score }));
  }
}

const TOKEN = /\b[a-z_][a-z0-9_]+\b/g;

export function baselineTerms(paper: SimilarityInput): string[] {
  const text = [
    paper.title ?? '',
    paper.abstractText ?? '',
    (paper.authors ?? []).map((a) => a.name.display).join(' '),
  ]
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words = [...text.matchAll(TOKEN)].map((m) => m[0]).filter((w) => !ENGLISH_STOP_WORDS.has(w));
  const terms = [...words];
  for (let i = 0; i + 1 < words.length; i++) terms.push(`${words[i]} ${words[i + 1]}`);
  return terms;
}

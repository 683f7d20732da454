/**
 * Similar papers: `SimilarityIndex.build(papers)` learns a tf-idf vocabulary and a dense basis
 * (truncated SVD) from the corpus, `add(paper)` indexes papers as they arrive, and
 * `neighbours(paperId, k)` answers with scores and the shared terms behind them.
 * `TfidfBaseline` is the arxiv-sanity-lite style method it is measured against.
 */
export { TfidfBaseline } from './baseline.ts';
export {
  AUTHOR_PREFIX,
  authorKey,
  type DocumentOptions,
  documentTerms,
  type SimilarityInput,
} from './document.ts';
export { sharedTerms } from './reasons.ts';
export {
  type Neighbour,
  SimilarityIndex,
  type SimilarityOptions,
  type SimilaritySnapshot,
} from './similarity-index.ts';
export { type CsrMatrix, csrFromDense, csrFromRows, type SparseVector, sparseDot } from './sparse.ts';
export { type SvdOptions, type SvdResult, symmetricEigen, truncatedSvd } from './svd.ts';
export { TfidfModel, type TfidfOptions } from './tfidf.ts';
export { cleanText, stemWord, type TokenizeOptions, tokenize } from './tokenize.ts';
export { BruteForceVectorSearch, TopK, type VectorSearch } from './vector-search.ts';

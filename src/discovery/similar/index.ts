/**
 * Similar papers. `SimilarityService` (as `paperscope.similarity`) serves them from a
 * `NeighbourIndex` saved in the data folder: tf-idf and a dense signal (a truncated SVD learned
 * from the corpus, or an ONNX sentence-embedding model), each paper's best neighbours computed
 * when it is indexed, papers that arrive or change added without a rebuild. For recommenders:
 * `vectorOf(id)` and `nearestToVector(v, k, exclude)`. `SimilarityIndex` is the exact brute-force
 * reference it is measured against, and `TfidfBaseline` the arxiv-sanity-lite style method.
 */
export { TfidfBaseline } from './baseline.ts';
export { type DenseEncoder, encoderText } from './dense-encoder.ts';
export {
  AUTHOR_PREFIX,
  authorKey,
  type DocumentOptions,
  documentTerms,
  type SimilarityInput,
} from './document.ts';
export { loadIndex, saveIndex } from './index-file.ts';
export {
  type BuildProgress,
  NeighbourIndex,
  type NeighbourIndexOptions,
  type PaperPages,
  type ScoredPaper,
} from './neighbour-index.ts';
export { loadOnnxEncoder, type OnnxEncoderOptions } from './onnx-encoder.ts';
export { sharedTerms } from './reasons.ts';
export { INDEX_FILE, SimilarityService, type SimilarityStatus, type SimilarPaper } from './service.ts';
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

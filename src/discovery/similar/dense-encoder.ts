import type { SimilarityInput } from './document.ts';

/**
 * Where the dense signal comes from when it is not the SVD learned from the corpus: a
 * sentence-embedding model (see `onnx-encoder.ts`). Its vectors replace the SVD projection;
 * the lexical tf-idf signal and everything else stay as they are.
 */
export interface DenseEncoder {
  /** Names the model (and its contents) so an index built with another one is rebuilt, not mixed. */
  readonly id: string;
  readonly dimensions: number;
  /** Unit vectors, one per text, in order. */
  encode(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** What an encoder reads of a paper: its title, then its abstract. */
export function encoderText(paper: SimilarityInput): string {
  return [paper.title ?? '', paper.abstractText ?? ''].filter((t) => t.length > 0).join('. ');
}

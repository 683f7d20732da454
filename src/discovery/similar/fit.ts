import { csrFromRows, type SparseVector } from './sparse.ts';
import { truncatedSvd } from './svd.ts';
import { TfidfModel, type TfidfOptions } from './tfidf.ts';

/**
 * What similarity learns from a corpus: the tf-idf vocabulary and idf, and the dense basis (the
 * leading singular directions of the tf-idf matrix, each scaled by σ^(sigmaPower − 1)).
 * Learned from an even sample of at most `fitSample` documents; every other document is then
 * weighed and projected like a paper that arrives later.
 */
export interface FittedModel {
  model: TfidfModel;
  /** Terms × dimensions, row-major: the projection of term t is row t, already scaled. */
  basis: Float32Array;
  dimensions: number;
}

export interface FitSettings extends TfidfOptions {
  dimensions: number;
  sigmaPower: number;
  fitSample: number;
  seed?: number;
  /** Skip the SVD (a sentence-embedding model gives the dense vectors instead). */
  lexicalOnly?: boolean;
}

export function fitModel(
  docs: readonly { terms: string[]; weights: number[] }[],
  settings: FitSettings,
): FittedModel {
  const step = Math.max(1, Math.ceil(docs.length / settings.fitSample));
  const sample = docs.filter((_, i) => i % step === 0);
  const model = TfidfModel.fit(
    sample.map((d) => d.terms),
    settings,
  );
  if (settings.lexicalOnly) return { model, basis: new Float32Array(0), dimensions: 0 };
  const rows = sample.map((d) => model.vectorize(d.terms, d.weights));
  return { model, ...fitBasis(rows, model.size, settings) };
}

function fitBasis(
  rows: SparseVector[],
  terms: number,
  settings: FitSettings,
): { basis: Float32Array; dimensions: number } {
  const svd = truncatedSvd(csrFromRows(rows, terms), settings.dimensions, { seed: settings.seed ?? 1 });
  const k = svd.rank;
  const basis = new Float32Array(terms * k);
  for (let c = 0; c < k; c++) {
    const sigma = svd.singularValues[c]!;
    const scale = sigma > 0 ? sigma ** (settings.sigmaPower - 1) : 0;
    for (let t = 0; t < terms; t++) basis[t * k + c] = svd.basis[c * terms + t]! * scale;
  }
  return { basis, dimensions: k };
}

/** A tf-idf row projected on the basis and L2-normalised. */
export function project(vector: SparseVector, basis: Float32Array, k: number): Float32Array {
  const out = new Float32Array(k);
  for (let i = 0; i < vector.indices.length; i++) {
    const o = vector.indices[i]! * k;
    const v = vector.values[i]!;
    for (let c = 0; c < k; c++) out[c] = out[c]! + v * basis[o + c]!;
  }
  return normalize(out);
}

export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let c = 0; c < v.length; c++) norm += v[c]! * v[c]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let c = 0; c < v.length; c++) v[c] = v[c]! / norm;
  return v;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DenseEncoder } from './dense-encoder.ts';
import { normalize } from './fit.ts';
import { WordPiece } from './wordpiece.ts';

/**
 * A sentence-embedding model in ONNX form as the dense signal of similar papers
 * (`PAPERSCOPE_EMBEDDING_MODEL=/path/model.onnx`, with the model's WordPiece `vocab.txt` beside
 * it or at `PAPERSCOPE_EMBEDDING_VOCAB`). Run on the CPU by onnxruntime-node, an optional
 * dependency loaded only here. The model is fed `input_ids` (and `attention_mask` /
 * `token_type_ids` when it asks for them), one text at a time so no padding is needed; its first
 * output is taken as the embedding: [1, dims] as it is, [1, tokens, dims] averaged over tokens
 * (mean pooling, as sentence-transformers models are exported). Vectors are L2-normalised.
 */
export interface OnnxEncoderOptions {
  /** The WordPiece vocabulary; default `vocab.txt` beside the model. */
  vocabFile?: string;
  lowerCase?: boolean;
  maxTokens?: number;
}

interface OrtTensor {
  dims: readonly number[];
  data: ArrayLike<number | bigint>;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(path: string): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => OrtTensor;
}

export async function loadOnnxEncoder(
  modelFile: string,
  options: OnnxEncoderOptions = {},
): Promise<DenseEncoder> {
  if (!existsSync(modelFile)) throw new Error(`embedding model ${modelFile}: no such file`);
  const vocabFile = options.vocabFile ?? join(dirname(modelFile), 'vocab.txt');
  if (!existsSync(vocabFile)) {
    throw new Error(
      `embedding model ${modelFile}: no vocabulary at ${vocabFile} (set PAPERSCOPE_EMBEDDING_VOCAB to the model's vocab.txt)`,
    );
  }
  const tokenizer = WordPiece.fromText(
    readFileSync(vocabFile, 'utf8'),
    { lowerCase: options.lowerCase, maxTokens: options.maxTokens },
    vocabFile,
  );
  const ort = await importOnnxRuntime();
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(modelFile);
  } catch (err) {
    throw new Error(`embedding model ${modelFile}: onnxruntime cannot load it: ${firstLine(err)}`);
  }
  const idsInput = session.inputNames.find((n) => n === 'input_ids') ?? session.inputNames[0];
  if (idsInput === undefined) throw new Error(`embedding model ${modelFile}: the model takes no input`);
  const output = session.outputNames.find((n) => n === 'sentence_embedding') ?? session.outputNames[0]!;

  const embed = async (text: string): Promise<Float32Array> => {
    const ids = tokenizer.encode(text);
    const shape = [1, ids.length];
    const feeds: Record<string, OrtTensor> = {
      [idsInput]: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), shape),
    };
    if (session.inputNames.includes('attention_mask')) {
      feeds['attention_mask'] = new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), shape);
    }
    if (session.inputNames.includes('token_type_ids')) {
      feeds['token_type_ids'] = new ort.Tensor('int64', new BigInt64Array(ids.length), shape);
    }
    let result: Record<string, OrtTensor>;
    try {
      result = await session.run(feeds);
    } catch (err) {
      throw new Error(`embedding model ${modelFile}: running it failed: ${firstLine(err)}`);
    }
    return pool(result[output]!, modelFile);
  };

  const probe = await embed('probe');
  const dimensions = probe.length;
  if (dimensions === 0) throw new Error(`embedding model ${modelFile}: its output has no dimensions`);
  return {
    id: `onnx:${basename(modelFile)}:${fileDigest(modelFile, vocabFile)}`,
    dimensions,
    async encode(texts) {
      const out: Float32Array[] = [];
      for (const text of texts) out.push(await embed(text));
      return out;
    },
    close: () => session.release(),
  };
}

/** [1, dims] as it is; [1, tokens, dims] averaged over the tokens. */
function pool(tensor: OrtTensor, modelFile: string): Float32Array {
  const dims = tensor.dims;
  const data = tensor.data;
  if (dims.length === 2 && dims[0] === 1) return normalize(Float32Array.from(data as ArrayLike<number>));
  if (dims.length === 3 && dims[0] === 1) {
    const [, tokens, width] = dims as [number, number, number];
    const out = new Float32Array(width);
    for (let t = 0; t < tokens; t++) {
      for (let j = 0; j < width; j++) out[j] = out[j]! + Number(data[t * width + j]) / tokens;
    }
    return normalize(out);
  }
  throw new Error(
    `embedding model ${modelFile}: output of shape [${dims.join(', ')}] is neither [1, dims] nor [1, tokens, dims]`,
  );
}

async function importOnnxRuntime(): Promise<OrtModule> {
  const name = 'onnxruntime-node';
  try {
    const module = (await import(name)) as OrtModule & { default?: OrtModule };
    return module.InferenceSession ? module : module.default!;
  } catch (err) {
    throw new Error(
      `an embedding model is configured but onnxruntime-node cannot be loaded (${firstLine(err)}); install it with \`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node\``,
    );
  }
}

function fileDigest(...files: string[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0]!;
}

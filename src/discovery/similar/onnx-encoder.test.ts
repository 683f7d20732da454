import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { DenseEncoder } from './dense-encoder.ts';
import { NeighbourIndex } from './neighbour-index.ts';
import { loadOnnxEncoder } from './onnx-encoder.ts';
import { tinyEmbeddingModel } from './tiny-onnx-model.ts';

// Three topics on three axes: a text's vector is the mean of its tokens' rows ([CLS], [SEP] and
// words outside the topics are zero rows), so after normalisation it is known in advance.
const TOPIC: Record<string, number[]> = {
  quantum: [1, 0, 0],
  qubit: [1, 0, 0],
  entangle: [1, 0, 0],
  '##ment': [1, 0, 0],
  galaxy: [0, 1, 0],
  stellar: [0, 1, 0],
  cosmic: [0, 1, 0],
  protein: [0, 0, 1],
  enzyme: [0, 0, 1],
  folding: [0, 0, 1],
};
const VOCABULARY = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'of', 'the', ...Object.keys(TOPIC)];
const TABLE = VOCABULARY.map((t) => TOPIC[t] ?? [0, 0, 0]);

const PAPERS = [
  { id: 1, title: 'Quantum entanglement of the qubit', abstractText: 'quantum qubit entanglement' },
  { id: 2, title: 'Qubit entanglement', abstractText: 'the quantum qubit' },
  { id: 3, title: 'Stellar galaxy', abstractText: 'cosmic galaxy of the stellar' },
  { id: 4, title: 'Galaxy', abstractText: 'stellar cosmic galaxy' },
  { id: 5, title: 'Protein folding', abstractText: 'enzyme protein folding' },
  { id: 6, title: 'Enzyme folding', abstractText: 'the protein enzyme' },
  { id: 7, title: 'Quantum galaxy', abstractText: 'qubit cosmic' },
];

let dir: { dir: string; cleanup: () => void };
let modelFile: string;
let encoder: DenseEncoder;

/**
 * onnxruntime-node is an optional dependency: a plain `npm install` may leave it out (its
 * postinstall reaches outside npm unless ONNXRUNTIME_NODE_INSTALL=skip). Without it the model
 * cannot run and what is tested is the error a user then gets; CI installs it and sets
 * PAPERSCOPE_REQUIRE_ONNX=1, so there its absence fails the suite instead of hiding the tests.
 */
const runtimeName = 'onnxruntime-node';
const runtimeInstalled = await import(runtimeName).then(
  () => true,
  () => false,
);
if (!runtimeInstalled && process.env['PAPERSCOPE_REQUIRE_ONNX'] === '1') {
  throw new Error(
    'onnxruntime-node is not installed, and PAPERSCOPE_REQUIRE_ONNX=1 asks for it (see .ci/run)',
  );
}

beforeAll(async () => {
  dir = tempDataDir('paperscope-onnx-');
  modelFile = join(dir.dir, 'model.onnx');
  writeFileSync(modelFile, tinyEmbeddingModel({ vocabulary: VOCABULARY, table: TABLE }));
  writeFileSync(join(dir.dir, 'vocab.txt'), `${VOCABULARY.join('\n')}\n`);
  if (runtimeInstalled) encoder = await loadOnnxEncoder(modelFile);
});
afterAll(async () => {
  await encoder?.close();
  dir.cleanup();
});

describe.skipIf(runtimeInstalled)('without onnxruntime-node installed', () => {
  it('says how to install it, instead of failing somewhere deeper', async () => {
    await expect(loadOnnxEncoder(modelFile)).rejects.toThrow(
      /onnxruntime-node cannot be loaded.*ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node/,
    );
  });
});

const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));

describe.runIf(runtimeInstalled)('an ONNX sentence-embedding model', () => {
  it('gives the mean of its tokens’ rows, normalised, with WordPiece pieces', async () => {
    expect(encoder.dimensions).toBe(3);
    expect(encoder.id).toMatch(/^onnx:model\.onnx:[0-9a-f]{16}$/);
    const [a, b, c] = await encoder.encode([
      'Quantum entanglement',
      'quantum galaxy of unknownword',
      'enzyme',
    ]);
    expect([...a!]).toEqual(unit([1, 0, 0]).map((x) => expect.closeTo(x, 6)));
    expect([...b!]).toEqual(unit([1, 1, 0]).map((x) => expect.closeTo(x, 6)));
    expect([...c!]).toEqual([0, 0, 1].map((x) => expect.closeTo(x, 6)));
  });

  it('replaces the SVD as the dense signal: vectors and neighbours follow the model', async () => {
    const index = await NeighbourIndex.build(
      {
        count: PAPERS.length,
        pages: async function* () {
          yield PAPERS;
        },
      },
      { minDf: 1 },
      encoder,
    );
    expect(index.dimensions).toBe(3);
    expect(index.encoderId).toBe(encoder.id);
    const close = (v: Float32Array | undefined, expected: number[]) =>
      expect([...v!]).toEqual(unit(expected).map((x) => expect.closeTo(x, 2)));
    close(index.vectorOf(1), [1, 0, 0]);
    close(index.vectorOf(3), [0, 1, 0]);
    close(index.vectorOf(6), [0, 0, 1]);
    close(index.vectorOf(7), [1, 1, 0]);
    expect(index.neighbours(1, 1)[0]!.paperId).toBe(2);
    expect(index.neighbours(3, 1)[0]!.paperId).toBe(4);
    expect(index.neighbours(5, 1)[0]!.paperId).toBe(6);
    // The mixed paper sits between its two topics, far from the third.
    const mixed = index.neighbours(7, 6).map((n) => n.paperId);
    expect(mixed.slice(-2).sort()).toEqual([5, 6]);
    expect(index.neighbours(7, 6).find((n) => n.paperId === 1)!.dense).toBeCloseTo(Math.SQRT1_2, 1);
  });

  it('is used by Paperscope when PAPERSCOPE_EMBEDDING_MODEL points at it', async () => {
    const data = tempDataDir();
    try {
      const bib = join(data.dir, 'papers.bib');
      writeFileSync(
        bib,
        PAPERS.map(
          (p) =>
            `@article{p${p.id}, title = {${p.title}}, abstract = {${p.abstractText}}, author = {Doe, Jane${p.id}}, year = {2024}}`,
        ).join('\n\n'),
      );
      const store = SqliteStore.inDataDir(data.dir);
      await new ImportService(store, defaultRegistry).importFile(bib);
      store.close();
      const app = Paperscope.open(
        loadConfig({ PAPERSCOPE_DATA: data.dir, PAPERSCOPE_EMBEDDING_MODEL: modelFile }),
      );
      try {
        const status = await app.similarity.status();
        expect(status.encoder).toBe(encoder.id);
        expect(status.indexed).toBe(7);
        const first = await app.store.findPaper('1');
        const found = await app.similarity.neighbours(first!.id, 1);
        expect(found[0]!.paper.title).toBe('Qubit entanglement');
      } finally {
        app.close();
      }
    } finally {
      data.cleanup();
    }
  });

  it('names the file when the model is not a model, is missing, or has no vocabulary', async () => {
    const bad = join(dir.dir, 'bad', 'model.onnx');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir.dir, 'bad'));
    writeFileSync(bad, 'this is not a protobuf');
    writeFileSync(join(dir.dir, 'bad', 'vocab.txt'), VOCABULARY.join('\n'));
    await expect(loadOnnxEncoder(bad)).rejects.toThrow(`embedding model ${bad}: onnxruntime cannot load it`);
    await expect(loadOnnxEncoder(join(dir.dir, 'none.onnx'))).rejects.toThrow(
      `embedding model ${join(dir.dir, 'none.onnx')}: no such file`,
    );
    const lonely = join(dir.dir, 'bad', 'other.onnx');
    writeFileSync(lonely, 'x');
    await expect(loadOnnxEncoder(lonely, { vocabFile: join(dir.dir, 'missing.txt') })).rejects.toThrow(
      `no vocabulary at ${join(dir.dir, 'missing.txt')}`,
    );
    const noUnk = join(dir.dir, 'bad', 'vocab-no-unk.txt');
    writeFileSync(noUnk, 'a\nb\n');
    await expect(loadOnnxEncoder(modelFile, { vocabFile: noUnk })).rejects.toThrow(
      `${noUnk}: no [UNK] token`,
    );
  });
});

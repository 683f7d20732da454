import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { loadIndex, saveIndex } from './index-file.ts';
import { NeighbourIndex } from './neighbour-index.ts';

const TOPICS = [
  'quantum qubit entanglement decoherence',
  'galaxy stellar cosmic redshift',
  'protein enzyme folding binding',
];
const PAPERS = Array.from({ length: 36 }, (_, i) => ({
  id: i + 1,
  title: `${TOPICS[i % 3]!.split(' ')[i % 4]} study ${i}`,
  abstractText: `${TOPICS[i % 3]} ${TOPICS[(i + 1) % 3]!.split(' ')[0]} measurement`,
}));

let temp: { dir: string; cleanup: () => void };
let file: string;
let bytes: Buffer;
let index: NeighbourIndex;

beforeAll(async () => {
  temp = tempDataDir('paperscope-index-file-');
  index = await NeighbourIndex.build(
    {
      count: PAPERS.length,
      async *pages() {
        yield PAPERS;
      },
    },
    { dimensions: 4, minDf: 1, width: 5 },
  );
  file = join(temp.dir, 'similar.index');
  saveIndex(file, index, { changeSeq: 7 });
  bytes = readFileSync(file);
});
afterAll(() => temp.cleanup());

describe('the similar-papers index file', () => {
  it('reads back what was written, with the rows on disk or in memory', () => {
    for (const rowsInMemory of [false, true]) {
      const loaded = loadIndex(file, { rowsInMemory });
      expect(loaded.header.count).toBe(36);
      expect(loaded.header.extra).toEqual({ changeSeq: 7 });
      const restored = NeighbourIndex.fromParts(loaded.parts);
      for (const p of PAPERS) expect(restored.neighbours(p.id, 5)).toEqual(index.neighbours(p.id, 5));
      restored.close();
    }
  });

  it('refuses garbage and every cut-short or bit-flipped copy with an error naming the file', () => {
    const bad = join(temp.dir, 'bad.index');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.nat({ max: bytes.length - 1 }).map((n) => bytes.subarray(0, n)),
          fc.tuple(fc.nat({ max: 200 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
            // A flipped byte inside the magic line, the header length or the header.
            const copy = Buffer.from(bytes);
            copy[at] = copy[at]! ^ x;
            return copy;
          }),
        ),
        (content) => {
          writeFileSync(bad, content);
          let loaded: ReturnType<typeof loadIndex> | undefined;
          try {
            loaded = loadIndex(bad);
          } catch (err) {
            expect((err as Error).message.startsWith(`${bad}: `)).toBe(true);
            return;
          }
          // A flip that leaves the file readable (a letter of a term) still gives a whole index.
          expect(loaded.header.count).toBe(36);
          loaded.parts.rows.close();
        },
      ),
      { numRuns: 200 },
    );
  });
});

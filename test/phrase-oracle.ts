import { expect } from 'vitest';
import { countBits, forEachBit } from '../src/search/index/bitset.ts';
import { Evaluator, rankingLeaves } from '../src/search/index/evaluate.ts';
import type { IndexedPaper, SearchIndex } from '../src/search/index/search-index.ts';
import { forEachTerm, terms } from '../src/search/index/tokenize.ts';
import { parseQuery, type QueryNode } from '../src/search/query/index.ts';

/**
 * The two sides of the phrase tests (`phrase.test.ts`, `filed-positions.test.ts`): what a plain
 * reading of the texts says a phrase matches, and what the index's evaluator answers.
 */

/** Title ×10, abstract ×1, authors ×3: the field weights, written out so a change to them shows. */
const WEIGHTS = [10, 1, 3];

/** A linear congruential generator: the same papers for the same seed. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Weighted count of the phrase in each paper, read from the texts (`column` −1: every column). */
export function expected(
  papers: Map<number, IndexedPaper>,
  phrase: string,
  column: number,
): Map<number, number> {
  const words = terms(phrase);
  const out = new Map<number, number>();
  for (const [id, p] of papers) {
    let f = 0;
    [p.title, p.abstract, p.authors].forEach((col, c) => {
      if (column >= 0 && c !== column) return;
      const at: string[] = [];
      forEachTerm(col, (term, position) => {
        at[position] = term;
      });
      for (let i = 0; i + words.length <= at.length; i++) {
        if (words.every((w, k) => at[i + k] === w)) f += WEIGHTS[c]!;
      }
    });
    if (f > 0) out.set(id, f);
  }
  return out;
}

const none = { authorIds: () => [], papersOfAuthors: () => [], papersWithKey: () => [] };

/** The papers a phrase query matches with their weighted counts (every matched paper has one). */
export function found(index: SearchIndex, query: string): Map<number, number> {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(query);
  const evaluator = new Evaluator(index.docs, index.text, none);
  const bits = evaluator.evaluate(parsed.query as QueryNode);
  const m = evaluator.textLeaf(rankingLeaves(parsed.query)[0]!);
  const out = new Map<number, number>();
  for (let i = 0; i < m.docs.length; i++) out.set(m.docs[i]!, m.freq[i]!);
  expect(countBits(bits)).toBe(out.size);
  forEachBit(bits, (d) => expect(out.has(d)).toBe(true));
  return out;
}

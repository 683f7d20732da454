import { describe, expect, it } from 'vitest';
import { parseQuery, type QueryNode } from '../query/index.ts';
import { countBits, forEachBit } from './bitset.ts';
import { Evaluator, rankingLeaves } from './evaluate.ts';
import { type IndexedPaper, SearchIndex } from './search-index.ts';
import { forEachTerm, terms } from './tokenize.ts';

/**
 * Phrases over words common enough to get a skip table (thousands of postings), checked
 * against a plain reading of the texts: which papers hold the words next to each other, and
 * how often per column. Papers are re-indexed (stale postings, ids out of order in a list)
 * and more arrive after the first phrase (the table must grow with the list).
 */

const VOCAB = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma'];
const WEIGHTS = [10, 1, 3];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function text(next: () => number, words: number): string {
  return Array.from({ length: words }, () => VOCAB[Math.floor(next() * VOCAB.length)]!).join(' ');
}

function paper(id: number, next: () => number): IndexedPaper {
  return {
    id,
    year: 2020,
    published: null,
    flags: 0,
    sources: 0,
    categories: [],
    authorIds: [],
    title: text(next, 3 + Math.floor(next() * 5)),
    abstract: text(next, 5 + Math.floor(next() * 20)),
    authors: text(next, 2),
  };
}

/** Weighted count of the phrase in each paper, read from the texts. */
function expected(papers: Map<number, IndexedPaper>, phrase: string, column: number): Map<number, number> {
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

function found(index: SearchIndex, query: string): Map<number, number> {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(query);
  const evaluator = new Evaluator(index.docs, index.text, none);
  const bits = evaluator.evaluate(parsed.query as QueryNode);
  const leaf = rankingLeaves(parsed.query)[0]!;
  const m = evaluator.textLeaf(leaf);
  const out = new Map<number, number>();
  for (let i = 0; i < m.docs.length; i++) out.set(m.docs[i]!, m.freq[i]!);
  expect(countBits(bits)).toBe(out.size);
  forEachBit(bits, (d) => expect(out.has(d)).toBe(true));
  return out;
}

describe('phrases over common words', () => {
  const next = random(7);
  const index = new SearchIndex();
  const papers = new Map<number, IndexedPaper>();
  const put = (p: IndexedPaper) => {
    index.put(p);
    papers.set(p.id, p);
  };
  for (let id = 1; id <= 9000; id++) put(paper(id, next));
  // Re-indexed papers: their old postings stay in the lists and must not count.
  for (let id = 3; id <= 9000; id += 29) put(paper(id, next));

  it('finds the papers and counts of every phrase, in any column or one', () => {
    expect(index.text.postingsOf('alpha')).toBeGreaterThan(4096);
    for (const [query, phrase, column] of [
      ['"alpha beta"', 'alpha beta', -1],
      ['"beta alpha gamma"', 'beta alpha gamma', -1],
      ['"sigma sigma"', 'sigma sigma', -1],
      ['title:"gamma delta"', 'gamma delta', 0],
      ['abs:"omega alpha"', 'omega alpha', 1],
    ] as const) {
      const want = expected(papers, phrase, column);
      expect(want.size).toBeGreaterThan(0);
      expect(found(index, query)).toEqual(want);
    }
  });

  it('keeps finding them as papers arrive and are re-indexed after the first phrase', () => {
    expect(found(index, '"delta omega"')).toEqual(expected(papers, 'delta omega', -1));
    for (let id = 9001; id <= 9500; id++) put(paper(id, next));
    for (let id = 5; id <= 9500; id += 41) put(paper(id, next));
    expect(found(index, '"delta omega"')).toEqual(expected(papers, 'delta omega', -1));
    expect(found(index, '"omega delta alpha"')).toEqual(expected(papers, 'omega delta alpha', -1));
  });

  it('finds nothing for a phrase whose words never meet', () => {
    expect(found(index, '"alpha zeta"').size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { expected, found, random } from '../../../test/phrase-oracle.ts';
import { type IndexedPaper, SearchIndex } from './search-index.ts';

/**
 * Phrases over words common enough to get a skip table (thousands of postings), checked
 * against a plain reading of the texts: which papers hold the words next to each other, and
 * how often per column. Papers are re-indexed (stale postings, ids out of order in a list)
 * and more arrive after the first phrase (the table must grow with the list).
 */

const VOCAB = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma'];

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

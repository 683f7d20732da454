import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchRequest, SqliteSearch } from '../engine/search.ts';
import { buildTestCorpus, type TestCorpus } from '../engine/test-corpus.ts';
import { HOT } from './evaluate.ts';
import { StoreSearch } from './store-search.ts';

/**
 * The index of our own against the SQLite FTS5 engine on the real seeds and OAI harvest: the
 * same totals, the same papers in the same order, the same scores (to float rounding) and the
 * same facets, query by query. The SQLite engine's own counts are checked in search.test.ts.
 */
let corpus: TestCorpus;
let sqlite: SqliteSearch;
let indexed: StoreSearch;

beforeAll(async () => {
  corpus = await buildTestCorpus();
  sqlite = new SqliteSearch(corpus.db);
  indexed = new StoreSearch(corpus.db);
}, 120_000);
afterAll(() => corpus?.cleanup());

const QUERIES = [
  'learning',
  'neural tangent kernel',
  '"neural tangent kernel"',
  'title:RegMix',
  'abs:"language model"',
  'title:(scaling OR laws)',
  'scaling laws',
  'learning -cat:cs.LG',
  'learning NOT title:deep',
  'author:"Xiao, Lechao"',
  'author:"Lechao Xiao"',
  'author:"Xiao, L"',
  'author:"^Xiao, L"',
  'author:xiao',
  'author:"Xiao, Lechao" year:2020-2024',
  'author:"Xiao, Lechao" kernel',
  'year:2020-2022 cat:cs',
  'cat:math -year:2023',
  'cat:math OR cat:stat',
  'cat:cs.LG',
  'cat:stat.ML',
  'has:code',
  'has:code cat:cs',
  'has:doi',
  '-has:doi',
  'has:abstract',
  'source:ads',
  'source:hf',
  'source:arxiv',
  'id:arXiv:2203.09894v2',
  'doi:10.1103/PhysRevC.107.024907',
  '',
  'state-of-the-art',
  '"infinite width" OR "wide networks"',
  '(kernel OR gaussian) process -year:2023',
  'transformer attention',
  'Schrödinger equation',
  'qcd lattice',
  'quantum',
  'galaxy OR galaxies',
  'NEAR(a b) "x*" ^foo',
  'zzzzunknownword',
  'graph neural networks year:>2021',
];

const same = (query: string, more: Omit<SearchRequest, 'query'> = {}) => {
  const a = sqlite.search({ query, ...more });
  const b = indexed.search({ query, ...more, correct: false });
  expect(b.total, query).toBe(a.total);
  expect(
    b.hits.map((h) => h.paper.id),
    query,
  ).toEqual(a.hits.map((h) => h.paper.id));
  b.hits.forEach((h, i) => {
    expect(h.score, query).toBeCloseTo(a.hits[i]!.score, 9);
  });
  expect(b.hits.map((h) => [h.snippet, h.matched])).toEqual(a.hits.map((h) => [h.snippet, h.matched]));
  expect(b.facets, query).toEqual(a.facets);
  expect(b.query).toEqual(a.query);
};

describe('the index of our own answers as the SQLite engine does', () => {
  it.each(QUERIES)('relevance: %s', (query) => same(query, { limit: 50 }));
  it.each(QUERIES)('date: %s', (query) => same(query, { limit: 30, sort: 'date' }));

  it('answers the same from kept leaves and their best papers (common words)', () => {
    const before = HOT.matches;
    HOT.matches = 40;
    try {
      for (const query of QUERIES) {
        same(query, { limit: 20 });
        same(query, { limit: 20 });
        same(query, { limit: 7, offset: 3 });
      }
    } finally {
      HOT.matches = before;
    }
  });

  it('pages through a large result the same way', () => {
    for (const offset of [0, 37, 200, 1000]) same('learning OR model', { limit: 37, offset });
  });

  it('corrects a misspelt word when nothing matches as typed, and says so', () => {
    const right = indexed.search({ query: 'neural tangent kernel', limit: 50 });
    const typo = indexed.search({ query: 'nueral tangent kernel', limit: 50 });
    expect(sqlite.search({ query: 'nueral tangent kernel' }).total).toBe(0);
    expect(typo.corrected).toBe('neural tangent kernel');
    expect(typo.total).toBe(right.total);
    expect(typo.hits.map((h) => h.paper.id)).toEqual(right.hits.map((h) => h.paper.id));
    expect(indexed.search({ query: 'nueral tangent kernel', correct: false }).total).toBe(0);
    expect(right.corrected).toBeUndefined();
    // Nothing one edit away: no correction, no hits.
    expect(indexed.search({ query: 'qqqqxz' }).corrected).toBeUndefined();
    expect(indexed.search({ query: 'qqqqxz' }).total).toBe(0);
    // … unless the other words match without it.
    const rest = indexed.search({ query: 'tangent qqqqxz kernel', limit: 50 });
    expect(rest.corrected).toBe('tangent kernel');
    expect(rest.hits.map((h) => h.paper.id)).toEqual(
      indexed.search({ query: 'tangent kernel', limit: 50 }).hits.map((h) => h.paper.id),
    );
  });

  it('finds Lechao Xiao’s 12 papers under every spelling', () => {
    const full = indexed.search({ query: 'author:"Xiao, Lechao"', limit: 50 });
    expect(full.total).toBe(12);
    for (const spelling of ['author:"Lechao Xiao"', 'author:"Xiao, L"', 'au:"L. Xiao"']) {
      expect(indexed.search({ query: spelling, limit: 50 }).hits.map((h) => h.paper.id)).toEqual(
        full.hits.map((h) => h.paper.id),
      );
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../domain/errors.ts';
import { InvalidQueryError, type SearchRequest, SqliteSearch } from './search.ts';
import { buildTestCorpus, type TestCorpus } from './test-corpus.ts';

/**
 * The four seed pages and the 2,265-record arXiv OAI harvest in one real store: 2,542 papers.
 * Counts for filters were checked apart from this code, with Python over the raw OAI XML
 * (setSpec and dc:date) and over the papers table.
 */
let corpus: TestCorpus;
let engine: SqliteSearch;
const search = (query: string, more: Omit<SearchRequest, 'query'> = {}) => engine.search({ query, ...more });
const ids = (query: string, more: Omit<SearchRequest, 'query'> = {}) =>
  search(query, { limit: 200, ...more }).hits.map((h) => h.paper.id);

beforeAll(async () => {
  corpus = await buildTestCorpus();
  engine = new SqliteSearch(corpus.db);
}, 120_000);
afterAll(() => corpus?.cleanup());

describe('authors', () => {
  it('finds Lechao Xiao’s 12 papers under every spelling', () => {
    const full = ids('author:"Xiao, Lechao"');
    expect(full).toHaveLength(12);
    expect(ids('author:"Lechao Xiao"')).toEqual(full);
    expect(ids('author:"Xiao, L"')).toEqual(full);
    expect(ids('au:"L. Xiao"')).toEqual(full);
    expect(search('author:"Xiao, Lechao"').total).toBe(12);
  });

  it('reads a family name alone as every person of that family', () => {
    const family = search('author:xiao', { limit: 200 });
    expect(family.total).toBeGreaterThan(12);
    expect(
      family.hits.filter((h) => h.paper.authors.some((a) => a.authorId === family.facets.authors[0]!.id))
        .length,
    ).toBe(family.facets.authors[0]!.count);
  });

  it('keeps people with the same initial key but other given names apart', () => {
    // `Xiao, Qiao` shares the family but neither key.
    expect(search('author:"Xiao, Q"').total).toBeGreaterThan(0);
    const q = new Set(ids('author:"Xiao, Q"'));
    expect(ids('author:"Xiao, L"').some((id) => q.has(id))).toBe(false);
  });

  it('gives no paper for an unknown person', () => {
    expect(search('author:"Nobody, Zzyzx"').total).toBe(0);
  });
});

describe('text', () => {
  it('finds the two RegMix papers by title', () => {
    const r = search('title:RegMix');
    expect(r.total).toBe(2);
    expect(r.hits.map((h) => h.paper.title).sort()).toEqual([
      'RegMix: Data Mixing Augmentation for Regression',
      'RegMix: Data Mixture as Regression for Language Model Pre-training',
    ]);
    expect(r.hits.every((h) => h.matched.includes('RegMix'))).toBe(true);
    expect(r.hits.every((h) => h.score > 0)).toBe(true);
  });

  it('matches a phrase only in order, a subset of the same words anywhere', () => {
    const phrase = ids('"neural tangent kernel"');
    const words = ids('neural tangent kernel');
    expect(phrase).toHaveLength(3);
    expect(words).toHaveLength(4);
    expect(phrase.every((id) => words.includes(id))).toBe(true);
  });

  it('highlights the phrase in the snippet', () => {
    const r = search('"neural tangent kernel"');
    for (const h of r.hits) {
      expect(h.snippet.toLowerCase()).toContain('«neural tangent kernel»');
      expect(h.matched).toEqual(['neural tangent kernel']);
    }
  });

  it('ranks a title match above abstract-only matches', () => {
    const r = search('scaling laws');
    expect(r.total).toBe(29);
    expect(r.hits[0]!.paper.title).toMatch(/scaling laws/i);
    const scores = r.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('reads FTS5 syntax as words', () => {
    expect(() => search('NEAR(a b) "x*" ^foo')).not.toThrow();
  });
});

describe('filters (checked against the raw OAI XML)', () => {
  it('year range and archive', () => {
    expect(search('year:2020-2022 cat:cs').total).toBe(317);
  });

  it('a subject code also finds the oai_dc subject name', () => {
    // grep -c "Computer Science - Machine Learning" over the three ListRecords pages: 183 + 167 + 40.
    expect(search('cat:cs.LG').total).toBe(390);
    expect(search('cat:stat.ML').total).toBe(68);
  });

  it('NOT keeps papers without a year', () => {
    expect(search('cat:math -year:2023').total).toBe(246);
    expect(search('cat:math NOT year:2023').total).toBe(246);
  });

  it('OR', () => {
    expect(search('cat:math OR cat:stat').total).toBe(678);
  });

  it('has:code, has:doi, has:abstract', () => {
    expect(search('has:code').total).toBe(185);
    expect(search('has:code cat:cs').total).toBe(125);
    expect(search('has:doi').total).toBe(366);
    expect(search('-has:doi').total).toBe(2542 - 366);
    expect(search('has:abstract').total).toBe(2542);
  });

  it('source:', () => {
    expect(search('source:ads').total).toBe(10);
    expect(search('source:hf').total).toBe(256);
    // The alias covers the OAI harvest and the arXiv listing page (no paper stands on both).
    expect(search('source:arxiv').total).toBe(2275);
    expect(search('source:arxiv-oai').total).toBe(2265);
  });

  it('id: and doi:', () => {
    const r = search('id:arXiv:2203.09894v2');
    expect(r.total).toBe(1);
    expect(r.hits[0]!.paper.ids.doi).toBe('10.1103/physrevc.107.024907');
    expect(ids('doi:10.1103/PhysRevC.107.024907')).toEqual(r.hits.map((h) => h.paper.id));
  });

  it('the empty query is every paper', () => {
    expect(search('').total).toBe(2542);
  });
});

describe('paging and order', () => {
  it('pages are stable and disjoint, and cover the result', () => {
    for (const sort of ['relevance', 'date'] as const) {
      const all = ids('learning', { sort });
      const total = search('learning').total;
      const pages: number[] = [];
      for (let offset = 0; offset < total; offset += 37) {
        pages.push(...ids('learning', { sort, limit: 37, offset }));
      }
      expect(new Set(pages).size).toBe(total);
      expect(pages.slice(0, 200)).toEqual(all);
      expect(ids('learning', { sort, limit: 37, offset: 37 })).toEqual(pages.slice(37, 74));
    }
  });

  it('an offset past the end gives no hits but the total', () => {
    const r = search('title:RegMix', { offset: 5 });
    expect(r.total).toBe(2);
    expect(r.hits).toEqual([]);
  });

  it('sorts by date, newest first, undated last', () => {
    const r = search('cat:math', { sort: 'date', limit: 200 });
    const dates = r.hits.map((h) => h.paper.published ?? String(h.paper.year ?? ''));
    expect(dates.every(Boolean)).toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
    // A filter-only query is by date whatever the sort.
    expect(ids('cat:math', { sort: 'relevance' })).toEqual(ids('cat:math', { sort: 'date' }));
  });
});

describe('facets', () => {
  it('count the whole matching set', () => {
    const r = search('year:2020-2022 cat:cs', { limit: 1 });
    expect(r.facets.years.reduce((s, y) => s + y.count, 0)).toBe(317);
    expect(r.facets.years.map((y) => y.value)).toEqual([2022, 2021, 2020]);
    // arXiv codes only (oai_dc's subject names are stored as codes), each counted over all 317.
    expect(r.facets.categories[0]).toEqual({
      value: 'cs.LG',
      count: search('year:2020-2022 cat:cs.LG', { limit: 1 }).total,
    });
    expect(r.facets.categories[0]?.count).toBe(135);
    expect(r.facets.categories.filter((c) => c.value.includes(' '))).toEqual([]);
    expect(r.facets.categories.length).toBeLessThanOrEqual(20);
    expect(r.facets.hasCode).toBe(search('year:2020-2022 cat:cs has:code').total);
  });

  it('name the authors with their paper counts', () => {
    const r = search('author:"Xiao, L"', { limit: 1 });
    expect(r.facets.authors[0]).toMatchObject({ name: 'Lechao Xiao', count: 12 });
  });
});

describe('errors', () => {
  it('a malformed query throws InvalidInputError with the place', () => {
    try {
      search('kernel "infinite width');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err).toBeInstanceOf(InvalidQueryError);
      const e = err as InvalidQueryError;
      expect(e.error.offset).toBe(7);
      expect(e.message).toBe('unclosed quote at column 8\nkernel "infinite width\n       ^^^^^^^^^^^^^^^');
    }
  });

  it('rejects bad paging', () => {
    expect(() => search('x', { limit: 0 })).toThrow(InvalidInputError);
    expect(() => search('x', { limit: 201 })).toThrow(InvalidInputError);
    expect(() => search('x', { offset: -1 })).toThrow(InvalidInputError);
    expect(() => search('x', { sort: 'name' as 'date' })).toThrow(InvalidInputError);
  });
});

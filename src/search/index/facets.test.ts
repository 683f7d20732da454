import { describe, expect, it } from 'vitest';
import { IndexedSearch } from './indexed-search.ts';
import { SearchIndex } from './search-index.ts';

/**
 * The author facet when thousands of people tie at the edge (a rare word, each author on one
 * paper): only the first 1,000 of them by id have their names read, and of those the 20 shown
 * are the first by name; people on two papers come before all of them.
 */
describe('author facet with many ties', () => {
  const index = new SearchIndex();
  const papers = 3000;
  for (let id = 1; id <= papers; id++) {
    // Person 5000 is on every 100th paper, person id+10 on paper id only.
    const authorIds = id % 100 === 0 ? [id + 10, 5000] : [id + 10];
    index.put({
      id,
      year: 2021,
      published: null,
      flags: 0,
      sources: 0,
      categories: ['cs.LG'],
      authorIds,
      title: 'alpha',
      abstract: '',
      authors: '',
    });
  }
  // Names run against ids: the higher the id, the earlier the name.
  const nameOf = (a: number) => `name ${String(100000 - a).padStart(6, '0')}`;
  const asked: number[][] = [];
  const source = {
    hit: () => {
      throw new Error('not asked');
    },
    authorNames: (ids: number[]) => {
      asked.push(ids);
      return new Map(ids.map((a) => [a, nameOf(a)]));
    },
  };
  const none = { authorIds: () => [], papersOfAuthors: () => [], papersWithKey: () => [] };
  const search = new IndexedSearch(index, none, source);

  it('reads at most 1,000 tied names and shows the first of them by name', () => {
    const { facets, total } = search.rank({ query: 'alpha', limit: 5 });
    expect(total).toBe(papers);
    expect(facets.sampled).toBeUndefined();
    expect(asked.flat().length).toBeLessThanOrEqual(1000);
    expect(facets.authors[0]).toEqual({ id: 5000, name: nameOf(5000), count: 30 });
    // Of the lowest 999 tied ids (11 …), the 19 with the latest ids have the first names.
    const tiedIds = facets.authors.slice(1).map((a) => a.id);
    expect(tiedIds).toEqual(Array.from({ length: 19 }, (_, i) => 11 + 999 - 1 - i));
    expect(facets.authors.every((a, i) => i === 0 || a.count === 1)).toBe(true);
  });
});

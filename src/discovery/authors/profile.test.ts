import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../domain/paper.ts';
import {
  candidateTerms,
  coauthorNetwork,
  distinctiveTerms,
  rankCategories,
  sortPapers,
  termUses,
} from './profile.ts';

function paper(id: number, fields: Partial<Paper> = {}): Paper {
  return {
    id,
    ids: {},
    authors: [],
    versions: [],
    categories: [],
    codeLinks: [],
    sources: [],
    via: {},
    ...fields,
  };
}

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ name: { display: `P${i}` } }));

/** What the store reads of a paper to sort it. */
const sortable = (p: Paper) => ({
  id: p.id,
  title: p.title,
  published: p.published,
  year: p.year,
  coauthors: Math.max(0, p.authors.length - 1),
});

describe('sortPapers', () => {
  const papers = [
    paper(1, { title: 'beta', published: '2021-05-01', year: 2021, authors: people(3) }),
    paper(2, { title: 'Alpha', published: '2023-01-10', year: 2023, authors: people(1) }),
    paper(3, { year: 2022, authors: people(7) }),
    paper(4, { title: 'gamma 10' }),
    paper(5, { title: 'gamma 9', published: '2020-02-02' }),
  ].map(sortable);

  it('orders by date both ways, undated last either way', () => {
    expect(sortPapers(papers, 'date', 'desc').map((p) => p.id)).toEqual([2, 3, 1, 5, 4]);
    expect(sortPapers(papers, 'date', 'asc').map((p) => p.id)).toEqual([5, 1, 3, 2, 4]);
  });

  it('orders by title without regard to case, numbers as numbers, untitled last', () => {
    expect(sortPapers(papers, 'title', 'asc').map((p) => p.id)).toEqual([2, 1, 5, 4, 3]);
    expect(sortPapers(papers, 'title', 'desc').map((p) => p.id)).toEqual([4, 5, 1, 2, 3]);
  });

  it('orders by number of co-authors', () => {
    expect(sortPapers(papers, 'coauthors', 'desc').map((p) => p.id)).toEqual([3, 1, 2, 4, 5]);
  });

  it('returns the same papers, whatever they are (garbage titles and dates included)', () => {
    const arbitraryPaper = fc.record({
      id: fc.integer({ min: 1, max: 1e6 }),
      title: fc.option(fc.string(), { nil: undefined }),
      published: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
      year: fc.option(fc.integer({ min: 1900, max: 2100 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbitraryPaper, { selector: (p) => p.id, maxLength: 30 }),
        fc.constantFrom('date', 'title', 'coauthors' as const),
        fc.constantFrom('asc', 'desc' as const),
        (raw, sort, direction) => {
          const input = raw.map((r) => {
            const fields: Partial<Paper> = {};
            if (r.title !== undefined) fields.title = r.title;
            if (r.published !== undefined) fields.published = r.published;
            if (r.year !== undefined) fields.year = r.year;
            return paper(r.id, fields);
          });
          const out = sortPapers(input.map(sortable), sort, direction);
          expect(out.map((p) => p.id).sort((a, b) => a - b)).toEqual(
            input.map((p) => p.id).sort((a, b) => a - b),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rankCategories', () => {
  it('ranks by papers, arXiv names only when there are some', () => {
    const counts = new Map([
      ['stat.ML', 1],
      ['Computer Science - Learning', 1],
      ['cs.LG', 2],
      ['60G22, 60H10', 1],
      ['hep-th', 1],
    ]);
    expect(rankCategories(counts)).toEqual([
      { category: 'cs.LG', count: 2 },
      { category: 'hep-th', count: 1 },
      { category: 'stat.ML', count: 1 },
    ]);
    expect(rankCategories(new Map([['Mathematics - Probability', 1]]))).toEqual([
      { category: 'Mathematics - Probability', count: 1 },
    ]);
    expect(rankCategories(counts, 1)).toEqual([{ category: 'cs.LG', count: 2 }]);
  });
});

describe('distinctive terms', () => {
  const papers = [
    paper(1, {
      title: 'Neural tangent kernels at infinite width',
      abstractText: 'We study the kernel of wide networks.',
    }),
    paper(2, {
      title: 'Infinite width limits',
      abstractText: 'The kernel regime of neural networks, $x_1$ and \\cite{a}.',
    }),
    paper(3, { title: 'Scaling laws', abstractText: 'Neural networks scale.' }),
  ];

  it('counts words and the papers that use them, without mathematics or stop words', () => {
    const uses = termUses(papers);
    expect(uses.get('kernel')).toEqual({ count: 3, papers: 2 });
    expect(uses.get('network')).toEqual({ count: 3, papers: 3 });
    expect(uses.has('x_1')).toBe(false);
    expect(uses.has('the')).toBe(false);
    // With three papers, a word in only one of them is not asked about.
    const asked = candidateTerms(uses, papers.length);
    expect(asked).toContain('kernel');
    expect(asked).not.toContain('tangent');
    const flattened = termUses([
      paper(1, { abstractText: 'A 1over bound' }),
      paper(2, { abstractText: '1over 3d' }),
    ]);
    expect(candidateTerms(flattened, 2)).toEqual(['3d', 'bound']);
  });

  it('ranks a word rare in the corpus above a common one used as often', () => {
    const uses = termUses(papers);
    const terms = candidateTerms(uses, papers.length);
    const df = new Map([
      ['kernel', 50],
      ['network', 50_000],
      ['neural', 40_000],
      ['infinite', 800],
      ['width', 900],
    ]);
    const ranked = distinctiveTerms(uses, terms, df, 100_000);
    const order = ranked.map((t) => t.term);
    expect(order[0]).toBe('kernel');
    expect(order.indexOf('infinite')).toBeLessThan(order.indexOf('network'));
    // The weighting of the similar-papers model: (1 + ln tf) × (ln((1 + N) / (1 + df)) + 1).
    const kernel = ranked[0]!;
    expect(kernel.score).toBeCloseTo((1 + Math.log(3)) * (Math.log(100_001 / 51) + 1), 6);
  });
});

describe('coauthorNetwork', () => {
  const by = (...ids: number[]) => ids.map((id) => ({ name: { display: `Person ${id}` }, authorId: id }));
  it('keeps the closest co-authors and links those on the same papers', () => {
    const papers = [
      paper(1, { authors: by(1, 2, 3) }),
      paper(2, { authors: by(1, 2, 3) }),
      paper(3, { authors: by(4, 1, 2) }),
      paper(4, { authors: [...by(1, 5), { name: { display: 'Unlinked' } }] }),
    ];
    const network = coauthorNetwork(papers, 1, 3);
    expect(network.nodes).toEqual([
      { id: 2, name: 'Person 2', papers: 3 },
      { id: 3, name: 'Person 3', papers: 2 },
      { id: 4, name: 'Person 4', papers: 1 },
    ]);
    expect(network.links).toEqual([
      { a: 2, b: 3, papers: 2 },
      { a: 2, b: 4, papers: 1 },
    ]);
  });
});

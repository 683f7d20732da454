import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../search/query/index.ts';
import { parseArxivIds } from '../services/import-jobs.ts';
import { splitMarks } from './components/marked-text.tsx';
import { identifierLinks, safeHref } from './identifier-links.ts';
import { abstractPieces } from './math.tsx';
import { addFilter, facetFilters, hasTerm, quoteValue, searchHref } from './query-links.ts';

describe('snippet marks', () => {
  it('splits «…» into marked pieces and keeps the rest as text', () => {
    expect(splitMarks('…the «kernel» of «infinite width» nets')).toEqual([
      { text: '…the ', marked: false },
      { text: 'kernel', marked: true },
      { text: ' of ', marked: false },
      { text: 'infinite width', marked: true },
      { text: ' nets', marked: false },
    ]);
    expect(splitMarks('a lone « quote')).toEqual([{ text: 'a lone « quote', marked: false }]);
  });

  it('loses no text, whatever the snippet holds', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.boolean())), (parts) => {
        const clean = parts.map(([t, m]) => [t.replace(/[«»]/g, ''), m] as const);
        const snippet = clean.map(([t, m]) => (m ? `«${t}»` : t)).join('');
        const pieces = splitMarks(snippet);
        expect(pieces.map((p) => p.text).join('')).toBe(clean.map(([t]) => t).join(''));
        for (const p of pieces) if (p.marked) expect(p.text.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => void splitMarks(s)));
  });
});

describe('facet links', () => {
  it('add a filter to the query, bracketing a top-level OR', () => {
    expect(addFilter('kernel', 'year:2020')).toBe('kernel year:2020');
    expect(addFilter('kernel OR scaling', 'year:2020')).toBe('(kernel OR scaling) year:2020');
    expect(addFilter('kernel year:2020', 'year:2020')).toBe('kernel year:2020');
    expect(addFilter('', 'has:code')).toBe('has:code');
    expect(hasTerm('kernel year:20201', 'year:2020')).toBe(false);
    expect(facetFilters.author('O"Brien, \\ A')).toBe('author:"O\\"Brien, \\\\ A"');
    expect(searchHref({ q: 'a b', sort: 'date', page: 3 })).toBe('/search?q=a+b&sort=date&page=3');
  });

  it('keep a query that parses parseable, and the filter in it', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const query = fc
      .array(
        fc.oneof(
          word,
          word.map((w) => `"${w} ${w}"`),
          fc.constant('OR'),
          word.map((w) => `-${w}`),
        ),
        {
          minLength: 1,
          maxLength: 6,
        },
      )
      .map((parts) => parts.join(' '));
    const filter = fc.oneof(
      fc.integer({ min: 1990, max: 2030 }).map(facetFilters.year),
      fc.constantFrom('cs.LG', 'math.PR', 'hep-th').map(facetFilters.category),
      // Display names as the store keeps them, quotes and backslashes included.
      fc
        .tuple(fc.stringMatching(/^[A-Z][a-zé'"\\-]{1,10}$/), fc.stringMatching(/^[A-Z][a-z.]{0,8}$/))
        .map(([family, given]) => facetFilters.author(`${given} ${family}`)),
      fc.constant(facetFilters.hasCode()),
    );
    fc.assert(
      fc.property(query, filter, (q, f) => {
        fc.pre(parseQuery(q).ok);
        const narrowed = addFilter(q, f);
        expect(parseQuery(narrowed).ok).toBe(true);
        expect(hasTerm(narrowed, f)).toBe(true);
      }),
    );
  });

  it('quote any value so that the parser reads it back as one phrase', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (value) => {
        const parsed = parseQuery(`title:${quoteValue(value)}`);
        if (parsed.ok && parsed.query.kind === 'phrase') expect(parsed.query.text).toBe(value);
      }),
    );
  });
});

describe('math in abstracts', () => {
  it('typesets inline and display math and keeps the prose, with its spaces', () => {
    const pieces = abstractPieces('Let $x^2$ be small, and $$\\sum_i a_i$$ finite; costs \\$5.');
    expect(pieces.map((p) => p.kind)).toEqual(['text', 'math', 'text', 'math', 'text']);
    expect(pieces[0]).toEqual({ kind: 'text', text: 'Let ' });
    expect(pieces[2]).toEqual({ kind: 'text', text: ' be small, and ' });
    expect(pieces[4]).toEqual({ kind: 'text', text: ' finite; costs $5.' });
    const display = pieces[3] as { html: string };
    expect(display.html).toContain('katex-display');
  });

  it('turns any text into escaped prose and KaTeX markup that carries no script, link or handler', () => {
    const nasty = fc.constantFrom(
      '<script>alert(1)</script>',
      '$\\href{javascript:alert(1)}{x}$',
      '$<img src=x onerror=alert(1)>$',
      '$\\url{javascript:x}$',
      '$\\htmlClass{x}{y}$',
      '$\\frac{1}{$',
      '$$',
      '\\(',
      '&lt;b&gt;',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), nasty), { maxLength: 6 }), (parts) => {
        for (const piece of abstractPieces(parts.join(' '))) {
          if (piece.kind === 'math') {
            expect(piece.html.startsWith('<span class="katex')).toBe(true);
            expect(piece.html).not.toMatch(/<(script|img|a|iframe|object)[\s>]|<[^>]*\s(on\w+|href|src)=/i);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('identifiers and URLs', () => {
  it('link each identifier, and look a paper up where it has no id of its own', () => {
    const links = identifierLinks({ arxiv: 'math/0601001', doi: '10.1000/a b' });
    expect(links.map((l) => l.href)).toEqual([
      'https://arxiv.org/abs/math/0601001',
      'https://doi.org/10.1000/a%20b',
      'https://www.semanticscholar.org/arxiv/math/0601001',
      'https://api.openalex.org/works/doi:10.1000/a%20b',
      'https://ui.adsabs.harvard.edu/abs/arXiv%3Amath%2F0601001/abstract',
    ]);
  });

  it('give only http(s) addresses, whatever a source wrote', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('https://github.com/a/b')).toBe('https://github.com/a/b');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const href = safeHref(s);
        if (href !== undefined) expect(href).toMatch(/^https?:\/\//);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ arxiv: fc.string(), doi: fc.string(), s2: fc.string(), openalex: fc.string() }),
        (ids) => {
          for (const l of identifierLinks(ids)) expect(new URL(l.href).protocol).toBe('https:');
        },
      ),
    );
  });
});

describe('arXiv ids typed into the importer', () => {
  it('accept only ids, and name what is not one', () => {
    expect(() => parseArxivIds('2006.10540 javascript:x')).toThrow('Not arXiv ids: javascript:x');
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          for (const id of parseArxivIds(s))
            expect(id).toMatch(/^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/i);
        } catch (err) {
          expect((err as Error).name).toBe('InvalidInputError');
        }
      }),
    );
  });
});

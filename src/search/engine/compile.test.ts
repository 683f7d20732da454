import { describe, expect, it } from 'vitest';
import { parseQuery, type QueryNode } from '../query/index.ts';
import { compile, ftsOf, ftsQuote } from './compile.ts';
import { lightStem, makeSnippet, matchedTerms } from './snippet.ts';

function tree(q: string): QueryNode {
  const r = parseQuery(q);
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
}

const noAuthors = () => [];

describe('compile', () => {
  it('quotes every free word and phrase for FTS5, with the column of its field', () => {
    const c = compile(tree('title:RegMix abs:"neural tangent kernel" scaling'), noAuthors);
    expect(c.params).toEqual(['title : "regmix"', 'abstract : "neural tangent kernel"', '"scaling"']);
    expect(c.rank).toBe('title : "regmix" OR abstract : "neural tangent kernel" OR "scaling"');
    expect(c.where.match(/MATCH \?/g)).toHaveLength(3);
    expect(c.where.split(' AND ').length).toBeGreaterThanOrEqual(3);
  });

  it('reads FTS5 operators and syntax as plain words', () => {
    const c = compile(tree('NEAR(a b) "x* ^y" "col:on"'), noAuthors);
    expect(c.params).toEqual(['"near"', '"a"', '"b"', '"x y"', '"col on"']);
  });

  it('doubles quotes inside an FTS5 string', () => {
    expect(ftsQuote('say "hi"')).toBe('"say ""hi"""');
  });

  it('makes a term that folds to several words a phrase', () => {
    const node = tree('state-of-the-art');
    expect(node.kind).toBe('term');
    expect(ftsOf(node as Parameters<typeof ftsOf>[0])).toBe('"state of the art"');
  });

  it('resolves authors through the callback and passes their ids as one JSON parameter', () => {
    const seen: string[] = [];
    const c = compile(tree('author:"^Xiao, L" author:"Lechao Xiao"'), (n) => {
      seen.push(n.key);
      return n.first ? [1, 2] : [1];
    });
    expect(seen).toEqual(['l xiao', 'lechao xiao']);
    expect(c.params).toEqual(['[1,2]', '[1]']);
    expect(c.where).toContain('pa.position = 0');
    expect(c.rank).toBeUndefined();
  });

  it('compiles year ranges so that NOT keeps undated papers', () => {
    const c = compile(tree('-year:2020-2022'), noAuthors);
    expect(c.where).toBe('NOT (p.year IS NOT NULL AND p.year >= ? AND p.year <= ?)');
    expect(c.params).toEqual([2020, 2022]);
    expect(compile(tree('year:>2020'), noAuthors).params).toEqual([2021]);
    expect(compile(tree('year:<=2019'), noAuthors).where).toBe('(p.year IS NOT NULL AND p.year <= ?)');
  });

  it('compiles filters to their tables', () => {
    expect(compile(tree('cat:cs'), noAuthors).params).toEqual(['cs', 'cs', 'cs.', 'cs.']);
    expect(compile(tree('cat:cs.lg'), noAuthors).params).toEqual([
      'cs.LG',
      'Computer Science - Machine Learning',
      'cs.LG.',
      'cs.LG.',
    ]);
    expect(compile(tree('has:code'), noAuthors).where).toContain('code_links');
    expect(compile(tree('has:doi'), noAuthors).where).toBe('p.doi IS NOT NULL');
    const src = compile(tree('source:ads'), noAuthors);
    expect(JSON.parse(src.params[0] as string)).toEqual(['ads', 'page-ads-author']);
    expect(compile(tree('id:2401.01234v2'), noAuthors).params).toEqual(['arxiv', '2401.01234']);
    expect(compile(tree('doi:https://doi.org/10.1000/XYZ'), noAuthors).params).toEqual(['10.1000/xyz']);
  });

  it('nests AND, OR and NOT, and ranks only by text outside a NOT', () => {
    const c = compile(tree('(kernel OR gaussian) -title:survey'), noAuthors);
    expect(c.where).toMatch(/^\(\(p\.id IN .* OR p\.id IN .*\) AND NOT p\.id IN .*\)$/);
    expect(c.rank).toBe('"kernel" OR "gaussian"');
    expect(c.textLeaves.map((l) => l.text)).toEqual(['kernel', 'gaussian']);
  });

  it('compiles the empty query to every paper', () => {
    expect(compile(tree(''), noAuthors)).toEqual({ where: '1', params: [], textLeaves: [] });
  });
});

describe('snippets', () => {
  const leaves = (q: string) => compile(tree(q), noAuthors).textLeaves;

  it('stems lightly', () => {
    expect(lightStem('kernels')).toBe('kernel');
    expect(lightStem('studies')).toBe('study');
    expect(lightStem('class')).toBe('class');
  });

  it('marks terms and whole phrases with «…»', () => {
    const text = 'We study the Neural Tangent Kernel of wide networks; kernels help.';
    expect(makeSnippet(text, leaves('"neural tangent kernel"'))).toBe(
      'We study the «Neural Tangent Kernel» of wide networks; kernels help.',
    );
    expect(makeSnippet(text, leaves('kernel'))).toBe(
      'We study the Neural Tangent «Kernel» of wide networks; «kernels» help.',
    );
  });

  it('opens on the matches in a long text, and on the start without any', () => {
    const text = `${'filler words here. '.repeat(40)}the target word ${'and more text. '.repeat(40)}`;
    const s = makeSnippet(text, leaves('target'));
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain('«target»');
    expect(s.length).toBeLessThan(260);
    expect(makeSnippet(text, leaves('absent')).startsWith('filler words here.')).toBe(true);
  });

  it('lists the leaves found in any text', () => {
    expect(
      matchedTerms(leaves('RegMix "data mixture" absent'), ['RegMix: Data Mixture as Regression']),
    ).toEqual(['RegMix', 'data mixture']);
  });
});

import { describe, expect, it } from 'vitest';
import type { QueryNode, TextField } from './ast.ts';
import { formatQuery, parseQuery } from './index.ts';

const term = (text: string, normalized = text.toLowerCase(), field?: TextField): QueryNode =>
  field ? { kind: 'term', field, text, normalized } : { kind: 'term', text, normalized };
const phrase = (text: string, words: string[], field?: TextField): QueryNode =>
  field ? { kind: 'phrase', field, text, words } : { kind: 'phrase', text, words };
const and = (...children: QueryNode[]): QueryNode => ({ kind: 'and', children });
const or = (...children: QueryNode[]): QueryNode => ({ kind: 'or', children });
const not = (child: QueryNode): QueryNode => ({ kind: 'not', child });
const cat = (value: string): QueryNode => ({ kind: 'filter', field: 'cat', value });
const years = (from?: number, to?: number): QueryNode => ({
  kind: 'range',
  field: 'year',
  ...(from !== undefined ? { from } : {}),
  ...(to !== undefined ? { to } : {}),
});

const XIAO_FULL = {
  family: 'xiao',
  given: ['lechao'],
  initialsOnly: false,
  key: 'lechao xiao',
  initialKey: 'l xiao',
};
const XIAO_INITIAL = {
  family: 'xiao',
  given: ['l'],
  initialsOnly: true,
  key: 'l xiao',
  initialKey: 'l xiao',
};

function parsed(input: string): QueryNode {
  const result = parseQuery(input);
  if (!result.ok) throw new Error(`${input}: ${result.error.message}`);
  return result.query;
}

const EXAMPLES: [string, QueryNode][] = [
  ['neural tangent kernel', and(term('neural'), term('tangent'), term('kernel'))],
  ['"quoted phrases"', phrase('quoted phrases', ['quoted', 'phrases'])],
  [
    '"neural tangent kernel" OR NTK',
    or(phrase('neural tangent kernel', ['neural', 'tangent', 'kernel']), term('NTK')),
  ],
  ['title:transformer', term('transformer', 'transformer', 'title')],
  ['abs:"in-context learning"', phrase('in-context learning', ['in', 'context', 'learning'], 'abs')],
  ['author:"Xiao, Lechao"', { kind: 'author', text: 'Xiao, Lechao', ...XIAO_FULL }],
  ['author:"Lechao Xiao"', { kind: 'author', text: 'Lechao Xiao', ...XIAO_FULL }],
  ['author:"Xiao, L"', { kind: 'author', text: 'Xiao, L', ...XIAO_INITIAL }],
  ['author:"L. Xiao"', { kind: 'author', text: 'L. Xiao', ...XIAO_INITIAL }],
  [
    'author:xiao',
    {
      kind: 'author',
      text: 'xiao',
      family: 'xiao',
      given: [],
      initialsOnly: false,
      key: 'xiao',
      initialKey: 'xiao',
    },
  ],
  ['au:"^Xiao, L"', { kind: 'author', text: 'Xiao, L', ...XIAO_INITIAL, first: true }],
  ['year:2021', years(2021, 2021)],
  ['year:2020-2024', years(2020, 2024)],
  ['year:>2020', years(2021)],
  ['year:>=2020', years(2020)],
  ['year:<2019', years(undefined, 2018)],
  ['year:2020-', years(2020)],
  ['year:-2019', years(undefined, 2019)],
  ['cat:cs.LG', cat('cs.LG')],
  ['cat:cs', cat('cs')],
  ['cat:COND-MAT.STAT-MECH', cat('cond-mat.stat-mech')],
  ['cat:math.ag', cat('math.AG')],
  ['has:code', { kind: 'filter', field: 'has', value: 'code' }],
  ['source:ads', { kind: 'filter', field: 'source', value: 'ads', sources: ['ads', 'page-ads-author'] }],
  ['source:S2', { kind: 'filter', field: 'source', value: 's2', sources: ['semantic-scholar'] }],
  ['source:arxiv-oai', { kind: 'filter', field: 'source', value: 'arxiv-oai', sources: ['arxiv-oai'] }],
  ['id:2401.01234', { kind: 'filter', field: 'id', value: '2401.01234', scheme: 'arxiv' }],
  ['id:arXiv:2401.01234v2', { kind: 'filter', field: 'id', value: '2401.01234', scheme: 'arxiv' }],
  ['arXiv:math.GT/0309136', { kind: 'filter', field: 'id', value: 'math/0309136', scheme: 'arxiv' }],
  ['id:10.1103/PhysRevD.1', { kind: 'filter', field: 'id', value: '10.1103/physrevd.1', scheme: 'doi' }],
  ['id:W2741809807', { kind: 'filter', field: 'id', value: 'W2741809807', scheme: 'other' }],
  ['doi:10.1000/xyz', { kind: 'filter', field: 'doi', value: '10.1000/xyz' }],
  ['doi:https://doi.org/10.1000/XYZ', { kind: 'filter', field: 'doi', value: '10.1000/xyz' }],
  [
    'doi:"10.1016/S0370-2693(98)00377-3"',
    { kind: 'filter', field: 'doi', value: '10.1016/s0370-2693(98)00377-3' },
  ],
  ['title:(scaling OR laws)', or(term('scaling', 'scaling', 'title'), term('laws', 'laws', 'title'))],
  [
    'author:"Sohl-Dickstein, Jascha" year:2019-2023 -cat:stat.ML',
    and(
      {
        kind: 'author',
        text: 'Sohl-Dickstein, Jascha',
        family: 'sohl dickstein',
        given: ['jascha'],
        initialsOnly: false,
        key: 'jascha sohl dickstein',
        initialKey: 'j sohl dickstein',
      },
      years(2019, 2023),
      not(cat('stat.ML')),
    ),
  ],
  [
    'has:code title:diffusion',
    and({ kind: 'filter', field: 'has', value: 'code' }, term('diffusion', 'diffusion', 'title')),
  ],
  // Precedence: NOT > AND > OR.
  ['a b OR c', or(and(term('a'), term('b')), term('c'))],
  ['a AND b OR c AND d', or(and(term('a'), term('b')), and(term('c'), term('d')))],
  ['a (b OR c)', and(term('a'), or(term('b'), term('c')))],
  ['NOT a b', and(not(term('a')), term('b'))],
  ['diffusion NOT (video OR audio)', and(term('diffusion'), not(or(term('video'), term('audio'))))],
  ['+attention -rnn', and(term('attention'), not(term('rnn')))],
  ['NOT -a', term('a')],
  // Lower-case operators are words.
  ['rock and roll', and(term('rock'), term('and'), term('roll'))],
  ['Sohl-Dickstein', term('Sohl-Dickstein', 'sohl dickstein')],
  ['Schrödinger bridge', and(term('Schrödinger', 'schrodinger'), term('bridge'))],
  // A dash between words and punctuation alone ask for nothing.
  ['Attention - a survey', and(term('Attention', 'attention'), term('a'), term('survey'))],
  ['!! ""', { kind: 'all' }],
  ['', { kind: 'all' }],
  ['   ', { kind: 'all' }],
  ['author: "Xiao, L"', { kind: 'author', text: 'Xiao, L', ...XIAO_INITIAL }],
  ['“smart quotes” here', and(phrase('smart quotes', ['smart', 'quotes']), term('here'))],
  ['"say \\"hi\\""', phrase('say "hi"', ['say', 'hi'])],
  [
    'https://arxiv.org/abs/2401.01234',
    term('https://arxiv.org/abs/2401.01234', 'https arxiv org abs 2401 01234'),
  ],
  [
    'year:(2019 OR 2021) cat:(cs.LG OR stat.ML)',
    and(or(years(2019, 2019), years(2021, 2021)), or(cat('cs.LG'), cat('stat.ML'))),
  ],
  ['((a))', term('a')],
];

describe('parseQuery on the queries researchers type', () => {
  for (const [input, expected] of EXAMPLES) {
    it(input || '(empty)', () => {
      expect(parsed(input)).toStrictEqual(expected);
    });
  }

  it('folds every spelling of one author to the same keys', () => {
    const keys = ['author:"Xiao, Lechao"', 'author:"Lechao Xiao"', 'author:"XIAO, Léchao"'].map((q) => {
      const node = parsed(q);
      return node.kind === 'author' ? node.key : '';
    });
    expect(keys).toEqual(['lechao xiao', 'lechao xiao', 'lechao xiao']);
  });
});

describe('formatQuery', () => {
  const CANONICAL: [string, string][] = [
    ['title:(scaling OR laws)', 'title:scaling OR title:laws'],
    ['a AND (b OR c) NOT d', 'a (b OR c) -d'],
    ['NOT (a b)', '-(a b)'],
    ['author:"Xiao, L" year:>2020', 'author:"Xiao, L" year:2021-'],
    ['year:<2019', 'year:-2018'],
    ['AU:xiao Ti:kernel', 'author:xiao title:kernel'],
    ['doi:"10.1016/S0370-2693(98)00377-3"', 'doi:"10.1016/s0370-2693(98)00377-3"'],
    ['"a \\\\ b"', '"a \\\\ b"'],
  ];
  for (const [input, expected] of CANONICAL) {
    it(`${input} → ${expected}`, () => {
      expect(formatQuery(parsed(input))).toBe(expected);
    });
  }

  it('round-trips every example', () => {
    for (const [input, expected] of EXAMPLES) {
      expect(parsed(formatQuery(expected)), input).toStrictEqual(expected);
    }
  });
});

describe('malformed queries', () => {
  const ERRORS: [string, string, number, number][] = [
    ['kernel methods "infinite width', 'unclosed quote at column 16', 15, 15],
    ['a) b', '")" without "(" at column 2', 1, 1],
    ['(a OR b', '"(" at column 1 is never closed', 0, 1],
    ['a ()', 'empty "()" at column 3', 2, 2],
    ['titel:diffusion', 'unknown field "titel:" at column 1 — did you mean "title:"?', 0, 6],
    ['autor:xiao', 'unknown field "autor:" at column 1 — did you mean "author:"?', 0, 6],
    [
      'foo:bar',
      'unknown field "foo:" at column 1 — fields are title: abs: author: year: cat: has: source: id: doi: (put the word in quotes to search for it)',
      0,
      4,
    ],
    ['year:20x', 'year: wants a year or a range like 2020-2024, got "20x" at column 6', 5, 3],
    ['year:2024-2020', 'year: range runs backwards (2024 after 2020), got "2024-2020" at column 6', 5, 9],
    ['OR a', '"OR" at column 1 needs a term before it', 0, 2],
    ['a OR', '"OR" at column 3 needs a term after it', 2, 2],
    ['a AND', '"AND" at column 3 needs a term after it', 2, 3],
    ['AND a', '"AND" at column 1 needs a term before it', 0, 3],
    ['a NOT', '"NOT" at column 3 needs a term after it', 2, 3],
    ['title:', 'title: at column 1 needs a value', 0, 6],
    ['title: OR b', 'title: at column 1 needs a value', 0, 6],
    ['title:(abs:x)', '"abs:" at column 8 inside title:(…) — a group takes one field', 7, 4],
    [
      'cat:cs..LG',
      'cat: wants an arXiv category like cs.LG, or an archive like cs, got "cs..LG" at column 5',
      4,
      6,
    ],
    ['has:pdf', 'has: wants one of code, abstract, doi, got "pdf" at column 5', 4, 3],
    [
      'source:scholar',
      'source: wants one of arxiv, ads, s2, openalex, hf, catalyzex, csl, arxiv-api, arxiv-oai, arxiv-bulk, semantic-scholar, huggingface, bibtex, ris, csl-json, page-arxiv-listing, page-ads-author, page-hf-papers, page-catalyzex, got "scholar" at column 8',
      7,
      7,
    ],
    ['doi:xyz', 'doi: wants a DOI like 10.1000/xyz, got "xyz" at column 5', 4, 3],
    ['arxiv:1234', 'arxiv: wants an arXiv id like 2401.01234, got "1234" at column 7', 6, 4],
    [
      'author:"!!"',
      'author: wants a name like "Xiao, Lechao", "Lechao Xiao" or xiao, got "!!" at column 8',
      7,
      4,
    ],
    ['a -OR b', 'unexpected "OR" at column 4', 3, 2],
  ];
  for (const [input, message, offset, length] of ERRORS) {
    it(input, () => {
      const result = parseQuery(input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ message, offset, length });
    });
  }

  it('names the place as a person counts it: columns from 1, a character (not a UTF-16 unit) each', () => {
    const result = parseQuery('Schrödinger 🙂 "wave');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // The quote is the 15th character; the emoji takes two UTF-16 units, so its offset is 15.
    expect(result.error).toMatchObject({ message: 'unclosed quote at column 15', column: 15, offset: 15 });
    expect(result.error.pointer).toBe(`Schrödinger 🙂 "wave\n${' '.repeat(14)}^^^^^`);
  });

  it('points at the place with a caret line', () => {
    const result = parseQuery('kernel "infinite width');
    expect(result.ok || result.error.pointer).toBe('kernel "infinite width\n       ^^^^^^^^^^^^^^^');
  });

  it('shows a window of a long query, with the caret under the place', () => {
    const input = `${'word '.repeat(1000)}) tail`;
    const result = parseQuery(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.offset).toBe(5000);
    const [excerpt, caret] = result.error.pointer.split('\n');
    expect(excerpt).toBe(`…${'word '.repeat(6)}) tail`);
    expect(caret).toBe(`${' '.repeat(31)}^`);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const result = parseQuery(`${'('.repeat(5000)}a${')'.repeat(5000)}`);
    expect(result.ok || result.error.message).toBe('parentheses nested deeper than 100 at column 101');
  });
});

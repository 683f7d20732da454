import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDoi } from '../../sources/arxiv-common.ts';
import { type FilterNode, HAS_VALUES, type QueryNode, SOURCE_NAMES_FOR_HELP, sourcesFor } from './ast.ts';
import { formatQuery, parseQuery } from './index.ts';
import { leafFor } from './values.ts';

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789éüñøß中文λ'];
const letter = fc.constantFrom(...LETTERS);
const wordChars = fc.constantFrom(...LETTERS, '-', '.', "'", '_', '^', '*', '$', '/', '#');
/** A bare word: starts with a letter, so it is neither an operator position nor a field. */
const word = fc
  .tuple(letter, fc.array(wordChars, { maxLength: 8 }))
  .map(([first, rest]) => first + rest.join(''))
  .filter((w) => w !== 'AND' && w !== 'OR' && w !== 'NOT');
const phraseText = fc
  .array(fc.oneof(word, fc.constantFrom('"', '\\', '(', ')', 'OR', ':', '\\"')), {
    minLength: 1,
    maxLength: 5,
  })
  .map((ws) => ws.join(' '));

function leaf(field: Parameters<typeof leafFor>[0], text: string, quoted: boolean): fc.Arbitrary<QueryNode> {
  const node = leafFor(field, { text, quoted, start: 0, end: text.length });
  return node ? fc.constant(node) : fc.constant({ kind: 'term', text: 'x', normalized: 'x' } as QueryNode);
}

const textField = fc.constantFrom(undefined, 'title' as const, 'abs' as const);
const termArb = fc.tuple(textField, word).chain(([f, w]) => leaf(f, w, false));
const phraseArb = fc.tuple(textField, phraseText).chain(([f, t]) => leaf(f, t, true));
const authorArb = fc
  .tuple(fc.boolean(), word, fc.array(word, { maxLength: 2 }), fc.boolean())
  .map(([comma, family, given, first]) => {
    const name = comma && given.length ? `${family}, ${given.join(' ')}` : [...given, family].join(' ');
    return (first ? '^' : '') + name;
  })
  .chain((name) => leaf('author', name, true));
const yearArb = fc.integer({ min: 1900, max: 2030 });
const rangeArb: fc.Arbitrary<QueryNode> = fc
  .tuple(fc.option(yearArb, { nil: undefined }), fc.option(yearArb, { nil: undefined }))
  .filter(([a, b]) => a !== undefined || b !== undefined)
  .map(([a, b]) => {
    const [from, to] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
    return {
      kind: 'range',
      field: 'year',
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    };
  });
const filterArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.constantFrom('cs', 'cs.LG', 'stat.ML', 'hep-th', 'cond-mat.stat-mech').map((value) => ({
    kind: 'filter' as const,
    field: 'cat' as const,
    value,
  })),
  fc.constantFrom(...HAS_VALUES).map((value) => ({ kind: 'filter' as const, field: 'has' as const, value })),
  fc.constantFrom(...SOURCE_NAMES_FOR_HELP).map((value) => ({
    kind: 'filter' as const,
    field: 'source' as const,
    value,
    sources: [...sourcesFor(value)!],
  })),
  fc
    .integer({ min: 1501, max: 2412 })
    .filter((n) => n % 100 >= 1 && n % 100 <= 12)
    .chain((yymm) =>
      fc.integer({ min: 1, max: 99999 }).map((n) => ({
        kind: 'filter' as const,
        field: 'id' as const,
        value: `${yymm}.${String(n).padStart(5, '0')}`,
        scheme: 'arxiv' as const,
      })),
    ),
  fc
    .tuple(fc.integer({ min: 1000, max: 99999 }), fc.stringMatching(/^[a-z0-9][a-z0-9().;\-/]{0,11}$/))
    .map(([reg, suffix]) => ({
      kind: 'filter' as const,
      field: 'doi' as const,
      value: normalizeDoi(`10.${reg}/${suffix}`)!,
    })),
);

function flat(kind: 'and' | 'or', nodes: QueryNode[]): QueryNode {
  return { kind, children: nodes.flatMap((n) => (n.kind === kind ? n.children : [n])) };
}

/** Trees in the shape the parser makes: flattened AND/OR, no double negation, no `all` inside. */
const { tree } = fc.letrec<{ tree: QueryNode }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(termArb, phraseArb, authorArb, rangeArb, filterArb),
    fc.array(tie('tree'), { minLength: 2, maxLength: 4 }).map((c) => flat('and', c)),
    fc.array(tie('tree'), { minLength: 2, maxLength: 4 }).map((c) => flat('or', c)),
    tie('tree').map((c): QueryNode => (c.kind === 'not' ? c.child : { kind: 'not', child: c })),
  ),
}));

const QUERY_PIECES = [
  '(',
  ')',
  '"',
  '“',
  '”',
  '\\',
  ':',
  ' ',
  ' ',
  ' ',
  'AND',
  'OR',
  'NOT',
  'and',
  '-',
  '+',
  '^',
  '>',
  '<=',
  'title:',
  'abs:',
  'author:',
  'year:',
  'cat:',
  'has:',
  'source:',
  'id:',
  'doi:',
  'ti:',
  'arxiv:',
  'titel:',
  'kernel',
  'Xiao, L',
  '2020',
  '2020-2024',
  'cs.LG',
  'code',
  'ads',
  '2401.01234v2',
  '10.1000/x',
  'é',
  '中',
];
const queryLike = fc.array(fc.constantFrom(...QUERY_PIECES), { maxLength: 30 }).map((p) => p.join(''));
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  queryLike,
);

describe('parseQuery properties', () => {
  it('never throws, and every error points inside the input and names its column (from 1)', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        const result = parseQuery(input);
        if (result.ok) return;
        const { offset, length, message, pointer, column } = result.error;
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThanOrEqual(input.length);
        expect(offset + length).toBeLessThanOrEqual(input.length);
        expect(column).toBe(Array.from(input.slice(0, offset)).length + 1);
        expect(message).toContain(`at column ${column}`);
        expect(pointer.split('\n')).toHaveLength(2);
        expect(pointer).toMatch(/\n *\^+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads what it prints: formatQuery of any parsed query parses to the same tree', () => {
    fc.assert(
      fc.property(queryLike, (input) => {
        const result = parseQuery(input);
        if (!result.ok) return;
        expect(parseQuery(formatQuery(result.query))).toStrictEqual(result);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips generated trees through formatQuery', () => {
    fc.assert(
      fc.property(tree, (query) => {
        const text = formatQuery(query);
        expect(parseQuery(text), text).toStrictEqual({ ok: true, query });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads huge inputs: 100 KB of words, of operators, of dashes and of unicode', () => {
    const words = Array.from({ length: 24_000 }, (_, i) => `w${i % 997}`).join(' ');
    expect(words.length).toBeGreaterThan(100_000);
    const big = parseQuery(words);
    expect(big.ok && big.query.kind === 'and' && big.query.children.length).toBe(24_000);

    const ors = parseQuery('a OR '.repeat(25_000) + 'b');
    expect(ors.ok && ors.query.kind === 'or' && ors.query.children.length).toBe(25_001);

    const dashes = parseQuery(`${'-'.repeat(100_001)}x`);
    expect(dashes).toStrictEqual({
      ok: true,
      query: { kind: 'not', child: { kind: 'term', text: 'x', normalized: 'x' } },
    });

    const open = parseQuery('"'.repeat(100_001));
    expect(open.ok || open.error.message).toBe('unclosed quote at column 100001');

    const random = fc.sample(fc.string({ unit: 'grapheme', minLength: 100_000, maxLength: 100_000 }), 1)[0]!;
    expect(() => parseQuery(random)).not.toThrow();
    expect(() => parseQuery(')'.repeat(100_000))).not.toThrow();
    expect(parseQuery('('.repeat(100_000)).ok).toBe(false);
  });
});

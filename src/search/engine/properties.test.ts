import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../domain/errors.ts';
import { SqliteSearch } from './search.ts';
import { buildTestCorpus, type TestCorpus } from './test-corpus.ts';

let corpus: TestCorpus;
let engine: SqliteSearch;

beforeAll(async () => {
  corpus = await buildTestCorpus();
  engine = new SqliteSearch(corpus.db);
}, 120_000);
afterAll(() => corpus?.cleanup());

/** Pieces of the query language and of FTS5's own syntax, to build queries that reach deep. */
const piece = fc.constantFrom(
  'author:',
  'title:',
  'abs:',
  'year:',
  'cat:',
  'has:',
  'source:',
  'id:',
  'doi:',
  '"',
  '(',
  ')',
  ' OR ',
  ' AND ',
  ' NOT ',
  '-',
  'NEAR',
  '*',
  '^',
  ':',
  '{',
  '}',
  '""',
  '2021',
  'cs',
  'code',
  'Xiao, L',
  'kernel',
  'ﬁ',
  'ǅ',
  '\u0000',
  ' ',
);

function outcome(query: string): 'ok' | 'invalid' {
  try {
    const r = engine.search({ query, limit: 5 });
    expect(r.hits.length).toBeLessThanOrEqual(Math.min(5, r.total));
    return 'ok';
  } catch (err) {
    if (err instanceof InvalidInputError) return 'invalid';
    throw err;
  }
}

describe('any query', () => {
  it('either answers or throws InvalidInputError (random strings)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'grapheme' }), (q) => {
        outcome(q);
      }),
      { numRuns: 300 },
    );
  });

  it('either answers or throws InvalidInputError (query-language pieces)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }), (parts) => {
        outcome(parts.join(''));
      }),
      { numRuns: 400 },
    );
  });
});

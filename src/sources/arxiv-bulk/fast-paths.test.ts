import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import { parseBulkLine } from './parse.ts';
import { parseBulkLine as parseBefore } from './reference-v1/parse.ts';

/**
 * The bulk parser builds each record with only the fields that hold something (it used to
 * delete the empty ones afterwards): the records must be the very same, key order included,
 * as the code before gave (kept in `reference-v1/`), on every fixture line and on garbage.
 */

const ctx = { origin: 'bulk-test', fetchedAt: '2026-01-02T03:04:05Z' };
const lines = ['arxiv-browse-sample.jsonl', 'unarxive-sample-metadata.jsonl'].flatMap((f) =>
  readFixture('arxiv-bulk', f).split('\n'),
);

function same(line: string, n: number): void {
  const now = parseBulkLine(line, n, ctx);
  const before = parseBefore(line, n, ctx);
  expect(JSON.stringify(now)).toBe(JSON.stringify(before));
  expect(now).toEqual(before);
}

describe('the bulk parser gives what it gave before', () => {
  it('on every fixture line', () => {
    expect(lines.length).toBeGreaterThan(550);
    for (const [i, line] of lines.entries()) same(line, i + 1);
  });

  it('on fixture lines with fields emptied, dropped or of the wrong type', () => {
    const fields = [
      'abstract',
      'authors',
      'authors_parsed',
      'versions',
      'categories',
      'comments',
      'journal-ref',
      'license',
      'doi',
    ];
    const values = [null, '', [], '  ', 7, [['', 'x']], ['x'], [{ version: 'v1' }]];
    fc.assert(
      fc.property(
        fc.constantFrom(...lines.filter(Boolean)),
        fc.array(fc.tuple(fc.constantFrom(...fields), fc.constantFrom(undefined, ...values)), {
          maxLength: 5,
        }),
        (line, changes) => {
          const o = JSON.parse(line) as Record<string, unknown>;
          for (const [field, value] of changes) {
            if (value === undefined) delete o[field];
            else o[field] = value;
          }
          same(JSON.stringify(o), 3);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('on garbage', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json()), (line) => same(line, 1)),
      { numRuns: 500 },
    );
  });
});

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/shared.ts';
import type { AuthorRecord, PaperRecord, SourceRecord } from '../domain/record.ts';
import { arxivBulkAdapter } from '../sources/arxiv-bulk/parse.ts';
import { packBatch, unpackBatch } from './derived-batch.ts';
import { deriveRecord } from './ingest.ts';

/**
 * A batch packed on the worker thread and unpacked on the writing thread gives back the records
 * and what was derived of them: equal, with the same JSON (key order included), through the
 * structured clone `postMessage` makes.
 */

const ctx = { origin: 'bulk-test', fetchedAt: '2026-01-02T03:04:05Z' };
const bulk = ['arxiv-browse-sample.jsonl', 'unarxive-sample-metadata.jsonl'].flatMap(
  (f) => arxivBulkAdapter.parse(readFileSync(fixturePath('arxiv-bulk', f), 'utf8'), ctx).records,
);

function roundTrip(records: SourceRecord[]) {
  const derived = records.map((r) => deriveRecord(r));
  const packed = structuredClone(packBatch(records, derived));
  return { derived, back: unpackBatch(packed) };
}

function expectSame(records: SourceRecord[]) {
  const { derived, back } = roundTrip(records);
  expect(back.records).toEqual(records);
  expect(back.records.map((r) => JSON.stringify(r))).toEqual(records.map((r) => JSON.stringify(r)));
  expect(back.derived).toEqual(derived);
  expect(back.derived.map((d) => JSON.stringify(d))).toEqual(derived.map((d) => JSON.stringify(d)));
}

describe('packing a batch for the writing thread', () => {
  it('gives back every bulk fixture record and what was derived of it', () => {
    expect(bulk.length).toBe(558);
    expectSame(bulk);
  });

  it('gives back code links, records with no abstract, and author records', () => {
    const withLinks = bulk.filter((r) => deriveRecord(r).solo?.merged.codeLinks.length);
    expect(withLinks.length).toBeGreaterThan(0);
    const bare = { ...(bulk[0] as PaperRecord) };
    delete bare.abstract;
    const author: AuthorRecord = {
      kind: 'author',
      provenance: { source: 'openalex', origin: 'o', locator: 'record 1', fetchedAt: ctx.fetchedAt },
      key: 'A1',
      name: { display: 'Lechao Xiao', family: 'Xiao', given: 'Lechao' },
      alternatives: ['L. Xiao'],
    };
    expectSame([...withLinks, bare, author]);
  });

  it('gives back generated records', () => {
    const text = fc.string({ maxLength: 80 });
    const record = fc.record(
      {
        title: text,
        abstract: fc.oneof(text, fc.constantFrom('See https://github.com/a/b.', '$x^2$ -- \\emph{y}')),
        comments: text,
        authors: fc.array(fc.record({ display: text, family: text }, { requiredKeys: ['display'] }), {
          maxLength: 3,
        }),
        year: fc.integer({ min: 1900, max: 2030 }),
        categories: fc.array(fc.constantFrom('cs.LG', 'math.AT', ''), { maxLength: 3 }),
        codeLinks: fc.array(fc.record({ url: text }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), (fields) => {
        const records: PaperRecord[] = fields.map((f, i) => ({
          kind: 'paper',
          provenance: { source: 'arxiv-bulk', origin: 'o', locator: `line ${i}`, fetchedAt: 'f' },
          key: `k${i}`,
          ids: { arxiv: `2401.0000${i}` },
          ...f,
        }));
        expectSame(records);
      }),
      { numRuns: 300 },
    );
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../test/shared.ts';
import type { PaperRecord, SourceRecord } from '../domain/record.ts';
import * as before from '../domain/reference-v1/merge.ts';
import { defaultRegistry } from '../sources/registry.ts';
import { deriveRecord, recordContent } from './ingest.ts';

/**
 * What `deriveRecord` gives must stay what it gave before the worker's fast paths: the stored
 * content exactly `JSON.stringify` of the record without provenance, its SHA-1, and the view
 * exactly `JSON.stringify` of the paper `mergeRecords` (as it was, `reference-v1/`) makes of it
 * alone.
 */

function fixtureRecords(): SourceRecord[] {
  const files: string[] = [];
  for (const folder of ['arxiv-api', 'arxiv-bulk', 'arxiv-oai', 'openalex', 'semantic-scholar']) {
    for (const f of readdirSync(fixturePath(folder)).sort()) {
      if (/\.(json|jsonl|xml)$/.test(f)) files.push(fixturePath(folder, f));
    }
  }
  for (const seed of Object.values(SEED_FILES)) files.push(seedPath(seed));
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const detected = defaultRegistry.detect(text.slice(0, 65536), file);
    return detected
      ? detected.adapter.parse(text, { origin: file, fetchedAt: '2026-01-01T00:00:00Z' }).records
      : [];
  });
}

function expectAsBefore(record: SourceRecord): void {
  const { provenance: _p, ...rest } = record;
  const content = JSON.stringify(rest);
  const d = deriveRecord(record);
  expect(d.stored.content).toBe(content);
  expect(recordContent(record).content).toBe(content);
  expect(d.stored.hash).toBe(before.sha1Reference(content));
  if (record.kind === 'paper') {
    expect(d.solo?.view).toBe(JSON.stringify(before.mergeRecords([record])));
    expect(d.keys).toEqual(before.matchKeysOf(record));
  }
}

describe('deriveRecord gives what it gave before', () => {
  it('for every record of every fixture and seed page', () => {
    const records = fixtureRecords();
    expect(records.length).toBeGreaterThan(3000);
    expect(records.some((r) => r.kind === 'author')).toBe(true);
    for (const r of records) expectAsBefore(r);
  });

  it('for generated records, odd values included', () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('a  b\n', '$x$ -- y', 'é—'));
    const name = fc.oneof(
      fc.record({ display: text, family: text, given: text }, { requiredKeys: ['display'] }),
      fc.constantFrom(undefined, null),
    );
    const record = fc.record(
      {
        title: text,
        abstract: text,
        comments: text,
        authors: fc.array(name, { maxLength: 4 }),
        year: fc.oneof(fc.integer({ min: 1900, max: 2030 }), fc.constant(Number.NaN)),
        published: fc.constantFrom('2020-01-02', '', undefined),
        categories: fc.array(fc.constantFrom('cs.LG', 'math.AT', 'cs.LG', ''), { maxLength: 4 }),
        versions: fc.array(fc.record({ version: text, date: text }), { maxLength: 2 }),
        keywords: fc.array(text, { maxLength: 2 }),
        citationCount: fc.nat(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, fc.boolean(), (fields, doi) => {
        const r = {
          kind: 'paper',
          provenance: { source: 'arxiv-bulk', origin: 'o', locator: 'l', fetchedAt: 'f' },
          key: 'k',
          ids: doi ? { doi: '10.1/x', arxiv: '2401.00001' } : { arxiv: '2401.00001' },
          ...fields,
        } as PaperRecord;
        expectAsBefore(r);
      }),
      { numRuns: 1000 },
    );
  });
});

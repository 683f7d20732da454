import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../test/shared.ts';
import { defaultRegistry } from '../sources/registry.ts';
import { extractCodeLinks } from './code-links.ts';
import { matchKeysOf, mergeRecords, mergeSolo, soloPartsOf } from './merge.ts';
import { foldName } from './names.ts';
import type { PaperRecord } from './record.ts';
import * as oldLinks from './reference-v1/code-links.ts';
import * as oldMerge from './reference-v1/merge.ts';
import * as oldNames from './reference-v1/names.ts';
import * as oldText from './reference-v1/text.ts';
import { abstractKey, matchKey, titleKey, toPlainText } from './text.ts';

/**
 * The bulk import's fast paths (plain text, name folding, code links, the paper a record makes
 * alone) must give exactly what the code before them gave (kept in `reference-v1/`): on every
 * record of every fixture and seed page, and on generated text built from the characters each
 * fast path tells apart.
 */

function fixtureRecords(): PaperRecord[] {
  const files: string[] = [];
  for (const folder of ['arxiv-api', 'arxiv-bulk', 'arxiv-oai', 'openalex', 'semantic-scholar']) {
    for (const f of readdirSync(fixturePath(folder)).sort()) {
      if (/\.(json|jsonl|xml)$/.test(f)) files.push(fixturePath(folder, f));
    }
  }
  for (const seed of Object.values(SEED_FILES)) files.push(seedPath(seed));
  const records: PaperRecord[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const detected = defaultRegistry.detect(text.slice(0, 65536), file);
    if (!detected) continue;
    const out = detected.adapter.parse(text, { origin: file, fetchedAt: '2026-01-01T00:00:00Z' });
    for (const r of out.records) if (r.kind === 'paper') records.push(r);
  }
  return records;
}

const records = fixtureRecords();
const texts = records.flatMap((r) => [r.title, r.abstract, r.comments].filter((t): t is string => !!t));
const names = records.flatMap((r) =>
  (r.authors ?? []).flatMap((a) => [a.display, a.family ?? '', a.given ?? '']),
);

/** Text from the characters the fast paths test for, with words and real text around them. */
const ALPHABET = [
  'a',
  'Z',
  '0',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\r',
  '\t',
  '\u00a0',
  '\u2003',
  '\u2028',
  '\uE000',
  '\uE003',
  '{',
  '}',
  '$',
  '\\',
  '\\"o',
  '\\emph{x}',
  '~',
  '`',
  "''",
  '--',
  '---',
  '&amp;',
  '<p>',
  'é',
  'ß',
  'ø',
  'Ł',
  '中',
  '/',
  'github.io',
  'GitHub.IO',
  'https://github.com/a/b',
  'github.com/x/y',
  'Comment:',
  '\nComments: 5 pages',
  'Abstract: ',
  '.',
  ',',
];
const messyText = fc.oneof(
  fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc
    .tuple(fc.constantFrom(...texts), fc.nat(), fc.array(fc.constantFrom(...ALPHABET), { maxLength: 5 }))
    .map(([t, at, parts]) => t.slice(0, at % (t.length + 1)) + parts.join('') + t.slice(at % (t.length + 1))),
);

describe('fast paths give what the code before them gave', () => {
  it('reads enough fixture records to mean something', () => {
    expect(records.length).toBeGreaterThan(3000);
    expect(texts.length).toBeGreaterThan(6000);
  });

  it('plain text, match keys and code links of every fixture title, abstract and comment', () => {
    for (const t of texts) {
      expect(toPlainText(t)).toBe(oldText.toPlainText(t));
      expect(matchKey(t)).toBe(oldText.matchKey(t));
      expect(titleKey(t)).toBe(oldText.titleKey(t));
      expect(abstractKey(t)).toBe(oldText.abstractKey(t));
      expect(extractCodeLinks(t)).toEqual(oldLinks.extractCodeLinks(t));
    }
  });

  it('name folding of every fixture author', () => {
    for (const n of names) expect(foldName(n)).toBe(oldNames.foldName(n));
  });

  it('plain text, keys, folding and code links of generated text', () => {
    fc.assert(
      fc.property(messyText, (t) => {
        expect(toPlainText(t)).toBe(oldText.toPlainText(t));
        expect(matchKey(t)).toBe(oldText.matchKey(t));
        expect(abstractKey(t)).toBe(oldText.abstractKey(t));
        expect(foldName(t)).toBe(oldNames.foldName(t));
        expect(extractCodeLinks(t)).toEqual(oldLinks.extractCodeLinks(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('keys of long plain text, with a label after any amount of whitespace', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
    const gap = fc.constantFrom(' ', '\n', '  ', ' \n', '\n\n', '\t', ', ', '. ', "'", '-', '(', ')');
    const plain = fc
      .tuple(
        fc.nat({ max: 700 }),
        fc.constantFrom('', 'Abstract: ', 'abstract.', 'Abstract', 'ABSTRACT:\n'),
        fc.array(fc.tuple(word, gap), { maxLength: 150 }),
      )
      .map(([blank, label, words]) => ' '.repeat(blank) + label + words.map(([w, g]) => w + g).join(''));
    fc.assert(
      fc.property(plain, (t) => {
        expect(abstractKey(t)).toBe(oldText.abstractKey(t));
        expect(matchKey(t)).toBe(oldText.matchKey(t));
        expect(toPlainText(t)).toBe(oldText.toPlainText(t));
      }),
      { numRuns: 1000 },
    );
  });

  it('the paper a record makes alone, and its keys, for every fixture record', () => {
    for (const r of records) {
      const before = JSON.stringify(oldMerge.mergeRecords([r]));
      expect(JSON.stringify(mergeRecords([r]))).toBe(before);
      expect(JSON.stringify(mergeSolo(r))).toBe(before);
      // Parts worked out on another thread come back through JSON.
      const parts = JSON.parse(JSON.stringify(soloPartsOf(r)));
      expect(JSON.stringify(mergeSolo(r, parts))).toBe(before);
      expect(matchKeysOf(r)).toEqual(oldMerge.matchKeysOf(r));
    }
  });

  it('the paper a generated record makes alone', () => {
    const record = fc.record(
      {
        title: messyText,
        abstract: messyText,
        comments: messyText,
        year: fc.oneof(fc.integer({ min: 1900, max: 2030 }), fc.constant(Number.NaN)),
        published: fc.constantFrom('2020-01-02', '', 'x'),
        categories: fc.array(fc.constantFrom('cs.LG', 'math.AT', ''), { maxLength: 4 }),
        codeLinks: fc.array(fc.record({ url: messyText }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, (fields) => {
        const r: PaperRecord = {
          kind: 'paper',
          provenance: { source: 'arxiv-bulk', origin: 'o', locator: 'l', fetchedAt: 'f' },
          key: 'k',
          ids: { arxiv: '2401.00001' },
          ...fields,
        };
        const before = JSON.stringify(oldMerge.mergeRecords([r]));
        expect(JSON.stringify(mergeSolo(r))).toBe(before);
        expect(JSON.stringify(mergeSolo(r, soloPartsOf(r)))).toBe(before);
        expect(matchKeysOf(r)).toEqual(oldMerge.matchKeysOf(r));
      }),
      { numRuns: 1000 },
    );
  });
});

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { porterStem } from './porter.ts';
import { TermScanner } from './term-scanner.ts';
import { terms } from './tokenize.ts';

/** The indexing scanner against the tokenizer (itself tested against SQLite's): same terms, same order. */
function scanner(maxEntries?: number) {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const s = new TermScanner((token) => {
    const stem = porterStem(token);
    let id = ids.get(stem);
    if (id === undefined) {
      id = names.length;
      names.push(stem);
      ids.set(stem, id);
    }
    return id;
  }, maxEntries);
  return (text: string) => {
    const n = s.scan(text);
    return Array.from(s.ids.subarray(0, n), (id) => names[id]!);
  };
}

describe('TermScanner', () => {
  it('gives the tokenizer’s terms for every seed page and an OAI page, seen once and again', () => {
    const scan = scanner();
    const texts = Object.values(SEED_FILES).map((f) => readFileSync(seedPath(f), 'utf8'));
    texts.push(readFixture('arxiv-oai', 'ListRecords_data_0.xml'));
    for (const text of [...texts, ...texts]) expect(scan(text)).toEqual(terms(text));
  });

  it('gives the tokenizer’s terms for accents, other scripts, ligatures and case', () => {
    const scan = scanner();
    const text =
      'Ångström café naïve Schrödinger Erdős–Rényi ιδέα Москва 中文 ﬁnance x_y l2 état-de-l’art CAFÉ Café cafe Running RUNNING';
    expect(scan(text)).toEqual(terms(text));
    expect(scan(text)).toEqual(terms(text));
  });

  it('gives the same terms when its table fills and starts again', () => {
    const scan = scanner(50);
    const text = readFileSync(seedPath(Object.values(SEED_FILES)[0]!), 'utf8');
    expect(scan(text)).toEqual(terms(text));
    expect(scan(text)).toEqual(terms(text));
  });

  it('gives the tokenizer’s terms for any text, with one table across texts', () => {
    const scan = scanner();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.lorem(),
        ),
        (text) => {
          expect(scan(text)).toEqual(terms(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

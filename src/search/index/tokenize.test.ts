import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readFixture, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { porterStem } from './porter.ts';
import { terms } from './tokenize.ts';

/** Our tokenizer against SQLite's own (an FTS5 table with the store's tokenizer, read back through fts5vocab). */
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2');
         CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (1, ?)');
const read = db.prepare('SELECT term FROM v ORDER BY "offset"').pluck();
afterAll(() => db.close());

function sqliteTerms(text: string): string[] {
  db.exec('DELETE FROM t');
  insert.run(text);
  return read.all() as string[];
}

describe('tokenize', () => {
  it('stems as Porter does', () => {
    expect(
      ['caresses', 'ponies', 'running', 'generalization', 'relational', 'hopefulness', 'agreed'].map(
        porterStem,
      ),
    ).toEqual(['caress', 'poni', 'run', 'gener', 'relat', 'hope', 'agre']);
  });

  it('gives FTS5’s terms for every seed page and an OAI page', () => {
    const texts = Object.values(SEED_FILES).map((f) => readFileSync(seedPath(f), 'utf8'));
    texts.push(readFixture('arxiv-oai', 'ListRecords_data_0.xml'));
    for (const text of texts) expect(terms(text)).toEqual(sqliteTerms(text));
  });

  it('gives FTS5’s terms for accents, other scripts and ligatures', () => {
    const text = 'Ångström café naïve Schrödinger Erdős–Rényi ιδέα Москва 中文 ﬁnance x_y l2 état-de-l’art';
    expect(terms(text)).toEqual(sqliteTerms(text));
  });

  it('gives FTS5’s terms for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.lorem(),
        ),
        (text) => {
          expect(terms(text)).toEqual(sqliteTerms(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});

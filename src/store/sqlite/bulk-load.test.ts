import { describe, expect, it } from 'vitest';
import { categoryRowsOf, loadCategoryCodes } from './bulk-load.ts';
import { openDatabase } from './database.ts';

describe('categoryRowsOf (the trending rows a bulk load makes without the trigger)', () => {
  it('lists a paper under the same categories as migration 005’s trigger, case by case', () => {
    const db = openDatabase(':memory:');
    const codes = loadCategoryCodes(db);
    const cases: unknown[][] = [
      ['cs.LG', 'stat.ML'],
      ['Computer Science - Machine Learning', 'Computer Science - Machine Learning'],
      ['  cs.CL ', 'cs', '', '   ', 'astro-ph.CO'],
      ['68T05', 'I.2.7', 'math.MSC 68T05', 'hep-th'],
      [42, null, 'Quantum Physics', 'Statistics - Machine Learning', { a: 1 }],
      ['.hidden', 'nodot', 'a.b.c', '\tcs.AI'],
      [],
    ];
    const insert = db.prepare(
      `INSERT INTO papers (title, published, view, created_at, updated_at) VALUES ('t', '2024-01-02', ?, 'now', 'now')`,
    );
    const rowsOf = db
      .prepare('SELECT category FROM paper_categories WHERE paper_id = ? ORDER BY category')
      .pluck();
    for (const categories of cases) {
      const id = Number(insert.run(JSON.stringify({ categories })).lastInsertRowid);
      const byTrigger = rowsOf.all(id) as string[];
      expect(categoryRowsOf(categories, codes).sort(), JSON.stringify(categories)).toEqual(byTrigger);
    }
    // The cases do reach named subjects, archives and skipped values.
    expect(categoryRowsOf(cases[1]!, codes)).toEqual(['cs.LG', 'cs']);
    expect(categoryRowsOf(cases[3]!, codes)).toEqual(['hep-th']);
    db.close();
  });
});

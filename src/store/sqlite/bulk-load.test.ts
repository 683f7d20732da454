import { describe, expect, it } from 'vitest';
import {
  beginBulkLoad,
  bulkLoadMarker,
  categoryRowsOf,
  finishBulkLoad,
  loadCategoryCodes,
} from './bulk-load.ts';
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

describe('finishBulkLoad', () => {
  it('gives the connection its own temporary storage back after sorting in files for the end of the load', () => {
    const db = openDatabase(':memory:');
    // The store's setting (database.ts): temporary storage in memory.
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    const settings: string[] = [];
    const pragma = db.pragma.bind(db);
    db.pragma = ((source: string, options?: { simple?: boolean }) => {
      if (source.startsWith('temp_store =')) settings.push(source);
      return pragma(source, options);
    }) as typeof db.pragma;
    const marker = beginBulkLoad(db, '2026-01-01T00:00:00Z');
    db.prepare(
      "INSERT INTO papers (title, published, view, created_at, updated_at) VALUES ('t', '2024-01-02', '{}', 'now', 'now')",
    ).run();
    db.prepare('INSERT INTO bulk_load_changes (paper_id, categories) VALUES (1, \'["cs.LG"]\')').run();
    finishBulkLoad(db, marker);
    expect(settings).toEqual(['temp_store = FILE', 'temp_store = 2']);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    expect(db.prepare('SELECT category FROM paper_categories ORDER BY 1').pluck().all()).toEqual(['cs.LG']);
    expect(bulkLoadMarker(db)).toBeUndefined();
  });
});

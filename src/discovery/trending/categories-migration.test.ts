import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../store/sqlite/database.ts';
import { MIGRATIONS } from '../../store/sqlite/migrations/index.ts';

/** Migration 005 on a knowledge base that already holds papers, and its triggers on raw writes. */
describe('paper_categories (migration 005)', () => {
  const insert = (db: Database.Database, id: number, published: string | null, categories: unknown[]) =>
    db
      .prepare(
        `INSERT INTO papers (id, title, year, published, view, created_at, updated_at)
         VALUES (?, 't', 2023, ?, ?, '2023-01-01', '2023-01-01')`,
      )
      .run(id, published, JSON.stringify({ categories, authors: [] }));
  const rows = (db: Database.Database, id: number) =>
    (
      db
        .prepare('SELECT category, published FROM paper_categories WHERE paper_id = ? ORDER BY category')
        .all(id) as {
        category: string;
        published: string;
      }[]
    ).map((r) => `${r.category}@${r.published}`);

  it('fills the table from the papers already there, then follows inserts, updates and deletes', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.name < '005'),
    );
    insert(db, 1, '2023-03-06', [
      'cs',
      'Computer Science - Machine Learning',
      'Statistics - Machine Learning',
      '68T05',
    ]);
    insert(db, 2, null, ['hep-th']);
    insert(db, 3, '2011-02-02', ['astro-ph.CO', 42, 'Some Unknown Subject']);
    expect(migrate(db)).toContain('005-trending');
    expect(rows(db, 1)).toEqual([
      'cs@2023-03-06',
      'cs.LG@2023-03-06',
      'stat@2023-03-06',
      'stat.ML@2023-03-06',
    ]);
    expect(rows(db, 2)).toEqual([]);
    expect(rows(db, 3)).toEqual([
      'Some Unknown Subject@2011-02-02',
      'astro-ph@2011-02-02',
      'astro-ph.CO@2011-02-02',
    ]);

    insert(db, 4, '2024-01-02T10:00:00Z', ['quant-ph', 'Quantum Physics']);
    expect(rows(db, 4)).toEqual(['quant-ph@2024-01-02T10:00:00Z']);
    db.prepare(`UPDATE papers SET published = '2023-05-01' WHERE id = 2`).run();
    expect(rows(db, 2)).toEqual(['hep-th@2023-05-01']);
    db.prepare(
      `UPDATE papers SET view = json_set(view, '$.categories', json('["math.CO"]')) WHERE id = 1`,
    ).run();
    expect(rows(db, 1)).toEqual(['math@2023-03-06', 'math.CO@2023-03-06']);
    db.prepare(`UPDATE papers SET published = NULL WHERE id = 4`).run();
    expect(rows(db, 4)).toEqual([]);
    db.prepare('DELETE FROM papers WHERE id = 3').run();
    expect(rows(db, 3)).toEqual([]);
    // A title change leaves the rows alone (the trigger watches the view and the date only).
    db.prepare(`UPDATE papers SET title = 'new title' WHERE id = 2`).run();
    expect(rows(db, 2)).toEqual(['hep-th@2023-05-01']);
  });
});

import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { KeyFilter, paperKey, sourceKey } from './key-filter.ts';

describe('KeyFilter (which keys a store may hold, during a bulk load)', () => {
  it('holds every key of the store it is loaded from and every key added, and few others', () => {
    const db = openDatabase(':memory:');
    const paper = db.prepare(
      "INSERT INTO papers (title, view, created_at, updated_at) VALUES ('t', '{}', 'x', 'x')",
    );
    const key = db.prepare('INSERT INTO paper_keys (kind, value, paper_id) VALUES (?, ?, ?)');
    const source = db.prepare(
      "INSERT INTO source_records (paper_id, source, record_key, hash, origin, locator, fetched_at, data) VALUES (?, 'arxiv-bulk', ?, 'h', 'o', 'l', 'f', '{}')",
    );
    for (let i = 1; i <= 2000; i++) {
      const id = Number(paper.run().lastInsertRowid);
      key.run('arxiv', `2401.${String(i).padStart(5, '0')}`, id);
      key.run('title', `a title number ${i}`, id);
      source.run(id, `2401.${String(i).padStart(5, '0')}`);
    }
    const filter = KeyFilter.load(db, 50_000);
    for (let i = 1; i <= 2000; i++) {
      const arxiv = `2401.${String(i).padStart(5, '0')}`;
      expect(filter.mayHold(paperKey('arxiv', arxiv))).toBe(true);
      expect(filter.mayHold(paperKey('title', `a title number ${i}`))).toBe(true);
      expect(filter.mayHold(sourceKey('arxiv-bulk', arxiv))).toBe(true);
    }
    // A record key is not a match key of the same spelling.
    let crossed = 0;
    for (let i = 1; i <= 2000; i++)
      if (filter.mayHold(sourceKey('arxiv', `2401.${String(i).padStart(5, '0')}`))) crossed++;
    expect(crossed).toBeLessThan(60);

    const added: string[] = [];
    for (let i = 0; i < 40_000; i++) added.push(paperKey('doi', `10.1000/${i}-${(i * 7919) % 10007}`));
    for (const k of added) filter.add(k);
    expect(added.every((k) => filter.mayHold(k))).toBe(true);
    // Keys never added: about 1 % answer "maybe" at this load.
    let maybe = 0;
    for (let i = 0; i < 40_000; i++) if (filter.mayHold(paperKey('doi', `10.2000/${i}`))) maybe++;
    expect(maybe).toBeLessThan(40_000 * 0.02);
    expect(filter.full).toBe(false);
    db.close();
  });

  it('says when it is full, and loads again larger', () => {
    const db = openDatabase(':memory:');
    const filter = KeyFilter.load(db, 1000);
    for (let i = 0; i <= 1000; i++) filter.add(paperKey('title', `t${i}`));
    expect(filter.full).toBe(true);
    expect(KeyFilter.load(db, 2 * filter.capacity).capacity).toBe(2000);
    db.close();
  });
});

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';

describe('migrate', () => {
  it('applies every migration once, by name, and nothing on a second run', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(migrate(db)).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'papers'").pluck().get()).toBe(1);
  });

  it('applies a migration added later, and only that one', () => {
    const db = new Database(':memory:');
    migrate(db);
    const later = [...MIGRATIONS, { name: '999-later', sql: 'CREATE TABLE later (x INTEGER)' }];
    expect(migrate(db, later)).toEqual(['999-later']);
    expect(migrate(db, later)).toEqual([]);
  });

  it('counts a file from before named migrations (user_version 1) as having the first', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!.sql);
    db.pragma('user_version = 1');
    expect(migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.name));
  });

  it('refuses a file written by a newer Paperscope, naming what it does not know', () => {
    const db = new Database(':memory:');
    migrate(db, [...MIGRATIONS, { name: '999-future', sql: 'CREATE TABLE future (x INTEGER)' }]);
    expect(() => migrate(db)).toThrow(/newer Paperscope.*999-future/);
  });

  it('leaves nothing half-applied when a migration fails', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken = [...MIGRATIONS, { name: '998-broken', sql: 'CREATE TABLE half (x INTEGER); NOT SQL' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(migrate(db)).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/** Open (or create) a Paperscope SQLite file: WAL, foreign keys, migrated to the latest schema. */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, options.readonly ? { readonly: true, fileMustExist: true } : {});
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * Bring a database up to date: apply, in order, every migration not yet recorded. Files from
 * before named migrations (schema 1 kept in `user_version`) count as having the first one.
 * Returns the names applied now.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const legacyVersion = db.pragma('user_version', { simple: true }) as number;
  if (applied.size === 0 && legacyVersion >= 1 && migrations[0]) {
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(
      migrations[0].name,
      new Date().toISOString(),
    );
    applied.add(migrations[0].name);
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...applied].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `This database was written by a newer Paperscope (it has migrations this one does not know: ${unknown.join(', ')}).`,
    );
  }
  const now: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(migration.name, new Date().toISOString());
    })();
    now.push(migration.name);
  }
  return now;
}

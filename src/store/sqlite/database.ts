import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/**
 * SQLite's own page cache per connection, in KiB. The writer keeps 64 MiB (an import's b-trees
 * and FTS5 segments are rewritten from it); a read-only connection — a server holds five or six:
 * the pages' reader, search's, the page workers', the author summaries' — keeps 16 MiB, since
 * the operating system's page cache holds the file beneath all of them and a page found there
 * costs a copy. Six read connections at 64 MiB each were up to 384 MiB of a server's memory.
 */
export const WRITER_CACHE_KIB = 65536;
export const READER_CACHE_KIB = 16384;

/** Open (or create) a Paperscope SQLite file: WAL, foreign keys, migrated to the latest schema. */
export function openDatabase(file: string, options: { readonly?: boolean; cacheKiB?: number } = {}): Db {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, options.readonly ? { readonly: true, fileMustExist: true } : {});
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  db.pragma('foreign_keys = ON');
  const cacheKiB = options.cacheKiB ?? (options.readonly ? READER_CACHE_KIB : WRITER_CACHE_KIB);
  db.pragma(`cache_size = -${Math.max(1, Math.round(cacheKiB))}`);
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

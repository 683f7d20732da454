import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';

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

export function migrate(db: Db): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(
      `This database was written by a newer Paperscope (schema ${version}, this one knows ${MIGRATIONS.length}).`,
    );
  }
  while (version < MIGRATIONS.length) {
    const step = MIGRATIONS[version]!;
    const next = version + 1;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${next}`);
    })();
    version = next;
  }
  return version;
}

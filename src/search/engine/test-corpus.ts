import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { type Db, openDatabase } from '../../store/sqlite/database.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';

export const OAI_PAGES = ['ListRecords_data_0.xml', 'ListRecords_data_1.xml', 'ListRecords_data_2.xml'];

export interface TestCorpus {
  store: SqliteStore;
  db: Db;
  cleanup(): void;
}

/** A real store in a temp folder, filled with the four seed pages and the arXiv OAI harvest. */
export async function buildTestCorpus(): Promise<TestCorpus> {
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-search-'));
  const store = new SqliteStore(join(dir, 'paperscope.sqlite'));
  const importer = new ImportService(store, defaultRegistry, () => new Date('2025-01-01T00:00:00Z'));
  for (const name of Object.values(SEED_FILES)) await importer.importFile(seedPath(name));
  for (const page of OAI_PAGES) await importer.importFile(fixturePath('arxiv-oai', page));
  const db = openDatabase(store.file, { readonly: true });
  return {
    store,
    db,
    cleanup() {
      db.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { SimilarityService } from './service.ts';

let data: ReturnType<typeof tempDataDir>;
let store: SqliteStore;

beforeAll(async () => {
  data = tempDataDir();
  store = SqliteStore.inDataDir(data.dir);
  await new ImportService(store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
});
afterAll(() => {
  store.close();
  data.cleanup();
});

describe('SimilarityService', () => {
  it('answers with papers from the store, never the paper itself, best first', async () => {
    const service = new SimilarityService(store);
    const found = await service.neighbours(1, 5);
    expect(found).toHaveLength(5);
    expect(found.map((n) => n.paper.id)).not.toContain(1);
    expect(found.every((n, i) => i === 0 || found[i - 1]!.score >= n.score)).toBe(true);
    for (const n of found) expect(n.paper.id).toBe(n.paperId);
  });

  it('adds papers imported after the build without rebuilding', async () => {
    const service = new SimilarityService(store);
    const index = await service.index();
    const before = index.size;
    await new ImportService(store, defaultRegistry).importFile(seedPath(SEED_FILES.arxivListing));
    const after = await service.index();
    expect(after).toBe(index);
    expect(after.size).toBe(await store.countPapers());
    expect(after.size).toBeGreaterThan(before);
  });
});

import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../test/shared.ts';
import { Paperscope } from '../app/paperscope.ts';
import { loadConfig } from '../config.ts';
import { type RunningServer, startServer } from '../server/serve.ts';
import { ImportService } from '../services/import.service.ts';
import { defaultRegistry } from '../sources/registry.ts';
import { BUILD_INLINE_UP_TO } from './discovery-ready.ts';

/**
 * A large collection with no similarity index saved: the routes whose answer is recommendations
 * say "not yet" with what to run, and build nothing inside the server. (The store is made to
 * look large by moving its last paper to an id past the inline limit: the check reads max(id).)
 */
const data = tempDataDir('paperscope-discovery-ready-');
let app: Paperscope;
let server: RunningServer;
let liked: string;

beforeAll(async () => {
  const config = loadConfig({ PAPERSCOPE_DATA: data.dir });
  const setup = Paperscope.open(config);
  await new ImportService(setup.store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
  const file = setup.store.file;
  setup.close();
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  const last = db.prepare('SELECT max(id) FROM papers').pluck().get() as number;
  db.prepare('UPDATE papers SET id = ? WHERE id = ?').run(BUILD_INLINE_UP_TO + 5000, last);
  liked = String(db.prepare('SELECT min(id) FROM papers').pluck().get());
  db.close();
  app = Paperscope.open(config);
  server = await startServer(app, '127.0.0.1', 0);
}, 120_000);

afterAll(async () => {
  await server?.close();
  app?.close();
  data.cleanup();
});

describe('recommendations on a large collection without a similarity index', () => {
  it('answer 503 with the command to run, and build no index', async () => {
    const get = await fetch(`${server.url}/api/recommend?like=${liked}`);
    expect(get.status).toBe(503);
    expect(((await get.json()) as { error: string }).error).toMatch(/paperscope similar --rebuild/);
    const post = await fetch(`${server.url}/api/recommend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ like: [liked] }),
    });
    expect(post.status).toBe(503);
    expect(app.similarity.file).toBeDefined();
    expect(existsSync(app.similarity.file!)).toBe(false);
  });

  it('answer once the index is saved', async () => {
    await app.similarity.rebuild();
    expect(existsSync(app.similarity.file!)).toBe(true);
    const get = await fetch(`${server.url}/api/recommend?like=${liked}&limit=3`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { papers: unknown[] }).papers.length).toBeGreaterThan(0);
  }, 120_000);
});

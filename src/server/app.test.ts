import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../test/shared.ts';
import { ImportService } from '../services/import.service.ts';
import { defaultRegistry } from '../sources/registry.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createApp } from './app.ts';
import { startServer } from './serve.ts';

let data: ReturnType<typeof tempDataDir>;
let store: SqliteStore;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  data = tempDataDir();
  store = SqliteStore.inDataDir(data.dir);
  await new ImportService(store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
  app = createApp(store);
});
afterAll(() => {
  store.close();
  data.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON bodies
async function json(path: string): Promise<{ status: number; body: any }> {
  const res = await app.request(path);
  return { status: res.status, body: await res.json() };
}

describe('the JSON API', () => {
  it('counts what the knowledge base holds', async () => {
    const { status, body } = await json('/api/stats');
    expect(status).toBe(200);
    expect(body.papers).toBe(10);
    expect(body.bySource).toEqual({ 'page-ads-author': 10 });
  });

  it('lists papers in pages', async () => {
    const { body } = await json('/api/papers?limit=3&offset=8');
    expect(body.total).toBe(10);
    expect(body.papers).toHaveLength(2);
  });

  it('shows one paper by id, and 404 with a message for an unknown one', async () => {
    const { body } = await json('/api/papers/1');
    expect(body.title).toBe(
      'Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling',
    );
    expect(body.sources[0].source).toBe('page-ads-author');
    const missing = await json('/api/papers/2999.99999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('2999.99999');
  });

  it('finds a person by any spelling and shows their papers', async () => {
    const { body } = await json(`/api/authors?name=${encodeURIComponent('Xiao, Lechao')}`);
    expect(body.authors[0].displayName).toBe('Lechao Xiao');
    expect(body.authors[0].paperCount).toBe(10);
    const profile = await json(`/api/authors/${body.authors[0].id}`);
    expect(profile.body.papers).toHaveLength(10);
    expect(profile.body.coauthors[0]).toMatchObject({ displayName: 'Jeffrey Pennington', count: 8 });
  });
});

describe('search over HTTP', () => {
  it('answers the query language, and points at the place a bad query goes wrong', async () => {
    const server = await startServer(store, '127.0.0.1', 0);
    try {
      const ok = await fetch(`${server.url}/api/search?q=${encodeURIComponent('author:"Xiao, L" kernel')}`);
      const body = (await ok.json()) as { total: number; hits: { paper: { title: string } }[] };
      // Three of the ten papers on the ADS page mention kernels (counted with grep).
      expect(body.total).toBe(3);
      expect(body.hits.map((h) => h.paper.title)).toContain(
        'Finite Versus Infinite Neural Networks: an Empirical Study',
      );
      const bad = await fetch(`${server.url}/api/search?q=${encodeURIComponent('kernel "infinite width')}`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ offset: 7 });
    } finally {
      await server.close();
    }
  });
});

describe('the server', () => {
  it('listens on 127.0.0.1 and says where', async () => {
    const server = await startServer(store, '127.0.0.1', 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/api/stats`);
      expect(((await res.json()) as { papers: number }).papers).toBe(10);
    } finally {
      await server.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../test/shared.ts';
import { Paperscope } from '../app/paperscope.ts';
import { loadConfig } from '../config.ts';
import { ImportService } from '../services/import.service.ts';
import { defaultRegistry } from '../sources/registry.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createApp } from './app.tsx';
import { startServer } from './serve.ts';

let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let store: SqliteStore;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  data = tempDataDir();
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  store = paperscope.store;
  await new ImportService(store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
  app = createApp(paperscope);
});
afterAll(() => {
  paperscope.close();
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
    const server = await startServer(paperscope, '127.0.0.1', 0);
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
    const server = await startServer(paperscope, '127.0.0.1', 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/api/stats`);
      expect(((await res.json()) as { papers: number }).papers).toBe(10);
    } finally {
      await server.close();
    }
  });
});

describe('the pages', () => {
  it('serves the home page with the latest papers, under a content security policy', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const html = await res.text();
    expect(html).toContain('10 papers');
    expect(html).toContain('Finite Versus Infinite Neural Networks');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('answers an unknown page with a 404 page, and an unknown API address with JSON', async () => {
    const page = await app.request('/no/such/page');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('There is no page at /no/such/page');
    const api = await app.request('/api/nothing');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'No such address: /api/nothing' });
  });

  it('serves the stylesheet and nothing outside the static folder', async () => {
    const css = await app.request('/static/app.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('--accent');
    expect((await app.request('/static/../package.json')).status).toBe(404);
  });
});

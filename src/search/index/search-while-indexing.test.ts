import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FILES } from '../../../test/shared.ts';
import { webFixture } from '../../../test/web-helpers.ts';
import { UnavailableError } from '../../domain/errors.ts';
import { openDatabase } from '../../store/sqlite/database.ts';
import { type SearchWhileIndexing, serveSearch } from './search-while-indexing.ts';

/**
 * What a person sees while a server builds its search index in the background: search pages
 * and the API say "not yet" (503) with how far it has got, other pages answer; then search works.
 */
let fx: Awaited<ReturnType<typeof webFixture>>;
let served: SearchWhileIndexing;
const db = () => openDatabase(fx.paperscope.store.file, { readonly: true });
let searchDb: ReturnType<typeof db>;

beforeAll(async () => {
  fx = await webFixture(Object.values(SEED_FILES));
  searchDb = db();
  // As `paperscope serve` on a large store with no index (the thresholds lowered to the seeds).
  served = serveSearch(searchDb, fx.paperscope.store.file, {
    smallStore: 0,
    smallCatchUp: 0,
  }) as SearchWhileIndexing;
  Object.defineProperty(fx.paperscope, 'search', { get: () => served });
}, 120_000);
afterAll(() => {
  served?.close();
  searchDb?.close();
  fx?.close();
});

describe('a server building its search index', () => {
  it('answers searches 503 with the reason, and other pages as usual', async () => {
    expect(served.answering).toBe('none');
    // The search page ranks on the server's thread and renders on a worker: "not yet" there too.
    expect(() => served.rank({ query: 'kernel' })).toThrow(UnavailableError);
    const api = await fx.app.request('/api/search?q=kernel');
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: string }).error).toMatch(/^The search index is being /);
    const page = await fx.app.request('/search?q=kernel');
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('<h1>Not yet</h1>');
    expect(html).toMatch(/The search index is being [^<]*everything else works meanwhile/i);
    expect((await fx.app.request('/api/stats')).status).toBe(200);
  });

  it('answers from the index once it is built', async () => {
    expect(await served.ready).toBeDefined();
    const api = await fx.app.request('/api/search?q=kernel');
    expect(api.status).toBe(200);
    const body = (await api.json()) as { total: number };
    expect(body.total).toBeGreaterThan(0);
    expect((await fx.app.request('/search?q=kernel')).status).toBe(200);
    expect(served.rank({ query: 'kernel' }).total).toBe(body.total);
  }, 60_000);
});

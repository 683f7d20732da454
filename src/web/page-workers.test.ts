import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixturePath, SEED_FILES } from '../../test/shared.ts';
import { signedIn, webFixture } from '../../test/web-helpers.ts';
import { ImportService } from '../services/import.service.ts';
import { defaultRegistry } from '../sources/registry.ts';
import { PageWorkers, pageWorkersOf, stopPageWorkers, usePageWorkers } from './page-workers.ts';

let fx: Awaited<ReturnType<typeof webFixture>>;

beforeAll(async () => {
  fx = await webFixture(Object.values(SEED_FILES));
  await new ImportService(fx.paperscope.store, defaultRegistry).importFile(
    fixturePath('arxiv-bulk', 'arxiv-browse-sample.jsonl'),
  );
});
afterAll(() => fx.close());

// A visitor cookie of our own: the form token on the page is then the same for every request.
const VISITOR = { cookie: 'ps_visitor=abcdefghijklmnopqrstuvwxyz012345' };
const SEARCHES = [
  '/search?q=neural',
  '/search?q=neural&page=2',
  '/search?q=neural&sort=date',
  `/search?q=${encodeURIComponent('author:"Xiao, Lechao"')}`,
  `/search?q=${encodeURIComponent('"neural tangent" -cat:stat.ML')}`,
  '/search?q=has%3Acode',
  '/search?q=nueral',
  '/search?q=zzzqqq',
];

let ADDRESSES: string[] = [];

/** Search pages, and author pages: the most prolific people, in each order, a page further on, one that is not there. */
async function addresses(): Promise<string[]> {
  const people = fx.paperscope.store.readDb
    .prepare(
      'SELECT author_id FROM paper_authors GROUP BY author_id ORDER BY count(*) DESC, author_id LIMIT 6',
    )
    .pluck()
    .all() as number[];
  const xiao = (await fx.paperscope.store.findAuthors('Lechao Xiao'))[0]!.id;
  return [
    ...SEARCHES,
    ...people.map((id) => `/author/${id}`),
    `/author/${xiao}?page=2`,
    `/author/${xiao}?sort=title&order=asc`,
    `/author/${xiao}?sort=coauthors`,
    '/author/999999',
  ];
}

async function pages(headers: Record<string, string>): Promise<{ status: number; body: string }[]> {
  if (ADDRESSES.length === 0) ADDRESSES = await addresses();
  return Promise.all(
    ADDRESSES.map(async (path) => {
      const res = await fx.app.request(path, { headers });
      return { status: res.status, body: await res.text() };
    }),
  );
}

describe('page workers', () => {
  it('render search and author pages as the main thread does, for a visitor and for someone signed in', async () => {
    // The first account is the admin, whose author pages (with the split form) stay on the main thread.
    const admin = await signedIn(fx, 'admin@example.org');
    const member = await signedIn(fx, 'reader@example.org');
    expect(member.user.isAdmin).toBe(false);
    const alone = { visitor: await pages(VISITOR), member: await pages({ cookie: member.cookie }) };
    expect(alone.visitor.map((p) => p.status)).toEqual(
      ADDRESSES.map((a) => (a === '/author/999999' ? 404 : 200)),
    );
    expect(alone.visitor[0]!.body).toContain('class="papers"');
    // The most prolific person's papers, and the follow button of someone signed in.
    expect(alone.visitor[SEARCHES.length]!.body).toContain('<ol class="papers"><li>');
    expect(alone.member[SEARCHES.length]!.body).toContain('Follow');

    const workers = new PageWorkers(fx.paperscope.store.file, 2);
    usePageWorkers(fx.paperscope, workers);
    const rendered = vi.spyOn(workers, 'render');
    try {
      const withWorkers = { visitor: await pages(VISITOR), member: await pages({ cookie: member.cookie }) };
      // Every page went through a worker (all at once: both workers busy), but the one not found…
      expect(rendered).toHaveBeenCalledTimes(2 * (ADDRESSES.length - 1));
      // …and is the page the main thread makes, byte for byte.
      expect(withWorkers).toEqual(alone);
      expect(withWorkers.member[0]!.body).toContain('reader');
      // An admin's author pages are made here, search pages by the workers.
      rendered.mockClear();
      await pages({ cookie: admin.cookie });
      expect(rendered).toHaveBeenCalledTimes(SEARCHES.length);
    } finally {
      await stopPageWorkers(fx.paperscope);
    }
    expect(pageWorkersOf(fx.paperscope)).toBeUndefined();
    // Stopped: pages are rendered on the main thread again.
    expect(await pages(VISITOR)).toEqual(alone.visitor);
  });

  it('answer a bad query with its page, never handing it to a worker', async () => {
    const workers = new PageWorkers(fx.paperscope.store.file, 1);
    usePageWorkers(fx.paperscope, workers);
    const rendered = vi.spyOn(workers, 'render');
    try {
      const res = await fx.app.request('/search?q=%22open', { headers: VISITOR });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('This query cannot be read');
      expect(rendered).not.toHaveBeenCalled();
    } finally {
      await stopPageWorkers(fx.paperscope);
    }
  });

  it('leave out a worker that stopped, and make pages without it', async () => {
    const workers = new PageWorkers(fx.paperscope.store.file, 1);
    usePageWorkers(fx.paperscope, workers);
    try {
      // The worker is gone (as if it crashed): the next page is made on the main thread.
      const [slot] = (workers as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots;
      await slot!.worker.terminate();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(workers.available).toBe(false);
      expect(pageWorkersOf(fx.paperscope)).toBeUndefined();
      const res = await fx.app.request('/search?q=neural', { headers: VISITOR });
      expect(res.status).toBe(200);
    } finally {
      await stopPageWorkers(fx.paperscope);
    }
  });
});

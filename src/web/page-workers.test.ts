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
const ADDRESSES = [
  '/search?q=neural',
  '/search?q=neural&page=2',
  '/search?q=neural&sort=date',
  `/search?q=${encodeURIComponent('author:"Xiao, Lechao"')}`,
  `/search?q=${encodeURIComponent('"neural tangent" -cat:stat.ML')}`,
  '/search?q=has%3Acode',
  '/search?q=nueral',
  '/search?q=zzzqqq',
];

async function pages(headers: Record<string, string>): Promise<{ status: number; body: string }[]> {
  return Promise.all(
    ADDRESSES.map(async (path) => {
      const res = await fx.app.request(path, { headers });
      return { status: res.status, body: await res.text() };
    }),
  );
}

describe('page workers', () => {
  it('render search pages as the main thread does, for a visitor and for someone signed in', async () => {
    const member = await signedIn(fx, 'reader@example.org');
    const alone = { visitor: await pages(VISITOR), member: await pages({ cookie: member.cookie }) };
    expect(alone.visitor.every((p) => p.status === 200)).toBe(true);
    expect(alone.visitor[0]!.body).toContain('class="papers"');

    const workers = new PageWorkers(fx.paperscope.store.file, 2);
    usePageWorkers(fx.paperscope, workers);
    const rendered = vi.spyOn(workers, 'render');
    try {
      const withWorkers = { visitor: await pages(VISITOR), member: await pages({ cookie: member.cookie }) };
      // Every page went through a worker (all at once: both workers busy)…
      expect(rendered).toHaveBeenCalledTimes(2 * ADDRESSES.length);
      // …and is the page the main thread makes, byte for byte.
      expect(withWorkers).toEqual(alone);
      expect(withWorkers.member[0]!.body).toContain('reader');
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

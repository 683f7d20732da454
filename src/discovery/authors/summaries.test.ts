import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { errorStatus } from '../../server/errors.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import type { AppEnv } from '../../web/context.ts';
import { authorRoutes } from '../../web/routes/authors.tsx';
import { AuthorService, type Decider } from './service.ts';

/**
 * Author summaries computed in the background (a worker thread on its own connection) and
 * stored, as on a large knowledge base — here switched on for the seed pages, and compared with
 * the same profiles computed on the request by a service that never summarizes.
 */

const ADMIN: Decider = { label: 'admin@example.org', isAdmin: true };

const LONE_INITIALS = `@article{lx-ntk,
  title = {Wide networks: the neural tangent kernel and the NNGP at infinite width},
  author = {Xiao, L. and Doe, Jane},
  year = {2020},
  journal = {Hand-made test entry},
  abstract = {We study the NNGP kernel and the neural tangent kernel of infinitely wide networks, and the finite width corrections to the kernel regime of wide networks.}
}`;

const LECHAO_WITH_DOE = `@article{lechao-doe,
  title = {Kernel regression in the infinite width limit},
  author = {Xiao, Lechao and Doe, Jane},
  year = {2022},
  journal = {Hand-made test entry}
}`;

let data: { dir: string; cleanup: () => void };
let app: Paperscope;
let importer: ImportService;
let background: AuthorService;
let onRequest: AuthorService;
const now = () => new Date('2026-03-04T05:06:07Z');

const stored = (id: number) =>
  app.store.readDb.prepare('SELECT seq, data FROM author_summaries WHERE author_id = ?').get(id) as
    | { seq: number; data: string }
    | undefined;

/** Ask until the background job has answered (it runs on its own thread), at most ten seconds. */
async function eventually<T>(ask: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const answer = await ask();
    if (answer !== undefined) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the background job never answered');
}

/** The page as the site serves it, with `service` behind it. */
function site(service: AuthorService): Hono<AppEnv> {
  const web = new Hono<AppEnv>();
  // The product object, with this service as its `authors`.
  const withService = Object.create(app, { authors: { value: service } }) as Paperscope;
  web.use(async (c, next) => {
    c.set('app', withService);
    c.set('viewer', undefined);
    c.set('csrfToken', 'test-csrf-token');
    await next();
  });
  web.onError((err, c) => c.json({ error: err.message }, errorStatus(err)));
  web.route('/', authorRoutes());
  return web;
}

beforeAll(async () => {
  data = tempDataDir('paperscope-summaries-');
  app = Paperscope.open(loadConfig({}, { data: join(data.dir, 'db') }), { now });
  importer = new ImportService(app.store, defaultRegistry);
  for (const seed of Object.values(SEED_FILES)) await importer.importFile(seedPath(seed));
  background = new AuthorService(app.store, now, { summariesFrom: 0, summaryPollMs: 50 });
  onRequest = new AuthorService(app.store, now, { summariesFrom: Number.POSITIVE_INFINITY });
}, 60_000);

afterAll(async () => {
  await background.close();
  app.close();
  data.cleanup();
});

describe('author summaries kept in the background', () => {
  it('summarizes everyone with papers, and a stored profile is the one computed on the request', async () => {
    expect(background.startSummaries()).toBe(true);
    expect(onRequest.startSummaries()).toBe(false);
    await background.summariesReady();
    const progress = background.summaryProgress;
    expect(progress.phase).toBe('watching');
    expect(progress.done).toBe(progress.total);
    expect(progress.failures).toBe(0);
    const withPapers = app.store.readDb
      .prepare('SELECT count(DISTINCT author_id) FROM paper_authors')
      .pluck()
      .get() as number;
    const summarized = app.store.readDb.prepare('SELECT count(*) FROM author_summaries').pluck().get();
    expect(summarized).toBe(withPapers);

    const lechao = (await onRequest.find('Lechao Xiao')).id;
    expect(stored(lechao)).toBeDefined();
    const fromStore = await background.profile(lechao, { limit: 100 });
    const computedNow = await onRequest.profile(lechao, { limit: 100 });
    expect(fromStore.paperCount).toBe(12);
    expect(fromStore).toEqual(computedNow);
    for (const id of [lechao, ...fromStore.coauthors.slice(0, 5).map((c) => c.id)]) {
      expect(await background.profile(id, { sort: 'title', limit: 100 })).toEqual(
        await onRequest.profile(id, { sort: 'title', limit: 100 }),
      );
      expect(await background.suggestionsIfReady(id, 50)).toEqual(await onRequest.suggestions(id, 50));
      // The default list, a page further on, from the stored newest papers, then in the other order.
      expect(await background.profile(id, { limit: 5, offset: 5 })).toEqual(
        await onRequest.profile(id, { limit: 5, offset: 5 }),
      );
      expect(await background.profile(id, { direction: 'asc', limit: 5 })).toEqual(
        await onRequest.profile(id, { direction: 'asc', limit: 5 }),
      );
    }
  });

  it('does not use a summary once a paper of the person changed, and stores a new one', async () => {
    const lechao = (await onRequest.find('Lechao Xiao')).id;
    const before = stored(lechao)!;
    // `Xiao, L.` with Jane Doe first: no evidence yet, so the importer keeps him apart.
    const lone = join(data.dir, 'lone.bib');
    writeFileSync(lone, LONE_INITIALS);
    await importer.importFile(lone);
    const file = join(data.dir, 'doe.bib');
    writeFileSync(file, LECHAO_WITH_DOE);
    await importer.importFile(file);
    // At once: the stored row is stale, so the profile is computed on the request.
    const profile = await background.profile(lechao, { limit: 100 });
    expect(profile.paperCount).toBe(13);
    expect(profile.coauthors.map((c) => c.displayName)).toContain('Jane Doe');
    // Then the worker stores a current one (it was asked for this person first).
    const after = await eventually(async () => {
      const row = stored(lechao);
      return row && row.seq > before.seq ? row : undefined;
    });
    expect(JSON.parse(after.data).profile.paperCount).toBe(13);
    expect(await background.profile(lechao, { limit: 100 })).toEqual(
      await onRequest.profile(lechao, { limit: 100 }),
    );
  });

  it('shows a page at once while the suggestions are still looked for, then with them', async () => {
    const lone = (await onRequest.profile('L. Xiao')).id;
    const lechao = (await onRequest.find('Lechao Xiao')).id;
    expect(lone).not.toBe(lechao);
    await background.close();
    const fresh = new AuthorService(app.store, now, { summariesFrom: 0, summaryPollMs: 50 });
    try {
      // Not started: nothing is looked for in the background, so the suggestions are computed now.
      expect((await fresh.suggestionsIfReady(lone))?.map((s) => s.id)).toContain(lechao);
      // A job that looks for changed papers only once a minute, and a person whose summary is
      // gone (as when a paper of theirs just changed): the page must not wait for it.
      const other = new AuthorService(app.store, now, { summariesFrom: 0, summaryPollMs: 60_000 });
      other.startSummaries();
      try {
        await other.summariesReady();
        await app.store.write((db) =>
          db.prepare('DELETE FROM author_summaries WHERE author_id = ?').run(lone),
        );
        const first = await site(other).request(`/author/${lone}`);
        expect(first.status).toBe(200);
        const html = await first.text();
        expect(html).toContain('Still looking');
        expect(html).toContain(`data-suggestions-pending="${lone}"`);
        // The page asked the job for this person first: it answers well before its next look.
        const ready = await eventually(async () => {
          const body = (await (
            await site(other).request(`/api/authors/${lone}/suggestions?wait=0`)
          ).json()) as {
            pending?: boolean;
            suggestions?: { id: number }[];
          };
          return body.pending ? undefined : body;
        });
        expect(ready.suggestions?.map((s) => s.id)).toContain(lechao);
        const again = await (await site(other).request(`/author/${lone}`)).text();
        expect(again).not.toContain('Still looking');
        expect(again).toContain(`href="/author/${lechao}"`);
      } finally {
        await other.close();
      }
    } finally {
      await fresh.close();
    }
  });

  it('lets an admin’s decision take effect at once, stored summaries or not', async () => {
    const summaries = new AuthorService(app.store, now, { summariesFrom: 0, summaryPollMs: 50 });
    summaries.startSummaries();
    try {
      await summaries.summariesReady();
      const lone = (await onRequest.profile('L. Xiao')).id;
      const lechao = (await onRequest.find('Lechao Xiao')).id;
      expect(stored(lechao)).toBeDefined();
      expect((await summaries.suggestionsIfReady(lechao))?.map((s) => s.id)).toContain(lone);
      await summaries.reject(lechao, lone, ADMIN);
      const after = await summaries.suggestionsIfReady(lechao);
      // Either still looked for (the stored row names an older decision) or already without him.
      expect(after?.map((s) => s.id) ?? []).not.toContain(lone);
      const recomputed = await eventually(() => summaries.suggestionsIfReady(lechao));
      expect(recomputed.map((s) => s.id)).not.toContain(lone);
      expect((await summaries.profile(lechao)).decisions[0]).toMatchObject({ kind: 'reject', otherId: lone });

      // A merge moves papers: the co-authors' stored profiles name the merged-away id no more.
      const doe = (await onRequest.find('Jane Doe')).id;
      const roman = (await onRequest.find('Roman Novak')).id;
      await summaries.summariesReady();
      expect(stored(roman)).toBeDefined();
      const merged = await summaries.merge(roman, doe, ADMIN);
      expect(merged.kept).toBe(roman);
      const lechaoAfter = await summaries.profile(lechao, { limit: 100 });
      expect(lechaoAfter.coauthors.map((c) => c.id)).not.toContain(doe);
      // (A new service: one that has run a while keeps the document frequencies it read before.)
      const fresh = new AuthorService(app.store, now, { summariesFrom: Number.POSITIVE_INFINITY });
      expect(lechaoAfter).toEqual(await fresh.profile(lechao, { limit: 100 }));
      const restored = await eventually(async () => stored(lechao));
      expect(JSON.parse(restored.data).profile.coauthors.map((c: { id: number }) => c.id)).not.toContain(doe);
    } finally {
      await summaries.close();
    }
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { createApp } from '../../server/app.tsx';
import { errorStatus } from '../../server/errors.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import type { AppEnv, Viewer } from '../context.ts';
import { authorRoutes } from './authors.tsx';

/**
 * The author page and API, in-process, over a real store: the seed pages, one real OAI-PMH
 * page (papers with dates and categories), and a hand-made BibTeX file with a hostile name.
 */

const HOSTILE = `@article{hostile,
  title = {A paper whose author list tries to run a script},
  author = {Tester, <script>alert(1)</script> and Doe, <img src=x onerror=alert(2)>},
  year = {2021},
  journal = {Hand-made test entry}
}
@article{lone-initials,
  title = {Wide networks: the neural tangent kernel and the NNGP at infinite width},
  author = {Xiao, L. and Doe, Jane},
  year = {2020},
  journal = {Hand-made test entry},
  abstract = {We study the NNGP kernel and the neural tangent kernel of infinitely wide networks, and the finite width corrections to the kernel regime of wide networks.}
}
@article{lechao-doe,
  title = {Kernel regression in the infinite width limit},
  author = {Xiao, Lechao and Doe, Jane},
  year = {2022},
  journal = {Hand-made test entry}
}`;

let data: { dir: string; cleanup: () => void };
let paperscope: Paperscope;
let site: Hono<AppEnv>;

/** The site as an admin or another signed-in person sees it (the accounts middleware's job in production). */
function siteAs(viewer: Viewer | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('app', paperscope);
    c.set('viewer', viewer);
    c.set('csrfToken', 'test-csrf-token');
    await next();
  });
  app.onError((err, c) => c.json({ error: err.message }, errorStatus(err)));
  app.route('/', authorRoutes());
  return app;
}

const ADMIN: Viewer = { id: 1, name: 'Admin', email: 'admin@example.org', isAdmin: true };
const READER: Viewer = { id: 2, name: 'Reader', email: 'reader@example.org', isAdmin: false };

beforeAll(async () => {
  data = tempDataDir('paperscope-author-page-');
  paperscope = Paperscope.open(loadConfig({}, { data: join(data.dir, 'db') }));
  const importer = new ImportService(paperscope.store, defaultRegistry);
  for (const seed of Object.values(SEED_FILES)) await importer.importFile(seedPath(seed));
  await importer.importFile(fixturePath('arxiv-oai', 'ListRecords_data_0.xml'));
  const bib = join(data.dir, 'hostile.bib');
  writeFileSync(bib, HOSTILE);
  await importer.importFile(bib);
  // The people the test-only middleware signs in: decisions record who made them.
  await paperscope.store.write((db) => {
    const insert = db.prepare(
      "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, 'x', ?, '2026-01-01')",
    );
    for (const v of [ADMIN, READER]) insert.run(v.id, v.email, v.name, v.isAdmin ? 1 : 0);
  });
  site = createApp(paperscope);
}, 120_000);

afterAll(() => {
  paperscope.close();
  data.cleanup();
});

const idOf = async (name: string) => (await paperscope.authors.find(name)).id;

describe('GET /author/:id', () => {
  it('draws one bar per year, with heights in proportion to the papers of each year', async () => {
    // The person of the OAI page with papers in the most different years, found by SQL.
    const { id } = paperscope.store.readDb
      .prepare(
        `SELECT pa.author_id AS id FROM paper_authors pa JOIN papers p ON p.id = pa.paper_id
         GROUP BY pa.author_id ORDER BY count(DISTINCT p.year) DESC, count(*) DESC, pa.author_id LIMIT 1`,
      )
      .get() as { id: number };
    const expected = new Map<number, number>();
    for (const p of paperscope.store.listPapers({ authorId: id, limit: 1000 })) {
      if (p.year !== undefined) expected.set(p.year, (expected.get(p.year) ?? 0) + 1);
    }
    expect(expected.size).toBeGreaterThanOrEqual(3);

    const res = await site.request(`/author/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const svg = /<svg class="year-chart"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="years-title">Papers per year: /);
    const bars = [
      ...svg.matchAll(/<rect class="bar" data-year="(\d+)" data-count="(\d+)"[^>]* height="([\d.]+)"/g),
    ].map((m) => ({ year: Number(m[1]), count: Number(m[2]), height: Number(m[3]) }));
    expect(bars.map((b) => b.year).sort()).toEqual([...expected.keys()].sort());
    const max = Math.max(...expected.values());
    const tallest = Math.max(...bars.map((b) => b.height));
    for (const b of bars) {
      expect(b.count).toBe(expected.get(b.year));
      expect(b.height / tallest).toBeCloseTo(expected.get(b.year)! / max, 2);
      expect(svg).toContain(`${b.year}: ${b.count} paper`);
    }
  });

  it('shows Lechao Xiao’s papers sorted and paged by the query string, co-authors as links', async () => {
    const id = await idOf('Lechao Xiao');
    const html = await (await site.request(`/author/${id}?sort=title&order=asc`)).text();
    const titles = [...html.matchAll(/<a class="title" href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
    expect(titles.length).toBeGreaterThanOrEqual(10);
    expect(titles.slice(0, 3)).toEqual([
      '4+3 Phases of Compute-Optimal Neural Scaling Laws',
      'Beyond Human Data: Scaling Self-Training for Problem-Solving with Language Models',
      'Eigenspace Restructuring: a Principle of Space and Frequency in Neural Networks',
    ]);
    expect(html).toContain('aria-current="true">Title A–Z</a>');
    const pennington = await idOf('Jeffrey Pennington');
    expect(html).toContain(
      `<a href="/author/${pennington}">Jeffrey Pennington</a> <span class="muted">(8)</span>`,
    );
    const network = /<svg class="coauthor-network"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(network).toContain('aria-labelledby="network-title"');
    expect(network).not.toContain('role="img"');
    expect(network).toMatch(
      /<title id="network-title">Co-author network of Lechao Xiao: Jaehoon Lee \(8 papers\), Jeffrey Pennington \(8 papers\), Roman Novak \(7 papers\)/,
    );
    expect(network).toContain(`<a href="/author/${pennington}"><circle class="node"`);
    // Signed out: the evidence is shown, the buttons that decide are not.
    expect(html).toContain('Possibly the same person');
    expect(html).toContain('Jane Doe');
    expect(html).not.toContain('/merge"');
  });

  it('escapes names that came from outside', async () => {
    const id = await idOf('Tester');
    const html = await (await site.request(`/author/${id}`)).text();
    expect(html).not.toMatch(/<script>alert|<img src=x/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers 404 for an author that does not exist', async () => {
    expect((await site.request('/author/987654321')).status).toBe(404);
    const api = await site.request('/api/authors/987654321');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: string }).error).toContain('987654321');
  });
});

describe('the author API and an admin’s decisions', () => {
  it('gives the profile and the suggestions with their evidence', async () => {
    const id = await idOf('Lechao Xiao');
    const profile = (await (
      await site.request(`/api/authors/${id}?sort=title&order=desc&limit=3`)
    ).json()) as {
      paperCount: number;
      papers: { title: string }[];
      paperPage: { total: number };
    };
    expect(profile.paperCount).toBe(13);
    expect(profile.papers).toHaveLength(3);
    expect(profile.paperPage.total).toBe(13);
    const { suggestions } = (await (await site.request(`/api/authors/${id}/suggestions`)).json()) as {
      suggestions: { id: number; evidence: { coauthors: { displayName: string }[] } }[];
    };
    const lone = await idOf('L. Xiao');
    expect(suggestions.find((s) => s.id === lone)?.evidence.coauthors.map((c) => c.displayName)).toEqual([
      'Jane Doe',
    ]);
  });

  it('refuses decisions to anyone but an admin (403)', async () => {
    const id = await idOf('Lechao Xiao');
    const lone = await idOf('L. Xiao');
    const post = (app: Hono<AppEnv>, path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(site, `/api/authors/${id}/merge`, { other: lone })).status).toBe(403);
    const reader = siteAs(READER);
    expect((await post(reader, `/api/authors/${id}/merge`, { other: lone })).status).toBe(403);
    expect((await post(reader, `/api/authors/${id}/split`, { papers: [1] })).status).toBe(403);
    expect((await post(reader, `/api/authors/${id}/reject`, { other: lone })).status).toBe(403);
    const form = new URLSearchParams({ other: String(lone), csrf: 'test-csrf-token' });
    expect((await reader.request(`/author/${id}/merge`, { method: 'POST', body: form })).status).toBe(403);
    // Nothing changed.
    expect((await paperscope.authors.profile(lone)).id).toBe(lone);
  });

  it('answers garbage bodies with 400, never 500, and changes nothing', async () => {
    const admin = siteAs(ADMIN);
    const id = await idOf('Tester');
    const before = JSON.stringify(await paperscope.authors.profile(id));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('split', 'merge', 'reject'),
        fc
          .oneof(
            fc.jsonValue(),
            fc.record({ papers: fc.jsonValue(), names: fc.jsonValue(), other: fc.jsonValue() }),
          )
          // A real author id in "other" is a valid request, not garbage.
          .filter(
            // (fc.jsonValue makes objects with a "toString" key: only numbers and strings are read as ids.)
            (b) =>
              !(
                typeof b === 'object' &&
                b !== null &&
                'other' in b &&
                (typeof b.other === 'number' || typeof b.other === 'string') &&
                /^\d+$/.test(String(b.other))
              ),
          ),
        async (action, body) => {
          const res = await admin.request(`/api/authors/${id}/${action}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body) ?? 'null',
          });
          expect([400, 404]).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
    const raw = await admin.request(`/api/authors/${id}/split`, { method: 'POST', body: '{"papers": [1,' });
    expect(raw.status).toBe(400);
    expect(JSON.stringify(await paperscope.authors.profile(id))).toBe(before);
  });

  it('lets an admin merge from the page; the old id then redirects to the person it became', async () => {
    const admin = siteAs(ADMIN);
    const id = await idOf('Lechao Xiao');
    const lone = await idOf('L. Xiao');
    const page = await (await admin.request(`/author/${id}`)).text();
    expect(page).toContain(`action="/author/${id}/merge"`);
    expect(page).toContain('name="csrf" value="test-csrf-token"');
    expect(page).toContain(`<input type="hidden" name="other" value="${lone}"/>`);

    const form = new URLSearchParams({ other: String(lone), csrf: 'test-csrf-token' });
    const merged = await admin.request(`/author/${id}/merge`, { method: 'POST', body: form });
    expect(merged.status).toBe(303);
    expect(merged.headers.get('location')).toBe(`/author/${id}?done=merged`);
    const moved = await site.request(`/author/${lone}?sort=title`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(`/author/${id}?sort=title`);
    const api = (await (await site.request(`/api/authors/${lone}`)).json()) as {
      id: number;
      redirectedFrom: number;
      paperCount: number;
    };
    expect(api).toMatchObject({ id, redirectedFrom: lone, paperCount: 14 });
  });

  it('lets an admin split papers off through the API, and say who is not the same', async () => {
    const admin = siteAs(ADMIN);
    const id = await idOf('Lechao Xiao');
    const profile = await paperscope.authors.profile(id, { limit: 100 });
    const ntk = profile.papers.find((p) => p.title?.startsWith('Wide networks'))!;
    const res = await admin.request(`/api/authors/${id}/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ papers: [ntk.id] }),
    });
    expect(res.status).toBe(201);
    const split = (await res.json()) as { created: number; papers: number[] };
    expect(split.papers).toEqual([ntk.id]);
    expect((await paperscope.authors.profile(id)).paperCount).toBe(13);
    const bad = await admin.request(`/api/authors/${id}/split`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ papers: ['one'] }),
    });
    expect(bad.status).toBe(400);
    const reject = await admin.request(`/api/authors/${id}/reject`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ other: split.created }),
    });
    expect(reject.status).toBe(200);
    expect(((await reject.json()) as { alreadyKnown: boolean }).alreadyKnown).toBe(true);
    const history = await (await admin.request(`/author/${id}`)).text();
    expect(history).toContain('Split 1 papers off to L. Xiao');
    expect(history).toContain('admin@example.org');
  });
});

describe('following a person from their page', () => {
  it('offers a signed-in reader a Follow form that becomes Unfollow, and a visitor only the feeds', async () => {
    const lechao = await idOf('Lechao Xiao');
    const visitor = await (await siteAs(undefined).request(`/author/${lechao}`)).text();
    expect(visitor).not.toContain('action="/follow"');
    expect(visitor).toContain(`href="/feeds/author/${lechao}.atom"`);

    const before = await (await siteAs(READER).request(`/author/${lechao}`)).text();
    expect(before).toContain('action="/follow"');
    expect(before).toContain(`name="value" value="${lechao}"`);

    await paperscope.follows.follow(READER.id, 'author', 'Xiao, Lechao');
    const after = await (await siteAs(READER).request(`/author/${lechao}`)).text();
    expect(after).toContain('action="/unfollow"');
    expect(after).not.toContain('action="/follow"');
  });
});

import { XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { listedTitle } from '../src/domain/paper-name.ts';
import { type RunningServer, startServer } from '../src/server/serve.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { fixturePath, SEED_FILES, seedPath } from './shared.ts';

/**
 * Follows, the admin's sync and digest pages, and the feeds, over a real HTTP server on a
 * real SQLite file holding the seed pages and a real OAI-PMH page; feeds are read back with a
 * feed parser (rss-parser) and checked as XML (fast-xml-parser).
 */
let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let server: RunningServer;
let base: string;
const people: Record<'admin' | 'ana', { id: number; cookie: string; csrf: string }> = {} as never;
let xiaoId: number;
const parser = new Parser({ customFields: { item: ['category'] } });

beforeAll(async () => {
  data = tempDataDir();
  const imported = await runCli(data.dir, [
    'import',
    seedPath(SEED_FILES.adsAuthor),
    seedPath(SEED_FILES.catalyzex),
    fixturePath('arxiv-oai', 'ListRecords_data_0.xml'),
  ]);
  expect(imported.code).toBe(0);
  paperscope = Paperscope.open(
    loadConfig({ PAPERSCOPE_DATA: data.dir, PAPERSCOPE_BASE_URL: 'http://paperscope.test' }),
  );
  server = await startServer(paperscope, '127.0.0.1', 0);
  base = server.url;
  for (const [key, admin] of [
    ['admin', true],
    ['ana', false],
  ] as const) {
    const user = await paperscope.accounts.createUser({
      email: `${key}@example.org`,
      name: key,
      password: 'a long passphrase',
      admin,
    });
    const session = await paperscope.accounts.createSession(user.id);
    people[key] = {
      id: user.id,
      cookie: `ps_session=${session.id}`,
      csrf: await paperscope.accounts.csrfToken('session', session.id),
    };
  }
  xiaoId = (await paperscope.store.findAuthors('Lechao Xiao'))[0]!.id;
}, 60_000);

afterAll(async () => {
  await server?.close();
  paperscope?.close();
  data?.cleanup();
});

const as = (who: 'admin' | 'ana', init: RequestInit = {}) => ({
  ...init,
  redirect: 'manual' as const,
  headers: { cookie: people[who].cookie, ...(init.headers as Record<string, string>) },
});
const form = (who: 'admin' | 'ana', fields: Record<string, string>) =>
  as(who, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: people[who].csrf, ...fields }),
  });

describe('following', () => {
  it('follows an author from a button on another page and comes back there', async () => {
    const answer = await fetch(
      `${base}/follow`,
      form('ana', { kind: 'author', value: 'Xiao, Lechao', next: `/author/${xiaoId}` }),
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/author/${xiaoId}`);
    expect(paperscope.follows.list(people.ana.id).map((f) => [f.kind, f.value, f.label])).toEqual([
      ['author', String(xiaoId), 'Lechao Xiao'],
    ]);
  });

  it('refuses a follow without the form token, and a malformed search with the place it goes wrong', async () => {
    const forged = await fetch(`${base}/follow`, {
      ...as('ana'),
      method: 'POST',
      headers: { cookie: people.ana.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ kind: 'category', value: 'cs.LG' }),
    });
    expect(forged.status).toBe(403);
    const bad = await fetch(`${base}/follow`, form('ana', { kind: 'search', value: 'title:(kernel' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(
      /Following the search &quot;title:\(kernel&quot;: &quot;\(&quot; at column 7 is never closed/,
    );
    expect(paperscope.follows.list(people.ana.id)).toHaveLength(1);
  });

  it('lists follows, digest settings and the private feed on /account/follows; unfollows', async () => {
    await fetch(`${base}/follow`, form('ana', { kind: 'search', value: '"kernel regression"' }));
    await fetch(`${base}/follow`, form('ana', { kind: 'category', value: 'cs.LG' }));
    const page = await (await fetch(`${base}/account/follows`, as('ana'))).text();
    expect(page).toContain(`<a href="/author/${xiaoId}">Lechao Xiao</a>`);
    expect(page).toContain('<code>&quot;kernel regression&quot;</code>');
    expect(page).toMatch(/http:\/\/paperscope\.test\/feeds\/recommendations\/[A-Za-z0-9_-]{32}\.rss/);
    const settings = await fetch(
      `${base}/account/digest`,
      form('ana', { enabled: 'on', sendHour: '9', timeZone: 'Asia/Tokyo' }),
    );
    expect(await settings.text()).toContain('Digest settings saved.');
    expect(paperscope.digests.settings(people.ana.id)).toMatchObject({ sendHour: 9, timeZone: 'Asia/Tokyo' });
    const badZone = await fetch(
      `${base}/account/digest`,
      form('ana', { sendHour: '9', timeZone: 'Nowhere/Land' }),
    );
    expect(badZone.status).toBe(400);

    const category = paperscope.follows.find(people.ana.id, 'category', 'cs.LG')!;
    const gone = await fetch(`${base}/unfollow`, form('ana', { id: String(category.id) }));
    expect(gone.status).toBe(303);
    expect(paperscope.follows.list(people.ana.id).map((f) => f.kind)).toEqual(['author', 'search']);
  });

  it('sends people who are signed out to sign in', async () => {
    const answer = await fetch(`${base}/account/follows`, { redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/signin?next=%2Faccount%2Ffollows');
  });

  it('speaks JSON under /api with a token', async () => {
    const { token } = await paperscope.accounts.createToken({ id: people.ana.id, isAdmin: false }, 'feeds', [
      'read',
      'library',
    ]);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/follows`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'category', value: 'math.PR' }),
    });
    expect(created.status).toBe(201);
    const follow = (await created.json()) as { id: number; kind: string };
    expect(follow.kind).toBe('category');
    const listed = (await (await fetch(`${base}/api/follows`, { headers: auth })).json()) as {
      follows: { kind: string; label: string }[];
      digest: { timeZone: string };
    };
    expect(listed.follows.map((f) => f.label)).toEqual(['Lechao Xiao', 'math.PR', '"kernel regression"']);
    expect(listed.digest.timeZone).toBe('Asia/Tokyo');
    expect(
      (await fetch(`${base}/api/follows/${follow.id}`, { method: 'DELETE', headers: auth })).status,
    ).toBe(204);
    expect(
      (await fetch(`${base}/api/follows/${follow.id}`, { method: 'DELETE', headers: auth })).status,
    ).toBe(404);
    const unknown = await fetch(`${base}/api/follows`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'author', value: 'Nobody Atall' }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'No author "Nobody Atall".' });
  });
});

describe('the admin pages', () => {
  it('shows the sync state to admins only', async () => {
    await paperscope.store.setState(
      'sync:arxiv-oai:cs',
      JSON.stringify({
        key: 'arxiv-oai:cs',
        runs: 2,
        records: 10,
        newPapers: 4,
        lastError: 'HTTP 503 from x',
        lastErrorAt: '2026-11-24T06:01:00.000Z',
      }),
    );
    expect((await fetch(`${base}/api/sync`, as('ana'))).status).toBe(403);
    const status = (await (await fetch(`${base}/api/sync`, as('admin'))).json()) as {
      states: { key: string; lastError: string }[];
    };
    expect(status.states).toEqual([
      expect.objectContaining({
        key: 'arxiv-oai:cs',
        lastError: 'HTTP 503 from x',
        lastErrorAt: '2026-11-24T06:01:00.000Z',
      }),
    ]);
    const page = await (await fetch(`${base}/admin/sync`, as('admin'))).text();
    expect(page).toContain('<h2>arxiv-oai:cs</h2>');
    expect(page).toContain('<td class="error">2026-11-24 06:01 UTC: HTTP 503 from x</td>');
  });

  it('previews anyone’s digest for admins, with the reasons', async () => {
    // Lower Ana's watermark so that the papers already here count as new to her.
    await paperscope.store.write((db) =>
      db.prepare('UPDATE digest_settings SET since_paper_id = 0 WHERE user_id = ?').run(people.ana.id),
    );
    expect((await fetch(`${base}/admin/digests/${people.ana.id}`, as('ana'))).status).toBe(403);
    const page = await (await fetch(`${base}/admin/digests/${people.ana.id}`, as('admin'))).text();
    expect(page).toContain('Why: new paper by Lechao Xiao');
    expect(page).toContain('Why: matches your search `&quot;kernel regression&quot;`');
    const html = await (await fetch(`${base}/admin/digests/${people.ana.id}/html`, as('admin'))).text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('matches your search <code>&quot;kernel regression&quot;</code>');
    // Previewing records nothing: the digest is still to be sent.
    expect(paperscope.digests.outbox({ userId: people.ana.id })).toEqual([]);
  });
});

describe('feeds', () => {
  async function read(path: string) {
    const answer = await fetch(`${base}${path}`);
    const body = await answer.text();
    return { answer, body };
  }

  it('gives any search as RSS 2.0 and Atom that parse, with the matching papers', async () => {
    const expected = paperscope.search.search({ query: 'kernel', sort: 'date', limit: 50 });
    for (const format of ['rss', 'atom'] as const) {
      const { answer, body } = await read(`/feeds/search.${format}?q=kernel`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toContain(
        format === 'rss' ? 'application/rss+xml' : 'application/atom+xml',
      );
      expect(XMLValidator.validate(body)).toBe(true);
      const feed = await parser.parseString(body);
      expect(feed.title).toBe('Paperscope: kernel');
      expect(feed.items.map((i) => i.title)).toEqual(expected.hits.map((h) => listedTitle(h.paper)));
      expect(feed.items[0]!.link).toMatch(/^http:\/\/paperscope\.test\/paper\//);
    }
    expect(expected.total).toBeGreaterThan(0);
  });

  it('gives an author’s papers, and a category’s newest papers', async () => {
    const { body } = await read(`/feeds/author/${xiaoId}.atom`);
    const feed = await parser.parseString(body);
    const papers = await paperscope.store.listPapers({ authorId: xiaoId, limit: 50 });
    expect(feed.title).toBe('Paperscope: papers by Lechao Xiao');
    expect(feed.items.map((i) => i.title)).toEqual(papers.map((p) => listedTitle(p)));

    const category = await parser.parseString((await read('/feeds/category/cs.LG.rss')).body);
    expect(category.items.length).toBeGreaterThan(0);
    for (const item of category.items) {
      const id = item.link!.split('/paper/')[1]!;
      const paper = paperscope.store.findPaper(decodeURIComponent(id))!;
      expect(paper.categories.join(' ')).toMatch(/cs\.LG|Computer Science - Machine Learning/);
    }
  });

  it('gives someone their recommendations behind a secret address, and nothing to a guess', async () => {
    const token = await paperscope.digests.feedToken(people.ana.id);
    const feed = await parser.parseString((await read(`/feeds/recommendations/${token}.rss`)).body);
    const preview = await paperscope.digests.preview(people.ana.id);
    expect(feed.items.map((i) => i.title)).toEqual(preview.items.map((i) => i.paper.title));
    expect(feed.items.some((i) => i.contentSnippet?.startsWith('Why: new paper by Lechao Xiao.'))).toBe(true);
    const guess = await read(`/feeds/recommendations/${'x'.repeat(32)}.rss`);
    expect(guess.answer.status).toBe(404);
    expect((await read('/feeds/search.rss?q=title:(')).answer.status).toBe(400);
  });
});

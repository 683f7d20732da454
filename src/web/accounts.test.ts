import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { CookieClient } from '../../test/cookie-client.ts';
import { fixturePath, SEED_FILES, seedPath } from '../../test/shared.ts';
import { Paperscope } from '../app/paperscope.ts';
import { loadConfig } from '../config.ts';
import { createApp } from '../server/app.tsx';
import { ImportService } from '../services/import.service.ts';
import { defaultRegistry } from '../sources/registry.ts';

const PASSWORD = 'correct horse battery staple';

/** An instance with the ten papers of seed page 001 and a clock the tests move. */
async function instance(env: NodeJS.ProcessEnv = {}) {
  const data = tempDataDir('paperscope-accounts-');
  const clock = { now: new Date('2026-03-01T10:00:00Z') };
  const paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir, ...env }), {
    now: () => clock.now,
  });
  await new ImportService(paperscope.store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
  const app = createApp(paperscope);
  const client = () => new CookieClient(async (path, init) => app.request(path, init));
  return {
    paperscope,
    app,
    clock,
    client,
    close: () => {
      paperscope.close();
      data.cleanup();
    },
  };
}
type Instance = Awaited<ReturnType<typeof instance>>;

async function register(env: Instance, email: string, password = PASSWORD): Promise<CookieClient> {
  const browser = env.client();
  const res = await browser.submit('/register', '/register', {
    email,
    name: email.split('@')[0]!,
    password,
    next: '/',
  });
  expect(res.status).toBe(303);
  expect(browser.cookies.has('ps_session')).toBe(true);
  return browser;
}

async function whoami(browser: CookieClient) {
  const res = await browser.get('/api/whoami');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('registration', () => {
  let env: Instance;
  beforeAll(async () => {
    env = await instance();
  });
  afterAll(() => env.close());

  it('makes the first account the admin and the second an ordinary member', async () => {
    const first = await register(env, 'ada@example.org');
    const second = await register(env, 'bob@example.org');
    expect((await whoami(first)).body).toMatchObject({
      email: 'ada@example.org',
      isAdmin: true,
      via: 'session',
    });
    expect((await whoami(second)).body).toMatchObject({ email: 'bob@example.org', isAdmin: false });
    const html = await (await first.get('/account')).text();
    expect(html).toContain('Instance (admin)');
    expect(await (await second.get('/account')).text()).not.toContain('Instance (admin)');
  });

  it('stores only an argon2id hash, with its parameters', () => {
    const hashes = env.paperscope.store.readDb
      .prepare('SELECT password_hash FROM users')
      .pluck()
      .all() as string[];
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) {
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(hash).not.toContain(PASSWORD);
    }
  });

  it('refuses a taken address and a weak password, keeping what was typed', async () => {
    const browser = env.client();
    const taken = await browser.submit('/register', '/register', {
      email: 'ADA@example.org',
      password: PASSWORD,
    });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('There is already an account for ADA@example.org');
    const weak = await browser.submit('/register', '/register', {
      email: 'carol@example.org',
      password: 'short',
    });
    expect(weak.status).toBe(400);
    const html = await weak.text();
    expect(html).toContain('at least 10 characters');
    expect(html).toContain('value="carol@example.org"');
    expect(env.paperscope.accounts.userCount()).toBe(2);
  });

  it('once the admin closes registration, sign-ups are refused; only the admin may close it', async () => {
    const admin = env.client();
    await admin.submit('/signin', '/signin', { email: 'ada@example.org', password: PASSWORD });
    const member = env.client();
    await member.submit('/signin', '/signin', { email: 'bob@example.org', password: PASSWORD });

    const byMember = await member.submit('/account', '/account/registration', { open: 'false' });
    expect(byMember.status).toBe(403);
    expect(env.paperscope.accounts.registration().open).toBe(true);

    const byAdmin = await admin.submit('/account', '/account/registration', { open: 'false' });
    expect(byAdmin.status).toBe(303);
    expect(await (await admin.follow(byAdmin)).text()).toContain('Registration is closed.');

    const stranger = env.client();
    const page = await (await stranger.get('/register')).text();
    expect(page).toContain('Registration is closed on this instance by its admin');
    // The closed page has no form: post as a script would, with a token from another page.
    const attempt = await stranger.submit('/signin', '/register', {
      email: 'eve@example.org',
      password: PASSWORD,
    });
    expect(attempt.status).toBe(403);
    expect(await attempt.text()).toContain('Registration is closed');
    expect(env.paperscope.accounts.findUserByEmail('eve@example.org')).toBeUndefined();

    await admin.submit('/account', '/account/registration', { open: 'true' });
    expect(
      (await stranger.submit('/register', '/register', { email: 'eve@example.org', password: PASSWORD }))
        .status,
    ).toBe(303);
  });

  it('with PAPERSCOPE_REGISTRATION=closed, even the first sign-up is refused', async () => {
    const closed = await instance({ PAPERSCOPE_REGISTRATION: 'closed' });
    try {
      const browser = closed.client();
      expect(await (await browser.get('/register')).text()).toContain('PAPERSCOPE_REGISTRATION=closed');
      const res = await browser.submit('/signin', '/register', {
        email: 'ada@example.org',
        password: PASSWORD,
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('PAPERSCOPE_REGISTRATION=closed');
      expect(closed.paperscope.accounts.userCount()).toBe(0);
    } finally {
      closed.close();
    }
  });
});

describe('signing in and out', () => {
  let env: Instance;
  beforeAll(async () => {
    env = await instance();
    await register(env, 'ada@example.org');
  });
  afterAll(() => env.close());

  it('returns to where you were, and never to another site', async () => {
    const browser = env.client();
    const library = await browser.get('/library?tag=to%20read');
    expect(library.status).toBe(303);
    expect(library.headers.get('location')).toBe('/signin?next=%2Flibrary%3Ftag%3Dto%2520read');
    const csrf = await browser.csrfFrom(library.headers.get('location')!);
    const res = await browser.post('/signin', {
      csrf,
      email: 'ada@example.org',
      password: PASSWORD,
      next: '/library?tag=to%20read',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/library?tag=to%20read');

    const other = env.client();
    const away = await other.submit('/signin', '/signin', {
      email: 'ada@example.org',
      password: PASSWORD,
      next: '//evil.example/x',
    });
    expect(away.headers.get('location')).toBe('/');
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, for the whole site, for 30 days; Secure only behind https', async () => {
    const browser = env.client();
    await browser.submit('/signin', '/signin', { email: 'ada@example.org', password: PASSWORD });
    const line = browser.setCookieLines.get('ps_session')!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Max-Age=2592000/);
    expect(line).not.toMatch(/Secure/);

    const behindProxy = env.client();
    const csrf = await behindProxy.csrfFrom('/signin');
    await behindProxy.post(
      '/signin',
      { csrf, email: 'ada@example.org', password: PASSWORD },
      { 'x-forwarded-proto': 'https' },
    );
    expect(behindProxy.setCookieLines.get('ps_session')).toMatch(/; Secure/);
    expect(behindProxy.setCookieLines.get('ps_session')).toMatch(/; HttpOnly/);
  });

  it('keeps only a hash of the session id; signing out destroys the session', async () => {
    const browser = env.client();
    await browser.submit('/signin', '/signin', { email: 'ada@example.org', password: PASSWORD });
    const sessionId = browser.cookies.get('ps_session')!;
    const db = env.paperscope.store.readDb;
    const stored = db.prepare('SELECT id_hash FROM sessions').pluck().all() as string[];
    expect(stored).not.toContain(sessionId);
    const before = stored.length;

    const out = await browser.submit('/account', '/signout', {});
    expect(out.status).toBe(303);
    expect(browser.cookies.has('ps_session')).toBe(false);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(before - 1);

    // The old cookie, replayed, opens nothing.
    const replay = env.client();
    replay.cookies.set('ps_session', sessionId);
    expect((await replay.get('/account')).status).toBe(303);
    expect((await replay.get('/api/whoami')).status).toBe(401);
    // A form still open in a tab of that session says what happened.
    replay.cookies.set('ps_session', sessionId);
    const stale = await replay.post('/library/save', { paper: '1', csrf: 'from the old page' });
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('You were signed out (your session ended)');
  });

  it('ends a session when it expires', async () => {
    const browser = env.client();
    await browser.submit('/signin', '/signin', { email: 'ada@example.org', password: PASSWORD });
    expect((await browser.get('/account')).status).toBe(200);
    const start = env.clock.now;
    env.clock.now = new Date(start.getTime() + 31 * 24 * 3600_000);
    try {
      expect((await browser.get('/account')).status).toBe(303);
    } finally {
      env.clock.now = start;
    }
  });

  it('answers a wrong password with 401, then after five failures with 429 and when to retry', async () => {
    const browser = env.client();
    for (let i = 0; i < 5; i++) {
      const res = await browser.submit('/signin', '/signin', {
        email: 'ada@example.org',
        password: `wrong password ${i}`,
      });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Wrong email or password.');
    }
    // Now even the right password is not looked at.
    const limited = await browser.submit('/signin', '/signin', {
      email: 'ada@example.org',
      password: PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBe(15 * 60);
    expect(await limited.text()).toContain('Try again after 10:15 UTC');
    expect(browser.cookies.has('ps_session')).toBe(false);

    const start = env.clock.now;
    env.clock.now = new Date(start.getTime() + 15 * 60_000 + 1000);
    try {
      const later = await browser.submit('/signin', '/signin', {
        email: 'ada@example.org',
        password: PASSWORD,
      });
      expect(later.status).toBe(303);
    } finally {
      env.clock.now = start;
    }
  });

  it('changes the password from the account page, keeping this session and ending the others', async () => {
    const here = env.client();
    await here.submit('/signin', '/signin', { email: 'ada@example.org', password: PASSWORD });
    const there = env.client();
    await there.submit('/signin', '/signin', { email: 'ada@example.org', password: PASSWORD });
    const wrong = await here.submit('/account', '/account/password', {
      current: 'nope',
      password: 'another long one',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The current password is not right');
    const ok = await here.submit('/account', '/account/password', {
      current: PASSWORD,
      password: 'another long one',
    });
    expect(ok.status).toBe(303);
    expect(await (await here.follow(ok)).text()).toContain('Password changed');
    expect((await here.get('/account')).status).toBe(200);
    expect((await there.get('/account')).status).toBe(303);
    await here.submit('/account', '/account/password', { current: 'another long one', password: PASSWORD });
  });

  it('an unknown email fails like a wrong password, and is limited too', async () => {
    const browser = env.client();
    const res = await browser.submit('/signin', '/signin', {
      email: 'nobody@example.org',
      password: PASSWORD,
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Wrong email or password.');
  });
});

describe('CSRF', () => {
  let env: Instance;
  let ada: CookieClient;
  let bob: CookieClient;
  beforeAll(async () => {
    env = await instance();
    ada = await register(env, 'ada@example.org');
    bob = await register(env, 'bob@example.org');
  });
  afterAll(() => env.close());

  it('refuses every form POST without the token, with a wrong one, and with another session’s', async () => {
    const forms = env.app.routes
      .filter((r) => r.method === 'POST' && !r.path.startsWith('/api'))
      .map((r) => r.path.replace(/:[a-z]+(\{[^}]*\})?/gi, '1'));
    expect(forms).toEqual(
      expect.arrayContaining([
        '/register',
        '/signin',
        '/signout',
        '/account/tokens',
        '/account/tokens/1/revoke',
        '/account/password',
        '/account/registration',
        '/library/save',
        '/library/unsave',
        '/library/tag',
        '/library/untag',
        '/library/note',
      ]),
    );
    const bobsToken = await bob.csrfFrom('/account');
    const anonymous = env.client();
    await anonymous.get('/signin');
    for (const path of forms) {
      for (const browser of [ada, anonymous]) {
        const fields = {
          paper: '1',
          tag: 'x',
          email: 'ada@example.org',
          password: PASSWORD,
          name: 'n',
          scopes: 'read',
        };
        const missing = await browser.post(path, fields);
        expect(missing.status, `${path} without a token`).toBe(403);
        expect(await missing.text()).toContain('Form refused');
        const wrong = await browser.post(path, { ...fields, csrf: 'x'.repeat(43) });
        expect(wrong.status, `${path} with a wrong token`).toBe(403);
      }
      const borrowed = await ada.post(path, { paper: '1', csrf: bobsToken });
      expect(borrowed.status, `${path} with another session's token`).toBe(403);
    }
    // Nothing happened: no paper saved, still signed in, no tokens made.
    expect(env.paperscope.library.paperIds(1)).toEqual([]);
    expect((await whoami(ada)).status).toBe(200);
    expect(env.paperscope.accounts.listTokens(1)).toEqual([]);
  });

  it('gives a signed-out visitor a form cookie with pages only, not with the API or assets', async () => {
    for (const path of ['/api/stats', '/static/app.css', '/api/openapi.json']) {
      const res = await env.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.getSetCookie(), path).toEqual([]);
    }
    const page = await env.app.request('/signin');
    expect(page.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^ps_visitor=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);
  });

  it('on /api, a browser session must send the token in x-csrf-token to change anything', async () => {
    const refused = await ada.json('PUT', '/api/library/1');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain('x-csrf-token');
    const csrf = await ada.csrfFrom('/account');
    const saved = await ada.json('PUT', '/api/library/1', undefined, { 'x-csrf-token': csrf });
    expect(saved.status).toBe(201);
  });
});

describe('API tokens', () => {
  let env: Instance;
  let ada: CookieClient;
  beforeAll(async () => {
    env = await instance();
    ada = await register(env, 'ada@example.org');
    await register(env, 'bob@example.org');
  });
  afterAll(() => env.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function createToken(browser: CookieClient, name: string, scopes: string[]): Promise<string> {
    const res = await browser.submit('/account', '/account/tokens', { name, scopes });
    expect(res.status).toBe(303);
    const token = /id="new-token">(pst_[A-Za-z0-9_-]+)</.exec(await (await browser.follow(res)).text())?.[1];
    expect(token).toBeDefined();
    return token!;
  }

  it('shows a new token once, keeps only its hash, and lists it by its first characters', async () => {
    const token = await createToken(ada, 'laptop', ['read']);
    const stored = env.paperscope.store.readDb.prepare('SELECT token_hash, prefix FROM api_tokens').all() as {
      token_hash: string;
      prefix: string;
    }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token.slice(4));
    expect(token.startsWith(stored[0]!.prefix)).toBe(true);
    // Shown on the page the creation led to, and on no later one (a reload included).
    const page = await (await ada.get('/account')).text();
    expect(page).not.toContain(token);
    expect(page).toContain(`${stored[0]!.prefix}…`);
    expect(page).toContain('laptop');
  });

  it('enforces scopes: read reads, library changes, neither administers', async () => {
    const reader = env.client();
    const readToken = await createToken(ada, 'reader', ['read']);
    const libraryToken = await createToken(ada, 'writer', ['library']);

    expect((await reader.json('GET', '/api/library', undefined, bearer(readToken))).status).toBe(200);
    const refused = await reader.json('PUT', '/api/library/2', undefined, bearer(readToken));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain('lacks the "library" scope');

    // A token carries no cookie: no CSRF token is needed, only the scope.
    expect((await reader.json('PUT', '/api/library/2', undefined, bearer(libraryToken))).status).toBe(201);
    expect(
      (await reader.json('POST', '/api/library/2/tags', { tag: 'kernels' }, bearer(libraryToken))).status,
    ).toBe(200);
    expect((await reader.json('GET', '/api/library', undefined, bearer(libraryToken))).status).toBe(403);

    const whoami = (await (
      await reader.json('GET', '/api/whoami', undefined, bearer(readToken))
    ).json()) as Record<string, unknown>;
    // Ada is the admin, but through a token without the admin scope she is not one.
    expect(whoami).toMatchObject({
      email: 'ada@example.org',
      via: 'token',
      scopes: ['read'],
      isAdmin: false,
    });

    // Ada is the admin, but a token without the admin scope cannot act as one.
    expect((await reader.json('GET', '/api/users', undefined, bearer(readToken))).status).toBe(403);
    const adminToken = await createToken(ada, 'root', ['admin']);
    expect((await reader.json('GET', '/api/users', undefined, bearer(adminToken))).status).toBe(200);
    const asAdmin = await reader.json('GET', '/api/whoami', undefined, bearer(adminToken));
    expect(await asAdmin.json()).toMatchObject({ isAdmin: true, scopes: ['admin'] });

    // A token cannot mint one with more than it has.
    const escalate = await reader.json(
      'POST',
      '/api/tokens',
      { name: 'more', scopes: ['library'] },
      bearer(readToken),
    );
    expect(escalate.status).toBe(403);
  });

  it('gives the admin scope only to admins', async () => {
    const bob = env.client();
    await bob.submit('/signin', '/signin', { email: 'bob@example.org', password: PASSWORD });
    expect(await (await bob.get('/account')).text()).not.toContain('value="admin"');
    const res = await bob.submit('/account', '/account/tokens', { name: 'sneaky', scopes: ['admin'] });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Only an admin can create a token with the admin scope');
  });

  it('stops a revoked token at once, and says why', async () => {
    const token = await createToken(ada, 'temporary', ['read']);
    const client = env.client();
    expect((await client.json('GET', '/api/whoami', undefined, bearer(token))).status).toBe(200);
    const id = env.paperscope.accounts.listTokens(1).find((t) => t.name === 'temporary')!.id;
    const revoked = await ada.submit('/account', `/account/tokens/${id}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect(await (await ada.follow(revoked)).text()).toMatch(/revoked \d{4}-\d\d-\d\d/);
    const after = await client.json('GET', '/api/whoami', undefined, bearer(token));
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await after.json()) as { error: string }).error).toContain('not valid');
    expect((await client.json('GET', '/api/whoami', undefined, bearer('pst_made_up'))).status).toBe(401);
    expect((await client.json('GET', '/api/whoami', undefined, { authorization: 'Basic abc' })).status).toBe(
      401,
    );
  });
});

describe('a library is private', () => {
  let env: Instance;
  let ada: CookieClient;
  let bob: CookieClient;
  let adaToken: string;
  beforeAll(async () => {
    env = await instance();
    ada = await register(env, 'ada@example.org');
    bob = await register(env, 'bob@example.org');
    adaToken = (await env.paperscope.accounts.createToken({ id: 1, isAdmin: true }, 'cli', 'read library'))
      .token;
  });
  afterAll(() => env.close());

  it('saves from a paper page, records one save event, and goes back to the page', async () => {
    const csrf = await ada.csrfFrom('/library');
    const res = await ada.post(
      '/library/save',
      { paper: '3', csrf },
      { referer: 'http://localhost/paper/3' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/paper/3');
    await ada.post('/library/save', { paper: '3', csrf });
    const events = env.paperscope.store.readDb
      .prepare("SELECT paper_id, user_id FROM paper_events WHERE kind = 'save'")
      .all();
    expect(events).toEqual([{ paper_id: 3, user_id: 1 }]);
  });

  it('tags and notes papers; the library filters by tag and exports only that tag', async () => {
    await ada.submit('/library', '/library/tag', { paper: '3', tag: 'kernels' });
    await ada.submit('/library', '/library/tag', { paper: '5', tag: 'Scaling' });
    await ada.submit('/library', '/library/note', { paper: '5', note: 'read §3 again' });
    const all = await (await ada.get('/library')).text();
    expect(all).toContain('2 papers.');
    expect(all).toContain('read §3 again');
    const tagged = await (await ada.get('/library?tag=kernels')).text();
    expect(tagged).toContain('1 paper tagged &quot;kernels&quot;.');

    const paper3 = env.paperscope.store.getPaper(3)!;
    const paper5 = env.paperscope.store.getPaper(5)!;
    const bibtex = await ada.get('/library/export?format=bibtex&tag=kernels');
    expect(bibtex.headers.get('content-disposition')).toContain('library-kernels.bib');
    const text = await bibtex.text();
    expect(text).toContain(paper3.title!.split(' ')[0]);
    expect(text.match(/^@/gm)).toHaveLength(1);
    expect(text).not.toContain(paper5.title!);
    const ris = await (await ada.get('/library/export?format=ris')).text();
    expect(ris.match(/^TY {2}- /gm)).toHaveLength(2);
    expect((await ada.get('/library/export?format=docx')).status).toBe(400);
  });

  it('recommends papers like those of a tag, never ones already saved, and only from your own tags', async () => {
    const res = await ada.get('/library/recommendations?tag=kernels');
    expect(res.status).toBe(200);
    const html = await res.text();
    const listed = [...html.matchAll(/<a class="title" href="\/paper\/([^"]+)"/g)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThan(0);
    const saved = env.paperscope.library.paperIds(1).map((id) => env.paperscope.store.getPaper(id)!);
    for (const paper of saved) {
      expect(listed).not.toContain(paper.ids.arxiv ? encodeURIComponent(paper.ids.arxiv) : String(paper.id));
    }
    expect(html).toContain(`like “${env.paperscope.store.getPaper(3)!.title}”`);
    expect((await bob.get('/library/recommendations?tag=kernels')).status).toBe(404);
    const viaApi = await env
      .client()
      .json('GET', '/api/library/recommendations?tag=kernels&limit=3', undefined, {
        authorization: `Bearer ${adaToken}`,
      });
    const body = (await viaApi.json()) as {
      from: number;
      recommendations: { paper: { id: number }; reason: string }[];
    };
    expect(body.from).toBe(1);
    expect(body.recommendations.length).toBeGreaterThan(0);
    expect(body.recommendations.length).toBeLessThanOrEqual(3);
    const savedIds = env.paperscope.library.paperIds(1);
    for (const r of body.recommendations) expect(savedIds).not.toContain(r.paper.id);
    expect((await bob.json('GET', '/api/library/recommendations?tag=kernels')).status).toBe(404);
    expect((await bob.json('GET', '/api/library/recommendations')).status).toBe(400);
  });

  it('shows another person nothing of it, whatever ids they guess', async () => {
    const bobsLibrary = await (await bob.get('/library')).text();
    expect(bobsLibrary).toContain('Nothing saved yet');
    expect(bobsLibrary).not.toContain('read §3 again');
    expect(bobsLibrary).not.toContain('kernels');
    const csrf = await bob.csrfFrom('/library');
    const headers = { 'x-csrf-token': csrf };
    for (const id of [3, 5]) expect((await bob.json('GET', `/api/library/${id}`)).status).toBe(404);
    expect(((await (await bob.json('GET', '/api/library')).json()) as { total: number }).total).toBe(0);
    expect((await (await bob.get('/library/export?format=csl-json')).text()).trim()).toBe('[]');
    expect(await (await bob.get('/library?tag=kernels')).text()).toContain('No saved paper has the tag');
    expect((await bob.json('DELETE', '/api/library/3/tags/kernels', undefined, headers)).status).toBe(404);
    expect((await bob.json('DELETE', '/api/library/3', undefined, headers)).status).toBe(404);
    const adaTokenId = env.paperscope.accounts.listTokens(1)[0]!.id;
    expect((await bob.json('DELETE', `/api/tokens/${adaTokenId}`, undefined, headers)).status).toBe(404);
    expect((await bob.submit('/account', `/account/tokens/${adaTokenId}/revoke`, {})).status).toBe(404);

    // Bob tagging paper 3 tags it in Bob's library; Ada's is as it was.
    await bob.submit('/library', '/library/tag', { paper: '3', tag: 'mine' });
    await bob.submit('/library', '/library/note', { paper: '3', note: 'bob was here' });
    const adas = (await (
      await env.client().json('GET', '/api/library/3', undefined, { authorization: `Bearer ${adaToken}` })
    ).json()) as { tags: string[]; note: string };
    expect(adas.tags).toEqual(['kernels']);
    expect(adas.note).toBe('');
    // And Ada's token still works: Bob's revocation did nothing.
    expect(
      (await env.client().json('GET', '/api/whoami', undefined, { authorization: `Bearer ${adaToken}` }))
        .status,
    ).toBe(200);
  });

  it('shows tag names and notes as text, never as markup', async () => {
    const tag = '<script>alert("tag")</script>';
    const note = '<img src=x onerror="alert(1)"> & "quotes"';
    await ada.submit('/library', '/library/tag', { paper: '3', tag });
    await ada.submit('/library', '/library/note', { paper: '3', note });
    const html = await (await ada.get('/library')).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;tag&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quotes&quot;');
    // The tag's filter link is URL-encoded, so it cannot break out of the attribute.
    expect(html).toContain(
      `href="/library?tag=${encodeURIComponent(tag).replace(/'/g, '%27')}"`.replace(/&/g, '&amp;'),
    );
    const filtered = await (await ada.get(`/library?tag=${encodeURIComponent(tag)}`)).text();
    expect(filtered).not.toContain('<script>alert');
    expect(filtered).toContain('1 paper tagged');
  });

  it('removes tags and papers; a tag left on nothing disappears', async () => {
    await ada.submit('/library', '/library/untag', { paper: '5', tag: 'scaling' });
    expect(env.paperscope.library.tags(1).map((t) => t.name)).not.toContain('Scaling');
    await ada.submit('/library', '/library/unsave', { paper: '3' });
    expect(env.paperscope.library.paperIds(1)).toEqual([5]);
    expect(env.paperscope.library.tags(1)).toEqual([]);
    const missing = await ada.submit('/library', '/library/unsave', { paper: '3' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Paper 3 is not in your library');
  });

  it('sends someone signed out to sign in, and back to the paper after', async () => {
    const stranger = env.client();
    const csrf = await stranger.csrfFrom('/signin');
    const res = await stranger.post(
      '/library/save',
      { paper: '3', csrf },
      { referer: 'http://localhost/paper/3' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fpaper%2F3');
    expect((await stranger.get('/api/library')).status).toBe(401);
  });
});

describe('a large library', () => {
  it('comes in pages of a hundred, latest first, with the tag kept across pages', async () => {
    const data = tempDataDir('paperscope-accounts-paging-');
    const paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
    try {
      await new ImportService(paperscope.store, defaultRegistry).importFile(
        fixturePath('arxiv-bulk', 'arxiv-browse-sample.jsonl'),
      );
      const app = createApp(paperscope);
      const user = await paperscope.accounts.createUser({ email: 'ada@example.org', password: PASSWORD });
      const session = await paperscope.accounts.createSession(user.id);
      const ids = (await paperscope.store.listPapers({ limit: 105 })).map((p) => p.id);
      expect(ids).toHaveLength(105);
      for (const [i, id] of ids.entries()) {
        await paperscope.library.save(user.id, id);
        await paperscope.library.addTag(user.id, id, i % 2 === 0 ? 'even' : 'odd');
        await paperscope.library.addTag(user.id, id, 'all');
      }
      const get = async (path: string) =>
        (await app.request(path, { headers: { cookie: `ps_session=${session.id}` } })).text();
      const titles = (html: string) => [...html.matchAll(/<a class="title" href="[^"]+">([^<]*)</g)].length;

      const first = await get('/library');
      expect(first).toContain('105 papers.');
      expect(titles(first)).toBe(100);
      expect(first).toContain('Page 1 of 2');
      expect(first).toContain('href="/library?page=2">Older →');
      const second = await get('/library?page=2');
      expect(titles(second)).toBe(5);
      expect(second).toContain('href="/library">← Newer');
      // Forms on page 2 come back to page 2.
      expect(second).toContain('name="next" value="/library?page=2"');
      expect(titles(await get('/library?page=3'))).toBe(0);

      const even = await get('/library?tag=even');
      expect(even).toContain('53 papers tagged &quot;even&quot;.');
      expect(titles(even)).toBe(53);
      expect(even).not.toContain('Page 1 of');
      expect(titles(await get('/library?tag=odd'))).toBe(52);
      const all = await get('/library?tag=all');
      expect(all).toContain('Page 1 of 2');
      expect(all).toContain('href="/library?page=2&amp;tag=all">Older →');
      const allSecond = await get('/library?tag=all&page=2');
      expect(titles(allSecond)).toBe(5);
      expect(allSecond).toContain('name="next" value="/library?tag=all&amp;page=2"');
    } finally {
      paperscope.close();
      data.cleanup();
    }
  });
});

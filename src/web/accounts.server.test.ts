import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { CookieClient } from '../../test/cookie-client.ts';
import { SEED_FILES, seedPath } from '../../test/shared.ts';
import { Paperscope } from '../app/paperscope.ts';
import { loadConfig } from '../config.ts';
import { type RunningServer, startServer } from '../server/serve.ts';
import { ImportService } from '../services/import.service.ts';
import { defaultRegistry } from '../sources/registry.ts';

const PASSWORD = 'correct horse battery staple';

// Over a real socket: cookies as a browser's HTTP stack sees them, and the sign-in limit per
// address keyed on the connection's own address.
let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let server: RunningServer;
const browser = () => new CookieClient((path, init) => fetch(`${server.url}${path}`, init));

beforeAll(async () => {
  data = tempDataDir('paperscope-accounts-server-');
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  await new ImportService(paperscope.store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
  server = await startServer(paperscope, '127.0.0.1', 0);
});
afterAll(async () => {
  await server.close();
  paperscope.close();
  data.cleanup();
});

describe('accounts over HTTP', () => {
  it('registers, keeps the session in an HttpOnly SameSite=Lax cookie, saves and exports, signs out', async () => {
    const ada = browser();
    const form = await ada.get('/register');
    expect(ada.setCookieLines.get('ps_visitor')).toMatch(/HttpOnly; SameSite=Lax$/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await ada.post('/register', {
      csrf,
      email: 'ada@example.org',
      password: PASSWORD,
      next: '/library',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/library');
    const cookie = ada.setCookieLines.get('ps_session')!;
    expect(cookie).toMatch(
      /^ps_session=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/,
    );

    expect((await ada.submit('/library', '/library/save', { paper: '2' })).status).toBe(303);
    expect((await ada.submit('/library', '/library/tag', { paper: '2', tag: 'to read' })).status).toBe(303);
    const page = await (await ada.get('/library?tag=to%20read')).text();
    expect(page).toContain(paperscope.store.getPaper(2)!.title!);
    const bib = await ada.get('/library/export?format=bibtex&tag=to%20read');
    expect(bib.headers.get('content-type')).toContain('application/x-bibtex');
    expect(await bib.text()).toMatch(/^@\w+\{/);

    expect((await ada.submit('/library', '/signout', {})).status).toBe(303);
    expect(ada.setCookieLines.get('ps_session')).toMatch(/^ps_session=; Max-Age=0; Path=\//);
    expect((await ada.get('/library')).status).toBe(303);
  });

  it('limits sign-in attempts per address: one address spraying passwords over many accounts', async () => {
    const sprayer = browser();
    const csrf = await sprayer.csrfFrom('/signin');
    for (let i = 0; i < 20; i++) {
      const res = await sprayer.post('/signin', {
        csrf,
        email: `person${i}@example.org`,
        password: PASSWORD,
      });
      expect(res.status).toBe(401);
    }
    // A twenty-first account, never tried before, is refused from this address: even Ada's.
    const res = await sprayer.post('/signin', { csrf, email: 'ada@example.org', password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    const failures = paperscope.store.readDb
      .prepare('SELECT DISTINCT address FROM sign_in_failures')
      .pluck()
      .all();
    expect(failures).toEqual(['127.0.0.1']);
  });
});

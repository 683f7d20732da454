import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { createApp } from '../../server/app.tsx';

const PASSWORD = 'correct horse battery staple';
let data: ReturnType<typeof tempDataDir>;

beforeEach(() => {
  data = tempDataDir('paperscope-cli-accounts-');
});
afterEach(() => data.cleanup());

describe('paperscope user and token', () => {
  it('creates the admin from standard input, then a member, even with registration closed', async () => {
    const closed = { PAPERSCOPE_REGISTRATION: 'closed' };
    const first = await runCli(
      data.dir,
      ['user', 'create', 'root@example.org', '--name', 'Root'],
      `${PASSWORD}\n`,
      closed,
    );
    expect(first).toMatchObject({ code: 0, out: 'Created admin account 1 for root@example.org\n' });
    const second = await runCli(data.dir, ['user', 'create', 'ada@example.org'], PASSWORD, closed);
    expect(second.out).toBe('Created account 2 for ada@example.org\n');
    const third = await runCli(data.dir, ['user', 'create', '--admin', 'bob@example.org'], PASSWORD, closed);
    expect(third.out).toBe('Created admin account 3 for bob@example.org\n');
    const list = await runCli(data.dir, ['user', 'list', '--json']);
    expect(
      JSON.parse(list.out).map((u: { email: string; isAdmin: boolean }) => [u.email, u.isAdmin]),
    ).toEqual([
      ['root@example.org', true],
      ['ada@example.org', false],
      ['bob@example.org', true],
    ]);
  });

  it('says what is wrong: no password, a weak one, an address taken', async () => {
    const none = await runCli(data.dir, ['user', 'create', 'ada@example.org'], '');
    expect(none.code).not.toBe(0);
    expect(none.err).toContain('Give the password on standard input');
    const weak = await runCli(data.dir, ['user', 'create', 'ada@example.org'], 'short\n');
    expect(weak.err).toContain('Password: at least 10 characters');
    await runCli(data.dir, ['user', 'create', 'ada@example.org'], PASSWORD);
    const again = await runCli(data.dir, ['user', 'create', 'ADA@example.org'], PASSWORD);
    expect(again.err).toContain('There is already an account for ADA@example.org');
  });

  it('makes a token the API accepts, with its scopes; lists and revokes it', async () => {
    await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)]);
    const bib =
      '@article{demo, title={A Demo Paper on Kernels}, author={Doe, Jane}, year={2020}, eprint={2006.10540}, archivePrefix={arXiv}, doi={10.1234/demo.5}}';
    await runCli(data.dir, ['import', '-'], bib);
    await runCli(data.dir, ['user', 'create', 'ada@example.org'], PASSWORD);
    const made = await runCli(data.dir, [
      'token',
      'create',
      '--user',
      'ada@example.org',
      '--scopes',
      'read,library',
    ]);
    expect(made.code).toBe(0);
    const token = made.out.trim();
    expect(token).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
    expect(made.err).toContain('(read, library): copy it now');

    const paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
    try {
      const app = createApp(paperscope);
      const call = (method: string, path: string, body?: unknown) =>
        app.request(path, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      expect((await call('PUT', '/api/library/4')).status).toBe(201);
      expect((await call('PUT', '/api/library/4')).status).toBe(200);
      expect(await (await call('POST', '/api/library/4/tags', { tag: 'kernels' })).json()).toEqual({
        tags: ['kernels'],
      });
      expect(await (await call('PUT', '/api/library/4/note', { note: 'by the CLI\r\n' })).json()).toEqual({
        note: 'by the CLI',
      });
      const listed = (await (await call('GET', '/api/library?tag=kernels')).json()) as {
        total: number;
        items: { paper: { id: number }; tags: string[]; note: string }[];
      };
      expect(listed.total).toBe(1);
      expect(listed.items[0]).toMatchObject({ paper: { id: 4 }, tags: ['kernels'], note: 'by the CLI' });
      expect(await (await call('GET', '/api/library/tags')).json()).toEqual({
        tags: [{ name: 'kernels', count: 1 }],
      });
      const ris = await (await call('GET', '/api/library/export?format=ris')).text();
      expect(ris.match(/^TY {2}- /gm)).toHaveLength(1);
      expect((await call('POST', '/api/library/4/tags', { tag: '' })).status).toBe(400);
      expect((await call('POST', '/api/library/4/tags', 'not an object')).status).toBe(400);
      expect((await call('PUT', '/api/library/999999')).status).toBe(404);
      // The browser extension knows the arXiv id or the DOI of the page it is on.
      const byArxiv = await call('POST', '/api/library', { paper: 'arXiv:2006.10540v2' });
      expect(byArxiv.status).toBe(201);
      const withArxiv = ((await byArxiv.json()) as { paper: { id: number; title: string } }).paper;
      expect(withArxiv.title).toBe('A Demo Paper on Kernels');
      expect((await call('POST', '/api/library', { paper: 'https://doi.org/10.1234/DEMO.5' })).status).toBe(
        200,
      );
      expect((await call('POST', '/api/library', { paper: withArxiv.id })).status).toBe(200);
      expect((await call('POST', '/api/library', { paper: '2999.99999' })).status).toBe(404);
      expect((await call('POST', '/api/library', { paper: [] })).status).toBe(400);
      expect((await call('DELETE', `/api/library/${withArxiv.id}`)).status).toBe(204);
      expect((await call('DELETE', '/api/library/4/tags/kernels')).status).toBe(200);
      expect((await call('DELETE', '/api/library/4')).status).toBe(204);
      expect((await call('GET', '/api/library/4')).status).toBe(404);

      const listing = await runCli(data.dir, ['token', 'list', '--user', 'ada@example.org']);
      expect(listing.out).toMatch(
        new RegExp(`^1\\t${token.slice(0, 10)}…\\tcli\\tread,library\\tlast used 20`),
      );
      expect(listing.out).not.toContain(token);
      expect((await runCli(data.dir, ['token', 'revoke', '--user', 'ada@example.org', '1'])).out).toBe(
        'Revoked token 1\n',
      );
      expect((await call('GET', '/api/whoami')).status).toBe(401);
      const others = await runCli(data.dir, ['token', 'revoke', '--user', 'ada@example.org', '7']);
      expect(others.err).toContain('You have no token 7');
    } finally {
      paperscope.close();
    }
  });

  it('refuses unknown scopes and the admin scope for a member', async () => {
    await runCli(data.dir, ['user', 'create', 'root@example.org'], PASSWORD);
    await runCli(data.dir, ['user', 'create', 'ada@example.org'], PASSWORD);
    const unknown = await runCli(data.dir, [
      'token',
      'create',
      '--user',
      'ada@example.org',
      '--scopes',
      'read,write',
    ]);
    expect(unknown.err).toContain('Unknown scope "write"');
    const admin = await runCli(data.dir, [
      'token',
      'create',
      '--user',
      'ada@example.org',
      '--scopes',
      'admin',
    ]);
    expect(admin.err).toContain('Only an admin can create a token with the admin scope');
    const nobody = await runCli(data.dir, [
      'token',
      'create',
      '--user',
      'eve@example.org',
      '--scopes',
      'read',
    ]);
    expect(nobody.err).toContain('No account for eve@example.org');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { signedIn, webFixture } from '../../test/web-helpers.ts';

/** The links of the header's main navigation on a page, as the visitor sees them. */
async function headerLinks(fx: Awaited<ReturnType<typeof webFixture>>, path: string, cookie?: string) {
  const res = await fx.app.request(path, cookie ? { headers: { cookie } } : {});
  const html = await res.text();
  const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
}

let fx: Awaited<ReturnType<typeof webFixture>> | undefined;
afterEach(() => fx?.close());

describe('the header for a signed-out visitor', () => {
  it('links to Register beside Sign in while open registration is on, on every page', async () => {
    fx = await webFixture([]);
    for (const path of ['/', '/search?q=kernel', '/signin', '/no-such-page']) {
      expect(await headerLinks(fx, path), path).toEqual([
        'Import /import',
        'Sign in /signin',
        'Register /register',
      ]);
    }
  });

  it('has no Register link when the configuration closes registration', async () => {
    fx = await webFixture([], { PAPERSCOPE_REGISTRATION: 'closed' });
    expect(await headerLinks(fx, '/')).toEqual(['Import /import', 'Sign in /signin']);
  });

  it('has no Register link once the admin closes registration, and has it again when they open it', async () => {
    fx = await webFixture([]);
    const admin = await signedIn(fx, 'admin@example.org');
    expect(admin.user.isAdmin).toBe(true);
    await fx.paperscope.accounts.setRegistrationOpen(admin.user, false);
    expect(await headerLinks(fx, '/')).toEqual(['Import /import', 'Sign in /signin']);
    await fx.paperscope.accounts.setRegistrationOpen(admin.user, true);
    expect(await headerLinks(fx, '/')).toContain('Register /register');
    // A signed-in person is not offered an account they already have.
    expect((await headerLinks(fx, '/', admin.cookie)).filter((l) => l.startsWith('Register'))).toEqual([]);
  });
});

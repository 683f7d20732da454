import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Paperscope } from '../../src/app/paperscope.ts';
import { loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { ImportService } from '../../src/services/import.service.ts';
import { defaultRegistry } from '../../src/sources/registry.ts';
import { tempDataDir } from '../cli-helpers.ts';
import { SEED_FILES, seedPath } from '../shared.ts';
import { launchChromium, PASSWORD, screenshot, seriousViolations } from './browser.ts';

/**
 * The account and library pages in Debian's Chromium: used from the keyboard, checked by axe,
 * on a phone-sized screen, and with hostile tags and notes that must run nothing.
 * `PAPERSCOPE_SCREENSHOTS=1` also writes docs/screenshots/{signin,account,library-tags}-*.png.
 */

let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let server: RunningServer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

async function widerThanScreen(p: Page): Promise<number> {
  // Runs in the page; this program is typed without the DOM, hence the plain shape.
  return p.evaluate(() => {
    const page = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return page.document.documentElement.scrollWidth - page.innerWidth;
  });
}

beforeAll(async () => {
  data = tempDataDir('paperscope-e2e-accounts-');
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  await new ImportService(paperscope.store, defaultRegistry).importFile(seedPath(SEED_FILES.adsAuthor));
  server = await startServer(paperscope, '127.0.0.1', 0);
  browser = await launchChromium();
  const context = await browser.newContext({ baseURL: server.url });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 860 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  paperscope?.close();
  data?.cleanup();
});

describe('account pages in Chromium', () => {
  it('registers the first account (the admin) and signs in again from the keyboard, back where it started', async () => {
    await page.goto('/register');
    expect(await page.locator('.notice').innerText()).toContain('the first one becomes its admin');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill('ada@example.org');
    await page.getByLabel('Name (shown to you, optional)').fill('Ada');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${server.url}/`);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'ps_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);
    expect(await page.locator('header.site nav').innerText()).toContain('Sign in');

    await page.goto('/library?tag=anything');
    await page.waitForURL(/\/signin\?next=/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'signin-desktop');
    await page.getByLabel('Email').focus();
    await page.keyboard.type('ada@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/library?tag=anything`);
    expect(await page.locator('h1').innerText()).toBe('Your library: anything');
  });

  it('creates an API token on the account page, shows it once, and the API takes it', async () => {
    await page.goto('/account');
    await page.getByLabel("New token's name").fill('browser extension');
    await page.getByLabel('library').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('#new-token').innerText()).trim();
    expect(token).toMatch(/^pst_/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'account-desktop');

    const res = await fetch(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ email: 'ada@example.org', scopes: ['read', 'library'] });

    await page.reload();
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Revoke token browser extension' }).click();
    await expect.poll(() => page.locator('table').first().innerText()).toContain('revoked');
    const after = await fetch(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });

  it('keeps hostile tags and notes as text in the library, and passes axe there', async () => {
    await page.goto('/paper/2');
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.goto('/library');
    const hostileTag = '<img src=x onerror="alert(1)">';
    const hostileNote = '<script>alert("note")</script> and <b>bold</b>';
    await page.getByLabel('Add a tag').fill(hostileTag);
    await page.getByRole('button', { name: 'Tag', exact: true }).click();
    await page.waitForLoadState('load');
    await page.getByLabel('Note').fill(hostileNote);
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.waitForLoadState('load');
    await page.goto('/library');
    expect(await page.locator('.note-text').innerText()).toBe(hostileNote);
    expect(await page.getByRole('list', { name: 'Your tags on this paper' }).innerText()).toContain(
      hostileTag,
    );
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    await page.getByRole('link', { name: hostileTag }).first().click();
    await page.waitForURL(/\/library\?tag=/);
    expect(await page.locator('h1').innerText()).toBe(`Your library: ${hostileTag}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'library-tags-desktop');
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone and passes axe on the account, library, recommendations and API pages', async () => {
    const tag = encodeURIComponent('<img src=x onerror="alert(1)">');
    for (const path of [
      '/account',
      '/library',
      `/library/recommendations?tag=${tag}`,
      '/api/docs',
      '/signin',
    ]) {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.goto(path);
      expect(await seriousViolations(page), path).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(path);
      expect(await widerThanScreen(page), `${path} is wider than a phone`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(dialogs).toEqual([]);
  });
});

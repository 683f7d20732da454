import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Paperscope } from '../../src/app/paperscope.ts';
import { loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { tempDataDir } from '../cli-helpers.ts';
import { SEED_FILES, seedPath } from '../shared.ts';
import { launchChromium, PASSWORD, screenshot, seriousViolations } from './browser.ts';

/**
 * The journey of issue 4 in Debian's Chromium against the real server on 127.0.0.1: register,
 * import a pasted page, follow an author, search, open, save, tag, find in the library, export;
 * a second person sees none of it; hostile text runs nothing; axe finds no serious problem.
 * One browser for the file. `PAPERSCOPE_SCREENSHOTS=1` also writes docs/screenshots/*.png.
 */

const HOSTILE_BIB = `@article{hostile2024,
  title = {Hostile abstracts considered harmless},
  author = {Mallory, Eve},
  year = {2024},
  abstract = {We test escaping. <script>window.pwned = 1; alert('script')</script> Then <img src=x onerror="window.pwned = 2; alert('img')"> and $x^2$ math.}
}`;

const DATING_BIB = `@article{xiao2020finite,
  title = {Finite Versus Infinite Neural Networks: an Empirical Study},
  author = {Lee, Jaehoon and Schoenholz, Samuel S. and Pennington, Jeffrey and Adlam, Ben and Xiao, Lechao and Novak, Roman and Sohl-Dickstein, Jascha},
  year = {2020}
}
@article{xiao2024rethinking,
  title = {Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling},
  author = {Xiao, Lechao},
  year = {2024}
}`;

let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let server: RunningServer;
let browser: Browser;
let alice: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

async function newPerson(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url, acceptDownloads: true });
  const p = await context.newPage();
  p.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page: p };
}

async function register(p: Page, email: string, name: string): Promise<void> {
  await p.goto('/register');
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Name (shown to you, optional)').fill(name);
  await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await p.getByRole('button', { name: 'Create account' }).click();
  await p.waitForLoadState('load');
  await expect.poll(() => p.locator('header.site nav').innerText()).toContain(name);
}

beforeAll(async () => {
  data = tempDataDir('paperscope-e2e-');
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  server = await startServer(paperscope, '127.0.0.1', 0);
  browser = await launchChromium();
  ({ context: alice, page } = await newPerson());
  await page.setViewportSize({ width: 1280, height: 860 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await paperscope?.views.flush();
  paperscope?.close();
  data?.cleanup();
});

describe('a new user in Chromium', () => {
  it('registers and imports seed page 001 by pasting it, and sees its ten papers', async () => {
    await register(page, 'alice@example.org', 'Alice');
    await page.locator('header.site nav').getByRole('link', { name: 'Import' }).click();
    await screenshot(page, 'import-desktop');
    await page
      .getByLabel(/Text copied from an arXiv listing/)
      .fill(readFileSync(seedPath(SEED_FILES.adsAuthor), 'utf8'));
    await page.getByRole('button', { name: 'Import the text' }).click();
    await page.waitForURL(/\/import\/jobs\//);
    // The page follows the job (app.js polls the API) until the summary is in.
    const summary = page.locator('[data-import-done]');
    await summary.waitFor({ timeout: 30_000 });
    await expect.poll(() => summary.getByRole('status').innerText()).toContain('10 new');
    expect(await summary.locator('ol.papers > li').count()).toBe(10);
    await screenshot(page, 'import-summary-desktop');
  });

  it('uploads a BibTeX file that dates two of the papers, opens the author page and sees the chart', async () => {
    // The ADS page gives no years (ADS itself shows "Not enough data to create a plot"); a
    // BibTeX file (hand-made, with the papers' arXiv years) merges into two of them.
    await page.goto('/import');
    await page.getByLabel('A file in any supported format').setInputFiles({
      name: 'xiao.bib',
      mimeType: 'application/x-bibtex',
      buffer: Buffer.from(DATING_BIB),
    });
    await page.getByRole('button', { name: 'Import the file' }).click();
    const summary = page.locator('[data-import-done]');
    await summary.waitFor({ timeout: 30_000 });
    await expect.poll(() => summary.getByRole('status').innerText()).toContain('2 merged');
    await summary.locator('ol.papers a', { hasText: 'Lechao Xiao' }).first().click();
    await page.waitForURL(/\/author\/\d+/);
    await expect.poll(() => page.locator('h1').innerText()).toContain('Lechao Xiao');
    const chart = page.locator('svg[role="img"]').first();
    await chart.waitFor();
    expect(await chart.locator('rect').count()).toBe(2);
    expect(await chart.getAttribute('aria-label')).toMatch(/2020.*2024/);
    await screenshot(page, 'author-desktop');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('searches author:"Xiao, Lechao" from the header, opens a paper, saves and tags it', async () => {
    await page.getByLabel('Search papers').fill('author:"Xiao, Lechao"');
    await page.getByLabel('Search papers').press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('of 10 papers');
    await screenshot(page, 'search-desktop');
    expect(await seriousViolations(page)).toEqual([]);

    const first = page.locator('ol.papers a.title').first();
    const title = (await first.textContent())!.trim();
    await first.click();
    await page.waitForURL(/\/paper\//);
    await expect.poll(() => page.locator('h1').innerText()).toContain(title);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.locator('.library-controls').innerText()).toContain('In your library');
    await page.getByLabel('Add a tag').fill('scaling-laws');
    await page.getByRole('button', { name: 'Tag', exact: true }).click();
    await page.waitForLoadState('load');
    await expect
      .poll(() => page.getByRole('list', { name: 'Your tags on this paper' }).innerText())
      .toContain('scaling-laws');
    await screenshot(page, 'paper-desktop');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('header.site nav').getByRole('link', { name: 'Library' }).click();
    await page.waitForURL(/\/library/);
    await expect.poll(() => page.locator('ol.papers').innerText()).toContain(title);
    await page.getByRole('link', { name: 'scaling-laws' }).first().click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('scaling-laws');
    await expect.poll(() => page.locator('ol.papers').innerText()).toContain(title);
    await screenshot(page, 'library-desktop');
    expect(await seriousViolations(page)).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'BibTeX' }).first().click();
    const file = await (await download).path();
    const bibtex = readFileSync(file, 'utf8');
    expect(bibtex).toMatch(/^@\w+\{/m);
    expect(bibtex).toContain(title.split(':')[0]!);
  });

  it('keeps the library private: another person sees an empty one, by tag and in the export', async () => {
    const bob = await newPerson();
    try {
      await register(bob.page, 'bob@example.org', 'Bob');
      await bob.page.goto('/library');
      await expect.poll(() => bob.page.locator('main').innerText()).toContain('Nothing saved yet');
      await bob.page.goto('/library?tag=scaling-laws');
      expect(await bob.page.locator('ol.papers > li').count()).toBe(0);
      const res = await bob.page.request.get('/library/export?format=bibtex');
      expect(res.status()).toBe(200);
      expect((await res.text()).trim()).toBe('');
    } finally {
      await bob.context.close();
    }
  });

  it('shows an abstract with <script> and <img onerror> as text, and runs nothing', async () => {
    await page.goto('/import');
    await page.getByLabel(/Text copied from an arXiv listing/).fill(HOSTILE_BIB);
    await page.getByRole('button', { name: 'Import the text' }).click();
    await page.locator('[data-import-done]').waitFor({ timeout: 30_000 });
    await page.locator('[data-import-done] a.title', { hasText: 'Hostile abstracts' }).click();
    await page.waitForURL(/\/paper\//);
    const abstract = page.locator('.abstract');
    await expect
      .poll(() => abstract.innerText())
      .toContain("<script>window.pwned = 1; alert('script')</script>");
    await expect.poll(() => abstract.innerText()).toContain('<img src=x onerror=');
    expect(await page.locator('.abstract .katex').count()).toBe(1);
    expect(await page.locator('main img, main script').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('has no serious accessibility problem on the home and import pages, and fits a phone', async () => {
    await page.goto('/');
    await screenshot(page, 'home-desktop');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/import');
    expect(await seriousViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, path] of [
      ['home', '/'],
      ['search', `/search?q=${encodeURIComponent('author:"Xiao, Lechao"')}`],
      ['paper', '/paper/1'],
      ['import', '/import'],
      ['author', '/author/1'],
      ['library', '/library'],
    ] as const) {
      await page.goto(path);
      // Nothing wider than the screen: a phone reader never scrolls sideways.
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      expect(overflow, `${path} is wider than a phone`).toBeLessThanOrEqual(0);
      await screenshot(page, `${name}-phone`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('works from the keyboard: "/" focuses the search box, Tab reaches the skip link first', async () => {
    await page.goto('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Escape');
    await page.locator('h1').click();
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('site-q');
  });
});

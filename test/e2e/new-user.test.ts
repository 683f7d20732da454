import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Paperscope } from '../../src/app/paperscope.ts';
import { loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { tempDataDir } from '../cli-helpers.ts';
import { SEED_FILES, seedPath } from '../shared.ts';
import { launchChromium, PASSWORD } from './browser.ts';

/**
 * Issue 4's "done when", in Debian's Chromium: a new user opens an empty instance, registers,
 * pastes the four seed pages one after the other and finds their way around, on a desktop and
 * on a phone, with nothing logged to the console on the way.
 */

const NTK_BIB = `@article{jacot2018ntk,
  title = {Neural Tangent Kernel: Convergence and Generalization in Neural Networks},
  author = {Jacot, Arthur and Gabriel, Franck and Hongler, Clement},
  year = {2018},
  abstract = {The Neural Tangent Kernel (NTK) describes the training of infinite width neural networks by gradient descent in function space; we study the NTK, its Jacobian, and the infinite width limit of neural networks.}
}`;

let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  data = tempDataDir('paperscope-e2e-new-');
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  server = await startServer(paperscope, '127.0.0.1', 0);
  browser = await launchChromium();
  const context = await browser.newContext({ baseURL: server.url });
  page = await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  await page.setViewportSize({ width: 1280, height: 800 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await paperscope?.views.flush();
  paperscope?.close();
  data?.cleanup();
});

async function pasteSeed(seed: string): Promise<string> {
  await page.goto('/import');
  await page.getByLabel(/Text copied from an arXiv listing/).fill(readFileSync(seedPath(seed), 'utf8'));
  await page.getByRole('button', { name: 'Import the text' }).click();
  const summary = page.locator('[data-import-done]');
  await summary.waitFor({ timeout: 60_000 });
  return summary.getByRole('status').innerText();
}

describe('a new user on an empty instance', () => {
  it('is told the knowledge base is empty, registers, pastes a seed page and the home page counts it at once', async () => {
    await page.goto('/');
    await expect.poll(() => page.locator('main').innerText()).toContain('The knowledge base is empty.');
    await page.locator('header.site').getByRole('link', { name: 'Sign in' }).click();
    await page
      .getByRole('link', { name: /create an account|register/i })
      .first()
      .click();
    await page.waitForURL(/\/register/);
    await expect.poll(() => page.locator('main').innerText()).toContain('the first one becomes its admin');
    await page.getByLabel('Email').fill('rita@example.org');
    await page.getByLabel('Name (shown to you, optional)').fill('Rita');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('header.site nav').innerText()).toContain('Rita');

    // The arXiv listing gives abstracts only: the papers are told apart by how they begin.
    expect(await pasteSeed(SEED_FILES.arxivListing)).toContain('10 new');
    const titles = await page.locator('[data-import-done] ol.papers a.title').allInnerTexts();
    expect(titles).toHaveLength(10);
    expect(new Set(titles).size).toBe(10);
    for (const t of titles) expect(t).toMatch(/^\(untitled\) “\S.+”$/);

    // Seconds after the visit to the empty home page, it counts what arrived.
    await page.locator('header.site a.brand').click();
    await expect.poll(() => page.locator('main').innerText()).toContain('10 papers');
    expect(await page.locator('main').innerText()).not.toContain('empty');
  });

  it('pastes the other three seed pages: what is new and what merged, by the names of the pages', async () => {
    expect(await pasteSeed(SEED_FILES.adsAuthor)).toMatch(
      /^10 records read as NASA ADS author page \(pasted text\): 7 new, 3 merged/,
    );
    expect(await pasteSeed(SEED_FILES.hfPapers)).toMatch(
      /^256 records read as Hugging Face Papers list \(pasted text\): /,
    );
    expect(await pasteSeed(SEED_FILES.catalyzex)).toMatch(
      /^9 records read as CatalyzeX author page \(pasted text\): /,
    );
  });

  it('is shown a misspelt search corrected in words, and follows it to a paper and its author', async () => {
    await page.getByLabel('Search papers').fill('infinte widht');
    await page.getByLabel('Search papers').press('Enter');
    await page.waitForURL(/\/search\?q=/);
    const notice = page.locator('main').getByText('Nothing matched as typed');
    await expect.poll(() => notice.innerText()).toContain('showing results for infinite width.');
    await page.locator('ol.papers a.title').first().click();
    await page.waitForURL(/\/paper\//);
    await expect
      .poll(() => page.locator('main').innerText())
      .toMatch(/via (an ADS author page|CatalyzeX|Hugging Face|an arXiv listing) \(pasted\)/);
    expect(await page.locator('main').innerText()).not.toMatch(/via page-/);
    await page.locator('p.authors a', { hasText: 'Lechao Xiao' }).first().click();
    await page.waitForURL(/\/author\/\d+/);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Lechao Xiao');
  });

  it('saves an untitled paper; the digest preview quotes it by its opening words and fits the screen', async () => {
    await page.goto('/search?q=ntk+jacobian');
    await page
      .locator('ol.papers a.title', { hasText: '(untitled) “The Neural Tangent Kernel (NTK)' })
      .click();
    await page.waitForURL(/\/paper\//);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Untitled paper');
    await page.getByRole('button', { name: 'Save to library' }).click();
    await expect.poll(() => page.locator('.library-controls').innerText()).toContain('In your library');
    // Digests start from the papers here when the settings are first read; a paper that arrives
    // after that, and is like the saved one, is what a digest recommends from it.
    await page.goto('/account/follows');
    await page.goto('/import');
    await page.getByLabel(/Text copied from an arXiv listing/).fill(NTK_BIB);
    await page.getByRole('button', { name: 'Import the text' }).click();
    await page.locator('[data-import-done]').waitFor({ timeout: 60_000 });
    await paperscope.similarity.rebuild();
    await page.goto('/admin/digests/1');
    const main = await page.locator('main').innerText();
    expect(main).toContain('Why: similar to “The Neural Tangent Kernel (NTK), defined as');
    expect(main).not.toMatch(/“paper \d+”/);
    // The plain-text part wraps its long lines.
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('fits a phone on every main page, and logs nothing to the console', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [
      '/',
      '/search?q=scaling',
      '/paper/1',
      '/author/1',
      '/import',
      '/library',
      '/account',
      '/account/follows',
      '/api/docs',
      '/admin/digests/1',
    ]) {
      await page.goto(path);
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      expect(overflow, `${path} is wider than a phone`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(consoleErrors).toEqual([]);
  });
});

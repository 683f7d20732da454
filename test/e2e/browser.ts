import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * What the end-to-end suites share: Debian's Chromium started the way MACHINE-NOTES says,
 * axe-core run in the page, and screenshots for the README when `PAPERSCOPE_SCREENSHOTS=1`.
 */

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = process.env['PAPERSCOPE_SCREENSHOTS'] === '1';
const SCREENSHOT_DIR = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'correct horse battery staple';

/** Debian's Chromium, or an error that says how to install it. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The end-to-end tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** axe-core, run in the page through the DevTools protocol (the page's CSP forbids injected script). */
export async function seriousViolations(p: Page): Promise<string[]> {
  await p.evaluate(AXE_SOURCE);
  // Page code as text: the tests are compiled without the DOM's types.
  const violations = (await p.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
    }));
  })()`)) as { id: string; impact: string; targets: string[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
}

export async function screenshot(p: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await p.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

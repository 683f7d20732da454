import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The shared data folder (real fixtures and seed pages) that sits beside the checkout. */
export const SHARED_DIR = process.env['PAPERSCOPE_SHARED'] ?? resolve(repoRoot, '..', 'shared');
export const FIXTURES = resolve(SHARED_DIR, 'fixtures');
export const SEEDS = resolve(SHARED_DIR, 'seeds');

export function fixturePath(...parts: string[]): string {
  return resolve(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function seedPath(name: string): string {
  return resolve(SEEDS, name);
}

export const SEED_FILES = {
  arxivListing: '000_ef59dd2df1a6f593.txt',
  adsAuthor: '001_c9ab1a94c0d59fda.txt',
  hfPapers: '002_d150fd96a141fcd3.txt',
  catalyzex: '003_09d892de45dea8b3.txt',
} as const;

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../src/domain/paper.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { SEED_FILES, seedPath } from './shared.ts';

/**
 * The four seed pages are real pages copied as text. Read together they hold 285 paper
 * entries of 278 distinct papers: four papers stand on more than one page.
 */
const seeds = Object.values(SEED_FILES).map(seedPath);
let data: ReturnType<typeof tempDataDir>;
let papers: Paper[];

beforeAll(async () => {
  data = tempDataDir();
  const run = await runCli(data.dir, ['import', ...seeds]);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  papers = JSON.parse((await runCli(data.dir, ['list', '--json'])).out) as Paper[];
});
afterAll(() => data.cleanup());

describe('importing the four seed pages', () => {
  it('gives one record for each of the 278 distinct papers', async () => {
    const stats = JSON.parse((await runCli(data.dir, ['stats', '--json'])).out);
    expect(stats.papers).toBe(278);
    expect(papers).toHaveLength(278);
    expect(stats.sourceRecords).toBe(285);
  });

  it('merges the four papers that stand on several pages, with every page as a source', () => {
    const multi = papers.filter((p) => new Set(p.sources.map((s) => s.source)).size > 1);
    expect(multi).toHaveLength(4);
    const rest = multi.find((p) => p.title?.startsWith('Beyond Human Data'));
    expect(rest?.sources.map((s) => s.source).sort()).toEqual([
      'page-ads-author',
      'page-arxiv-listing',
      'page-catalyzex',
    ]);
    // The ADS page gave the title and authors; the listing gave only an abstract.
    expect(rest?.via.title).toBe('page-ads-author');
    expect(rest?.authors[0]?.name.display).toBe('Avi Singh');
  });

  it('keeps the two different papers called "RegMix: …" apart', () => {
    const regmix = papers.filter((p) => p.title?.startsWith('RegMix:'));
    expect(regmix.map((p) => p.title).sort()).toEqual([
      'RegMix: Data Mixing Augmentation for Regression',
      'RegMix: Data Mixture as Regression for Language Model Pre-training',
    ]);
  });

  it('keeps records without a title or authors as partial papers', () => {
    // Untitled: 7 of the listing's 10 abstracts and 5 of CatalyzeX's 9 papers stand on no page with a title.
    expect(papers.filter((p) => !p.title)).toHaveLength(12);
    // Without authors: those 7 listing abstracts and the Hugging Face page's 256 papers.
    expect(papers.filter((p) => p.authors.length === 0)).toHaveLength(7 + 256);
  });

  it('finds Lechao Xiao under every spelling, with his 12 papers', async () => {
    for (const name of ['Lechao Xiao', 'Xiao, Lechao', 'lechao xiao']) {
      const run = await runCli(data.dir, ['author', name, '--json']);
      expect(run.code).toBe(0);
      const author = JSON.parse(run.out);
      expect(author.paperCount).toBe(12);
      expect(author.papers).toHaveLength(12);
      expect(author.names.map((n: { display: string }) => n.display)).toEqual(['Lechao Xiao']);
    }
  });

  it('joins the name variants the pages use for one person', async () => {
    const coReyes = JSON.parse((await runCli(data.dir, ['author', 'John D. Co-Reyes', '--json'])).out);
    // The ADS page writes `Co-Reyes, John D.`; CatalyzeX writes `John D. Co-Reyes` and, on one paper, `JD Co-Reyes`.
    expect(coReyes.names.map((n: { display: string }) => n.display).sort()).toEqual([
      'JD Co-Reyes',
      'John D. Co-Reyes',
    ]);
    expect(coReyes.paperCount).toBe(3);
    const bileschi = JSON.parse((await runCli(data.dir, ['author', 'Bileschi, Maxwell L.', '--json'])).out);
    expect(bileschi.names.map((n: { display: string }) => n.display).sort()).toEqual([
      'Maxwell L Bileschi',
      'Maxwell L. Bileschi',
    ]);
  });

  it('changes nothing when the same pages are imported again', async () => {
    const before = (await runCli(data.dir, ['stats', '--json'])).out;
    const again = await runCli(data.dir, ['import', '--json', ...seeds]);
    const summaries = JSON.parse(again.out);
    expect(summaries.map((s: { unchanged: number }) => s.unchanged)).toEqual([10, 10, 256, 9]);
    expect(summaries.every((s: { new: number; merged: number }) => s.new === 0 && s.merged === 0)).toBe(true);
    expect((await runCli(data.dir, ['stats', '--json'])).out).toBe(before);
  });

  it('extracts code links from the abstracts of the Hugging Face page', () => {
    const links = papers.flatMap((p) => p.codeLinks);
    expect(links.length).toBeGreaterThan(30);
    expect(links.map((l) => l.url)).toContain('https://github.com/sail-sg/regmix');
  });

  it('finds papers similar to one, with the terms they share', async () => {
    const finite = papers.find(
      (p) => p.title === 'Finite Versus Infinite Neural Networks: an Empirical Study',
    )!;
    const run = await runCli(data.dir, ['similar', String(finite.id), '--k', '5', '--json']);
    expect(run.code).toBe(0);
    const { neighbours } = JSON.parse(run.out) as {
      neighbours: { paperId: number; reason: string; paper: Paper }[];
    };
    expect(neighbours).toHaveLength(5);
    expect(neighbours.map((n) => n.paperId)).not.toContain(finite.id);
    expect(neighbours.map((n) => n.paper.title)).toContain(
      "Exploring the Uncertainty Properties of Neural Networks' Implicit Priors in the Infinite-Width Limit",
    );
    for (const n of neighbours) expect(n.reason).toMatch(/^shares: /);
  });
});

import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { fixturePath } from './shared.ts';

/**
 * Every captured fixture folder imports through the real CLI with the counts an independent
 * count of the files gives (distinct arXiv ids / S2 paper ids, counted with grep and Python).
 */
let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

function files(folder: string, pattern: RegExp): string[] {
  return readdirSync(fixturePath(folder))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => fixturePath(folder, f));
}

async function importAndCount(paths: string[]) {
  const run = await runCli(data.dir, ['import', '--json', ...paths]);
  const summaries = JSON.parse(run.out) as {
    read: number;
    skipped: number;
    problems: { message: string }[];
  }[];
  const stats = JSON.parse((await runCli(data.dir, ['stats', '--json'])).out);
  return { run, summaries, stats };
}

describe('importing the captured fixtures', () => {
  it('arXiv API: 105 distinct papers over 20 recorded calls; the bad id is a skipped record', async () => {
    const { run, summaries, stats } = await importAndCount(files('arxiv-api', /\.json$/));
    expect(stats.papers).toBe(105);
    expect(summaries.reduce((n, s) => n + s.skipped, 0)).toBe(1);
    expect(run.out).toContain('incorrect id format for abc');
    expect(run.code).toBe(1);
  });

  it('arXiv OAI-PMH: 2,265 harvested records plus the GetRecord one; ListIdentifiers has none', async () => {
    const { run, stats } = await importAndCount(files('arxiv-oai', /\.xml$/));
    expect(run.code).toBe(0);
    expect(stats.papers).toBe(2266);
    expect(stats.bySource).toEqual({ 'arxiv-oai': 2266 });
  });

  it('arXiv bulk snapshot: 509 + 49 papers, streamed', async () => {
    const { run, stats } = await importAndCount(files('arxiv-bulk', /\.jsonl$/));
    expect(run.code).toBe(0);
    expect(stats.papers).toBe(558);
  });

  it('Semantic Scholar: an author with 60 papers, a citation, a reference and a paper', async () => {
    const { run, stats } = await importAndCount(files('semantic-scholar', /\.json$/));
    expect(run.code).toBe(0);
    expect(stats.papers).toBe(62);
    // Paper.json answers again for a paper Author.json listed: fuller fields win, nothing is lost.
    const turing = JSON.parse((await runCli(data.dir, ['show', '10.1093/mind/lix.236.433', '--json'])).out);
    expect(turing.title).toBe('Computing Machinery and Intelligence');
    expect(turing.abstract).toMatch(/^I propose to consider the question/);
  });

  it('OpenAlex: two works and two people', async () => {
    const { run, stats } = await importAndCount(files('openalex', /\.json$/));
    expect(run.code).toBe(0);
    expect(stats.papers).toBe(2);
    expect(stats.bySource).toEqual({ openalex: 4 });
  });
});

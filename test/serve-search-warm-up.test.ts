import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { SEED_FILES, seedPath } from './shared.ts';

/**
 * `paperscope serve` reads its search index at start and then warms it up in the background
 * (the commonest words decoded ahead): it says so once done, answers searches as before, and
 * stops cleanly.
 */
let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

it('warms the search index up after the start and keeps answering', async () => {
  expect((await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)])).code).toBe(0);
  const expected = await runCli(data.dir, ['search', 'kernel', '--json', '--limit', '50']);
  const child = spawn(process.execPath, [resolve('bin/paperscope.mjs'), '--data', data.dir, 'serve'], {
    env: { ...process.env, PORT: '0', PAPERSCOPE_SYNC: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const warmed = new Promise<void>((done) => {
    const read = (d: Buffer) => {
      log += d.toString();
      if (
        /search warmed up in [\d.]+ s \(\d+ words decoded, \d+ answers, \d+ phrase sets, \d+ skip tables kept\)/.test(
          log,
        )
      )
        done();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  try {
    await warmed;
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)![1]!;
    const res = await fetch(`${url}/api/search?q=kernel&limit=50`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; hits: { paper: { id: number } }[] };
    const cli = JSON.parse(expected.out) as { total: number; hits: { paper: { id: number } }[] };
    expect(body.total).toBeGreaterThan(0);
    expect(body.total).toBe(cli.total);
    expect(body.hits.map((h) => h.paper.id)).toEqual(cli.hits.map((h) => h.paper.id));
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(log).not.toContain('search warm-up:');
}, 60_000);

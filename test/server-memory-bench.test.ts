import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { fixturePath } from './shared.ts';

/**
 * bench:server-memory drives the real `paperscope serve` end to end: on the 2,265 real OAI
 * records (small enough that the first paper page builds the similarity index), every phase
 * answers without a failure, the paper pages show similar papers, the signed-in home pages of
 * the accounts it registers through the form show "For you", the per-thread probe reports
 * (the server's own V8 figures, not only its RSS), and the server is stopped at the end.
 */
let data: ReturnType<typeof tempDataDir>;
beforeAll(async () => {
  data = tempDataDir();
  const files = [0, 1, 2].map((i) => fixturePath('arxiv-oai', `ListRecords_data_${i}.xml`));
  expect((await runCli(data.dir, ['import', ...files])).code).toBe(0);
}, 120_000);
afterAll(() => data.cleanup());

function runBench(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('bench/server-memory.bench.ts'), '--data', data.dir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((done) => child.on('exit', (code) => done({ code, out })));
}

it('serves every phase, shows similar papers and recommendations, and reports the server’s memory', async () => {
  const { code, out } = await runBench([
    '--sample',
    '20',
    '--requests',
    '10',
    '--mixed-requests',
    '20',
    '--users',
    '1',
    '--likes',
    '3',
    '--no-doc',
  ]);
  expect(code, out).toBe(0);
  for (const phase of ['home', 'search', 'author', 'similar', 'paper', 'recommend']) {
    expect(out).toMatch(
      new RegExp(`^${phase}: 10 requests ×2 in [\\d.]+ s, p50 [\\d.]+ ms, p95 [\\d.]+ ms`, 'm'),
    );
  }
  expect(out).toMatch(/^mixed: 20 requests ×4 /m);
  expect(out).not.toMatch(/\d+ failed/);
  // No similarity index was saved: the first paper page built it, then every page showed them.
  expect(out).toContain('no similarity index was saved: the first paper page built it');
  expect(out).toMatch(/^similar: .*similar papers on 10\/10 paper pages/m);
  expect(out).toMatch(/^recommend: .*"For you" filled on 5\/5 home pages/m);

  const peak = Number(/^peak \(VmHWM\) ([\d,]+) MiB/m.exec(out)?.[1]?.replace(/,/g, ''));
  expect(peak).toBeGreaterThan(50);
  expect(out).toContain(`met at 2,265 papers (peak ${peak.toLocaleString('en')} MiB)`);
  // The probe ran inside the server: its main thread's heap is there, and the split adds up to its RSS.
  const heap = Number(/^ {2}main thread: V8 heap ([\d,]+)/m.exec(out)?.[1]?.replace(/,/g, ''));
  expect(heap).toBeGreaterThan(5);
  expect(out).toMatch(/the rest \(native: SQLite page caches of \d+ connections/);

  // The server is gone.
  const pid = Number(/^server pid (\d+)/m.exec(out)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(() => process.kill(pid, 0)).toThrow();
}, 300_000);

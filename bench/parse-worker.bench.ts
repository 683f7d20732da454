import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * The reading side of a bulk import alone, on its real threads: `parseLinesInWorker` over the
 * first `--records` lines of a snapshot file, every batch taken and dropped (nothing written).
 *
 *   node --import tsx bench/parse-worker.bench.ts [--file synth-100000-seed1.jsonl]
 *     [--records 20000] [--rounds 3] [--against /tmp/old-checkout]
 *
 * Per record: CPU µs of the main thread (what receiving a batch costs the thread that writes)
 * and of the rest of the process (the worker thread reading, parsing, deriving and posting,
 * with GC helper threads), from Linux's per-thread counters in /proc (10 ms ticks: use runs of
 * several seconds); and the wall-clock rate the reading side alone reaches. `--against DIR`
 * runs another checkout's `src/` (e.g. `git archive HEAD src | tar -x -C DIR`, with
 * `node_modules` linked) alternately in the same process; best of `--rounds` each.
 */

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '/tmp/paperscope-bench/synth-100000-seed1.jsonl' },
    records: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    against: { type: 'string' },
  },
});

const TICK = 100; // clock ticks a second (USER_HZ) on Linux

function threadCpuSeconds(tid: number | string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const work = mkdtempSync(join(tmpdir(), 'paperscope-parse-worker-'));
const file = join(work, 'lines.jsonl');
const lines: string[] = [];
for await (const line of createInterface({ input: createReadStream(values.file!, 'utf8') })) {
  lines.push(line);
  if (lines.length >= Number(values.records)) break;
}
writeFileSync(file, `${lines.join('\n')}\n`);

type Parse = (input: object) => AsyncGenerator<{ records: unknown[] }>;
const sides: { label: string; parse: Parse }[] = [];
for (const root of [resolve(import.meta.dirname, '..'), ...(values.against ? [values.against] : [])]) {
  const mod = await import(pathToFileURL(join(root, 'src/services/parse-lines-in-worker.ts')).href);
  sides.push({
    label: root === resolve(import.meta.dirname, '..') ? 'this checkout' : root,
    parse: mod.parseLinesInWorker,
  });
}

interface Figures {
  wall: number;
  main: number;
  rest: number;
}
const best: Figures[] = sides.map(() => ({ wall: Infinity, main: Infinity, rest: Infinity }));
const ctx = { origin: file, fetchedAt: '2026-01-01T00:00:00Z' };
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [k, side] of sides.entries()) {
    const main0 = threadCpuSeconds(process.pid);
    const all0 = processCpuSeconds();
    const start = performance.now();
    let n = 0;
    for await (const batch of side.parse({ path: file, format: 'arxiv-bulk', ctx, batchSize: 2000 })) {
      n += batch.records.length;
    }
    const wall = (performance.now() - start) / 1e3;
    const main = threadCpuSeconds(process.pid) - main0;
    const rest = processCpuSeconds() - all0 - main;
    if (n !== lines.length) throw new Error(`${side.label}: ${n} records of ${lines.length}`);
    const b = best[k]!;
    b.wall = Math.min(b.wall, wall);
    b.main = Math.min(b.main, main);
    b.rest = Math.min(b.rest, rest);
  }
}
rmSync(work, { recursive: true, force: true });

const us = (s: number) => ((s * 1e6) / lines.length).toFixed(1);
console.log(
  `${lines.length} records of ${values.file}; best of ${values.rounds} rounds; threads in this process: ${readdirSync('/proc/self/task').length}`,
);
console.log(
  '| code | main thread CPU µs a record | worker (rest of process) CPU µs a record | wall s | records/s |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [k, side] of sides.entries()) {
  const b = best[k]!;
  console.log(
    `| ${side.label} | ${us(b.main)} | ${us(b.rest)} | ${b.wall.toFixed(2)} | ${Math.round(lines.length / b.wall)} |`,
  );
}

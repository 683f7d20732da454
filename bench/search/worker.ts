import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HOT } from '../../src/search/index/evaluate.ts';
import { readPapers } from './corpus.ts';
import { type EngineName, makeEngine } from './engines.ts';
import type { BenchQuery } from './mix.ts';

/**
 * One engine at one size, in a process of its own (so its memory is its own): build from the
 * file, run the warm-up a server runs once its index is loaded (Paperscope's; timed apart),
 * then answer the mix once cold (first time each query is seen) and `rounds` times warm.
 * Prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/search/worker.ts --engine paperscope --file F --size N --mix M.json
 */
const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    file: { type: 'string' },
    size: { type: 'string' },
    mix: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    /** Skip the warm-up a server runs after loading (to measure what it saves). */
    'no-warm-up': { type: 'boolean', default: false },
    /** Paperscope: keep the positions in memory as built instead of reading them from the saved file. */
    'positions-held': { type: 'boolean', default: false },
    /** Paperscope: the kept-leaf cache's cap and the warm-up's budget in MiB (256 and 128 by default). */
    'kept-mib': { type: 'string' },
    'warm-up-mib': { type: 'string' },
  },
});
if (values['kept-mib']) HOT.bytes = Number(values['kept-mib']) * 2 ** 20;
const engine = makeEngine(values.engine as EngineName, {
  positions: values['positions-held'] ? 'held' : 'filed',
  ...(values['warm-up-mib'] ? { warmUpBytes: Number(values['warm-up-mib']) * 2 ** 20 } : {}),
});
const mix = JSON.parse(readFileSync(values.mix!, 'utf8')) as BenchQuery[];
const size = Number(values.size);

const started = performance.now();
let batch = [];
for await (const p of readPapers(values.file!, size)) {
  batch.push(p);
  if (batch.length === 1000) {
    await engine.add(batch);
    batch = [];
  }
}
if (batch.length) await engine.add(batch);
await engine.finish();
const buildSeconds = (performance.now() - started) / 1000;
const buildPeakMiB = process.resourceUsage().maxRSS / 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const MiB = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
/** The process's memory (MiB) and, for Paperscope, the index's by structure (MiB), at a stage. */
const memory: Record<string, Record<string, number>> = {};
const measure = (stage: string) => {
  gc();
  const m = process.memoryUsage();
  const byStructure = Object.fromEntries(
    Object.entries(engine.memory?.() ?? {}).map(([k, v]) => [k, k === 'vocabulary' ? v : MiB(v)]),
  );
  memory[stage] = {
    rss: MiB(m.rss),
    heapUsed: MiB(m.heapUsed),
    arrayBuffers: MiB(m.arrayBuffers),
    external: MiB(m.external),
    ...byStructure,
  };
};
measure('built');
const serveStarted = performance.now();
engine.serve?.();
const serveSeconds = (performance.now() - serveStarted) / 1000;
measure('serving');
// A server warms its index up in the background once loaded (`StoreSearch.warmUp`); "cold" is
// then the first time a query is asked after that, and the warm-up's own time is reported.
let warmUp: { seconds: number; report: Record<string, unknown> } | undefined;
if (engine.warmUp && !values['no-warm-up']) {
  const t = performance.now();
  const report = await engine.warmUp();
  warmUp = { seconds: (performance.now() - t) / 1000, report };
}
measure('warmed');

/** Wall time, and the process's CPU time (what a query costs when the shared machine is busy). */
const latencies: {
  kind: string;
  query: string;
  coldMs: number;
  coldCpuMs: number;
  ms: number[];
  cpuMs: number[];
  hits: number;
}[] = mix.map((q) => ({
  kind: q.kind,
  query: q.query,
  coldMs: 0,
  coldCpuMs: 0,
  ms: [],
  cpuMs: [],
  hits: 0,
}));
const rounds = Number(values.rounds);
for (let round = 0; round <= rounds; round++) {
  for (let i = 0; i < mix.length; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const ids = await engine.query(mix[i]!);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (round > 0) {
      latencies[i]!.ms.push(ms);
      latencies[i]!.cpuMs.push(cpuMs);
    } else {
      latencies[i]!.coldMs = ms;
      latencies[i]!.coldCpuMs = cpuMs;
    }
    latencies[i]!.hits = ids.length;
  }
}
const servingMiB = process.memoryUsage().rss / 2 ** 20;
measure('queried');
engine.close?.();
process.stdout.write(
  `${JSON.stringify({ engine: values.engine, size, buildSeconds, buildPeakMiB, servingMiB, serveSeconds, memory, warmUp, latencies })}\n`,
);
process.exit(0);

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { IndexedSearch, loadSnapshot, SearchIndex } from '../../src/search/index/index.ts';
import type { BenchQuery } from './mix.ts';

/**
 * A quick look at one saved index (a store's `search-index.bin`) answering the text kinds of
 * a benchmark mix: cold and warm ms per query, for profiling between full benchmark runs.
 *
 * `--held` reads the postings and positions into memory instead of leaving them in the file
 * (as the server did before session 6), to run side by side with a probe that does not.
 *
 *   node --import tsx bench/search/probe.ts --snapshot F --mix M.json [--rounds 3] [--held]
 */
const { values } = parseArgs({
  options: {
    snapshot: { type: 'string' },
    mix: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    held: { type: 'boolean', default: false },
  },
});
const t0 = performance.now();
const snap = loadSnapshot(values.snapshot!, { inMemory: values.held });
if (!snap) throw new Error('no snapshot');
const index = new SearchIndex(snap.state);
console.log(`loaded ${index.docs.live} papers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const none = { authorIds: () => [], papersOfAuthors: () => [], papersWithKey: () => [] };
const names = {
  hit: () => {
    throw new Error('ranks only');
  },
  authorNames: () => new Map(),
};
const engine = new IndexedSearch(index, none, names);
const mix = (JSON.parse(readFileSync(values.mix!, 'utf8')) as BenchQuery[]).filter(
  (q) => q.kind !== 'author+year' && (!values.only || q.kind === values.only),
);
const rounds = Number(values.rounds);
const all: number[] = [];
for (const q of mix) {
  const ms: number[] = [];
  let total = 0;
  for (let r = 0; r <= rounds; r++) {
    // CPU time, not wall time: the machine is shared and wall time mostly measures the others.
    const t = process.cpuUsage();
    total = engine.rank({ query: q.query, limit: 20 }).total;
    const used = process.cpuUsage(t);
    ms.push((used.user + used.system) / 1000);
  }
  all.push(...ms.slice(1));
  console.log(
    `${q.kind.padEnd(12)} ${q.query.padEnd(34)} ${String(total).padStart(8)}  cold ${ms[0]!.toFixed(1).padStart(7)}  warm ${ms
      .slice(1)
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}
all.sort((a, b) => a - b);
console.log(
  `warm p50 ${all[Math.floor(all.length * 0.5)]!.toFixed(1)} p95 ${all[Math.floor(all.length * 0.95)]!.toFixed(1)} rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';

/**
 * What one recommendation request leaves and peaks at, in one process, for the server-memory
 * investigation: loads the similarity index, then asks `--requests` recommendations of
 * `--likes` random papers each, printing RSS (now and the high-water mark since the last reset,
 * through /proc/self/clear_refs), V8 heap and array buffers around each.
 *
 *   node --expose-gc --import tsx bench/recommend-memory.ts --data DIR [--requests 10] [--likes 5]
 */
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    requests: { type: 'string', default: '10' },
    likes: { type: 'string', default: '5' },
  },
});
const app = Paperscope.open(loadConfig(process.env, { data: values.data! }));
const MiB = (n: number) => (n / 2 ** 20).toFixed(0);
const status = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)![1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
};
const resetPeak = () => {
  writeFileSync('/proc/self/clear_refs', '5');
};
const line = (what: string) => {
  const m = process.memoryUsage();
  const st = status();
  console.log(
    `${what.padEnd(28)} rss ${MiB(st.rss).padStart(6)}  peak ${MiB(st.hwm).padStart(6)}  heap ${MiB(m.heapUsed).padStart(5)}/${MiB(m.heapTotal).padStart(5)}  ab ${MiB(m.arrayBuffers).padStart(5)}  external ${MiB(m.external).padStart(5)}`,
  );
};
line('start');
await app.similarity.index();
line('similarity index loaded');
const max = app.store.readDb.prepare('SELECT max(id) FROM papers').pluck().get() as number;
let seed = 7;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
for (let r = 0; r < Number(values.requests); r++) {
  const like: number[] = [];
  while (like.length < Number(values.likes)) {
    const id = 1 + Math.floor(random() * max);
    if (app.store.getPaper(id)) like.push(id);
  }
  resetPeak();
  const t = performance.now();
  const out = await app.recommender.recommend({ like, limit: 20 });
  line(`request ${r + 1}: ${out.candidates} cand, ${(performance.now() - t).toFixed(0)} ms`);
}
(globalThis as { gc?: () => void }).gc?.();
line('after gc');

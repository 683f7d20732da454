import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * One build of the search index from a store, in its own process (see index-from-store.bench.ts):
 * the code under --root (this checkout, or an older one to compare with), the store opened
 * read-only, the snapshot written to --work. Prints one JSON line.
 */

export interface BuildResult {
  label: string;
  papers: number;
  buildSeconds: number;
  buildCpuSeconds: number;
  saveSeconds: number;
  snapshotBytes: number;
  loadSeconds: number;
  peakRssBytes: number;
  query: string;
  hits: number;
}

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    store: { type: 'string' },
    work: { type: 'string' },
    label: { type: 'string', default: 'this code' },
    query: { type: 'string', default: 'quantum' },
  },
});
const root = resolve(values.root!);
const from = (path: string) => import(pathToFileURL(join(root, path)).href);
const { openDatabase } = await from('src/store/sqlite/database.ts');
const { StoreSearch } = await from('src/search/index/store-search.ts');

mkdirSync(values.work!, { recursive: true });
const snapshotFile = join(values.work!, 'search-index.bin');
rmSync(snapshotFile, { force: true });
const db = openDatabase(values.store!, { readonly: true });
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 250);
sampler.unref();

const c0 = process.cpuUsage();
const t0 = performance.now();
const built = new StoreSearch(db, { snapshotFile });
const buildSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
peak = Math.max(peak, process.memoryUsage().rss);
const t1 = performance.now();
built.save();
const saveSeconds = (performance.now() - t1) / 1000;
const papers = built.index.docs.live as number;
const hits = built.search({ query: values.query!, limit: 20 }).total as number;
const t2 = performance.now();
const loaded = new StoreSearch(db, { snapshotFile });
const loadSeconds = (performance.now() - t2) / 1000;
if (loaded.loadedFrom !== 'snapshot') throw new Error('the snapshot was not read back');
clearInterval(sampler);
const result: BuildResult = {
  label: values.label!,
  papers,
  buildSeconds,
  buildCpuSeconds: (cpu.user + cpu.system) / 1e6,
  saveSeconds,
  snapshotBytes: statSync(snapshotFile).size,
  loadSeconds,
  peakRssBytes: Math.max(peak, process.memoryUsage().rss),
  query: values.query!,
  hits,
};
db.close();
rmSync(snapshotFile, { force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);

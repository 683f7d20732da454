import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { StoreSearch } from '../src/search/index/store-search.ts';
import { updateSearchIndex } from '../src/search/index/update-index.ts';
import type { ImportProgress } from '../src/services/import.service.ts';
import { ImportService } from '../src/services/import.service.ts';
import { defaultRegistry } from '../src/sources/registry.ts';
import { openDatabase } from '../src/store/sqlite/database.ts';
import { DATABASE_FILE, SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { type MemorySample, resetPeakRss, sampleMemory } from './import-memory.ts';

/**
 * One import in its own process, so its memory high-water mark is its own:
 *
 *   node --import tsx bench/import-worker.ts --file F.jsonl --data DIR [--query quantum]
 *
 * Prints one JSON line (a WorkerResult) on stdout; progress goes to stderr.
 */

export interface WorkerResult {
  records: number;
  new: number;
  merged: number;
  skipped: number;
  format: string | undefined;
  seconds: number;
  /** `process.resourceUsage().maxRSS`: the kernel's high-water mark, KiB — of the import alone. */
  maxRssKiB: number;
  /**
   * The high-water mark of the search index step that follows (started over before it, so it
   * counts what the import left resident and what the step adds), KiB; NaN when not run or
   * when the peak cannot be started over.
   */
  indexMaxRssKiB: number;
  /** Where the memory was at each tenth of the file, before and after the end of a bulk load, and after the index step. */
  memory: (MemorySample & { label: string })[];
  /** Highest `process.memoryUsage().rss` seen, sampled every `sampleMs`. */
  sampledPeakRssBytes: number;
  /** RSS at each tenth of the file, to show whether memory grows with the file. */
  rssByTenth: number[];
  dbBytes: number;
  papers: number;
  authors: number;
  ftsQuery: string;
  ftsHits: number;
  ftsMs: number;
  /**
   * The last step of `paperscope import` (`updateSearchIndex`, as `src/cli/search-index-step.ts`
   * runs it): the index of our own built from the store (or caught up) and saved as
   * `search-index.bin`. Seconds; NaN when not run.
   */
  indexSeconds: number;
  /**
   * The first search through the index of our own (`paperscope search`) after that: it reads the
   * saved index, then answers. Seconds, and the hits it found.
   */
  firstSearchSeconds: number;
  firstSearchHits: number;
  /** Whether the first search found a snapshot or built the index from the store. */
  firstSearchFrom: 'snapshot' | 'store';
  /**
   * CPU seconds of the import: its main thread (which writes the store: the critical path when
   * parsing runs on the worker thread) and the whole process (worker thread, GC and I/O threads
   * too). Less sensitive than wall time to other programs sharing the machine.
   */
  mainThreadCpuSeconds: number;
  processCpuSeconds: number;
  /** Of `seconds`, the end of a bulk load (deferred indexes, trending rows, search merge); 0 without one. */
  bulkFinishSeconds: number;
  /** Of `mainThreadCpuSeconds`, the end of a bulk load. */
  bulkFinishCpuSeconds: number;
}

/** CPU seconds this process's main thread has used (Linux: /proc), or NaN elsewhere. */
function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const SAMPLE_MS = 250;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      data: { type: 'string' },
      query: { type: 'string', default: 'quantum' },
      // Off when profiling: the profile is the import's, not the search index build's.
      'first-search': { type: 'string', default: 'yes' },
      // Bulk-load mode: as the import decides (auto), or forced on or off to compare.
      bulk: { type: 'string', default: 'auto' },
      // Every sample (each SAMPLE_MS), as JSON lines.
      'memory-log': { type: 'string' },
    },
  });
  if (!values.file || !values.data) {
    console.error('usage: import-worker.ts --file FILE --data DIR [--query WORD]');
    process.exit(2);
  }
  let peak = process.memoryUsage().rss;
  const rssByTenth: number[] = [];
  const memory: WorkerResult['memory'] = [];
  const log: MemorySample[] = [];
  let workerHeap: ImportProgress['workerHeap'];
  let fraction = 0;
  let stage: MemorySample['stage'] = 'reading';
  const sample = () => sampleMemory((performance.now() - started) / 1000, fraction, stage, workerHeap);
  const sampler = setInterval(() => {
    const s = sample();
    if (stage !== 'search index') peak = Math.max(peak, s.rss);
    if (values['memory-log']) log.push(s);
  }, SAMPLE_MS);
  let lastLog = 0;

  const store = SqliteStore.inDataDir(values.data);
  const service = new ImportService(store, defaultRegistry);
  const started = performance.now();
  const mainCpu0 = mainThreadCpuSeconds();
  const cpu0 = process.cpuUsage();
  const bulk = values.bulk === 'yes' ? true : values.bulk === 'no' ? false : undefined;
  let indexingFrom = Number.NaN;
  let indexingCpuFrom = Number.NaN;
  const summary = await service.importFile(values.file, {
    ...(bulk === undefined ? {} : { bulk }),
    onProgress: (p) => {
      if (p.workerHeap) workerHeap = p.workerHeap;
      if (p.stage === 'indexing') {
        stage = 'indexing';
        // The parse worker has ended (its heap is given back or free for reuse).
        workerHeap = undefined;
        memory.push({ ...sample(), label: 'file read, before the end of the bulk load' });
        indexingFrom = performance.now();
        indexingCpuFrom = mainThreadCpuSeconds();
        console.error('  file read; building the deferred indexes');
      }
      fraction = p.totalBytes ? (p.bytesRead ?? 0) / p.totalBytes : 0;
      while (rssByTenth.length < Math.floor(fraction * 10) && stage === 'reading') {
        // With --expose-gc: the main thread's heap after a full collection (what is live), not
        // whatever garbage is waiting — a diagnostic, it costs time.
        (globalThis as { gc?: () => void }).gc?.();
        const s = sample();
        rssByTenth.push(s.rss);
        memory.push({ ...s, label: `${rssByTenth.length * 10}% read` });
      }
      const now = performance.now();
      if (now - lastLog > 10_000) {
        lastLog = now;
        const s = (now - started) / 1000;
        console.error(
          `  ${p.read} records, ${(fraction * 100).toFixed(1)}%, ${s.toFixed(0)} s, ${Math.round(p.read / s)}/s, rss ${mib(process.memoryUsage().rss)} MiB`,
        );
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const finishSeconds = Number.isNaN(indexingFrom) ? 0 : (performance.now() - indexingFrom) / 1000;
  const finishCpuSeconds = Number.isNaN(indexingCpuFrom) ? 0 : mainThreadCpuSeconds() - indexingCpuFrom;
  const mainCpu = mainThreadCpuSeconds() - mainCpu0;
  const cpu = process.cpuUsage(cpu0);
  stage = 'done';
  const afterImport = sample();
  peak = Math.max(peak, afterImport.rss);
  memory.push({ ...afterImport, label: 'import returned' });
  store.close();

  const file = join(values.data, DATABASE_FILE);
  const db = new Database(file, { readonly: true });
  const count = (sql: string, ...args: unknown[]): number =>
    db
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  const q0 = performance.now();
  const ftsHits = count('SELECT count(*) FROM paper_search WHERE paper_search MATCH ?', values.query);
  const ftsMs = performance.now() - q0;
  const papers = count('SELECT count(*) FROM papers');
  const authors = count('SELECT count(*) FROM authors');
  db.close();
  // Memory and size are the import's: read them before the search index is built.
  const maxRssKiB = process.resourceUsage().maxRSS;
  const dbBytes = fileSize(file) + fileSize(`${file}-wal`);

  let indexSeconds = Number.NaN;
  let firstSearchSeconds = Number.NaN;
  let firstSearchHits = Number.NaN;
  let firstSearchFrom: WorkerResult['firstSearchFrom'] = 'store';
  let indexMaxRssKiB = Number.NaN;
  if (values['first-search'] !== 'no') {
    // What `paperscope import` does once the records are in: the search index, built and saved.
    // Its peak on its own (from what the import left resident), apart from the import's.
    const restarted = resetPeakRss();
    stage = 'search index';
    indexSeconds = updateSearchIndex(file).seconds;
    if (restarted) indexMaxRssKiB = process.resourceUsage().maxRSS;
    memory.push({ ...sample(), label: 'search index built and saved' });
    const searchDb = openDatabase(file, { readonly: true });
    const s0 = performance.now();
    const engine = StoreSearch.forStore(searchDb, file);
    firstSearchHits = engine.search({ query: values.query, limit: 20 }).total;
    firstSearchSeconds = (performance.now() - s0) / 1000;
    firstSearchFrom = engine.loadedFrom;
    searchDb.close();
  }
  clearInterval(sampler);
  if (values['memory-log'])
    writeFileSync(values['memory-log'], `${log.map((l) => JSON.stringify(l)).join('\n')}\n`);

  const result: WorkerResult = {
    records: summary.read,
    new: summary.new,
    merged: summary.merged,
    skipped: summary.skipped,
    format: summary.format,
    seconds,
    maxRssKiB,
    indexMaxRssKiB,
    memory,
    sampledPeakRssBytes: peak,
    rssByTenth,
    dbBytes,
    papers,
    authors,
    ftsQuery: values.query,
    ftsHits,
    ftsMs,
    indexSeconds,
    firstSearchSeconds,
    firstSearchHits,
    firstSearchFrom,
    mainThreadCpuSeconds: mainCpu,
    bulkFinishSeconds: finishSeconds,
    bulkFinishCpuSeconds: finishCpuSeconds,
    processCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  for (const p of summary.problems.slice(0, 5)) console.error(`  problem: ${p.locator}: ${p.message}`);
  console.log(JSON.stringify(result));
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

await main();

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server/serve.ts';
import { DATABASE_FILE } from '../src/store/sqlite/sqlite-store.ts';
import { pageWorkersOf } from '../src/web/page-workers.ts';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, gitRevision, machineLine } from './machine.ts';
import { percentile, prng, round, samplePages } from './page-sample.ts';

/**
 * Home, paper, author and search pages under a bounded local load: the real server on 127.0.0.1 and
 * autocannon with a few connections, each page kind for a fixed time over a sample of
 * addresses drawn from the store (papers by arXiv id, authors with papers, a mix of queries).
 * Latencies are every response's own time, so p95 is exact (autocannon's summary has no p95).
 *
 *   npm run bench:pages -- --source /tmp/paperscope-bench/data-1m
 *     [--work /tmp/h5-bench] [--connections 1,4] [--seconds 15] [--sample 300] [--seed 1]
 *     [--reuse-copy] [--build-similar] [--kinds home,paper,author,search] [--no-doc]
 *
 * The source store is copied first (SQLite's online backup) and the copy migrated, so the
 * store being benchmarked by others is never written. With --build-similar the similarity index
 * is built before the clock starts (as `paperscope similar --rebuild` does on a real instance);
 * without it a large store's paper pages answer without similar papers. Author summaries (the
 * background job a server starts on a large store) are waited for before the clock, as the
 * search index is; the time they took is reported. Home pages: the latest listing, each of a
 * sample of categories, and a category on a day of its listings.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_P95_MS = 50;

interface Result {
  kind: string;
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /**
   * CPU time of the main thread per response (serving, and generating the load), in ms: what
   * bounds its rate, however loaded the machine (wall-clock latencies move with the load).
   */
  mainMs: number;
  /** CPU time of the whole process per response (page workers included), in ms. */
  processMs: number;
}

/**
 * CPU time of this process's main thread so far, in ms (Linux: its task's utime + stime, in
 * clock ticks of 10 ms); NaN where /proc is not there.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function load(
  url: string,
  paths: string[],
  connections: number,
  seconds: number,
): Promise<Omit<Result, 'kind' | 'connections'>> {
  let next = 0;
  const latencies: number[] = [];
  const mainBefore = mainThreadCpuMs();
  const processBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
      },
      (err, res) => (err ? fail(err) : done(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const mainCpu = mainThreadCpuMs() - mainBefore;
  const processCpu = process.cpuUsage(processBefore);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: latencies.length / seconds,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? Number.NaN),
    mainMs: Math.round((mainCpu / Math.max(1, latencies.length)) * 100) / 100,
    processMs:
      Math.round(((processCpu.user + processCpu.system) / 1000 / Math.max(1, latencies.length)) * 100) / 100,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string', default: '/tmp/paperscope-bench/data-1m' },
      work: { type: 'string', default: '/tmp/h5-bench' },
      connections: { type: 'string', default: '1,4' },
      seconds: { type: 'string', default: '15' },
      sample: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      'reuse-copy': { type: 'boolean', default: false },
      'build-similar': { type: 'boolean', default: false },
      kinds: { type: 'string', default: 'home,paper,author,search' },
      // all: wait for the background pass over every author; sample: summarize the sampled
      // authors first and wait for those (what a finished pass gives them, when a full pass takes
      // hours); none: measure first visits as they are before any summary.
      summaries: { type: 'string', default: 'sample' },
      'no-doc': { type: 'boolean', default: false },
      // Worker threads rendering search and author pages: the server's default when absent, 0 for none.
      'page-workers': { type: 'string' },
    },
  });
  const levels = values.connections.split(',').map((n) => Number(n.trim()));
  if (levels.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`bad --connections ${values.connections}`);
  const seconds = Number(values.seconds);
  const sample = Number(values.sample);
  const random = prng(Number(values.seed));
  const machine = describeMachine();
  console.log(`machine: ${machineLine(machine)}`);

  const dataDir = join(values.work, 'data');
  mkdirSync(dataDir, { recursive: true });
  if (!values['reuse-copy']) {
    const t0 = performance.now();
    const source = new Database(join(values.source, DATABASE_FILE), { readonly: true, fileMustExist: true });
    await source.backup(join(dataDir, DATABASE_FILE));
    source.close();
    console.log(`copied ${values.source} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  let t0 = performance.now();
  const paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: dataDir }));
  const papers = paperscope.store.readDb.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  console.log(
    `opened and migrated ${papers.toLocaleString('en')} papers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  // The search engine loads (or first builds) its index on the first query: before the clock, as
  // on a server that has been up a while.
  t0 = performance.now();
  const wanted = new Set(values.kinds.split(',').map((k) => k.trim()));
  if (wanted.has('search')) paperscope.search.search({ query: 'the', limit: 1 });
  const searchSeconds = (performance.now() - t0) / 1000;
  console.log(`search ready in ${searchSeconds.toFixed(1)} s`);
  let similarSeconds: number | undefined;
  if (values['build-similar']) {
    t0 = performance.now();
    await paperscope.similarity.index();
    similarSeconds = (performance.now() - t0) / 1000;
    console.log(`similar papers ready in ${similarSeconds.toFixed(1)} s`);
  }
  const similarNote =
    similarSeconds !== undefined
      ? `Similar papers were made ready first (${similarSeconds.toFixed(0)} s), as on a running instance, and are on each paper page.`
      : existsSync(paperscope.similarity.file ?? '')
        ? 'Similar papers come from the saved index and are on each paper page.'
        : 'No similarity index was built (`--build-similar` builds it first): paper pages answer without their similar papers, as a large instance does until `paperscope similar --rebuild` has run.';

  const kinds = samplePages(paperscope.store.readDb, random, sample);

  const pageWorkers = values['page-workers'] === undefined ? undefined : Number(values['page-workers']);
  const server = await startServer(
    paperscope,
    '127.0.0.1',
    0,
    pageWorkers === undefined ? {} : { pageWorkers },
  );
  const workerCount = pageWorkersOf(paperscope)?.size ?? 0;
  console.log(`page workers: ${workerCount}`);
  // As a server that has been up a while: the corpus's common terms counted and the authors
  // summarized (serve starts both; summaries already stored in the copy are kept).
  const warming = performance.now();
  await paperscope.authors.warmUp();
  console.log(`author terms counted in ${((performance.now() - warming) / 1000).toFixed(1)} s`);
  const summarizing = performance.now();
  const progress = setInterval(() => {
    const p = paperscope.authors.summaryProgress;
    console.log(
      `author summaries: ${p.phase}, ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')}`,
    );
  }, 30_000);
  const authorKind = kinds.find((k) => k.kind === 'author')!;
  const sampledAuthors = authorKind.paths.map((path) => Number(path.slice('/author/'.length)));
  if (!wanted.has('author')) await paperscope.authors.close();
  else if (values.summaries === 'all') await paperscope.authors.summariesReady();
  else if (values.summaries === 'sample') {
    await paperscope.authors.summarize(sampledAuthors);
    // Idle, as a finished pass is: the rest of the pass would take a core from the pages.
    await paperscope.authors.close();
  } else if (values.summaries !== 'none') throw new Error(`bad --summaries ${values.summaries}`);
  clearInterval(progress);
  const summarySeconds = (performance.now() - summarizing) / 1000;
  const summaries = paperscope.authors.summaryProgress;
  const summaryNote =
    values.summaries === 'all'
      ? `the authors summarized by the background job a server runs (a pass over ${summaries.total.toLocaleString('en')} authors in this run, ${summarySeconds.toFixed(0)} s; summaries already stored in the copy are kept, as on a restarted server)`
      : values.summaries === 'sample'
        ? `the ${sampledAuthors.length} sampled authors summarized first by the background job (${summarySeconds.toFixed(0)} s), as a finished pass over everyone would have them (\`--summaries sample\`; the pass, ${summaries.total.toLocaleString('en')} authors to go, was then stopped, as a finished one is idle)`
        : 'no author summarized first (`--summaries none`): author pages are first visits, computed on the request while the background pass runs';
  console.log(`author summaries: ${summaryNote}`);
  const results: Result[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    for (const { kind, paths } of kinds.filter((k) => wanted.has(k.kind))) {
      // One short pass first: each page kind's statements prepared, caches as a running server has them.
      await load(server.url, paths.slice(0, 20), 1, 2);
      for (const connections of levels) {
        const r = { kind, connections, ...(await load(server.url, paths, connections, seconds)) };
        results.push(r);
        console.log(
          `${kind.padEnd(7)} ×${connections} ${r.requests} requests, ${r.rps.toFixed(0)}/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.max} ms, CPU ms/page: main thread ${r.mainMs}, process ${r.processMs}` +
            (r.errors || r.non2xx ? ` (${r.errors} errors, ${r.non2xx} not 2xx)` : ''),
        );
      }
    }
  } finally {
    await server.close();
    await paperscope.views.flush();
    paperscope.close();
  }

  const loadAfter = loadavg()[0]!;
  console.log(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  if (values['no-doc']) return;
  const rows = results
    .map(
      (r) =>
        `| ${r.kind} | ${r.connections} | ${r.requests.toLocaleString('en')} | ${r.rps.toFixed(0)} | ${r.p50} | **${r.p95}** | ${r.p99} | ${r.max} | ${r.mainMs} | ${r.processMs} | ${r.p95 <= TARGET_P95_MS ? 'yes' : 'no'} |${r.errors || r.non2xx ? ` ${r.errors} errors, ${r.non2xx} not 2xx` : ''}`,
    )
    .join('\n');
  writeBenchSection(
    join(repoRoot, 'docs', 'benchmarks.md'),
    'pages',
    `## Pages under load: home, paper, author, search

${papers.toLocaleString('en')} papers (copy of \`${values.source}\`). The real server on 127.0.0.1, autocannon with
${levels.join(' and then ')} connection(s) for ${seconds} s each per page kind, over ${sample} addresses of each kind drawn from the store
(home: the latest listing, categories' listings and a category's latest day; papers by arXiv id; authors with papers;
queries: a rare and a common title word, a two-word phrase, \`author:"…" year:2015-\`, and \`word -word\`).
Latency is each response's own time, in ms. CPU ms/page: the CPU time of the main thread (load generation
included) and of the whole process (page workers included) per response, which hold however loaded the machine
is, where latencies do not. Target: p95 ≤ ${TARGET_P95_MS} ms.
${similarNote} The search index was loaded (or built) before the clock too (${searchSeconds.toFixed(0)} s), and
${summaryNote}.
${
  workerCount > 0
    ? `Search and author pages were rendered by ${workerCount} page worker thread(s) (each on its own read-only connection; the main thread ranks queries on the search index and finds the author's profile), the server's default on a knowledge base this large; the load generator runs in the main thread.`
    : 'Every page was rendered on the main thread (no page workers), as is the load generator.'
}

| page | connections | requests | per second | p50 | p95 | p99 | max | CPU ms/page, main thread | CPU ms/page, process | p95 ≤ ${TARGET_P95_MS} ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${rows}

- command: \`npm run bench:pages -- --source ${values.source} --connections ${values.connections} --seconds ${seconds} --sample ${sample} --kinds ${values.kinds} --summaries ${values.summaries}${pageWorkers === undefined ? '' : ` --page-workers ${pageWorkers}`}\`
- machine: ${machineLine(machine)}; shared with other work while it ran (load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${machine.cores} cores)
- revision: ${gitRevision(repoRoot)}, ${new Date().toISOString().slice(0, 10)}
`,
    machine,
  );
  console.log('wrote docs/benchmarks.md (bench:pages)');
}

await main();

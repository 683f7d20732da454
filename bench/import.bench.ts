import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBenchSection } from './bench-doc.ts';
import { busiestProfile, renderHotSpots } from './cpu-profile-top.ts';
import { renderMemoryBreakdown } from './import-memory.ts';
import type { WorkerResult } from './import-worker.ts';
import { describeMachine, gitRevision, type Machine, machineLine } from './machine.ts';
import { writeRecords } from './synth/generate.ts';

/**
 * End-to-end import of synthetic arXiv bulk snapshots through the real ImportService and
 * SqliteStore, one fresh data folder and one child process per size, so that time and peak
 * memory are the import's own (generation is timed apart).
 *
 *   npm run bench:import -- --sizes 100000,1000000 [--seed 1] [--work /tmp/paperscope-bench]
 *     [--reuse] [--keep] [--no-doc] [--query quantum] [--cpu-prof] [--bulk auto|yes|no] [--compare-plain]
 *
 * --bulk forces bulk-load mode on or off (auto: the import decides, as `paperscope import`
 * does). --compare-plain also runs the plain write path (--bulk no) on the same file at the
 * same time, in its own process and data folder, so that the two see the same machine load.
 *
 * With --cpu-prof the worker is profiled and the top self-time functions go to their own
 * section (import-profile) instead of the timing table, since profiling slows the import.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(repoRoot, 'bench', 'import-worker.ts');
const DOC = join(repoRoot, 'docs', 'benchmarks.md');
const TARGET_PER_SECOND = 20_000;

interface Row {
  size: number;
  /** Bulk-load mode as asked of the import (auto, yes, no). */
  mode: string;
  fileBytes: number;
  generateSeconds: number;
  result: WorkerResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      seed: { type: 'string', default: '1' },
      work: { type: 'string', default: '/tmp/paperscope-bench' },
      query: { type: 'string', default: 'quantum' },
      reuse: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-doc': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      bulk: { type: 'string', default: 'auto' },
      'compare-plain': { type: 'boolean', default: false },
      // A folder for each run's memory samples: the import's own (memory-N.jsonl, every 250 ms,
      // with both heaps) and its RSS read from outside every 50 ms (rss-N.txt: ms, KiB), which
      // also sees the synchronous steps (the end of a bulk load, the search index step).
      'memory-log': { type: 'string' },
      // A full collection before each tenth's sample: the main thread's live heap (slower; a diagnostic).
      'live-heap': { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map((s) => Number(s.replace(/_/g, '').trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`bad --sizes ${values.sizes}`);
  const seed = Number(values.seed);
  mkdirSync(values.work, { recursive: true });
  const machine = describeMachine();
  console.log(`machine: ${machineLine(machine)}`);

  const rows: Row[] = [];
  const profiles: { size: number; text: string }[] = [];
  for (const size of sizes) {
    const file = join(values.work, `synth-${size}-seed${seed}.jsonl`);
    const genFile = `${file}.gen.json`;
    let generateSeconds: number;
    if (values.reuse && exists(file) && exists(genFile)) {
      generateSeconds = (JSON.parse(readFileSync(genFile, 'utf8')) as { seconds: number }).seconds;
      console.log(`reusing ${file} (generated in ${generateSeconds.toFixed(1)} s)`);
    } else {
      console.log(`generating ${size} records → ${file}`);
      generateSeconds = (await writeRecords(size, seed, file)).seconds;
      writeFileSync(genFile, JSON.stringify({ records: size, seed, seconds: generateSeconds }));
      console.log(`  generated in ${generateSeconds.toFixed(1)} s`);
    }
    const modes = values['compare-plain'] ? [values.bulk, 'no'] : [values.bulk];
    const results = await Promise.all(
      modes.map(async (mode, i) => {
        const data = join(values.work, i === 0 ? `data-${size}` : `data-${size}-plain`);
        rmSync(data, { recursive: true, force: true });
        console.log(`importing ${size} records into ${data} (bulk: ${mode})`);
        const profDir = values['cpu-prof'] && i === 0 ? join(values.work, `cpu-prof-${size}`) : undefined;
        if (profDir) rmSync(profDir, { recursive: true, force: true });
        const logs = values['memory-log'];
        if (logs) mkdirSync(logs, { recursive: true });
        const memoryLog = logs ? join(logs, `${i === 0 ? '' : 'plain-'}${size}`) : undefined;
        const result = await runWorker(
          file,
          data,
          values.query,
          mode,
          profDir,
          memoryLog,
          values['live-heap'],
        );
        if (profDir) profiles.push({ size, text: summarizeProfiles(profDir) });
        console.log(`  ${result.records} records in ${result.seconds.toFixed(1)} s (bulk: ${mode})`);
        if (!values.keep) rmSync(data, { recursive: true, force: true });
        return { mode, result };
      }),
    );
    for (const { mode, result } of results) {
      rows.push({ size, mode, fileBytes: statSync(file).size, generateSeconds, result });
    }
  }

  const table = renderTable(rows);
  const memory = `${renderMemory(rows)}\n\n${renderBreakdowns(rows)}`;
  console.log(`\n${table}\n\n${memory}`);
  for (const p of profiles) console.log(`\nCPU profile, ${fmt(p.size)} records:\n\n${p.text}`);
  if (!values['no-doc']) {
    const flags = `${values.bulk === 'auto' ? '' : ` --bulk ${values.bulk}`}${values['compare-plain'] ? ' --compare-plain' : ''}`;
    const command = `npm run bench:import -- --sizes ${sizes.join(',')} --seed ${seed}${flags}`;
    if (profiles.length > 0) {
      const body = profiles.map((p) => `### ${fmt(p.size)} records\n\n${p.text}`).join('\n\n');
      writeBenchSection(
        DOC,
        'import-profile',
        renderProfileSection(`${command} --cpu-prof`, body, machine),
        machine,
      );
    } else {
      writeBenchSection(DOC, 'import', renderSection(command, table, memory, machine, values.query), machine);
    }
    console.log(`\nwrote ${profiles.length > 0 ? 'the import-profile' : 'the import'} section of ${DOC}`);
  }
}

function runWorker(
  file: string,
  data: string,
  query: string,
  bulk: string,
  profDir?: string,
  memoryLog?: string,
  liveHeap = false,
): Promise<WorkerResult> {
  const nodeArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  if (liveHeap) nodeArgs.push('--expose-gc');
  const args = [
    ...nodeArgs,
    '--import',
    'tsx',
    WORKER,
    '--file',
    file,
    '--data',
    data,
    '--query',
    query,
    '--bulk',
    bulk,
  ];
  if (profDir) args.push('--first-search', 'no');
  if (memoryLog) args.push('--memory-log', `${dirname(memoryLog)}/memory-${basename(memoryLog)}.jsonl`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    if (memoryLog) watchRss(child.pid!, `${dirname(memoryLog)}/rss-${basename(memoryLog)}.txt`);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`import worker exited with ${code}: ${out.slice(-2000)}`));
      try {
        resolvePromise(JSON.parse(last) as WorkerResult);
      } catch {
        reject(new Error(`import worker printed no result: ${out.slice(-2000)}`));
      }
    });
  });
}

/** The child's resident memory from outside, every 50 ms until it ends: `ms KiB` lines. */
function watchRss(pid: number, file: string): void {
  const t0 = Date.now();
  const lines: string[] = [];
  const timer = setInterval(() => {
    try {
      const kib = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kib) lines.push(`${Date.now() - t0} ${kib}`);
    } catch {
      clearInterval(timer);
      writeFileSync(file, `${lines.join('\n')}\n`);
    }
  }, 50);
}

function renderTable(rows: Row[]): string {
  const head = [
    'records',
    'bulk load',
    'file MiB',
    'generate s',
    'import s',
    'records/s',
    'CPU s: main thread / process',
    'records/s per main-thread CPU s',
    'import peak RSS MiB (maxRSS)',
    'import peak RSS MiB (sampled)',
    'search index step peak RSS MiB',
    'SQLite MiB',
    'papers',
    'authors',
    'FTS hits',
    "search index s (import's last step)",
    'first search s',
    'records/s incl. search index',
    'new / merged / skipped',
  ];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---:').join(' | ')} |`];
  for (const { size, mode, fileBytes, generateSeconds, result: r } of rows) {
    lines.push(
      `| ${[
        fmt(size),
        bulkLabel(mode, r),
        mib(fileBytes),
        generateSeconds.toFixed(1),
        r.seconds.toFixed(1),
        fmt(Math.round(r.records / r.seconds)),
        `${r.mainThreadCpuSeconds.toFixed(1)} / ${r.processCpuSeconds.toFixed(1)}`,
        fmt(Math.round(r.records / r.mainThreadCpuSeconds)),
        (r.maxRssKiB / 1024).toFixed(0),
        mib(r.sampledPeakRssBytes),
        typeof r.indexMaxRssKiB === 'number' ? (r.indexMaxRssKiB / 1024).toFixed(0) : '—',
        mib(r.dbBytes),
        fmt(r.papers),
        fmt(r.authors),
        `${fmt(r.ftsHits)} (${r.ftsMs.toFixed(0)} ms)`,
        // Not measured when profiling (JSON turns the NaN into null).
        typeof r.indexSeconds === 'number' ? r.indexSeconds.toFixed(1) : '—',
        typeof r.firstSearchSeconds === 'number'
          ? `${r.firstSearchSeconds.toFixed(2)} (${fmt(r.firstSearchHits)} hits, index from ${r.firstSearchFrom})`
          : '—',
        typeof r.indexSeconds === 'number' ? fmt(Math.round(r.records / (r.seconds + r.indexSeconds))) : '—',
        `${fmt(r.new)} / ${fmt(r.merged)} / ${fmt(r.skipped)}`,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Whether the import ran as a bulk load, and how long its end (deferred indexes, search merge) took. */
function bulkLabel(mode: string, r: WorkerResult): string {
  const finish = r.bulkFinishSeconds ?? 0;
  const ran =
    finish > 0 ? `yes (end ${finish.toFixed(1)} s, ${(r.bulkFinishCpuSeconds ?? 0).toFixed(1)} CPU s)` : 'no';
  return mode === 'auto' ? ran : `${ran}, forced`;
}

/** Flat memory means the peak does not grow with the file: compare the smallest and largest run. */
function renderMemory(rows: Row[]): string {
  const lines = rows.map(
    (r) =>
      `- ${fmt(r.size)} records (bulk: ${r.mode}): import peak RSS ${(r.result.maxRssKiB / 1024).toFixed(0)} MiB; RSS at each tenth of the file: ${r.result.rssByTenth.map((b) => mib(b)).join(', ')} MiB${typeof r.result.indexMaxRssKiB === 'number' ? `; then the search index step's peak ${(r.result.indexMaxRssKiB / 1024).toFixed(0)} MiB` : ''}`,
  );
  if (rows.length >= 2) {
    const a = rows[0]!;
    const b = rows[rows.length - 1]!;
    const ratio = b.result.maxRssKiB / a.result.maxRssKiB;
    lines.push(
      `- import peak RSS at ${fmt(b.size)} vs ${fmt(a.size)} records: ${(b.result.maxRssKiB / 1024).toFixed(0)} vs ${(a.result.maxRssKiB / 1024).toFixed(0)} MiB (×${ratio.toFixed(2)} for ×${(b.size / a.size).toFixed(0)} the records)`,
    );
  }
  const slowest = Math.min(...rows.map((r) => r.result.records / r.result.seconds));
  const slowestWithSearch = Math.min(
    ...rows.map((r) => r.result.records / (r.result.seconds + (r.result.indexSeconds ?? 0))),
  );
  lines.push(
    `- target ≥ ${fmt(TARGET_PER_SECOND)} records/s end to end: ${slowest >= TARGET_PER_SECOND ? 'met' : `not met (slowest run ${fmt(Math.round(slowest))}/s into a store FTS5 searches at once; ${fmt(Math.round(slowestWithSearch))}/s counting the search index \`paperscope import\` builds and saves as its last step)`}`,
  );
  return lines.join('\n');
}

/** Where each run's memory was (`import-memory.ts`), at each tenth of the file and after. */
function renderBreakdowns(rows: Row[]): string {
  return rows
    .filter((r) => Array.isArray(r.result.memory) && r.result.memory.length > 0)
    .map(
      (r) =>
        `Where the memory is, ${fmt(r.size)} records (bulk: ${r.mode}), MiB — "anon", "file", "shmem": the kernel's resident anonymous memory, mapped files and shared memory (\`/proc/self/status\`); heaps: V8's, of the main thread (the writer) and of the parse worker (at its latest batch); "native": anonymous memory that is neither (SQLite's page cache and statements, malloc, stacks):\n\n${renderMemoryBreakdown(r.result.memory)}`,
    )
    .join('\n\n');
}

function renderSection(
  command: string,
  table: string,
  memory: string,
  machine: Machine,
  query: string,
): string {
  return `## Import: arXiv bulk snapshot (JSON lines) into SQLite

What it measures: \`ImportService.importFile\` with \`SqliteStore\` and the default format
registry (the arXiv bulk adapter, streaming line by line), on synthetic bulk-snapshot files
made by \`bench/synth/generate.ts\` from the vocabulary, lengths, names and categories of the
real files in \`../shared\`. Each size imports into a fresh data folder in its own process;
"generate s" is the time to write the file and is not part of "import s". "import peak
RSS" is the child's \`process.resourceUsage().maxRSS\` when the import has returned, and the
highest \`process.memoryUsage().rss\` sampled between batches; "search index step peak" is the
high-water mark of the step that follows, started over just before it (\`/proc/self/clear_refs\`),
so it counts what the import left resident and what the index adds (the index is the size of
the store by nature). "FTS hits" is \`SELECT count(*) FROM paper_search WHERE paper_search
MATCH '${query}'\` on the finished file. "search index s" is the last step of \`paperscope import\`:
the index of our own (\`src/search/index/\`) built from the store (a fresh folder, as here) and
saved as \`search-index.bin\` (\`updateSearchIndex\`); "first search s" is then what
\`paperscope search\` costs the first time (reading that file, answering \`${query}\`);
"records/s incl. search index" counts the index step with the import. Files over 4 MiB are
parsed and derived on a worker thread while the main thread writes (2 threads). "CPU s" is
the CPU time of the main thread (the writer, the critical path) and of the whole process; on a
machine shared with other work, records per main-thread CPU second is the rate an idle
2-core machine would approach, wall-clock "records/s" what this run got.
A file of 64 MiB or more going into a store with fewer papers than the file has records is
imported as a bulk load (\`src/store/sqlite/bulk-load.ts\`: secondary indexes and the trending and
similar-papers triggers deferred, authors resolved in memory, FTS5 merged once at the end);
"bulk load" says whether this run was one and how long its end took (included in "import s").
A row with "no, forced" is the plain write path on the same file, run at the same time
(\`--compare-plain\`) so that both saw the same load on the machine.

- command: \`${command}\`
- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${gitRevision(repoRoot)}
- machine: ${machineLine(machine)}

${table}

${memory}`;
}

function summarizeProfiles(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  // The writer (the thread that runs the store's statements) is the one that matters; with a
  // bulk load it need not be the busiest.
  const writer = files.find((f) => readFileSync(f, 'utf8').includes('ingest-tx.ts'));
  const profile = writer ? busiestProfile([writer]) : busiestProfile(files);
  return profile ? renderHotSpots(profile, 10) : '(no profile written)';
}

function renderProfileSection(command: string, body: string, machine: Machine): string {
  return `## Import: where the time goes

Self time per function from \`node --cpu-prof\` on the import worker (profiling slows the run,
so its records/s are not the benchmark's), for the main thread, which
writes the store (parsing and deriving run on a worker thread for files over 4 MiB). Time spent inside SQLite (better-sqlite3's native
\`run\`/\`get\`) counts as the self time of the JS function that called it.

- command: \`${command}\`
- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${gitRevision(repoRoot)}
- machine: ${machineLine(machine)}

${body}`;
}

function exists(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

await main();

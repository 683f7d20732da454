import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBenchSection } from './bench-doc.ts';
import type { BuildResult } from './index-from-store-worker.ts';
import { describeMachine, gitRevision, machineLine } from './machine.ts';

/**
 * Building the search index of our own from a store: what the first `paperscope search` paid
 * after an import, and what `paperscope import` (or a server in the background) now pays
 * instead. Each build runs in its own process on a read-only store; with --baseline the same
 * build by an older checkout's code runs at the same time, so both see the same machine load.
 * Rows are kept in --results, so stores measured at different times end up in one table.
 *
 *   node --import tsx bench/index-from-store.bench.ts --store /tmp/paperscope-bench/data-100k/paperscope.sqlite
 *     [--baseline DIR --baseline-label c7e7785] [--work DIR] [--results FILE] [--no-doc]
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(repoRoot, 'docs', 'benchmarks.md');

interface Row extends BuildResult {
  store: string;
  date: string;
  commit: string;
}

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    baseline: { type: 'string' },
    'baseline-label': { type: 'string', default: 'before' },
    work: { type: 'string', default: '/tmp/paperscope-index-bench' },
    results: { type: 'string', default: '/tmp/paperscope-index-bench/results.json' },
    query: { type: 'string', default: 'quantum' },
    'no-doc': { type: 'boolean', default: false },
    /** Write the section from the rows kept in --results, building nothing. */
    'doc-only': { type: 'boolean', default: false },
  },
});

function runBuild(root: string, label: string, work: string): Promise<BuildResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        join(repoRoot, 'bench', 'index-from-store-worker.ts'),
        '--root',
        root,
        '--store',
        values.store!,
        '--work',
        work,
        '--label',
        label,
        '--query',
        values.query,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // Stopped (a timeout), the builds stop too.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => child.kill(signal));
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`${label}: exit ${code}`));
      done(JSON.parse(out.trim().split('\n').at(-1)!) as BuildResult);
    });
  });
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (b: number) => fmt(b / 2 ** 20);

async function main(): Promise<void> {
  const machine = describeMachine();
  const commit = gitRevision(repoRoot);
  const date = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (!values.store && !values['doc-only']) throw new Error('--store FILE is needed');
  const builds = values['doc-only'] ? [] : [runBuild(repoRoot, `${commit}`, join(values.work, 'this'))];
  if (values.baseline && !values['doc-only'])
    builds.push(runBuild(resolve(values.baseline), values['baseline-label'], join(values.work, 'baseline')));
  const results = await Promise.all(builds);
  const rows: Row[] = existsSync(values.results)
    ? (JSON.parse(readFileSync(values.results, 'utf8')) as Row[])
    : [];
  for (const r of results) {
    const row: Row = { ...r, store: values.store!, date, commit };
    console.log(JSON.stringify(row));
    const same = rows.findIndex((x) => x.label === row.label && x.papers === row.papers);
    if (same >= 0) rows[same] = row;
    else rows.push(row);
  }
  writeFileSync(values.results, JSON.stringify(rows, null, 2));
  if (values['no-doc']) return;
  rows.sort((a, b) => a.papers - b.papers || a.date.localeCompare(b.date));
  const lines = [
    '## Search index: built from the store',
    '',
    'What it measures: `new StoreSearch(db)` on a store with no `search-index.bin` — read every paper',
    'from SQLite (the columns the index needs), tokenize, write postings — then saving the file and',
    'reading it back. This is what the first `paperscope search` after an import paid; `paperscope import`',
    'now pays it (or a catch-up) before it returns, and `paperscope serve` on a worker thread. Each',
    'build runs in its own process on a read-only store; rows of one run with the same date ran side by',
    "side (same machine load). CPU s is the process's user + system time of the build.",
    '',
    '- command: `node --import tsx bench/index-from-store.bench.ts --store DATA/paperscope.sqlite --baseline DIR --baseline-label "c7e7785 (before)"`',
    '  (DATA: a copy of `/tmp/paperscope-bench/data-100k`, or `data-1m` read-only through `bigrun`; DIR: the older code,',
    '  `git archive c7e7785 src | tar -x -C DIR`, with `package.json` copied and `node_modules` linked)',
    `- machine: ${machineLine(machine)}`,
    '',
    '| papers | code | date | build s | build CPU s | papers/s | ms a paper (CPU) | save s | file MiB | load s | peak RSS MiB | hits for `' +
      values.query +
      '` |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${fmt(r.papers)} | ${r.label} | ${r.date} | ${fmt(r.buildSeconds, 1)} | ${fmt(r.buildCpuSeconds, 1)} | ${fmt(r.papers / r.buildSeconds)} | ${fmt((r.buildCpuSeconds * 1000) / r.papers, 3)} | ${fmt(r.saveSeconds, 1)} | ${mib(r.snapshotBytes)} | ${fmt(r.loadSeconds, 1)} | ${mib(r.peakRssBytes)} | ${fmt(r.hits)} |`,
    ),
  ];
  writeBenchSection(DOC, 'index-from-store', lines.join('\n'), machine);
}

await main();

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, machineLine } from './machine.ts';
import { ENGINE_NAMES } from './search/engines.ts';
import { buildMix } from './search/mix.ts';

/**
 * Search at 100k, 1M and 2.9M papers: Paperscope's index against SQLite FTS5 used directly,
 * MiniSearch, FlexSearch and Orama, each in a process of its own fed the same papers from
 * the synthetic bulk file, then asked the same fixed mix (rare term, common term, phrase,
 * author+year, boolean NOT). Results are kept in /tmp/paperscope-bench/search-results.json,
 * so sizes run at different times end up in one table; docs/benchmarks.md gets the section.
 *
 *   npm run bench:search -- --sizes 100000,1000000 [--engines paperscope,fts5] [--rounds 5]
 *     [--timeout-min 30] [--heap-mb 8192]
 *
 * A worker run by hand (its JSON line saved to a file) is added with `--import-run FILE`; an
 * engine not run at a size is recorded, with the reason, by `--note "ENGINE@SIZE: why"`. With
 * `--doc-only` nothing runs and the section is written from the kept results.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = '/tmp/paperscope-bench';
const resultsFile = `${dataDir}/search-results.json`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000' },
    engines: { type: 'string', default: ENGINE_NAMES.join(',') },
    rounds: { type: 'string', default: '5' },
    'timeout-min': { type: 'string', default: '30' },
    'heap-mb': { type: 'string', default: '8192' },
    'doc-only': { type: 'boolean', default: false },
    'import-run': { type: 'string', multiple: true, default: [] },
    note: { type: 'string', multiple: true, default: [] },
    /** Paperscope without the warm-up a server runs after loading its index (what "cold" was before it). */
    'no-warm-up': { type: 'boolean', default: false },
  },
});

interface Latency {
  kind: string;
  query: string;
  coldMs: number;
  ms: number[];
  hits: number;
}
interface Run {
  engine: string;
  size: number;
  buildSeconds?: number;
  buildPeakMiB?: number;
  servingMiB?: number;
  /** Paperscope's warm-up after the build, before the cold round. */
  warmUp?: { seconds: number; report: Record<string, unknown> };
  latencies?: Latency[];
  error?: string;
  ranAt: string;
}

const results: Run[] = existsSync(resultsFile)
  ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Run[])
  : [];
const heapMb = Number(values['heap-mb']);

function keep(run: Run): void {
  const i = results.findIndex((r) => r.engine === run.engine && r.size === run.size);
  if (i >= 0) results[i] = run;
  else results.push(run);
  writeFileSync(resultsFile, JSON.stringify(results, null, 1));
}

for (const file of values['import-run']) {
  keep({
    ...(JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!) as Run),
    ranAt: new Date().toISOString(),
  });
}
for (const note of values.note) {
  const m = /^([a-z0-9]+)@(\d+):\s*(.+)$/s.exec(note);
  if (!m) throw new Error(`--note wants "ENGINE@SIZE: why", got ${JSON.stringify(note)}`);
  keep({ engine: m[1]!, size: Number(m[2]), error: m[3]!, ranAt: new Date().toISOString() });
}

if (!values['doc-only']) {
  for (const size of values.sizes.split(',').map(Number)) {
    const file = `${dataDir}/synth-${size}-seed1.jsonl`;
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: node --import tsx bench/synth/generate.ts --count ${size} --out ${file}`,
      );
    const mixFile = `${dataDir}/search-mix-${size}.json`;
    writeFileSync(mixFile, JSON.stringify(await buildMix(file)));
    for (const engine of values.engines.split(',')) {
      console.log(`${engine} at ${size}…`);
      const child = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          `--max-old-space-size=${heapMb}`,
          '--import',
          'tsx',
          'bench/search/worker.ts',
          ...[
            '--engine',
            engine,
            '--file',
            file,
            '--size',
            String(size),
            '--mix',
            mixFile,
            '--rounds',
            values.rounds,
            ...(values['no-warm-up'] ? ['--no-warm-up'] : []),
          ],
        ],
        { cwd: root, encoding: 'utf8', timeout: Number(values['timeout-min']) * 60_000, maxBuffer: 1 << 26 },
      );
      const line = child.stdout?.trim().split('\n').pop() ?? '';
      let run: Run;
      try {
        run = { ...(JSON.parse(line) as Run), ranAt: new Date().toISOString() };
      } catch {
        const why =
          child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
            ? `did not finish within ${values['timeout-min']} min`
            : /heap out of memory|Allocation failed/i.test(child.stderr ?? '')
              ? `ran out of memory (V8 heap limit ${heapMb} MiB)`
              : `failed (exit ${child.status ?? child.signal}): ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
        run = { engine, size, error: why, ranAt: new Date().toISOString() };
      }
      console.log(
        run.error ?? `  build ${run.buildSeconds?.toFixed(1)} s, serving ${run.servingMiB?.toFixed(0)} MiB`,
      );
      const i = results.findIndex((r) => r.engine === engine && r.size === size);
      if (i >= 0) results[i] = run;
      else results.push(run);
      writeFileSync(resultsFile, JSON.stringify(results, null, 1));
    }
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function table(size: number): string {
  const runs = results
    .filter((r) => r.size === size)
    .sort((a, b) => ENGINE_NAMES.indexOf(a.engine as never) - ENGINE_NAMES.indexOf(b.engine as never));
  const ours = runs.find((r) => r.engine === 'paperscope' && r.latencies);
  const warm = (r: Run) => r.latencies!.flatMap((l) => l.ms);
  const cold = (r: Run) => r.latencies!.map((l) => l.coldMs);
  const rows = runs.map((r) => {
    if (!r.latencies) return `| ${r.engine} | — | — | — | — | — | — | — | — | ${r.error} |`;
    const ratio = ours && r !== ours ? `${(pct(warm(r), 95) / pct(warm(ours), 95)).toFixed(1)}×` : '';
    return `| ${r.engine} | ${r.buildSeconds!.toFixed(0)} | ${f(pct(warm(r), 50))} | ${f(pct(warm(r), 95))} | ${f(pct(warm(r), 99))} | ${f(pct(cold(r), 50))} / ${f(pct(cold(r), 95))} | ${r.warmUp ? r.warmUp.seconds.toFixed(1) : '–'} | ${r.buildPeakMiB!.toFixed(0)} | ${r.servingMiB!.toFixed(0)} | ${ratio} |`;
  });
  const kinds = ours
    ? [...new Set(ours.latencies!.map((l) => l.kind))].map((kind) => {
        const cells = runs.map((r) => {
          if (!r.latencies) return '—';
          const ms = r.latencies.filter((l) => l.kind === kind).flatMap((l) => l.ms);
          return `${f(pct(ms, 50))} / ${f(pct(ms, 95))}`;
        });
        return `| ${kind} | ${cells.join(' | ')} |`;
      })
    : [];
  return [
    `### ${size.toLocaleString('en')} papers`,
    '',
    '| engine | build s | p50 ms | p95 ms | p99 ms | cold p50 / p95 ms | warm-up s | build peak RSS MiB | serving RSS MiB | p95 vs Paperscope |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `By kind, warm p50 / p95 ms: | ${runs.map((r) => r.engine).join(' | ')} |`,
    '',
    `| kind | ${runs.map((r) => r.engine).join(' | ')} |`,
    `| --- | ${runs.map(() => '---:').join(' | ')} |`,
    ...kinds,
  ].join('\n');
}

const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
const machine = describeMachine();
const body = `## Search

\`npm run bench:search -- --sizes ${sizes.join(',')}\` (${machineLine(machine)}; last run ${results
  .map((r) => r.ranAt)
  .sort()
  .pop()
  ?.slice(0, 16)}Z).

Each engine runs in a process of its own, fed the same papers from the synthetic bulk file
\`/tmp/paperscope-bench/synth-N-seed1.jsonl\` (read straight from the JSON lines for every
engine, not from a Paperscope store, so all pay the same reading cost in "build"), then asked
the same fixed mix of ${results.find((r) => r.latencies)?.latencies?.length ?? 40} queries picked from the file's first 20,000 papers: 10 rare title
words, 5 common words (\`learning\`, \`model\`, …), 10 two-word phrases, 10 \`author:"First Last"
year:Y\`, 5 \`a -b\`. Each query runs once cold (its first time after the build and, for
Paperscope, after the warm-up a server runs once its index is loaded: "warm-up s") and
${values.rounds} times warm. Top 20 ids per query. Paperscope also counts every match and computes
the facets (years, categories, authors, has-code) for each query; the peers return ids only.
Peers without phrases answer a phrase as all its words; without NOT, as a set difference;
the year filter is MiniSearch's \`filter\`, FlexSearch's tag, Orama's \`where\`. FTS5 keeps its
index in a file (the page cache is not in its RSS); so, since session 5, do Paperscope's
positions: its index is saved to a file after the build and read back as a server holds it
(since session 6 its postings too: a word's list and a phrase's positions are read from the
file when a query needs them; the commonest words are kept decoded).
"Serving RSS" is the process after the build and a garbage collection, after the queries;
"build peak" is the most it held.
Paperscope keeps, while the index is unchanged and within 256 MiB, the decoded postings of
leaves with ≥ 20,000 matches (and their 1,000 best papers, and the facets of a query that is
that one leaf), and the matches of a phrase whose positional check read ≥ 100,000 postings:
so the warm figures for common words and for most phrases at 1M and above are those of a kept
leaf, as a second page of the same search would be; the cold column is the first time a query
is asked. A phrase reads positions only for the papers that have all its words, and of a
common word only the stretches of 32 postings that hold one (found through a skip table built
on the word's first phrase).

The machine is shared by eight people building at once (load average between 1 and 20 on
2 cores over these runs), so every figure is inflated and noisy; ratios from the same run
are the fairer reading.

${sizes.map(table).join('\n\n')}
`;
writeBenchSection(resolve(root, 'docs/benchmarks.md'), 'search', body, machine);
console.log(body);

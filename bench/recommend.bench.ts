/**
 * Recommendation latency at 100k and 1M synthetic papers (the arXiv bulk records of
 * `bench/synth/`), measured on the serving path: the similarity index (`NeighbourIndex`, as
 * `paperscope.similarity` builds it) is built once, then requests — 3 liked papers drawn at
 * random — go through `Recommender` with the papers held in memory (a store adds a few
 * primary-key reads per candidate). Also the arxiv-sanity-lite way (`SvmBaseline`: an SVM over
 * every paper per request) at the sizes given with --baseline-sizes. Rewrites the
 * `<!-- bench:recommend -->` section of docs/benchmarks.md.
 *
 *   node --import tsx bench/recommend.bench.ts --sizes 100000,1000000 [--requests 20] [--baseline-sizes 100000]
 *
 * Input: /tmp/paperscope-bench/synth-<size>-seed1.jsonl (write it with bench/synth/generate.ts).
 */
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SvmBaseline } from '../src/discovery/recommend/baseline.ts';
import { mulberry32 } from '../src/discovery/recommend/linear-svm.ts';
import { type RecommendCorpus, Recommender } from '../src/discovery/recommend/recommender.ts';
import { loadIndex } from '../src/discovery/similar/index-file.ts';
import { NeighbourIndex } from '../src/discovery/similar/neighbour-index.ts';
import type { Paper } from '../src/domain/paper.ts';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, machineLine } from './machine.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const DIR = process.env['PAPERSCOPE_BENCH_DIR'] ?? '/tmp/paperscope-bench';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    requests: { type: 'string', default: '20' },
    'baseline-sizes': { type: 'string', default: '100000' },
    'baseline-requests': { type: 'string', default: '3' },
    /** A folder with similar-<size>.index files saved by bench/similar.bench.ts: loaded instead of built. */
    'index-dir': { type: 'string' },
    /** Sizes measured by an earlier run (rows saved in --work), shown beside these. */
    saved: { type: 'string', default: '' },
    'no-doc': { type: 'boolean', default: false },
    work: { type: 'string', default: '/tmp/paperscope-bench' },
  },
});
const sizes = values.sizes
  .split(',')
  .filter((s) => s.trim())
  .map(Number);
const requests = Number(values.requests);
const baselineSizes = new Set(values['baseline-sizes'].split(',').filter(Boolean).map(Number));

async function readPapers(size: number): Promise<Paper[]> {
  const file = join(DIR, `synth-${size}-seed1.jsonl`);
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: node --import tsx bench/synth/generate.ts --count ${size} --out ${file}`,
    );
  const papers: Paper[] = [];
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as {
      id: string;
      title: string;
      abstract: string;
      authors: string;
      categories: string;
    };
    papers.push({
      id: papers.length + 1,
      ids: { arxiv: r.id },
      title: r.title.replace(/\s+/g, ' ').trim(),
      abstractText: r.abstract.replace(/\s+/g, ' ').trim(),
      authors: r.authors
        .replace(/\s+/g, ' ')
        .split(/, | and /)
        .map((display) => ({ name: { display } })),
      versions: [],
      categories: r.categories.split(' '),
      codeLinks: [],
      sources: [],
      via: {},
    } as unknown as Paper);
  }
  return papers;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  size: number;
  buildS: number;
  firstMs: number;
  p50: number;
  p95: number;
  max: number;
  candidates: number;
  rssMiB: number;
  /** The index was loaded from a file saved by the similar-papers benchmark (buildS is its load). */
  loaded?: boolean;
  baseline?: { buildS: number; meanMs: number; requests: number };
}

async function measure(size: number): Promise<Row> {
  const papers = await readPapers(size);
  console.log(`${size}: ${papers.length} papers read`);
  let t = performance.now();
  let last = 0;
  const saved = values['index-dir'] ? join(values['index-dir'], `similar-${size}.index`) : undefined;
  const index =
    saved && existsSync(saved)
      ? NeighbourIndex.fromParts(loadIndex(saved).parts)
      : await NeighbourIndex.build(
          {
            count: papers.length,
            async *pages() {
              for (let i = 0; i < papers.length; i += 5000) yield papers.slice(i, i + 5000);
            },
          },
          {},
          undefined,
          (phase, done, total) => {
            if (performance.now() - last > 30_000) {
              last = performance.now();
              console.log(`  ${phase} ${done}/${total} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
            }
          },
        );
  const buildS = (performance.now() - t) / 1000;
  const loaded = saved !== undefined && existsSync(saved);
  console.log(`  index ${loaded ? 'loaded' : 'built'} in ${buildS.toFixed(1)} s (${index.size} papers)`);
  const corpus: RecommendCorpus = {
    similarityIndex: async () => index,
    getPaper: (id) => papers[id - 1],
    findPaper: (ref) => papers[Number(ref) - 1],
    samplePapers: (n, seed) => {
      const random = mulberry32(seed);
      return Array.from({ length: n }, () => papers[Math.floor(random() * papers.length)]!);
    },
  };
  const recommender = new Recommender(corpus);
  const random = mulberry32(7);
  // Liked papers among the indexed ones (an index saved by the similar-papers benchmark leaves the
  // file's last 200 papers out: they arrive later there).
  const like = () => Array.from({ length: 3 }, () => 1 + Math.floor(random() * index.size));
  t = performance.now();
  const first = await recommender.recommend({ like: like(), limit: 20 });
  const firstMs = performance.now() - t;
  const times: number[] = [];
  let candidates = first.candidates;
  for (let i = 0; i < requests; i++) {
    t = performance.now();
    const r = await recommender.recommend({ like: like(), limit: 20 });
    times.push(performance.now() - t);
    candidates += r.candidates;
  }
  times.sort((a, b) => a - b);
  const row: Row = {
    size,
    buildS,
    firstMs,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.at(-1)!,
    candidates: Math.round(candidates / (requests + 1)),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    loaded,
  };
  console.log(
    `  recommend: first ${firstMs.toFixed(0)} ms, p50 ${row.p50.toFixed(0)} ms, p95 ${row.p95.toFixed(0)} ms`,
  );
  if (baselineSizes.has(size)) {
    t = performance.now();
    const baseline = SvmBaseline.build(papers);
    const bBuild = (performance.now() - t) / 1000;
    const n = Number(values['baseline-requests']);
    t = performance.now();
    for (let i = 0; i < n; i++) baseline.recommend(like(), 20);
    row.baseline = { buildS: bBuild, meanMs: (performance.now() - t) / n, requests: n };
    console.log(`  baseline: build ${bBuild.toFixed(1)} s, ${row.baseline.meanMs.toFixed(0)} ms a request`);
  }
  return row;
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const rows: Row[] = [];
  const rowFile = (size: number) => join(values.work, `recommend-row-${size}.json`);
  for (const size of values.saved.split(',').filter((x) => x.trim()))
    rows.push(JSON.parse(readFileSync(rowFile(Number(size)), 'utf8')) as Row);
  for (const size of sizes) {
    const row = await measure(size);
    writeFileSync(rowFile(size), JSON.stringify(row));
    rows.push(row);
  }
  rows.sort((a, b) => a.size - b.size);
  const table = rows
    .map(
      (r) =>
        `| ${r.size.toLocaleString('en')} | ${r.loaded ? `loaded from its file in ${r.buildS.toFixed(0)} s` : `${r.buildS.toFixed(0)} s`} | ${r.firstMs.toFixed(0)} ms | ${r.p50.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${r.max.toFixed(0)} ms | ${r.candidates} | ${r.baseline ? `${(r.baseline.meanMs / 1000).toFixed(1)} s (${r.baseline.requests} requests; its tf-idf ${r.baseline.buildS.toFixed(0)} s)` : 'not run'} | ${r.rssMiB} MiB |`,
    )
    .join('\n');
  const body = `## Recommendations

Run on ${new Date().toISOString().slice(0, 10)}, ${machineLine(machine)}, with
\`node --import tsx bench/recommend.bench.ts --sizes SIZE --requests ${requests} --baseline-sizes ${values['baseline-sizes']} --work ${values.work}\`
(one size a run, the rows put together with \`--saved\`; at 1,000,000 and 2,900,000 with \`--index-dir\`:
the index the similar-papers benchmark built and saved, loaded)
over the synthetic arXiv records of \`bench/synth/\` (seed 1), held in memory. Each request likes 3
papers drawn at random and asks for 20. "First" includes drawing and weighing the 300 random
negatives, which later requests reuse. The index is \`NeighbourIndex\` as \`paperscope.similarity\`
builds it (learned vocabulary and basis, int8 vectors, inverted file above 20,000 papers; no
neighbour list computed at build: a request computes the 150 neighbours of each liked paper through
the inverted file). Candidates' tf-idf vectors are read from the index, not weighed from their text
again. RSS is the process's after the run, the papers' text held in memory included.

| papers | index build | first request | p50 | p95 | max | candidates | arxiv-sanity-lite style SVM over all papers, per request | RSS |
|---:|---:|---:|---:|---:|---:|---:|---|---:|
${table}
`;
  if (!values['no-doc']) writeBenchSection(DOC, 'recommend', body, machine);
  console.log(body);
}

await main();

import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { AuthorReader } from '../src/discovery/authors/author-data.ts';
import { AuthorSummarizer } from '../src/discovery/authors/summarize.ts';
import { openDatabase } from '../src/store/sqlite/database.ts';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, gitRevision, machineLine } from './machine.ts';
import { prng } from './page-sample.ts';

/**
 * The background pass that summarizes every author (`author_summaries`), as a server runs it:
 * the job's worker thread computes everyone in bulk from one reading of the knowledge base and
 * the main thread writes the rows in large transactions. Timed from start to the last row
 * written, by phase (counting the corpus's common terms, reading the knowledge base, summarizing
 * and writing), with the peak RSS of the process (the worker thread included). Beside it, the
 * per-person summarizer the pass replaced, over a random sample of the same authors, on the
 * same machine in the same run: the ratio is the figure to compare.
 *
 *   node --import tsx bench/author-summaries.bench.ts --data DIR [--sample 200] [--seed 1] [--no-doc]
 *
 * DIR is a data folder with a store (it is migrated and its summaries are rewritten: use a copy).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mib = (n: number) => (n / 2 ** 20).toFixed(0);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      sample: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      'no-doc': { type: 'boolean', default: false },
    },
  });
  if (!values.data)
    throw new Error('--data DIR: a data folder with a store (a copy: its summaries are rewritten)');
  const sampleSize = Number(values.sample);
  const random = prng(Number(values.seed));
  const machine = describeMachine();
  const loadBefore = loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');
  console.log(`machine: ${machineLine(machine)}; load ${loadBefore}`);

  const paperscope = Paperscope.open(loadConfig({}, { data: values.data }));
  const file = paperscope.store.file;
  const db = paperscope.store.readDb;
  const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  const people = db.prepare('SELECT DISTINCT author_id FROM paper_authors').pluck().all() as number[];
  console.log(
    `${papers.toLocaleString('en')} papers, ${people.length.toLocaleString('en')} authors with papers`,
  );

  // The per-person summarizer, as the pass ran before: a random sample, one after another.
  const sample: number[] = [];
  const chosen = new Set<number>();
  while (sample.length < Math.min(sampleSize, people.length)) {
    const id = people[Math.floor(random() * people.length)]!;
    if (!chosen.has(id)) {
      chosen.add(id);
      sample.push(id);
    }
  }
  const oneDb = openDatabase(file, { readonly: true });
  const reader = new AuthorReader(oneDb, file);
  await reader.termsReady();
  const one = new AuthorSummarizer(reader, 5_000);
  const oneStart = performance.now();
  for (const id of sample) one.stored(id);
  const oneSeconds = (performance.now() - oneStart) / 1000;
  const oneRate = sample.length / oneSeconds;
  oneDb.close();
  console.log(
    `per person: ${sample.length} authors in ${oneSeconds.toFixed(1)} s, ${oneRate.toFixed(1)}/s (a full pass: ${(people.length / oneRate / 3600).toFixed(1)} h)`,
  );

  // The pass, from nothing stored.
  await paperscope.store.write((w) => w.exec('DELETE FROM author_summaries'));
  const rssStart = process.memoryUsage().rss;
  let peak = rssStart;
  const phases = new Map<string, number>();
  const started = performance.now();
  const watch = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    const phase = paperscope.authors.summaryProgress.phase;
    if (!phases.has(phase)) phases.set(phase, performance.now());
  }, 100);
  if (!paperscope.authors.startSummaries())
    throw new Error(`${papers} papers: too few for background summaries (20,000 at least)`);
  await paperscope.authors.summariesReady();
  clearInterval(watch);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - started) / 1000;
  const progress = paperscope.authors.summaryProgress;
  const stored = db.prepare('SELECT count(*) FROM author_summaries').pluck().get() as number;
  const bytes = db.prepare('SELECT sum(length(data)) FROM author_summaries').pluck().get() as number;
  await paperscope.authors.close();
  paperscope.close();
  const at = (phase: string) => ((phases.get(phase) ?? started) - started) / 1000;
  const terms = at('planning');
  const reading = at('summarizing') - at('planning');
  const summarizing = seconds - at('summarizing');
  const rate = progress.done / seconds;
  const loadAfter = loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');
  if (stored !== people.length || progress.failures > 0)
    throw new Error(`${stored} rows for ${people.length} authors, ${progress.failures} failures`);

  const body = `## Author summaries: the pass over everyone

The background pass that fills \`author_summaries\` (what an author page shows: profile, co-authors,
years, categories, terms, network, sources, "possibly the same person" with evidence, the hundred
newest papers), as a server runs it: a worker thread reads the knowledge base once into typed arrays
and computes every person from memory (\`src/discovery/authors/bulk-summaries.ts\`); the main thread
writes the rows, 500 a transaction. ${papers.toLocaleString('en')} papers, ${people.length.toLocaleString('en')} authors with papers; nothing stored at the start.

| | seconds |
| --- | ---: |
| counting the corpus's common terms (once per server) | ${terms.toFixed(1)} |
| reading the knowledge base (one snapshot, a few ordered scans) | ${reading.toFixed(1)} |
| summarizing and writing everyone | ${summarizing.toFixed(1)} |
| **the whole pass** | **${seconds.toFixed(1)}** |

- **${rate.toFixed(0)} authors/s over the whole pass** (${(progress.done / Math.max(0.001, summarizing)).toFixed(0)}/s once read);
  the per-person summarizer it replaced, on a random sample of ${sample.length} of the same authors in the same run:
  ${oneRate.toFixed(1)}/s, a full pass of ${(people.length / oneRate / 3600).toFixed(1)} h — **${(rate / oneRate).toFixed(0)}× faster**.
- Peak RSS of the process (server thread and worker): ${mib(peak)} MiB (${mib(rssStart)} MiB before the pass).
- ${stored.toLocaleString('en')} rows written, ${mib(bytes)} MiB of JSON.
- Load average of the machine (shared with other work): ${loadBefore} before, ${loadAfter} after.

- command: \`node --import tsx bench/author-summaries.bench.ts --data DIR --sample ${sampleSize} --seed ${values.seed}\`
- machine: ${machineLine(machine)}
- revision: ${gitRevision(repoRoot)}, ${new Date().toISOString().slice(0, 10)}`;
  console.log(body);
  if (!values['no-doc'])
    writeBenchSection(join(repoRoot, 'docs', 'benchmarks.md'), 'author-summaries', body, machine);
}

await main();

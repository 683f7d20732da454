import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { createApp } from '../src/server/app.tsx';
import { startServer } from '../src/server/serve.ts';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, gitRevision, machineLine } from './machine.ts';
import { percentile, prng } from './page-sample.ts';

/**
 * The author page under a bounded local load: a real server on 127.0.0.1, a fixed number of
 * clients each asking for `/author/:id` pages one after another, over a sample of authors
 * (the most prolific, and others drawn at random). First visits are timed twice: with nothing
 * summarized (profile, distinctive terms and suggestions computed on the request, as before the
 * background job has reached the person), and after the background job has summarized the
 * sample (what every first visit costs once its pass is done), on a fresh server with empty
 * caches; then repeat visits (served from the profile cache).
 *
 *   node --import tsx bench/author-page.bench.ts --data DIR [--sample 200] [--requests 4000]
 *     [--clients 4] [--seed 1] [--no-doc]
 *
 * DIR is a data folder with a store made by `npm run bench:import -- --keep` (it is migrated
 * to the current schema: use a copy).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      sample: { type: 'string', default: '200' },
      requests: { type: 'string', default: '4000' },
      clients: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      'no-doc': { type: 'boolean', default: false },
      cold: { type: 'boolean', default: false },
    },
  });
  if (!values.data) throw new Error('--data DIR: a data folder with a store to read');
  const sample = Number(values.sample);
  const requests = Number(values.requests);
  const clients = Number(values.clients);
  const random = prng(Number(values.seed));
  const machine = describeMachine();
  const loadAverage = loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');
  console.log(`machine: ${machineLine(machine)}`);

  let paperscope = Paperscope.open(loadConfig({}, { data: values.data }));
  const db = paperscope.store.readDb;
  const papers = db.prepare('SELECT max(id) FROM papers').pluck().get() as number;
  const maxAuthor = db.prepare('SELECT max(id) FROM authors').pluck().get() as number;
  const prolific = db
    .prepare('SELECT author_id FROM paper_authors GROUP BY author_id ORDER BY count(*) DESC LIMIT ?')
    .pluck()
    .all(Math.max(1, Math.floor(sample / 10))) as number[];
  if (!maxAuthor || prolific.length === 0)
    throw new Error(`${values.data} holds no authors: import papers first`);
  const exists = db.prepare('SELECT 1 FROM authors WHERE id = ?').pluck();
  const ids = new Set(prolific);
  for (let tries = 0; ids.size < sample && tries < sample * 100; tries++) {
    const id = 1 + Math.floor(random() * maxAuthor);
    if (exists.get(id)) ids.add(id);
  }
  const authors = [...ids];
  const biggest = db
    .prepare('SELECT count(*) FROM paper_authors WHERE author_id = ?')
    .pluck()
    .get(prolific[0]) as number;
  console.log(
    `${papers} papers, ${maxAuthor} authors; sample ${authors.length} (most prolific: ${biggest} papers)`,
  );

  // A server counts the corpus's common terms once (in the background, on first use); here
  // it is waited for, unless --cold, so that first visits are measured as they are after it.
  const warmStart = performance.now();
  if (!values.cold) await paperscope.authors.warmUp();
  const warmSeconds = (performance.now() - warmStart) / 1000;
  // Nothing summarized: no background job, so the page computes everything on the request.
  // Summaries a copy already holds are set aside for this part (the table is emptied: use a copy).
  await paperscope.store.write((w) => w.exec('DELETE FROM author_summaries'));
  let server = await startServer(paperscope, '127.0.0.1', 0);
  await paperscope.authors.close();
  const get = async (id: number): Promise<number> => {
    const start = performance.now();
    const res = await fetch(`${server.url}/author/${id}`);
    await res.text();
    if (res.status !== 200) throw new Error(`/author/${id} answered ${res.status}`);
    return performance.now() - start;
  };

  const unsummarized: number[] = [];
  for (const id of authors) unsummarized.push(await get(id));
  await server.close();

  // The background job summarizes the sample (as its pass over everyone would), then a fresh
  // server with empty caches serves the first visits from the stored summaries.
  const summarizing = performance.now();
  paperscope.authors.startSummaries();
  // The job first counts the corpus's terms and plans its pass: the rate is timed from then on.
  let passStarted: number | undefined;
  const watch = setInterval(() => {
    if (passStarted === undefined && paperscope.authors.summaryProgress.phase === 'summarizing')
      passStarted = performance.now();
  }, 50);
  await paperscope.authors.summarize(authors);
  clearInterval(watch);
  await paperscope.authors.close();
  const summarySeconds = (performance.now() - summarizing) / 1000;
  const startSeconds = ((passStarted ?? summarizing) - summarizing) / 1000;
  const rate = authors.length / Math.max(0.001, summarySeconds - startSeconds);
  paperscope.close();
  paperscope = Paperscope.open(loadConfig({}, { data: values.data }));
  await paperscope.authors.warmUp();
  server = await startServer(paperscope, '127.0.0.1', 0);
  await paperscope.authors.close();
  const first: number[] = [];
  for (const id of authors) first.push(await get(id));

  const repeat: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        next++;
        repeat.push(await get(authors[Math.floor(random() * authors.length)]!));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await server.close();

  // The same pages asked for in-process by one client: the time the page itself takes, apart
  // from HTTP and from the other clients (on a shared machine, the most stable figure here).
  const site = createApp(paperscope);
  const inProcess: number[] = [];
  for (let i = 0; i < Math.min(requests, 1000); i++) {
    const id = authors[Math.floor(random() * authors.length)]!;
    const start = performance.now();
    const res = await site.request(`/author/${id}`);
    await res.text();
    inProcess.push(performance.now() - start);
  }
  const rss = process.memoryUsage().rss;
  paperscope.close();

  unsummarized.sort((a, b) => a - b);
  first.sort((a, b) => a - b);
  repeat.sort((a, b) => a - b);
  inProcess.sort((a, b) => a - b);
  const ms = (n: number) => n.toFixed(1);
  const rows = [
    `| first visit, nothing summarized (${unsummarized.length}, one at a time) | ${ms(percentile(unsummarized, 50))} | ${ms(percentile(unsummarized, 95))} | ${ms(percentile(unsummarized, 99))} | ${ms(unsummarized.at(-1)!)} |`,
    `| first visit, summarized (${first.length}, one at a time, fresh server) | ${ms(percentile(first, 50))} | ${ms(percentile(first, 95))} | ${ms(percentile(first, 99))} | ${ms(first.at(-1)!)} |`,
    `| repeat visits (${repeat.length}, ${clients} clients) | ${ms(percentile(repeat, 50))} | ${ms(percentile(repeat, 95))} | ${ms(percentile(repeat, 99))} | ${ms(repeat.at(-1)!)} |`,
    `| repeat visits in-process (${inProcess.length}, one client, no HTTP) | ${ms(percentile(inProcess, 50))} | ${ms(percentile(inProcess, 95))} | ${ms(percentile(inProcess, 99))} | ${ms(inProcess.at(-1)!)} |`,
  ];
  const body = `## Author page

\`GET /author/:id\` over HTTP on 127.0.0.1 (a real server, bounded load), ${papers.toLocaleString('en')} papers,
${maxAuthor.toLocaleString('en')} authors; a sample of ${authors.length} authors (the ${prolific.length} most prolific — the top one has
${biggest} papers — and others at random). With nothing summarized, a first visit computes the profile
(papers, co-authors, distinctive terms against the index vocabulary, "possibly the same person") on the
request. A server on a large store summarizes every author in a background worker thread and stores the
result (\`author_summaries\`); a first visit then reads one row, the person's papers and the 25 shown.
Here the background job summarized the sample (${summarySeconds.toFixed(0)} s for ${authors.length} authors, of which ${startSeconds.toFixed(0)} s counting terms and planning its pass:
${rate.toFixed(1)} authors/s on one worker thread) before a fresh server was asked. At that rate a pass over all ${maxAuthor.toLocaleString('en')} authors takes about
${(maxAuthor / rate / 3600).toFixed(1)} h (less: the sample leans to the most prolific, and people sharing an initial key are read once for all of them);
until it reaches someone, their page is computed on the request, with the suggestions left to the job.
Repeat visits are served from the profile cache (kept until the store changes). Target: p95 ≤ 50 ms at 1M papers.

What grows with the corpus: a repeat visit reads the cached profile and the 25 papers shown by id
(no scan); a summarized first visit reads the stored row, the person's papers (to sort them) and checks
that no paper of theirs changed since; an unsummarized one also joins over everyone on the person's
papers (tens of thousands of people for a member of a large collaboration) and compares the people who
share an initial key. Counting the common terms is one pass over the index vocabulary per server.

| requests | p50 ms | p95 ms | p99 ms | max ms |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Throughput of the repeat visits: ${(repeat.length / seconds).toFixed(0)} pages/s; RSS at the end ${(rss / 2 ** 20).toFixed(0)} MiB.
${values.cold ? 'Cold start: the common terms were counted while the pages were asked for.' : `Counting the corpus's common terms first (once per server, in the background): ${warmSeconds.toFixed(1)} s.`}
Load average of the machine (shared with other work) at the start: ${loadAverage}.

- command: \`node --import tsx bench/author-page.bench.ts --data DIR --sample ${sample} --requests ${requests} --clients ${clients} --seed ${values.seed}${values.cold ? ' --cold' : ''}\`
- machine: ${machineLine(machine)}
- revision: ${gitRevision(repoRoot)}, ${new Date().toISOString().slice(0, 10)}`;
  console.log(body);
  if (!values['no-doc'])
    writeBenchSection(join(repoRoot, 'docs', 'benchmarks.md'), 'author-page', body, machine);
}

await main();

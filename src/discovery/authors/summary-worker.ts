import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../store/sqlite/database.ts';
import { AuthorReader } from './author-data.ts';
import { AuthorSummarizer } from './summarize.ts';
import type { TermFrequencyOptions } from './term-frequencies.ts';

/**
 * The worker thread behind `AuthorSummaryJob`: on its own read-only connection it computes the
 * summary of every author whose stored one is missing or stale, the most prolific first (their
 * pages are the slow ones), people asked for by a page before the rest, and then watches for
 * changed papers. It never writes: summaries go to the main thread, the store's one writer.
 */

export interface WorkerInput {
  file: string;
  terms?: TermFrequencyOptions;
  /** How often to look for changed papers once everyone is summarized. */
  pollMs: number;
}

export type ToWorker = { type: 'urgent'; ids: number[] } | { type: 'stop' };

export interface SummaryRow {
  id: number;
  seq: number;
  data: string;
}

export type FromWorker =
  | { type: 'summaries'; rows: SummaryRow[] }
  | { type: 'progress'; phase: JobPhase; done: number; total: number }
  | { type: 'failed'; id: number; message: string };

export type JobPhase = 'counting terms' | 'planning' | 'summarizing' | 'watching';

const BATCH = 100;
const BATCH_MS = 250;

const input = workerData as WorkerInput;
const port = parentPort!;
const db = openDatabase(input.file, { readonly: true });
const reader = new AuthorReader(db, input.file, input.terms);
const summarizer = new AuthorSummarizer(reader, 5_000);
const urgent: number[] = [];
let stopped = false;

/** Ends the wait between looks for changed papers: a page asked for someone, or stop. */
let wake: (() => void) | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') stopped = true;
  else urgent.push(...message.ids);
  wake?.();
});

const post = (message: FromWorker) => port.postMessage(message);
/** A turn of the event loop: messages from the main thread (urgent authors, stop) are read here. */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(): Promise<void> {
  post({ type: 'progress', phase: 'counting terms', done: 0, total: 0 });
  await reader.termsReady();
  post({ type: 'progress', phase: 'planning', done: 0, total: 0 });
  let seenSeq = reader.latestSeq();
  // Everyone with papers: how many, the latest change among them, and their initial key.
  const everyone = db
    .prepare(
      `SELECT pa.author_id, count(*), max(c.seq),
              (SELECT min(initial_key) FROM author_names n WHERE n.author_id = pa.author_id)
       FROM paper_authors pa JOIN paper_changes c ON c.paper_id = pa.paper_id
       GROUP BY pa.author_id`,
    )
    .raw()
    .all() as [number, number, number, string | null][];
  const storedSeq = new Map(
    db.prepare('SELECT author_id, seq FROM author_summaries').raw().all() as [number, number][],
  );
  // People who share an initial key (`m wang`) are each other's candidates: taken one after
  // another, each is read once for all of them. The groups go heaviest member first, so the
  // people whose pages are slowest to compute on a request are summarized early.
  const heaviest = new Map<string, number>();
  for (const [, n, , key] of everyone) heaviest.set(key ?? '', Math.max(heaviest.get(key ?? '') ?? 0, n));
  const queue = everyone
    .filter(([id, , seq]) => storedSeq.get(id) !== seq)
    .sort(
      (a, b) =>
        heaviest.get(b[3] ?? '')! - heaviest.get(a[3] ?? '')! ||
        (a[3] ?? '').localeCompare(b[3] ?? '') ||
        b[1] - a[1] ||
        a[0] - b[0],
    )
    .map(([id]) => id);
  storedSeq.clear();
  let next = 0;
  let done = 0;
  let rows: SummaryRow[] = [];
  let flushedAt = performance.now();
  const flush = () => {
    if (rows.length > 0) post({ type: 'summaries', rows });
    rows = [];
    flushedAt = performance.now();
    post({
      type: 'progress',
      phase: next < queue.length ? 'summarizing' : 'watching',
      done,
      total: queue.length,
    });
  };
  post({ type: 'progress', phase: 'summarizing', done, total: queue.length });
  const finished = new Set<number>();
  while (!stopped) {
    const asked = urgent.shift();
    let id = asked;
    if (id === undefined && next < queue.length) id = queue[next++];
    if (id === undefined) {
      flush();
      // Everyone is summarized: wait, then take the authors of papers changed since.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, input.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      const latest = reader.latestSeq();
      if (latest > seenSeq) {
        const changed = db
          .prepare(
            `SELECT DISTINCT pa.author_id FROM paper_changes c JOIN paper_authors pa ON pa.paper_id = c.paper_id
             WHERE c.seq > ?`,
          )
          .pluck()
          .all(seenSeq) as number[];
        seenSeq = latest;
        urgent.push(...changed);
        summarizer.forgetSketches();
      }
      continue;
    }
    // The pass skips someone a page asked for already; a page's request is always computed.
    if (asked === undefined && finished.has(id)) {
      done++;
      continue;
    }
    try {
      const computed = summarizer.stored(id);
      if (computed) rows.push({ id, seq: computed.seq, data: JSON.stringify(computed.summary) });
    } catch (err) {
      post({ type: 'failed', id, message: (err as Error).message });
    }
    finished.add(id);
    if (asked === undefined) done++;
    // Someone waits for a page-asked summary: send it at once.
    if (asked !== undefined || rows.length >= BATCH || performance.now() - flushedAt > BATCH_MS) flush();
    await yieldTurn();
  }
  flush();
  db.close();
}

run().catch((err: Error) => post({ type: 'failed', id: 0, message: err.stack ?? err.message }));

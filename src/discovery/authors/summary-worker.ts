import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../store/sqlite/database.ts';
import { AuthorReader } from './author-data.ts';
import { BulkSummaries } from './bulk-summaries.ts';
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

/** Summaries written in one transaction: large, as the pass computes hundreds a second. */
const BATCH = 500;
const BATCH_MS = 1000;
/** How long the pass computes before it reads messages (a page asking for someone). */
const YIELD_MS = 10;

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
  // The corpus read once into memory (one snapshot): the pass computes everyone from it, with
  // no query per person. Papers changed after the snapshot are the watch's, once it is done.
  let bulk: BulkSummaries | undefined = new BulkSummaries(db, reader);
  let seenSeq = bulk.snapshotSeq;
  const storedSeq = new Map(
    db.prepare('SELECT author_id, seq FROM author_summaries').raw().all() as [number, number][],
  );
  const queue = bulk.queue.filter((id) => storedSeq.get(id) !== bulk!.authorSeq(id));
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
  let yieldedAt = performance.now();
  while (!stopped) {
    const asked = urgent.shift();
    let id = asked;
    if (id === undefined && next < queue.length) id = queue[next++];
    if (id === undefined) {
      // The pass is done: its arrays go.
      bulk = undefined;
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
      // A page's request is computed on the knowledge base as it is now; the pass, on its snapshot.
      const computed = asked === undefined && bulk ? bulk.summarize(id) : summarizer.stored(id);
      if (computed) rows.push({ id, seq: computed.seq, data: JSON.stringify(computed.summary) });
    } catch (err) {
      post({ type: 'failed', id, message: (err as Error).message });
    }
    finished.add(id);
    if (asked === undefined) done++;
    // Someone waits for a page-asked summary: send it at once.
    if (asked !== undefined || rows.length >= BATCH || performance.now() - flushedAt > BATCH_MS) flush();
    if (asked !== undefined || performance.now() - yieldedAt > YIELD_MS) {
      await yieldTurn();
      yieldedAt = performance.now();
    }
  }
  flush();
  db.close();
}

run().catch((err: Error) => post({ type: 'failed', id: 0, message: err.stack ?? err.message }));

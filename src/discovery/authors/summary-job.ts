import { Worker } from 'node:worker_threads';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { FromWorker, JobPhase, SummaryRow, ToWorker, WorkerInput } from './summary-worker.ts';
import type { TermFrequencyOptions } from './term-frequencies.ts';

export interface SummaryJobProgress {
  phase: JobPhase | 'not started' | 'stopped';
  /** Authors summarized in the pass over everyone, of `total`. */
  done: number;
  total: number;
  /** Summaries written so far (the pass and pages' requests). */
  written: number;
  failures: number;
}

export interface SummaryJobOptions {
  terms?: TermFrequencyOptions;
  /** How often the worker looks for changed papers once everyone is summarized. Default 5 s. */
  pollMs?: number;
  /** Where progress lines go: the console unless told. */
  log?: (line: string) => void;
}

/**
 * Keeps `author_summaries` filled: a worker thread computes (on its own read connection, so a
 * page never waits behind it), and this side writes what it sends through the store's one
 * writer. A page that finds no current summary asks for its author first (`prioritize`).
 */
export class AuthorSummaryJob {
  private worker: Worker | undefined;
  private state: SummaryJobProgress = { phase: 'not started', done: 0, total: 0, written: 0, failures: 0 };
  private readonly waiting = new Set<() => void>();
  private readonly listeners = new Set<(ids: readonly number[]) => void>();
  private pending: Promise<unknown> = Promise.resolve();
  private passStarted = 0;
  private reportedAt = 0;

  constructor(
    private readonly store: SqliteStore,
    private readonly options: SummaryJobOptions = {},
  ) {}

  get running(): boolean {
    return this.worker !== undefined;
  }

  get progress(): SummaryJobProgress {
    return { ...this.state };
  }

  start(): void {
    if (this.worker || this.store.file === ':memory:') return;
    const input: WorkerInput = {
      file: this.store.file,
      pollMs: this.options.pollMs ?? 5000,
      ...(this.options.terms ? { terms: this.options.terms } : {}),
    };
    const worker = new Worker(new URL('./summary-worker.mjs', import.meta.url), { workerData: input });
    // A server that is done (or a CLI command) does not wait for the pass to finish.
    worker.unref();
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (err) => {
      console.error(`paperscope: author summaries: ${err.message}`);
      this.state.failures++;
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.state.phase = 'stopped';
      this.wake();
    });
    this.worker = worker;
  }

  /** Summarize these authors before anyone else. */
  prioritize(ids: readonly number[]): void {
    if (ids.length > 0) this.worker?.postMessage({ type: 'urgent', ids: [...ids] } satisfies ToWorker);
  }

  /** Called with the authors whose summaries were just written. */
  onWritten(listener: (ids: readonly number[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the pass over everyone is done and written (for benchmarks and tests). */
  async idle(): Promise<void> {
    const alive = setInterval(() => undefined, 1000);
    try {
      while (this.worker && this.state.phase !== 'watching') {
        await new Promise<void>((resolve) => this.waiting.add(resolve));
      }
      await this.pending;
    } finally {
      clearInterval(alive);
    }
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await worker.terminate();
    await this.pending.catch(() => undefined);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'summaries':
        this.write(message.rows);
        break;
      case 'progress':
        this.report(message);
        this.state.phase = message.phase;
        this.state.done = message.done;
        this.state.total = message.total;
        this.wake();
        break;
      case 'failed':
        this.state.failures++;
        console.error(`paperscope: author summary ${message.id}: ${message.message}`);
        // Whoever waits for this person stops waiting: there will be no summary of them.
        for (const listener of this.listeners) listener([message.id]);
        break;
    }
  }

  private write(rows: SummaryRow[]): void {
    const at = new Date().toISOString();
    this.pending = this.pending
      .then(() =>
        this.store.write((db) => {
          const insert = db.prepare(
            `INSERT INTO author_summaries (author_id, seq, computed_at, data) VALUES (?, ?, ?, ?)
             ON CONFLICT (author_id) DO UPDATE SET seq = excluded.seq, computed_at = excluded.computed_at, data = excluded.data`,
          );
          for (const r of rows) insert.run(r.id, r.seq, at, r.data);
        }),
      )
      .then(() => {
        this.state.written += rows.length;
        const ids = rows.map((r) => r.id);
        for (const listener of this.listeners) listener(ids);
      })
      .catch((err: Error) => {
        // The store closed under a pass that was still running: nothing more to keep.
        if (this.worker) console.error(`paperscope: author summaries: ${err.message}`);
      });
  }

  /**
   * A line on the server's log every half minute of a long pass and when it is done, with the
   * rate: a pass over a million papers takes minutes, and whoever runs the server sees where it
   * is. Small passes (under a thousand authors) stay quiet.
   */
  private report(message: { phase: JobPhase; done: number; total: number }): void {
    const now = performance.now();
    const started = message.phase === 'summarizing' && this.state.phase !== 'summarizing';
    if (started) {
      this.passStarted = now;
      this.reportedAt = now;
    }
    const finished = message.phase === 'watching' && this.state.phase === 'summarizing';
    if (
      message.total < 1000 ||
      started ||
      !(finished || (message.phase === 'summarizing' && now - this.reportedAt >= 30_000))
    )
      return;
    this.reportedAt = now;
    const seconds = (now - this.passStarted) / 1000;
    const rate = seconds > 0 ? Math.round(message.done / seconds) : 0;
    const log = this.options.log ?? ((line: string) => console.log(`paperscope: ${line}`));
    log(
      `author summaries: ${message.done.toLocaleString('en')} of ${message.total.toLocaleString('en')}` +
        `${finished ? `, done in ${seconds.toFixed(0)} s` : ''} (${rate}/s; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB)`,
    );
  }

  private wake(): void {
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
  }
}

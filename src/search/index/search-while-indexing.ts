import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../store/sqlite/database.ts';
import { type SearchEngine, type SearchRequest, type SearchResult, SqliteSearch } from '../engine/search.ts';
import type { FromIndexWorker, IndexWorkerInput } from './index-worker.ts';
import { readSnapshotMark } from './snapshot.ts';
import { SNAPSHOT_FILE, StoreSearch } from './store-search.ts';
import { papersChangedSince } from './store-source.ts';
import type { IndexUpdate } from './update-index.ts';

/** Search as a server holds it: the index, or FTS5 while the index is brought up to date. */
export type ServedSearch = StoreSearch | SearchWhileIndexing;

export interface ServedSearchOptions {
  /** Lines for the server's log: the background build starting, its progress, the switch. */
  log?: (line: string) => void;
  /** Below this many papers the index is simply read or built before the first search. */
  smallStore?: number;
  /** Up to this many papers changed since the saved index, it is read and caught up at once. */
  smallCatchUp?: number;
}

/**
 * Search for a server, ready without holding up its start. A small store, or a saved index
 * that needs little catching up, is read at once (as the CLI does). Otherwise — no index yet
 * after an import of the arXiv, or one far behind — a worker thread builds or catches it up
 * and saves it, while searches are answered by SQLite FTS5 (`paper_search`, written with every
 * import: the same hits, order and scores, tested in `equivalence.test.ts`; slower, and
 * without spelling correction); then the saved index is read and answers from the next search
 * on. The main thread pays only that read.
 */
export function serveSearch(db: Db, storeFile: string, options: ServedSearchOptions = {}): ServedSearch {
  const smallStore = options.smallStore ?? 20_000;
  const smallCatchUp = options.smallCatchUp ?? 20_000;
  if (storeFile === ':memory:') return StoreSearch.forStore(db, storeFile);
  const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  const saved = readSnapshotMark(join(dirname(storeFile), SNAPSHOT_FILE));
  if (papers < smallStore || (saved && papersChangedSince(db, saved.mark) <= smallCatchUp))
    return StoreSearch.forStore(db, storeFile);
  return new SearchWhileIndexing(db, storeFile, options.log ?? (() => {}));
}

/** The index once it answers (at once when it already does), for what wants more than `search`. */
export function whenIndexed(search: ServedSearch): Promise<StoreSearch | undefined> {
  return search instanceof StoreSearch ? Promise.resolve(search) : search.ready;
}

/** FTS5 until the worker has the index saved; then the index. */
export class SearchWhileIndexing implements SearchEngine {
  private readonly fallback: SqliteSearch;
  private indexed: StoreSearch | undefined;
  private worker: Worker | undefined;
  private closed = false;
  /** The index once it answers; undefined if the build failed or the server closed first. */
  readonly ready: Promise<StoreSearch | undefined>;

  constructor(
    private readonly db: Db,
    private readonly storeFile: string,
    private readonly log: (line: string) => void,
  ) {
    this.fallback = new SqliteSearch(db);
    this.ready = this.build();
  }

  /** Which engine answers now. */
  get answering(): 'index' | 'sqlite' {
    return this.indexed ? 'index' : 'sqlite';
  }

  private build(): Promise<StoreSearch | undefined> {
    const started = performance.now();
    this.log('search index: bringing it up to date in the background; SQLite FTS5 answers meanwhile');
    return new Promise((resolve) => {
      const worker = new Worker(new URL('./index-worker.mjs', import.meta.url), {
        workerData: { storeFile: this.storeFile } satisfies IndexWorkerInput,
      });
      this.worker = worker;
      let update: IndexUpdate | undefined;
      let failure: string | undefined;
      let lastLog = performance.now();
      worker.on('message', (m: FromIndexWorker) => {
        if (m.type === 'progress') {
          if (performance.now() - lastLog < 30_000) return;
          lastLog = performance.now();
          const { how, done, total } = m.progress;
          this.log(
            `search index: ${how === 'built' ? 'building' : 'catching up'}, ${done} of ${total} papers`,
          );
        } else if (m.type === 'done') update = m.update;
        else failure = m.message;
      });
      worker.on('error', (err) => {
        failure = err.message;
      });
      // Read the saved index only once the worker is gone: its copy is freed by then.
      worker.on('exit', () => {
        this.worker = undefined;
        if (this.closed || !this.db.open) return resolve(undefined);
        if (!update) {
          this.log(
            `search index: not built (${failure ?? 'the worker stopped'}); SQLite FTS5 keeps answering`,
          );
          return resolve(undefined);
        }
        try {
          this.indexed = StoreSearch.forStore(this.db, this.storeFile);
        } catch (err) {
          this.log(`search index: not read (${(err as Error).message}); SQLite FTS5 keeps answering`);
          return resolve(undefined);
        }
        const seconds = (performance.now() - started) / 1000;
        this.log(
          `search index: ready, ${update.papers} papers (${update.how === 'built' ? 'built' : `caught up on ${update.indexed}`}) in ${seconds.toFixed(1)} s`,
        );
        resolve(this.indexed);
      });
    });
  }

  search(req: SearchRequest): SearchResult {
    return (this.indexed ?? this.fallback).search(req);
  }

  save(): void {
    this.indexed?.save();
  }

  /** Stop a build still running (the saved index stays as it was: it is written by rename). */
  close(): void {
    this.closed = true;
    void this.worker?.terminate();
  }
}

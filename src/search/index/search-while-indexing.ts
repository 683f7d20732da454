import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../../domain/errors.ts';
import type { Db } from '../../store/sqlite/database.ts';
import type { SearchEngine, SearchRequest, SearchResult } from '../engine/search.ts';
import type { FromIndexWorker, IndexWorkerInput } from './index-worker.ts';
import type { RankedResult } from './indexed-search.ts';
import { readSnapshotMark } from './snapshot.ts';
import { SNAPSHOT_FILE, StoreSearch } from './store-search.ts';
import { papersChangedSince } from './store-source.ts';
import type { IndexUpdate, IndexUpdateProgress } from './update-index.ts';

/** Search as a server holds it: the index, or "not yet" while the index is brought up to date. */
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
 * (an import run with `--no-index`, a deleted file) or one far behind — a worker thread builds
 * or catches it up and saves it while every other page is served; then the saved index is
 * read and answers from the next search on. The main thread pays only that read.
 *
 * Meanwhile a search is answered "not yet" (`UnavailableError`: HTTP 503) with how far the
 * build has got. Not by the SQLite engine: it is the reference, exact but slow at scale
 * (1.6 s for two words and 50 s of CPU for `learning` at 100k papers, on the one thread that
 * serves every page).
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

/**
 * "Not yet" until the worker has the index saved; then the index. Should the worker fail, the
 * index is built here, as a search did before (the server's thread held meanwhile).
 */
export class SearchWhileIndexing implements SearchEngine {
  /** Why there is no index, when neither the worker nor this thread could make one. */
  private failure: string | undefined;
  private indexed: StoreSearch | undefined;
  private progress: IndexUpdateProgress | undefined;
  private readonly started = performance.now();
  private worker: Worker | undefined;
  private closed = false;
  /** The index once it answers; undefined if the build failed or the server closed first. */
  readonly ready: Promise<StoreSearch | undefined>;

  constructor(
    private readonly db: Db,
    private readonly storeFile: string,
    private readonly log: (line: string) => void,
  ) {
    this.ready = this.build();
  }

  /** Whether the index answers yet. */
  get answering(): 'index' | 'none' {
    return this.indexed ? 'index' : 'none';
  }

  private build(): Promise<StoreSearch | undefined> {
    const started = performance.now();
    this.log('search index: bringing it up to date in the background; searches wait for it, pages do not');
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
          this.progress = m.progress;
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
        if (!update)
          this.log(`search index: not built on a worker (${failure ?? 'it stopped'}); building it here`);
        try {
          // The saved index the worker wrote (or, when it failed, a build from the store here).
          this.indexed = StoreSearch.forStore(this.db, this.storeFile);
        } catch (err) {
          this.failure = (err as Error).message;
          this.log(`search index: not built (${this.failure}); searches answer 503 until a restart`);
          return resolve(undefined);
        }
        if (!update) {
          this.log(`search index: ready, ${this.indexed.index.docs.live} papers`);
          return resolve(this.indexed);
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
    if (this.indexed) return this.indexed.search(req);
    throw new UnavailableError(this.notYet());
  }

  /** Hits ranked without their papers (what the search page ranks here and renders elsewhere). */
  rank(req: SearchRequest): RankedResult {
    if (this.indexed) return this.indexed.rank(req);
    throw new UnavailableError(this.notYet());
  }

  /** What a search is told while the index is being built: how far it has got, and a guess at when. */
  private notYet(): string {
    if (this.failure)
      return `The search index could not be built (${this.failure}); the server's log says more. Everything else works.`;
    const p = this.progress;
    if (!p || p.done === 0 || p.total === 0)
      return 'The search index is being brought up to date; search answers again in a few minutes. Everything else works meanwhile.';
    const seconds = (performance.now() - this.started) / 1000;
    const left = Math.max(0, (seconds / p.done) * (p.total - p.done));
    const eta =
      left < 90
        ? `about ${Math.max(10, Math.round(left / 10) * 10)} s`
        : `about ${Math.round(left / 60)} min`;
    return `The search index is being ${p.how === 'built' ? 'built' : 'caught up'}: ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} papers (${Math.floor((100 * p.done) / p.total)} %). Search answers again in ${eta}; everything else works meanwhile.`;
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

import { dirname, join } from 'node:path';
import type { Db } from '../../store/sqlite/database.ts';
import type { SearchEngine, SearchRequest, SearchResult } from '../engine/search.ts';
import { IndexedSearch, type RankedResult } from './indexed-search.ts';
import { SearchIndex } from './search-index.ts';
import { loadSnapshot, saveSnapshot } from './snapshot.ts';
import { StoreSource, type SyncMark } from './store-source.ts';
import { type WarmUpOptions, type WarmUpReport, warmUp } from './warm-up.ts';

export const SNAPSHOT_FILE = 'search-index.bin';

export interface StoreSearchOptions {
  /** Where to save the index between runs; none keeps it in memory only. */
  snapshotFile?: string;
  /** Told how many papers have been indexed so far, while building from the store or catching up. */
  progress?: (papers: number) => void;
  /** Build from the store even when a snapshot is there (it is replaced on `save`). */
  rebuild?: boolean;
}

/**
 * Search over a SQLite store from the index of our own: read from the snapshot in the data
 * folder when there is one (else built from the store), then kept up to date by catching up
 * on papers whose `updated_at` moved, checked before every search (a commit by any connection
 * changes SQLite's `data_version`). Saved back on `save()`/`close()` when it changed.
 */
export class StoreSearch implements SearchEngine {
  private readonly source: StoreSource;
  private readonly engine: IndexedSearch;
  private mark: SyncMark;
  private stats: { rows: number; tokens: number } | undefined;
  private savedGeneration: number;
  readonly loadedFrom: 'snapshot' | 'store';

  constructor(
    private readonly db: Db,
    private readonly options: StoreSearchOptions = {},
  ) {
    this.source = new StoreSource(db);
    const snap = options.snapshotFile && !options.rebuild ? loadSnapshot(options.snapshotFile) : undefined;
    let index: SearchIndex;
    if (snap && this.fits(db, snap.state.docs.live, snap.mark)) {
      index = new SearchIndex(snap.state);
      this.mark = snap.mark;
      this.loadedFrom = 'snapshot';
      this.savedGeneration = index.generation;
    } else {
      snap?.state.text.docs.filed?.close();
      snap?.state.text.positions.filed?.close();
      index = new SearchIndex();
      this.mark = this.source.buildInto(index, options.progress);
      this.loadedFrom = 'store';
      this.savedGeneration = -1;
    }
    this.source.storeChanged();
    this.mark = this.source.catchUp(index, this.mark, options.progress);
    this.stats = this.source.ftsStatistics();
    this.engine = new IndexedSearch(
      index,
      this.source,
      this.source,
      () => this.refresh(),
      () => this.stats,
    );
  }

  static forStore(db: Db, storeFile: string, options: Omit<StoreSearchOptions, 'snapshotFile'> = {}) {
    const snapshotFile = storeFile === ':memory:' ? undefined : join(dirname(storeFile), SNAPSHOT_FILE);
    return new StoreSearch(db, snapshotFile ? { ...options, snapshotFile } : options);
  }

  /** A snapshot belongs to this store when the paper at its mark is still there, unchanged or newer. */
  private fits(db: Db, live: number, mark: SyncMark): boolean {
    const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
    if (live > papers) return false;
    if (mark.idsAtMark.length === 0) return live === 0;
    const at = db.prepare('SELECT updated_at FROM papers WHERE id = ?').pluck().get(mark.idsAtMark[0]) as
      | string
      | undefined;
    return at !== undefined && at >= mark.updatedAt;
  }

  get index(): SearchIndex {
    return this.engine.index;
  }

  /** Bring the index up to date with the store now (searches do this themselves). */
  refresh(): void {
    if (!this.source.storeChanged()) return;
    this.mark = this.source.catchUp(this.engine.index, this.mark);
    this.stats = this.source.ftsStatistics();
  }

  search(req: SearchRequest): SearchResult {
    return this.engine.search(req);
  }

  rank(req: SearchRequest): RankedResult {
    return this.engine.rank(req);
  }

  /**
   * Decode the commonest words ahead, in steps that let requests in between (see `warmUp`),
   * so that the first searches after a start answer as later ones do. Stops when the store's
   * connection closes.
   */
  warmUp(options: WarmUpOptions = {}): Promise<WarmUpReport> {
    return warmUp(this.engine, { ...options, stopped: () => !this.db.open || options.stopped?.() === true });
  }

  /**
   * Write the snapshot if the index changed since it was read or last written. The postings
   * and positions are then read from the file written, and what was held of them (all of them
   * after a build, those of papers added since the load after a catch-up) is let go.
   */
  save(): void {
    const file = this.options.snapshotFile;
    if (!file || this.engine.index.generation === this.savedGeneration) return;
    const filed = saveSnapshot(file, this.engine.index.state, this.mark);
    this.engine.index.text.fileStreams(filed);
    this.savedGeneration = this.engine.index.generation;
  }
}

import { dirname, join } from 'node:path';
import { type Db, openDatabase } from '../../store/sqlite/database.ts';
import { readSnapshotMark } from './snapshot.ts';
import { SNAPSHOT_FILE, StoreSearch } from './store-search.ts';
import { papersChangedSince } from './store-source.ts';

/** What bringing the saved index up to date did. */
export interface IndexUpdate {
  file: string;
  /** Read from the store from scratch, or the saved index caught up. */
  how: 'built' | 'caught-up';
  /** Papers (re)indexed: all of them when built. */
  indexed: number;
  /** Papers the index holds now. */
  papers: number;
  seconds: number;
}

export interface IndexUpdateProgress {
  how: 'built' | 'caught-up';
  done: number;
  /** What `done` goes up to (an estimate when catching up: papers seen already are counted). */
  total: number;
}

/**
 * Past this share of the saved index's papers changed, it is built again rather than caught
 * up: re-indexing a paper leaves its old postings in place until a rebuild, so catching up on
 * (say) a whole new snapshot of the arXiv would double the index for the same time.
 */
const REBUILD_SHARE = 0.5;

/**
 * Bring `search-index.bin` beside the store up to date, as the first search would (built from
 * the store when missing, else caught up on the papers changed since it was saved), and save
 * it: what `paperscope import` does after a large import so that the first search does not pay
 * for it, and what the server's background build runs. Reads through its own read-only
 * connection; safe while another process writes (it reads a consistent snapshot per batch and
 * the next search catches up on the rest).
 */
export interface IndexUpdateOptions {
  progress?: (p: IndexUpdateProgress) => void;
  /** Built again, not caught up, past this many changed papers (and REBUILD_SHARE of them). */
  rebuildFrom?: number;
}

export function updateSearchIndex(storeFile: string, options: IndexUpdateOptions = {}): IndexUpdate {
  const started = performance.now();
  const db = openDatabase(storeFile, { readonly: true });
  try {
    const { search, how, indexed } = openUpToDate(db, storeFile, options);
    search.save();
    return {
      file: join(dirname(storeFile), SNAPSHOT_FILE),
      how,
      indexed,
      papers: search.index.docs.live,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    db.close();
  }
}

/**
 * The index beside the store, up to date (read and caught up, or built — again, when most
 * papers changed), telling `progress` how far it has got; not saved. What `updateSearchIndex`
 * saves, and what `paperscope search` opens with a bar.
 */
export function openUpToDate(
  db: Db,
  storeFile: string,
  options: IndexUpdateOptions = {},
): { search: StoreSearch; how: IndexUpdate['how']; indexed: number } {
  const file = join(dirname(storeFile), SNAPSHOT_FILE);
  const saved = readSnapshotMark(file);
  const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  const changed = saved ? papersChangedSince(db, saved.mark) : papers;
  const rebuild =
    saved !== undefined && changed > Math.max(options.rebuildFrom ?? 1000, saved.live * REBUILD_SHARE);
  let how: IndexUpdate['how'] = saved && !rebuild ? 'caught-up' : 'built';
  const total = how === 'built' ? papers : changed;
  let indexed = 0;
  const search = new StoreSearch(db, {
    snapshotFile: file,
    rebuild,
    progress: (n) => {
      indexed = n;
      options.progress?.({ how, done: n, total });
    },
  });
  // A snapshot that did not belong to this store was set aside and the index built.
  if (search.loadedFrom === 'store') how = 'built';
  return { search, how, indexed: how === 'built' ? search.index.docs.live : indexed };
}

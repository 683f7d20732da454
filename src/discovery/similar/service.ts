import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { Paper } from '../../domain/paper.ts';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { DenseEncoder } from './dense-encoder.ts';
import { loadIndex, saveIndex } from './index-file.ts';
import {
  type BuildProgress,
  NeighbourIndex,
  type NeighbourIndexOptions,
  type ScoredPaper,
} from './neighbour-index.ts';
import type { Neighbour } from './similarity-index.ts';

export interface SimilarPaper extends Neighbour {
  paper: Paper;
}

export const INDEX_FILE = 'similar.index';
const PAGE = 5000;
/** Changed papers applied per batch (each batch one update of the lists). */
const CHANGE_BATCH = 2000;
const SAVE_AFTER_CHANGES = 5000;
const SAVE_AFTER_MS = 10 * 60_000;
/**
 * Lists computed on request are saved with the index on the way out once there are this many new
 * ones: fewer are not worth rewriting the file (about a second per million papers) for.
 */
const SAVE_AFTER_NEW_LISTS = 1000;

export interface SimilarityServiceOptions {
  /** Folder for the saved index (the data folder's `similar/`); without it the index lives in memory only. */
  dir?: string;
  /** A sentence-embedding model to use for the dense signal instead of the SVD (loaded on first use). */
  encoder?: () => Promise<DenseEncoder>;
  index?: NeighbourIndexOptions;
  /** Where a build reports how far it got (the CLI prints it). */
  progress?: BuildProgress;
  /** Memory for kept neighbour lists, in bytes (default 64 MiB); the least recently used go first. */
  keptListBytes?: number;
}

export interface SimilarityStatus {
  papers: number;
  indexed: number;
  /** Papers whose neighbour list is kept (a list is computed the first time it is asked for). */
  listsKept: number;
  fittedOn: number;
  /** The corpus has doubled since the vocabulary and basis were learned: `paperscope similar --rebuild`. */
  refitDue: boolean;
  encoder: string;
  file: string | undefined;
}

/**
 * Similar papers over the knowledge base. The index (`NeighbourIndex`) is saved in the data
 * folder and loaded at start; it is built from scratch only when there is none (or it was built
 * with another embedding model), or when asked (`rebuild()`, `paperscope similar --rebuild`).
 * Papers that arrive, and papers whose text changed on merge, are found through the store's
 * change counter (`paper_changes`, migration 006) and added without a rebuild before the next
 * answer; the index is saved again after.
 *
 * Refit policy: the vocabulary, idf and basis stay those learned at the last build. Once the
 * corpus has grown to twice the papers they were learned from, `status().refitDue` says so and
 * the CLI asks for `--rebuild`; a long-lived server never refits by itself (a rebuild of millions
 * of papers takes minutes and would hold the event loop).
 */
export class SimilarityService {
  private current: Promise<NeighbourIndex> | undefined;
  private encoder: Promise<DenseEncoder> | undefined;
  /** Highest change number applied to the index. */
  private appliedSeq = 0;
  /** The index once loaded or built, and whether it holds changes the file does not. */
  private ready: NeighbourIndex | undefined;
  private unsaved = 0;
  private savedAt = 0;
  /** Lists kept by the index when it was last saved or loaded. */
  private listsSaved = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private changesSince: Statement | undefined;
  private lastChange: Statement | undefined;

  constructor(
    private readonly store: SqliteStore,
    private readonly options: SimilarityServiceOptions = {},
  ) {}

  get file(): string | undefined {
    return this.options.dir ? join(this.options.dir, INDEX_FILE) : undefined;
  }

  /** The index, loaded or built on first use and brought up to date with the papers changed since. */
  index(progress?: BuildProgress): Promise<NeighbourIndex> {
    return this.serialized(async () => {
      const index = await this.loadOrBuild(progress);
      this.ready = index;
      await this.applyChanges(index);
      return index;
    });
  }

  /** Learn everything again from the papers in the store, and save. */
  rebuild(progress?: BuildProgress): Promise<NeighbourIndex> {
    return this.serialized(async () => {
      const previous = this.current;
      this.current = this.build(progress);
      void previous?.then((old) => old.close()).catch(() => undefined);
      const index = await this.current.catch((err) => {
        this.current = undefined;
        throw err;
      });
      this.ready = index;
      await this.applyChanges(index);
      return index;
    });
  }

  async neighbours(paperId: number, k = 10): Promise<SimilarPaper[]> {
    const index = await this.index();
    const found = index.neighbours(paperId, k);
    const papers = await Promise.all(found.map((n) => this.store.getPaper(n.paperId)));
    return found.flatMap((n, i) => (papers[i] ? [{ ...n, paper: papers[i] }] : []));
  }

  /** A paper's dense unit vector, for recommenders (`undefined` for a paper not indexed). */
  async vectorOf(paperId: number): Promise<Float32Array | undefined> {
    return (await this.index()).vectorOf(paperId);
  }

  /** Papers nearest a dense vector (e.g. the mean of liked papers' vectors), best first. */
  async nearestToVector(
    vector: Float32Array,
    k = 100,
    exclude?: ReadonlySet<number>,
  ): Promise<ScoredPaper[]> {
    return (await this.index()).nearestToVector(vector, k, exclude);
  }

  async status(): Promise<SimilarityStatus> {
    const index = await this.index();
    const papers = await this.store.countPapers();
    return {
      papers,
      indexed: index.size,
      listsKept: index.listsKept,
      fittedOn: index.fittedOn,
      refitDue: papers >= 2 * Math.max(1, index.fittedOn),
      encoder: index.encoderId ?? 'svd',
      file: this.file,
    };
  }

  /** Save what is not saved yet and let go of the index file (the server and the CLI call it on the way out). */
  close(): void {
    const index = this.ready;
    if (index && (this.unsaved > 0 || index.listsKept - this.listsSaved >= SAVE_AFTER_NEW_LISTS))
      this.save(index, false);
    index?.close();
    this.ready = undefined;
    this.current = undefined;
    void this.encoder?.then((e) => e.close()).catch(() => undefined);
    this.encoder = undefined;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async loadOrBuild(progress?: BuildProgress): Promise<NeighbourIndex> {
    if (!this.current) {
      this.current = this.load().then((loaded) => loaded ?? this.build(progress));
      this.current.catch(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  /** The saved index, or undefined when there is none or it was built with another dense model. */
  private async load(): Promise<NeighbourIndex | undefined> {
    const file = this.file;
    if (!file || !existsSync(file)) return undefined;
    const { header, parts, version } = loadIndex(file);
    const encoder = await this.loadEncoder();
    if ((encoder?.id ?? null) !== header.encoderId) {
      parts.rows.close();
      parts.vectors.close();
      return undefined;
    }
    this.appliedSeq = Number(header.extra['changeSeq'] ?? 0);
    const index = NeighbourIndex.fromParts(parts, encoder, { keptListBytes: this.options.keptListBytes });
    this.listsSaved = index.listsKept;
    // A file of an earlier version keeps its vectors in paper order, read one at a time: written
    // again as the current version (seconds; ~30 at 2.9M papers), a probe reads a group at once.
    // A folder that cannot be written to is still served, from the file as it is.
    if (version < 3) {
      try {
        this.save(index);
      } catch {
        // Served from the earlier file; saved when it next can be.
      }
    }
    return index;
  }

  private async build(progress = this.options.progress): Promise<NeighbourIndex> {
    // Changes committed while the build reads are applied after it: take the counter first.
    const seq = this.latestChange();
    const count = await this.store.countPapers();
    const store = this.store;
    const index = await NeighbourIndex.build(
      {
        count,
        async *pages() {
          for (let afterId = 0; ; ) {
            const page = await store.listPapers({ afterId, limit: PAGE });
            if (page.length > 0) yield page;
            if (page.length < PAGE) return;
            afterId = page[page.length - 1]!.id;
          }
        },
      },
      {
        ...this.options.index,
        keptListBytes: this.options.keptListBytes ?? this.options.index?.keptListBytes,
      },
      await this.loadEncoder(),
      progress,
    );
    this.appliedSeq = seq;
    // Saved and read back: a server then reads the vectors from the file instead of holding them.
    this.save(index);
    return index;
  }

  private async applyChanges(index: NeighbourIndex): Promise<void> {
    for (;;) {
      const changes = this.changedSince(this.appliedSeq);
      if (changes.length === 0) break;
      const papers = await Promise.all(changes.map((c) => this.store.getPaper(c.paperId)));
      await index.update(papers.filter((p): p is Paper => p !== undefined));
      this.appliedSeq = changes[changes.length - 1]!.seq;
      this.unsaved += changes.length;
    }
    // Rewriting the file costs about a second per million papers: a server saves after enough
    // changes or time, and on close; what was not saved is found again through the counter.
    const due = this.unsaved >= SAVE_AFTER_CHANGES || Date.now() - this.savedAt >= SAVE_AFTER_MS;
    if (this.unsaved > 0 && due) this.save(index);
  }

  /**
   * Write the index, then (unless on the way out) take its vectors and rows back from the new file:
   * what arrived or changed since the last save stops being held in memory.
   */
  private save(index: NeighbourIndex, reload = true): void {
    const file = this.file;
    if (!file) return;
    mkdirSync(this.options.dir!, { recursive: true });
    saveIndex(file, index, { changeSeq: this.appliedSeq });
    if (reload) index.reload(loadIndex(file).parts);
    this.unsaved = 0;
    this.listsSaved = index.listsKept;
    this.savedAt = Date.now();
  }

  private changedSince(seq: number): { paperId: number; seq: number }[] {
    this.changesSince ??= this.store.readDb.prepare(
      'SELECT paper_id AS paperId, seq FROM paper_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    return this.changesSince.all(seq, CHANGE_BATCH) as { paperId: number; seq: number }[];
  }

  private latestChange(): number {
    this.lastChange ??= this.store.readDb.prepare('SELECT coalesce(max(seq), 0) FROM paper_changes').pluck();
    return this.lastChange.get() as number;
  }

  private loadEncoder(): Promise<DenseEncoder | undefined> {
    if (!this.options.encoder) return Promise.resolve(undefined);
    this.encoder ??= this.options.encoder();
    this.encoder.catch(() => {
      this.encoder = undefined;
    });
    return this.encoder;
  }
}

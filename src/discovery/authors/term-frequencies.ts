import type { Statement } from 'better-sqlite3';
import { type Db, openDatabase } from '../../store/sqlite/database.ts';

/**
 * Document frequencies of indexed terms (Porter stems), read from the search index's own
 * vocabulary (`paper_search_vocab`, an fts5vocab view).
 *
 * Counting a term's documents walks its whole document list: instant for a rare term, but
 * tens to hundreds of milliseconds for "model" at a million papers. So, past a few tens of
 * thousands of papers, the common terms are read once, in the background, on a connection
 * of their own (yielding to the event loop as it goes), and kept; a term not among them is
 * rare, and looked up directly. Until that first pass is done, look-ups stop at a time budget
 * and the rest are taken as common — the answer says it is incomplete, so callers do not keep it.
 */

export interface Frequencies {
  df: Map<string, number>;
  /** False when some terms were taken as common for want of time. */
  complete: boolean;
}

export interface TermFrequencyOptions {
  /** Below this many papers every term is looked up directly. Default 20,000. */
  directBelow?: number;
  /** Time for direct look-ups of one call while the common terms are not known yet. Default 25 ms. */
  budgetMs?: number;
}

const MAX_RARE_CACHE = 200_000;

export class CorpusTermFrequencies {
  private readonly direct: Statement;
  private readonly rare = new Map<string, number>();
  private common: Map<string, number> | undefined;
  /** The corpus size the common terms were counted at. */
  private countedAt = 0;
  private scanning: Promise<void> | undefined;
  private threshold = 0;
  /** Goes up each time a pass over the vocabulary completes. */
  generation = 0;

  constructor(
    db: Db,
    private readonly file: string,
    private readonly options: TermFrequencyOptions = {},
  ) {
    this.direct = db.prepare('SELECT doc FROM paper_search_vocab WHERE term = ?').pluck();
  }

  lookup(stems: readonly string[], corpusSize: number, options: { exact?: boolean } = {}): Frequencies {
    const df = new Map<string, number>();
    const small = corpusSize < (this.options.directBelow ?? 20_000) || this.file === ':memory:';
    if (!small) this.refresh(corpusSize);
    const common = this.common;
    const deadline =
      small || common || options.exact
        ? Number.POSITIVE_INFINITY
        : performance.now() + (this.options.budgetMs ?? 25);
    let complete = true;
    for (const stem of stems) {
      if (df.has(stem)) continue;
      const known = common?.get(stem) ?? this.rare.get(stem);
      if (known !== undefined) {
        df.set(stem, known);
        continue;
      }
      if (performance.now() > deadline) {
        complete = false;
        df.set(stem, Math.ceil(corpusSize / 10));
        continue;
      }
      const n = (this.direct.get(stem) as number | undefined) ?? 0;
      if (this.rare.size >= MAX_RARE_CACHE) this.rare.clear();
      this.rare.set(stem, n);
      df.set(stem, n);
    }
    return { df, complete };
  }

  /** Start a pass over the vocabulary when there is none yet, or the corpus grew by a tenth since. */
  private refresh(corpusSize: number): void {
    if (this.scanning) return;
    if (this.common && corpusSize <= this.countedAt * 1.1) return;
    this.threshold = Math.max(20, Math.floor(corpusSize / 2000));
    this.scanning = this.scan(corpusSize, this.threshold).finally(() => {
      this.scanning = undefined;
    });
    this.scanning.catch(() => undefined);
  }

  /** Resolves when the common terms are known (starting a pass if needed): for tests and warm-ups. */
  async ready(corpusSize: number): Promise<void> {
    // A small corpus is looked up directly: there is nothing to count ahead.
    if (corpusSize < (this.options.directBelow ?? 20_000) || this.file === ':memory:') return;
    this.refresh(corpusSize);
    // The pass yields on unref'd timers; someone waiting for it keeps the process alive.
    const alive = setInterval(() => undefined, 1000);
    try {
      await this.scanning;
    } finally {
      clearInterval(alive);
    }
  }

  private async scan(corpusSize: number, threshold: number): Promise<void> {
    // Begin on a later turn: the look-up that started the pass answers now (with its guesses)
    // whatever the machine's speed, instead of waiting for a pass that happened to be quick.
    await new Promise<void>((resolve) => setImmediate(resolve).unref());
    const db = openDatabase(this.file, { readonly: true });
    try {
      const found = new Map<string, number>();
      let since = performance.now();
      const rows = db.prepare('SELECT term, doc FROM paper_search_vocab').raw().iterate() as Iterable<
        [string, number]
      >;
      for (const [term, doc] of rows) {
        if (doc >= threshold) found.set(term, doc);
        if (performance.now() - since > 20) {
          // An unref'd timer: a command that is done does not wait for this pass to finish.
          await new Promise<void>((resolve) => setTimeout(resolve, 0).unref());
          since = performance.now();
        }
      }
      this.common = found;
      this.countedAt = corpusSize;
      // Rare terms counted before may have become common: the pass is the truth now.
      this.rare.clear();
      this.generation++;
    } finally {
      db.close();
    }
  }
}

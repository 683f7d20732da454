import type { Db } from '../store/sqlite/database.ts';

/** The write side this needs: the store's serialized writer. */
export interface EventWriter {
  write<T>(fn: (db: Db) => T): Promise<T>;
}

const FLUSH_EVERY_MS = 1000;
const FLUSH_AT = 500;

/**
 * Page views into `paper_events`, cheaply: a view is a push onto a list, and the list goes to
 * the database in one transaction once a second (or sooner when it grows), so a busy paper
 * page costs no write of its own and never waits behind an import. Views still in the list
 * when the process dies are lost; they are a trending signal, not a record anyone relies on.
 */
export class PaperViewLog {
  private pending: { paperId: number; userId: number | null; at: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventWriter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(paperId: number, userId?: number): void {
    this.pending.push({ paperId, userId: userId ?? null, at: this.now().toISOString() });
    if (this.pending.length >= FLUSH_AT) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Stop the timer and drop what is pending (the store is closing: flush first to keep it). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  /** Write what is pending; resolves once it is committed. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing
      .then(() =>
        this.store.write((db) => {
          // A paper merged away or deleted since the view: its view goes with it.
          const insert = db.prepare(
            `INSERT INTO paper_events (paper_id, user_id, kind, at)
             SELECT ?, ?, 'view', ? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)`,
          );
          for (const v of batch) insert.run(v.paperId, v.userId, v.at, v.paperId);
        }),
      )
      .catch((err: unknown) => console.error('paperscope: could not record page views:', err));
    return this.flushing;
  }
}

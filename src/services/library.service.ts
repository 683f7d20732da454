import { normalizeNote, normalizeTagName } from '../domain/accounts.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Paper } from '../domain/paper.ts';
import { type ExportFormat, exportPapers } from '../export/index.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';

export interface LibraryItem {
  readonly paper: Paper;
  readonly savedAt: string;
  readonly note: string;
  readonly tags: string[];
}

export interface TagCount {
  readonly name: string;
  readonly count: number;
}

/**
 * Each person's library: the papers they saved, a note on each, their own tags. Every query
 * names the owner, so a paper id guessed from someone else's library finds nothing; that is
 * answered as "not in your library", the same as for a paper nobody saved.
 */
export class LibraryService {
  private readonly store: SqliteStore;
  private readonly now: () => Date;

  constructor(store: SqliteStore, options: { now?: () => Date } = {}) {
    this.store = store;
    this.now = options.now ?? (() => new Date());
  }

  /** Save a paper (again is fine); a first save counts as a `save` event for trending. */
  async save(userId: number, paperId: number): Promise<{ newlySaved: boolean }> {
    this.requirePaper(paperId);
    const at = this.now().toISOString();
    const newlySaved = await this.store.write((db) => {
      const inserted = db
        .prepare(
          'INSERT INTO library_items (user_id, paper_id, saved_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        )
        .run(userId, paperId, at).changes;
      if (inserted === 0) return false;
      db.prepare("INSERT INTO paper_events (paper_id, user_id, kind, at) VALUES (?, ?, 'save', ?)").run(
        paperId,
        userId,
        at,
      );
      return true;
    });
    return { newlySaved };
  }

  /** Take a paper out of the library with its note and tags; tags left on nothing go too. */
  async unsave(userId: number, paperId: number): Promise<void> {
    const removed = await this.store.write((db) => {
      const changes = db
        .prepare('DELETE FROM library_items WHERE user_id = ? AND paper_id = ?')
        .run(userId, paperId).changes;
      if (changes > 0) this.dropUnusedTags(db, userId);
      return changes;
    });
    if (removed === 0) throw new NotFoundError(`Paper ${paperId} is not in your library`);
  }

  isSaved(userId: number, paperId: number): boolean {
    return (
      this.store.readDb
        .prepare('SELECT 1 FROM library_items WHERE user_id = ? AND paper_id = ?')
        .get(userId, paperId) !== undefined
    );
  }

  item(userId: number, paperId: number): LibraryItem | undefined {
    const row = this.store.readDb
      .prepare('SELECT paper_id, saved_at, note FROM library_items WHERE user_id = ? AND paper_id = ?')
      .get(userId, paperId) as ItemRow | undefined;
    return row ? this.toItems(userId, [row])[0] : undefined;
  }

  /** Saved papers, latest first, optionally only those with one tag. */
  list(
    userId: number,
    options: { tag?: string; limit?: number; offset?: number } = {},
  ): { total: number; items: LibraryItem[] } {
    const limit = options.limit ?? 100;
    const offset = options.offset ?? 0;
    const db = this.store.readDb;
    const filter = options.tag
      ? `AND paper_id IN (SELECT it.paper_id FROM library_item_tags it JOIN tags t ON t.id = it.tag_id
                          WHERE it.user_id = ? AND t.user_id = ? AND t.name = ? COLLATE NOCASE)`
      : '';
    const params: unknown[] = options.tag ? [userId, userId, userId, options.tag.trim()] : [userId];
    const total = db
      .prepare(`SELECT count(*) FROM library_items WHERE user_id = ? ${filter}`)
      .pluck()
      .get(...params) as number;
    const rows = db
      .prepare(
        `SELECT paper_id, saved_at, note FROM library_items WHERE user_id = ? ${filter}
         ORDER BY saved_at DESC, paper_id DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset) as ItemRow[];
    return { total, items: this.toItems(userId, rows) };
  }

  /** The papers of a library (or of one tag in it), for the feeds and recommendations built on it. */
  paperIds(userId: number, tag?: string): number[] {
    const db = this.store.readDb;
    if (!tag) {
      return db
        .prepare('SELECT paper_id FROM library_items WHERE user_id = ? ORDER BY saved_at DESC')
        .pluck()
        .all(userId) as number[];
    }
    return db
      .prepare(
        `SELECT it.paper_id FROM library_item_tags it JOIN tags t ON t.id = it.tag_id
         JOIN library_items li ON li.user_id = it.user_id AND li.paper_id = it.paper_id
         WHERE it.user_id = ? AND t.user_id = ? AND t.name = ? COLLATE NOCASE
         ORDER BY li.saved_at DESC, it.paper_id DESC`,
      )
      .pluck()
      .all(userId, userId, tag.trim()) as number[];
  }

  tags(userId: number): TagCount[] {
    return this.store.readDb
      .prepare(
        `SELECT t.name, count(it.paper_id) AS count FROM tags t
         LEFT JOIN library_item_tags it ON it.tag_id = t.id
         WHERE t.user_id = ? GROUP BY t.id ORDER BY t.name COLLATE NOCASE`,
      )
      .all(userId) as TagCount[];
  }

  /** Tag a paper (saving it first if needed); the tag is made on first use, spelled as first typed. */
  async addTag(userId: number, paperId: number, rawName: string): Promise<string[]> {
    const name = normalizeTagName(rawName);
    this.requirePaper(paperId);
    await this.save(userId, paperId);
    await this.store.write((db) => {
      db.prepare('INSERT INTO tags (user_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING').run(userId, name);
      const tagId = db
        .prepare('SELECT id FROM tags WHERE user_id = ? AND name = ? COLLATE NOCASE')
        .pluck()
        .get(userId, name) as number;
      db.prepare(
        'INSERT INTO library_item_tags (user_id, paper_id, tag_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(userId, paperId, tagId);
    });
    return this.tagsOf(userId, paperId);
  }

  async removeTag(userId: number, paperId: number, rawName: string): Promise<string[]> {
    const name = rawName.trim();
    const removed = await this.store.write((db) => {
      const changes = db
        .prepare(
          `DELETE FROM library_item_tags WHERE user_id = ? AND paper_id = ?
           AND tag_id IN (SELECT id FROM tags WHERE user_id = ? AND name = ? COLLATE NOCASE)`,
        )
        .run(userId, paperId, userId, name).changes;
      this.dropUnusedTags(db, userId);
      return changes;
    });
    if (removed === 0)
      throw new NotFoundError(`Paper ${paperId} in your library has no tag "${name.slice(0, 60)}"`);
    return this.tagsOf(userId, paperId);
  }

  /** Set the note on a paper (saving it first if needed); an empty note clears it. */
  async setNote(userId: number, paperId: number, rawNote: string): Promise<string> {
    const note = normalizeNote(rawNote);
    await this.save(userId, paperId);
    await this.store.write((db) =>
      db
        .prepare('UPDATE library_items SET note = ? WHERE user_id = ? AND paper_id = ?')
        .run(note, userId, paperId),
    );
    return note;
  }

  /** The library (or one tag of it) as BibTeX, RIS or CSL-JSON. */
  export(userId: number, format: ExportFormat, tag?: string): string {
    const papers = this.paperIds(userId, tag).flatMap((id) => {
      const paper = this.store.getPaper(id);
      return paper ? [paper] : [];
    });
    return exportPapers(papers, format);
  }

  private tagsOf(userId: number, paperId: number): string[] {
    return this.store.readDb
      .prepare(
        `SELECT t.name FROM library_item_tags it JOIN tags t ON t.id = it.tag_id
         WHERE it.user_id = ? AND it.paper_id = ? ORDER BY t.name COLLATE NOCASE`,
      )
      .pluck()
      .all(userId, paperId) as string[];
  }

  private toItems(userId: number, rows: ItemRow[]): LibraryItem[] {
    return rows.flatMap((r) => {
      const paper = this.store.getPaper(r.paper_id);
      return paper
        ? [{ paper, savedAt: r.saved_at, note: r.note, tags: this.tagsOf(userId, r.paper_id) }]
        : [];
    });
  }

  private requirePaper(paperId: number): void {
    if (!Number.isSafeInteger(paperId) || !this.store.getPaper(paperId)) {
      throw new NotFoundError(`No paper ${paperId} in the knowledge base`);
    }
  }

  private dropUnusedTags(db: SqliteStore['readDb'], userId: number): void {
    db.prepare(
      'DELETE FROM tags WHERE user_id = ? AND id NOT IN (SELECT tag_id FROM library_item_tags WHERE user_id = ?)',
    ).run(userId, userId);
  }
}

interface ItemRow {
  paper_id: number;
  saved_at: string;
  note: string;
}

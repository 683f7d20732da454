import { FOLLOW_KINDS, type FollowKind } from '../domain/digest.ts';
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { parseQuery } from '../search/query/index.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';

export interface Follow {
  id: number;
  userId: number;
  kind: FollowKind;
  /** author: the author id; search: the query; category: `cs.LG`; tag: the library tag. */
  value: string;
  /** As shown: the author's name, the query as typed. */
  label: string;
  createdAt: string;
}

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;
const MAX_VALUE = 500;

interface FollowRow {
  id: number;
  user_id: number;
  kind: FollowKind;
  value: string;
  label: string;
  created_at: string;
}

/**
 * What people follow: authors (by merged person, so every spelling counts), saved searches in
 * the query language, arXiv categories and their own library tags.
 */
export class FollowService {
  constructor(
    private readonly store: SqliteStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(userId: number): Follow[] {
    const rows = this.store.readDb
      .prepare('SELECT * FROM follows WHERE user_id = ? ORDER BY kind, label COLLATE NOCASE, id')
      .all(userId) as FollowRow[];
    return rows.map(toFollow);
  }

  find(userId: number, kind: FollowKind, value: string): Follow | undefined {
    const row = this.store.readDb
      .prepare('SELECT * FROM follows WHERE user_id = ? AND kind = ? AND value = ?')
      .get(userId, kind, value) as FollowRow | undefined;
    return row ? toFollow(row) : undefined;
  }

  /**
   * Follow something; following it again is not an error (the existing follow is answered).
   * An author may be given by id or by any spelling of their name.
   */
  async follow(userId: number, kindInput: string, rawValue: string): Promise<Follow> {
    const kind = checkKind(kindInput);
    const { value, label } = await this.resolve(userId, kind, rawValue);
    const existing = this.find(userId, kind, value);
    if (existing) return existing;
    const createdAt = this.now().toISOString();
    const id = await this.store.write((db) => {
      // The first follow starts the watch: papers that arrive from now on are new to them.
      db.prepare(
        `INSERT INTO digest_settings (user_id, since_paper_id, updated_at)
         VALUES (?, (SELECT coalesce(max(id), 0) FROM papers), ?) ON CONFLICT (user_id) DO NOTHING`,
      ).run(userId, createdAt);
      return db
        .prepare(
          `INSERT INTO follows (user_id, kind, value, label, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (user_id, kind, value) DO UPDATE SET label = excluded.label RETURNING id`,
        )
        .pluck()
        .get(userId, kind, value, label, createdAt) as number;
    });
    return { id, userId, kind, value, label, createdAt };
  }

  /** Stop following, by the follow's id or by kind and value; false when there was nothing to stop. */
  async unfollow(userId: number, target: { id: number } | { kind: string; value: string }): Promise<boolean> {
    let value: string | undefined;
    const kind = 'id' in target ? undefined : checkKind(target.kind);
    if (kind && !('id' in target)) {
      value = normalizeValue(kind, target.value);
      // An author may be named as when followed: any spelling stands for the person's id.
      if (kind === 'author' && !/^\d+$/.test(value)) {
        const found = (await this.store.findAuthors(value))[0];
        if (!found) return false;
        value = String(found.id);
      }
    }
    const changes = await this.store.write((db) => {
      if ('id' in target) {
        return db.prepare('DELETE FROM follows WHERE user_id = ? AND id = ?').run(userId, target.id).changes;
      }
      return db
        .prepare('DELETE FROM follows WHERE user_id = ? AND kind = ? AND value = ?')
        .run(userId, kind, value).changes;
    });
    return changes > 0;
  }

  private async resolve(
    userId: number,
    kind: FollowKind,
    rawValue: string,
  ): Promise<{ value: string; label: string }> {
    const text = (typeof rawValue === 'string' ? rawValue : '').trim();
    if (!text) throw new InvalidInputError(`Following ${kind}: give a value.`);
    if (text.length > MAX_VALUE)
      throw new InvalidInputError(`Following ${kind}: at most ${MAX_VALUE} characters.`);
    switch (kind) {
      case 'author': {
        const id = /^\d+$/.test(text) ? Number(text) : (await this.store.findAuthors(text))[0]?.id;
        const author = id === undefined ? undefined : await this.store.getAuthor(id);
        if (!author) throw new NotFoundError(`No author "${text}".`);
        return { value: String(author.id), label: author.displayName };
      }
      case 'search': {
        const parsed = parseQuery(text);
        if (!parsed.ok) {
          throw new InvalidInputError(`Following the search "${text}": ${parsed.error.message}.`);
        }
        return { value: text, label: text };
      }
      case 'category': {
        if (!CATEGORY.test(text)) {
          throw new InvalidInputError(
            `Following a category: "${text}" is not an arXiv category such as cs.LG.`,
          );
        }
        return { value: text, label: text };
      }
      case 'tag': {
        const tag = this.store.readDb
          .prepare('SELECT name FROM tags WHERE user_id = ? AND name = ? COLLATE NOCASE')
          .pluck()
          .get(userId, text) as string | undefined;
        if (!tag) throw new NotFoundError(`You have no tag "${text}" in your library.`);
        return { value: tag.toLowerCase(), label: tag };
      }
    }
  }
}

function checkKind(kind: string): FollowKind {
  if (!(FOLLOW_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidInputError(`Unknown kind of follow "${kind}" (known: ${FOLLOW_KINDS.join(', ')}).`);
  }
  return kind as FollowKind;
}

function normalizeValue(kind: FollowKind, value: string): string {
  const text = String(value ?? '').trim();
  return kind === 'tag' ? text.toLowerCase() : text;
}

function toFollow(row: FollowRow): Follow {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    value: row.value,
    label: row.label,
    createdAt: row.created_at,
  };
}

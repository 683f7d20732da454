import { ConflictError, InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { initialKey, nameKey, personFromDisplay } from '../../domain/names.ts';
import type { PersonName } from '../../domain/record.ts';
import type { Db } from '../../store/sqlite/database.ts';

/**
 * An admin's decisions about people, written in one transaction each on the writer connection.
 * Each is recorded with who and when; the authorships it moves are pinned, so the importer
 * re-linking a paper later puts them back where the admin put them.
 */

export interface Actor {
  /** The account, when the decision came through the web. */
  userId?: number;
  /** Who, as shown in the history: an email, or `cli` for the machine's owner. */
  label: string;
}

interface Authorship {
  paper_id: number;
  display: string;
  family: string | null;
  given: string | null;
}

function displayName(db: Db, id: number): string {
  const name = db.prepare('SELECT display_name FROM authors WHERE id = ?').pluck().get(id) as
    | string
    | undefined;
  if (name === undefined) throw new NotFoundError(`No author ${id}.`);
  return name;
}

function record(
  db: Db,
  kind: 'merge' | 'split' | 'reject',
  authorId: number,
  otherId: number,
  detail: object,
  actor: Actor,
  at: string,
): number {
  return Number(
    db
      .prepare(
        'INSERT INTO author_decisions (kind, author_id, other_id, detail, user_id, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(kind, authorId, otherId, JSON.stringify(detail), actor.userId ?? null, actor.label, at)
      .lastInsertRowid,
  );
}

function nameOf(a: Authorship): PersonName {
  if (a.family === null) return personFromDisplay(a.display);
  const name: PersonName = { display: a.display, family: a.family };
  if (a.given !== null) name.given = a.given;
  return name;
}

/** On these papers, these spellings are this author's, whatever a later import would guess. */
function pin(db: Db, authorId: number, authorships: readonly Authorship[]): void {
  const insert = db.prepare(
    `INSERT INTO author_pins (paper_id, name_key, initial_key, family, given, author_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (paper_id, name_key) DO UPDATE SET author_id = excluded.author_id,
       initial_key = excluded.initial_key, family = excluded.family, given = excluded.given`,
  );
  for (const a of authorships) {
    const name = nameOf(a);
    insert.run(
      a.paper_id,
      nameKey(name),
      initialKey(name),
      name.family ?? null,
      name.given ?? null,
      authorId,
    );
  }
}

function authorshipsOf(db: Db, authorId: number): Authorship[] {
  return db
    .prepare(
      `SELECT pa.paper_id, pa.display, n.family, n.given FROM paper_authors pa
       LEFT JOIN author_names n ON n.author_id = pa.author_id AND n.display = pa.display
       WHERE pa.author_id = ? ORDER BY pa.paper_id`,
    )
    .all(authorId) as Authorship[];
}

function notSame(db: Db, a: number, b: number, decisionId: number): void {
  db.prepare('INSERT OR IGNORE INTO author_not_same (low_id, high_id, decision_id) VALUES (?, ?, ?)').run(
    Math.min(a, b),
    Math.max(a, b),
    decisionId,
  );
}

export interface MergeResult {
  kept: number;
  mergedAway: number;
  decisionId: number;
  papersMoved: number;
  names: string[];
}

/** `other` becomes part of `keep`: its authorships, spellings, external ids and records; its id redirects. */
export function mergeAuthors(db: Db, keep: number, other: number, actor: Actor, at: string): MergeResult {
  if (keep === other) throw new InvalidInputError(`Author ${keep} cannot be merged with itself.`);
  const keepName = displayName(db, keep);
  const otherName = displayName(db, other);
  const together = db
    .prepare(
      'SELECT paper_id FROM paper_authors WHERE author_id = ? INTERSECT SELECT paper_id FROM paper_authors WHERE author_id = ? LIMIT 1',
    )
    .pluck()
    .get(keep, other) as number | undefined;
  if (together !== undefined) {
    throw new ConflictError(
      `${keepName} (${keep}) and ${otherName} (${other}) are both authors of paper ${together}: two people on one author list are not one person.`,
    );
  }
  const moved = authorshipsOf(db, other);
  const names = db
    .prepare('SELECT display FROM author_names WHERE author_id = ?')
    .pluck()
    .all(other) as string[];
  const decisionId = record(
    db,
    'merge',
    keep,
    other,
    { names, papers: [...new Set(moved.map((m) => m.paper_id))], otherName },
    actor,
    at,
  );

  db.prepare('UPDATE paper_authors SET author_id = ? WHERE author_id = ?').run(keep, other);
  db.prepare(
    `INSERT OR IGNORE INTO author_names (author_id, display, family, given, name_key, initial_key)
     SELECT ?, display, family, given, name_key, initial_key FROM author_names WHERE author_id = ?`,
  ).run(keep, other);
  db.prepare('DELETE FROM author_names WHERE author_id = ?').run(other);
  db.prepare('UPDATE author_ids SET author_id = ? WHERE author_id = ?').run(keep, other);
  const idsJson = db.prepare('SELECT id, ids FROM authors WHERE id IN (?, ?)').all(keep, other) as {
    id: number;
    ids: string;
  }[];
  const combined = {
    ...JSON.parse(idsJson.find((r) => r.id === other)?.ids ?? '{}'),
    ...JSON.parse(idsJson.find((r) => r.id === keep)?.ids ?? '{}'),
  };
  db.prepare('UPDATE authors SET ids = ? WHERE id = ?').run(JSON.stringify(combined), keep);
  db.prepare('UPDATE source_records SET author_id = ? WHERE author_id = ?').run(keep, other);
  db.prepare('UPDATE author_pins SET author_id = ? WHERE author_id = ?').run(keep, other);
  pin(db, keep, moved);

  db.prepare('UPDATE author_redirects SET to_id = ? WHERE to_id = ?').run(keep, other);
  db.prepare('INSERT INTO author_redirects (from_id, to_id, decision_id) VALUES (?, ?, ?)').run(
    other,
    keep,
    decisionId,
  );
  const rejected = db
    .prepare(
      'SELECT low_id, high_id, decision_id FROM author_not_same WHERE low_id = ? OR high_id = ? OR low_id = ? OR high_id = ?',
    )
    .all(other, other, keep, keep) as { low_id: number; high_id: number; decision_id: number }[];
  for (const r of rejected) {
    if (r.low_id !== other && r.high_id !== other) continue;
    const third = r.low_id === other ? r.high_id : r.low_id;
    db.prepare('DELETE FROM author_not_same WHERE low_id = ? AND high_id = ?').run(r.low_id, r.high_id);
    // An admin who merges two people found earlier not to be the same has changed their mind.
    if (third !== keep) notSame(db, keep, third, r.decision_id);
  }
  db.prepare('DELETE FROM authors WHERE id = ?').run(other);
  return {
    kept: keep,
    mergedAway: other,
    decisionId,
    papersMoved: new Set(moved.map((m) => m.paper_id)).size,
    names,
  };
}

export interface SplitSelection {
  papers?: readonly number[];
  names?: readonly string[];
}

export interface SplitResult {
  from: number;
  created: number;
  decisionId: number;
  papers: number[];
  names: string[];
}

/**
 * The chosen papers and spellings belong to someone else: they move to a new author. The two
 * are remembered as not the same person, and both sides are pinned where they now share a name.
 */
export function splitAuthor(
  db: Db,
  id: number,
  selection: SplitSelection,
  actor: Actor,
  at: string,
): SplitResult {
  const fromName = displayName(db, id);
  const papers = new Set(selection.papers ?? []);
  const names = new Set(selection.names ?? []);
  if (papers.size === 0 && names.size === 0) {
    throw new InvalidInputError('A split needs papers or name variants to move to the new author.');
  }
  const all = authorshipsOf(db, id);
  const known = new Set(
    db.prepare('SELECT display FROM author_names WHERE author_id = ?').pluck().all(id) as string[],
  );
  const strangerPapers = [...papers].filter((p) => !all.some((a) => a.paper_id === p));
  if (strangerPapers.length) {
    throw new InvalidInputError(
      `${fromName} (${id}) is not an author of paper ${strangerPapers.join(', ')}.`,
    );
  }
  const strangerNames = [...names].filter((n) => !known.has(n));
  if (strangerNames.length) {
    throw new InvalidInputError(
      `${fromName} (${id}) has no name variant ${strangerNames.map((n) => JSON.stringify(n)).join(', ')} (known: ${[...known].map((n) => JSON.stringify(n)).join(', ')}).`,
    );
  }
  const moving = all.filter((a) => papers.has(a.paper_id) || names.has(a.display));
  const staying = all.filter((a) => !(papers.has(a.paper_id) || names.has(a.display)));
  if (staying.length === 0 && all.length > 0) {
    throw new InvalidInputError(
      `That is every paper of ${fromName} (${id}): nothing would remain. Choose the papers that belong to someone else.`,
    );
  }
  const counts = new Map<string, number>();
  for (const a of moving) counts.set(a.display, (counts.get(a.display) ?? 0) + 1);
  const newDisplay = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? [...names][0]!;

  const created = Number(
    db.prepare("INSERT INTO authors (display_name, ids) VALUES (?, '{}')").run(newDisplay).lastInsertRowid,
  );
  const movedPapers = [...new Set(moving.map((m) => m.paper_id))];
  const decisionId = record(
    db,
    'split',
    id,
    created,
    { names: [...names], papers: movedPapers, otherName: newDisplay },
    actor,
    at,
  );
  const moveRow = db.prepare(
    'UPDATE paper_authors SET author_id = ? WHERE author_id = ? AND paper_id = ? AND display = ?',
  );
  for (const a of moving) moveRow.run(created, id, a.paper_id, a.display);

  const copyName = db.prepare(
    `INSERT OR IGNORE INTO author_names (author_id, display, family, given, name_key, initial_key)
     SELECT ?, display, family, given, name_key, initial_key FROM author_names WHERE author_id = ? AND display = ?`,
  );
  const dropName = db.prepare('DELETE FROM author_names WHERE author_id = ? AND display = ?');
  const stillUsed = new Set(staying.map((a) => a.display));
  for (const display of new Set([...names, ...counts.keys()])) {
    copyName.run(created, id, display);
    // A spelling chosen, or one that only the moved papers used, leaves the first author.
    if (names.has(display) || !stillUsed.has(display)) dropName.run(id, display);
  }

  pin(db, created, moving);
  const createdKeys = new Set(moving.map((a) => nameKey(nameOf(a))));
  pin(
    db,
    id,
    staying.filter((a) => createdKeys.has(nameKey(nameOf(a)))),
  );
  notSame(db, id, created, decisionId);
  return { from: id, created, decisionId, papers: movedPapers, names: [...names] };
}

export interface RejectResult {
  decisionId: number;
  alreadyKnown: boolean;
}

/** The two are not the same person: never suggested again. */
export function rejectSuggestion(db: Db, id: number, other: number, actor: Actor, at: string): RejectResult {
  if (id === other) throw new InvalidInputError(`Author ${id} is the same as itself.`);
  displayName(db, id);
  const otherName = displayName(db, other);
  const known = db
    .prepare('SELECT decision_id FROM author_not_same WHERE low_id = ? AND high_id = ?')
    .pluck()
    .get(Math.min(id, other), Math.max(id, other)) as number | undefined;
  if (known !== undefined) return { decisionId: known, alreadyKnown: true };
  const decisionId = record(db, 'reject', id, other, { otherName }, actor, at);
  notSame(db, id, other, decisionId);
  return { decisionId, alreadyKnown: false };
}

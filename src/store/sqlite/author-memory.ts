import type { PersonName } from '../../domain/record.ts';
import type { AuthorCandidate } from '../port.ts';
import type { Db } from './database.ts';

/**
 * What author resolution asks the store, held in memory for the length of a bulk load: people
 * by name key and by initial key with every name variant, and each person's latest papers (for
 * the co-author evidence that joins initials to a full name). Read once from the store when the
 * load begins, then kept in step with every write the load makes, so that each answer is the
 * one the SQL look-ups of `SqliteIngestTx` would give (same people, same order, same evidence
 * rule over a person's latest papers), at a cost that does not grow with the store.
 *
 * What it holds must not grow with the file either (a bulk load is meant for files of millions
 * of papers): name variants are one per spelling of a person, but of authorships it keeps only
 * what the evidence rule reads — each person's latest `ringSize` (a few more than the 500 the
 * rule walks), as paper ids in a ring of their own, 4 bytes each. Which people wrote a paper is
 * then answered from the rings of the co-authors asked about; the rare question the rings cannot
 * answer (a paper older than what a prolific co-author's ring keeps; a person whose ring lost
 * papers to relinks) goes to the store's rows (`AuthorshipRows`), which the writer connection
 * sees as they now are.
 */
export class AuthorMemory {
  /**
   * Person ids by name key and by initial key, ascending (the order the SQL look-ups give). A
   * key most often names one person: then the id itself, not an array.
   */
  private readonly byNameKey = new Map<string, number | number[]>();
  private readonly byInitialKey = new Map<string, number | number[]>();

  /**
   * Name variants, one slot each, chained per person in the order learnt (`nextVariant`). A
   * variant whose `given` and `family` spell its display (`given family`) keeps only where the
   * display splits; any other keeps them in `spelledApart`.
   */
  private readonly variantDisplay: string[] = [];
  private variantSplit = new Int32Array(1024);
  private variantNext = new Int32Array(1024);
  private readonly spelledApart = new Map<number, { family?: string; given?: string }>();
  /** First and last variant of each person, by person id (-1: none). */
  private firstVariant = new Int32Array(0);
  private lastVariant = new Int32Array(0);

  /** Each person's latest authorships: paper ids, oldest first, one entry per authorship. */
  private readonly rings: Rings;

  constructor(
    /** The store's rows, for what the rings do not hold (absent: every answer from memory, for tests of names). */
    private readonly rows?: AuthorshipRows,
    /** Authorships kept per person; at least the evidence window plus one. */
    ringSize = RING_SIZE,
  ) {
    this.rings = new Rings(ringSize);
  }

  static load(db: Db, ringSize = RING_SIZE, rows: AuthorshipRows = sqlAuthorshipRows(db)): AuthorMemory {
    const memory = new AuthorMemory(rows, ringSize);
    const names = db
      .prepare(
        'SELECT author_id AS authorId, display, family, given, name_key AS nameKey, initial_key AS initialKey FROM author_names ORDER BY author_id, display',
      )
      .iterate() as IterableIterator<{
      authorId: number;
      display: string;
      family: string | null;
      given: string | null;
      nameKey: string;
      initialKey: string;
    }>;
    for (const r of names) {
      const name: PersonName = { display: r.display };
      if (r.family !== null) name.family = r.family;
      if (r.given !== null) name.given = r.given;
      memory.addName(r.authorId, name, r.nameKey, r.initialKey);
    }
    // In the table's own order (by paper: no sort), so each ring takes its papers oldest first.
    const links = db
      .prepare('SELECT paper_id, author_id FROM paper_authors ORDER BY paper_id, position')
      .raw()
      .iterate() as IterableIterator<[number, number]>;
    for (const [paperId, authorId] of links) memory.rings.add(authorId, paperId);
    return memory;
  }

  hasName(authorId: number, display: string): boolean {
    for (let v = this.firstVariant[authorId] ?? -1; v >= 0; v = this.variantNext[v]!) {
      if (this.variantDisplay[v] === display) return true;
    }
    return false;
  }

  /** Remember a name variant; false when the person had it already (nothing to write). */
  addName(authorId: number, name: PersonName, nameKey: string, initialKey: string): boolean {
    if (this.hasName(authorId, name.display)) return false;
    const v = this.variantDisplay.length;
    this.variantDisplay.push(name.display);
    if (v >= this.variantSplit.length) {
      this.variantSplit = grown(this.variantSplit, v + 1, 0);
      this.variantNext = grown(this.variantNext, v + 1, 0);
    }
    this.variantSplit[v] = splitOf(name);
    if (this.variantSplit[v]! < 0 && (name.family !== undefined || name.given !== undefined)) {
      const apart: { family?: string; given?: string } = {};
      if (name.family !== undefined) apart.family = name.family;
      if (name.given !== undefined) apart.given = name.given;
      this.spelledApart.set(v, apart);
    }
    this.variantNext[v] = -1;
    if (authorId >= this.firstVariant.length) {
      this.firstVariant = grown(this.firstVariant, authorId + 1, -1);
      this.lastVariant = grown(this.lastVariant, authorId + 1, -1);
    }
    const last = this.lastVariant[authorId]!;
    if (last < 0) this.firstVariant[authorId] = v;
    else this.variantNext[last] = v;
    this.lastVariant[authorId] = v;
    insertSorted(this.byNameKey, nameKey, authorId);
    insertSorted(this.byInitialKey, initialKey, authorId);
    return true;
  }

  firstByNameKey(key: string): number | undefined {
    const ids = this.byNameKey.get(key);
    return typeof ids === 'number' ? ids : ids?.[0];
  }

  byName(key: string): AuthorCandidate[] {
    return this.candidates(this.byNameKey.get(key));
  }

  byInitials(key: string): AuthorCandidate[] {
    return this.candidates(this.byInitialKey.get(key));
  }

  private candidates(ids: number | readonly number[] | undefined): AuthorCandidate[] {
    if (ids === undefined) return [];
    // Variants in the order learnt (by display for those read from the store): resolution only
    // asks whether some or every variant qualifies.
    return (typeof ids === 'number' ? [ids] : ids).map((id) => {
      const names: PersonName[] = [];
      for (let v = this.firstVariant[id] ?? -1; v >= 0; v = this.variantNext[v]!) names.push(this.variant(v));
      return { id, displayName: names[0]?.display ?? '', names };
    });
  }

  private variant(v: number): PersonName {
    const display = this.variantDisplay[v]!;
    const name: PersonName = { display };
    const split = this.variantSplit[v]!;
    if (split >= 0) {
      name.family = display.slice(split + 1);
      name.given = display.slice(0, split);
      return name;
    }
    const apart = this.spelledApart.get(v);
    if (apart?.family !== undefined) name.family = apart.family;
    if (apart?.given !== undefined) name.given = apart.given;
    return name;
  }

  /**
   * Whether `candidate` wrote, among their `recent` latest authorships other than on
   * `exceptPaper`, a paper with any of `coauthors` (the rule `sharesRecentPaper` runs in SQL).
   */
  sharesRecentPaper(
    candidate: number,
    coauthors: ReadonlySet<number>,
    exceptPaper: number,
    recent: number,
  ): boolean {
    const window = this.rings.latest(candidate, exceptPaper, recent);
    // The ring ran out before the window did, and the person has older papers it let go.
    if (window === undefined)
      return this.store().sharesRecentPaper(candidate, [...coauthors], exceptPaper, recent);
    if (window.length === 0) return false;
    // Papers of the window that some co-author's ring is too short to speak for.
    const unsure: number[] = [];
    for (const coauthor of coauthors) {
      const verdict = this.rings.sharesAny(coauthor, window);
      if (verdict === true) return true;
      if (verdict === undefined) unsure.push(coauthor);
    }
    if (unsure.length === 0) return false;
    const unknownUpTo = Math.max(...unsure.map((c) => this.rings.unknownUpTo(c)));
    for (const paper of window) if (paper <= unknownUpTo && this.store().wroteAny(paper, unsure)) return true;
    return false;
  }

  /**
   * A paper's authors are now `authorIds`, where they were `previous` (the store's rows before
   * the change, in order; empty for a new paper).
   */
  setPaperAuthors(paperId: number, authorIds: readonly number[], previous: readonly number[]): void {
    // A paper imported again unchanged: nothing moves.
    if (previous.length === authorIds.length && authorIds.every((id, i) => previous[i] === id)) return;
    for (const person of previous) this.rings.remove(person, paperId);
    for (const person of authorIds) this.rings.add(person, paperId);
  }

  private store(): AuthorshipRows {
    if (!this.rows) throw new Error('AuthorMemory: this answer needs the store, and none was given');
    return this.rows;
  }
}

/** Authorships kept per person: the evidence window (500) and room for a few relinks before the store is asked. */
const RING_SIZE = 512;

/** What the memory asks the store's `paper_authors` when its rings cannot answer. */
export interface AuthorshipRows {
  /** The evidence rule itself, in SQL. */
  sharesRecentPaper(
    candidate: number,
    coauthors: readonly number[],
    exceptPaper: number,
    recent: number,
  ): boolean;
  /** Whether any of `people` is an author of `paperId`. */
  wroteAny(paperId: number, people: readonly number[]): boolean;
}

/**
 * The rows as the writer connection sees them. During a bulk load `paper_authors` has no index
 * by person: the rule then scans the table from its newest paper back, which is why it is the
 * exception (a ring emptied by relinks) and not the rule; by paper it reads the primary key.
 */
export function sqlAuthorshipRows(db: Db): AuthorshipRows {
  const rule = db.prepare(`SELECT 1 FROM (
      SELECT paper_id FROM paper_authors WHERE author_id = ? AND paper_id != ?
      ORDER BY paper_id DESC LIMIT ?
    ) a
    WHERE EXISTS (SELECT 1 FROM paper_authors b
      WHERE b.paper_id = a.paper_id AND b.author_id IN (SELECT value FROM json_each(?)))
    LIMIT 1`);
  const wrote = db.prepare(
    'SELECT 1 FROM paper_authors WHERE paper_id = ? AND author_id IN (SELECT value FROM json_each(?)) LIMIT 1',
  );
  return {
    sharesRecentPaper: (candidate, coauthors, exceptPaper, recent) =>
      rule.get(candidate, exceptPaper, recent, JSON.stringify(coauthors)) !== undefined,
    wroteAny: (paperId, people) => wrote.get(paperId, JSON.stringify(people)) !== undefined,
  };
}

/**
 * Each person's latest authorships as paper ids, oldest first (a person on a paper twice: the
 * id twice), at most `size` of them. Rings live in pooled blocks by capacity (2, 4, … `size`),
 * so that a person with three papers takes a few bytes and no object. A full ring lets its
 * oldest go, and remembers the newest paper id it ever let go (`below`): it speaks with
 * certainty only of papers newer than that.
 */
class Rings {
  /** Blocks of capacity 2^(k+1) (the last class: `size`), by k; a block is where in its pool it starts. */
  private readonly pools: Int32Array<ArrayBuffer>[] = [];
  private readonly poolUsed: number[] = [];
  private readonly freeBlocks: number[][] = [];
  /** By person id: block capacity class (-1: no ring), block start, entries. */
  private ringClass = new Int8Array(0);
  private ringStart = new Int32Array(0);
  private ringLength = new Int32Array(0);
  /**
   * By person id: the newest paper of an authorship the ring does not hold (0: none — paper ids
   * start at 1). Of papers up to it the ring may know some authorships and not others.
   */
  private below = new Int32Array(0);
  private readonly maxClass: number;

  constructor(private readonly size: number) {
    this.maxClass = Math.max(0, Math.ceil(Math.log2(size)) - 1);
    for (let k = 0; k <= this.maxClass; k++) {
      this.pools.push(new Int32Array(Math.min(1024, this.capacity(k)) * 4));
      this.poolUsed.push(0);
      this.freeBlocks.push([]);
    }
  }

  private capacity(k: number): number {
    return k === this.maxClass ? this.size : 2 << k;
  }

  /** Add an authorship (usually newer than any: appended). */
  add(person: number, paper: number): void {
    if (person >= this.ringClass.length) this.growPeople(person + 1);
    // In the part the ring cannot speak for anyway: leave it to the store.
    if (paper <= this.below[person]!) return;
    let k = this.ringClass[person]!;
    if (k < 0) {
      k = 0;
      this.ringClass[person] = 0;
      this.ringStart[person] = this.allocate(0);
    }
    let length = this.ringLength[person]!;
    let pool = this.pools[k]!;
    let start = this.ringStart[person]!;
    if (length === this.capacity(k)) {
      if (k < this.maxClass) {
        const next = this.allocate(k + 1);
        this.pools[k + 1]!.set(pool.subarray(start, start + length), next);
        this.freeBlocks[k]!.push(start);
        k++;
        this.ringClass[person] = k;
        this.ringStart[person] = next;
        pool = this.pools[k]!;
        start = next;
      } else if (paper < pool[start]!) {
        // Full, and older than all it holds: let this one go.
        this.below[person] = paper;
        return;
      } else {
        // Full: the oldest goes.
        this.below[person] = Math.max(this.below[person]!, pool[start]!);
        pool.copyWithin(start, start + 1, start + length);
        length--;
      }
    }
    // New papers come in id order: almost always at the end.
    let at = start + length;
    while (at > start && pool[at - 1]! > paper) at--;
    if (at < start + length) pool.copyWithin(at + 1, at, start + length);
    pool[at] = paper;
    this.ringLength[person] = length + 1;
  }

  /** Take one authorship of `person` on `paper` out (if the ring holds it). */
  remove(person: number, paper: number): void {
    const k = this.ringClass[person] ?? -1;
    if (k < 0) return;
    const pool = this.pools[k]!;
    const start = this.ringStart[person]!;
    const length = this.ringLength[person]!;
    for (let at = start + length - 1; at >= start; at--) {
      if (pool[at] !== paper) continue;
      pool.copyWithin(at, at + 1, start + length);
      this.ringLength[person] = length - 1;
      return;
    }
  }

  /**
   * The paper ids of `person`'s `recent` latest authorships other than on `exceptPaper`, newest
   * first; undefined when they reach into papers the ring cannot speak for.
   */
  latest(person: number, exceptPaper: number, recent: number): number[] | undefined {
    const k = this.ringClass[person] ?? -1;
    const window: number[] = [];
    if (k < 0) return window;
    const pool = this.pools[k]!;
    const start = this.ringStart[person]!;
    const below = this.below[person]!;
    for (let at = start + this.ringLength[person]! - 1; at >= start && window.length < recent; at--) {
      const paper = pool[at]!;
      if (paper <= below) return undefined;
      if (paper !== exceptPaper) window.push(paper);
    }
    return window.length < recent && below > 0 ? undefined : window;
  }

  /**
   * Whether `person` wrote any of `papers` (newest first): true, false, or undefined when the
   * ring cannot say for some of them.
   */
  sharesAny(person: number, papers: readonly number[]): boolean | undefined {
    const k = this.ringClass[person] ?? -1;
    if (k < 0) return false;
    const pool = this.pools[k]!;
    const start = this.ringStart[person]!;
    const below = this.below[person]!;
    let unsure = false;
    // Both newest first: one walk down each.
    let at = start + this.ringLength[person]! - 1;
    for (const paper of papers) {
      while (at >= start && pool[at]! > paper) at--;
      if (at >= start && pool[at] === paper) return true;
      if (paper <= below) unsure = true;
    }
    return unsure ? undefined : false;
  }

  /** Papers up to this id the ring of `person` cannot speak for (0: it speaks for all). */
  unknownUpTo(person: number): number {
    return this.below[person] ?? 0;
  }

  private allocate(k: number): number {
    const free = this.freeBlocks[k]!.pop();
    if (free !== undefined) return free;
    const capacity = this.capacity(k);
    const start = this.poolUsed[k]!;
    if (start + capacity > this.pools[k]!.length) this.pools[k] = grown(this.pools[k]!, start + capacity, 0);
    this.poolUsed[k] = start + capacity;
    return start;
  }

  private growPeople(length: number): void {
    const n = Math.max(length, Math.ceil(this.ringClass.length * 1.5), 16);
    const ringClass = new Int8Array(n).fill(-1);
    ringClass.set(this.ringClass);
    this.ringClass = ringClass;
    this.ringStart = grown(this.ringStart, n, 0);
    this.ringLength = grown(this.ringLength, n, 0);
    this.below = grown(this.below, n, 0);
  }
}

/** Where `given family` splits the display (the index of the space), or -1 when it does not spell it. */
function splitOf(name: PersonName): number {
  const { display, family, given } = name;
  if (family === undefined || given === undefined) return -1;
  return display.length === given.length + 1 + family.length &&
    display.startsWith(given) &&
    display[given.length] === ' ' &&
    display.endsWith(family)
    ? given.length
    : -1;
}

/**
 * A copy at least `length` long, new slots `fill`. Half as long again: appends stay amortised
 * O(1) and the unused tail is at most a third of the array (doubling left up to half).
 */
function grown(array: Int32Array<ArrayBuffer>, length: number, fill: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(length, Math.ceil(array.length * 1.5), 16));
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}

function insertSorted(map: Map<string, number | number[]>, key: string, id: number): void {
  const found = map.get(key);
  if (found === undefined) {
    map.set(key, id);
    return;
  }
  if (typeof found === 'number') {
    if (found !== id) map.set(key, found < id ? [found, id] : [id, found]);
    return;
  }
  const list = found;
  let at = list.length;
  while (at > 0 && list[at - 1]! > id) at--;
  if (list[at - 1] === id) return;
  if (at === list.length) list.push(id);
  else list.splice(at, 0, id);
}

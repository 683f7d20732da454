import type { PersonName } from '../../domain/record.ts';
import type { AuthorCandidate } from '../port.ts';
import type { Db } from './database.ts';

/**
 * What author resolution asks the store, held in memory for the length of a bulk load: people
 * by name key and by initial key with every name variant, and who wrote which paper (for the
 * co-author evidence that joins initials to a full name). Read once from the store when the
 * load begins, then kept in step with every write the load makes, so that each answer is the
 * one the SQL look-ups of `SqliteIngestTx` would give (same people, same order, same evidence
 * rule over a person's latest papers), at a cost that does not grow with the store.
 *
 * It holds something for every paper and person of the store, so it is kept compact (about
 * 15 bytes an authorship instead of the 130 that Maps of arrays took): authorships live in flat
 * typed arrays, each person's chained newest first; name variants in parallel arrays, their
 * `PersonName` objects made only when a look-up asks.
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

  /**
   * Authorships, one slot each: the person, the paper, and the same person's authorship on the
   * paper before (by paper id; -1 at the end of the chain). A paper's authors are a run of slots
   * (`paperStart`, `paperCount`, by paper id); when its authors are replaced a new run is
   * appended and the old slots are marked dead (person -1), skipped and unlinked as chains are
   * walked.
   */
  private slotPerson = new Int32Array(4096);
  private slotPaper = new Int32Array(4096);
  private slotPrevious = new Int32Array(4096);
  private slots = 0;
  private paperStart = new Int32Array(0);
  private paperCount = new Int32Array(0);
  /** Each person's newest authorship (-1: none), by person id. */
  private latest = new Int32Array(0);

  static load(db: Db): AuthorMemory {
    const memory = new AuthorMemory();
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
    const links = db
      .prepare('SELECT paper_id, author_id FROM paper_authors ORDER BY paper_id, position')
      .raw()
      .iterate() as IterableIterator<[number, number]>;
    let paper = -1;
    const authors: number[] = [];
    for (const [paperId, authorId] of links) {
      if (paperId !== paper) {
        if (authors.length) memory.appendRun(paper, authors);
        paper = paperId;
        authors.length = 0;
      }
      authors.push(authorId);
    }
    if (authors.length) memory.appendRun(paper, authors);
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
    let seen = 0;
    // The live slot visited last: a dead slot after it is unlinked from the chain.
    let newer = -1;
    for (let slot = this.latest[candidate] ?? -1; slot >= 0 && seen < recent; ) {
      const previous = this.slotPrevious[slot]!;
      if (this.slotPerson[slot]! < 0) {
        if (newer < 0) this.latest[candidate] = previous;
        else this.slotPrevious[newer] = previous;
        slot = previous;
        continue;
      }
      newer = slot;
      const paper = this.slotPaper[slot]!;
      if (paper !== exceptPaper) {
        seen++;
        const start = this.paperStart[paper]!;
        const end = start + this.paperCount[paper]!;
        for (let s = start; s < end; s++) if (coauthors.has(this.slotPerson[s]!)) return true;
      }
      slot = previous;
    }
    return false;
  }

  /** A paper's authors are now these (replacing any it had). */
  setPaperAuthors(paperId: number, authorIds: readonly number[]): void {
    const start = this.paperStart[paperId] ?? 0;
    const count = this.paperCount[paperId] ?? 0;
    // A paper imported again unchanged: nothing moves.
    if (count === authorIds.length && authorIds.every((id, i) => this.slotPerson[start + i] === id)) return;
    for (let s = start; s < start + count; s++) this.slotPerson[s] = -1;
    this.appendRun(paperId, authorIds);
  }

  /** Give a paper a new run of slots, each linked into its person's chain by paper id. */
  private appendRun(paperId: number, authorIds: readonly number[]): void {
    if (paperId >= this.paperStart.length) {
      this.paperStart = grown(this.paperStart, paperId + 1, 0);
      this.paperCount = grown(this.paperCount, paperId + 1, 0);
    }
    const needed = this.slots + authorIds.length;
    if (needed > this.slotPerson.length) {
      this.slotPerson = grown(this.slotPerson, needed, 0);
      this.slotPaper = grown(this.slotPaper, needed, 0);
      this.slotPrevious = grown(this.slotPrevious, needed, 0);
    }
    this.paperStart[paperId] = this.slots;
    this.paperCount[paperId] = authorIds.length;
    for (const person of authorIds) {
      const slot = this.slots++;
      this.slotPerson[slot] = person;
      this.slotPaper[slot] = paperId;
      if (person >= this.latest.length) this.latest = grown(this.latest, person + 1, -1);
      const head = this.latest[person]!;
      // New papers come in id order: almost always the newest of the chain.
      if (head < 0 || this.slotPaper[head]! <= paperId) {
        this.slotPrevious[slot] = head;
        this.latest[person] = slot;
        continue;
      }
      let after = head;
      while (this.slotPrevious[after]! >= 0 && this.slotPaper[this.slotPrevious[after]!]! > paperId) {
        after = this.slotPrevious[after]!;
      }
      this.slotPrevious[slot] = this.slotPrevious[after]!;
      this.slotPrevious[after] = slot;
    }
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

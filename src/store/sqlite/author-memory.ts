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
 */
export class AuthorMemory {
  /** Person ids by name key and by initial key, ascending (the order the SQL look-ups give). */
  private readonly byNameKey = new Map<string, number[]>();
  private readonly byInitialKey = new Map<string, number[]>();
  /** Each person's name variants (an array: most people have one or two, and a Map costs more). */
  private readonly names = new Map<number, PersonName[]>();
  /** Each person's papers, one entry per authorship, ascending. */
  private readonly papersOf = new Map<number, number[]>();
  /** Each paper's authors in order. */
  private readonly authorsOf = new Map<number, number[]>();

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
    let authors: number[] = [];
    for (const [paperId, authorId] of links) {
      if (paperId !== paper) {
        if (authors.length) memory.authorsOf.set(paper, authors);
        paper = paperId;
        authors = [];
      }
      authors.push(authorId);
      papersOfAuthor(memory.papersOf, authorId).push(paperId);
    }
    if (authors.length) memory.authorsOf.set(paper, authors);
    return memory;
  }

  hasName(authorId: number, display: string): boolean {
    return this.names.get(authorId)?.some((n) => n.display === display) ?? false;
  }

  /** Remember a name variant; false when the person had it already (nothing to write). */
  addName(authorId: number, name: PersonName, nameKey: string, initialKey: string): boolean {
    let variants = this.names.get(authorId);
    if (!variants) {
      variants = [];
      this.names.set(authorId, variants);
    }
    if (variants.some((n) => n.display === name.display)) return false;
    variants.push(name);
    insertSorted(this.byNameKey, nameKey, authorId);
    insertSorted(this.byInitialKey, initialKey, authorId);
    return true;
  }

  firstByNameKey(key: string): number | undefined {
    return this.byNameKey.get(key)?.[0];
  }

  byName(key: string): AuthorCandidate[] {
    return this.candidates(this.byNameKey.get(key));
  }

  byInitials(key: string): AuthorCandidate[] {
    return this.candidates(this.byInitialKey.get(key));
  }

  private candidates(ids: readonly number[] | undefined): AuthorCandidate[] {
    if (!ids) return [];
    // Variants in the order learnt (by display for those read from the store): resolution only
    // asks whether some or every variant qualifies.
    return ids.map((id) => {
      const names = this.names.get(id)?.slice() ?? [];
      return { id, displayName: names[0]?.display ?? '', names };
    });
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
    const papers = this.papersOf.get(candidate);
    if (!papers) return false;
    let seen = 0;
    for (let i = papers.length - 1; i >= 0 && seen < recent; i--) {
      const paper = papers[i]!;
      if (paper === exceptPaper) continue;
      seen++;
      for (const author of this.authorsOf.get(paper) ?? []) if (coauthors.has(author)) return true;
    }
    return false;
  }

  /** A paper's authors are now these (replacing any it had). */
  setPaperAuthors(paperId: number, authorIds: readonly number[]): void {
    for (const old of this.authorsOf.get(paperId) ?? []) {
      const list = this.papersOf.get(old);
      const at = list?.indexOf(paperId) ?? -1;
      if (list && at >= 0) list.splice(at, 1);
    }
    this.authorsOf.set(paperId, [...authorIds]);
    for (const id of authorIds) {
      const list = papersOfAuthor(this.papersOf, id);
      // New papers come in id order: almost always an append.
      let at = list.length;
      while (at > 0 && list[at - 1]! > paperId) at--;
      if (at === list.length) list.push(paperId);
      else list.splice(at, 0, paperId);
    }
  }
}

function papersOfAuthor(papersOf: Map<number, number[]>, authorId: number): number[] {
  let list = papersOf.get(authorId);
  if (!list) {
    list = [];
    papersOf.set(authorId, list);
  }
  return list;
}

function insertSorted(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (!list) {
    map.set(key, [id]);
    return;
  }
  let at = list.length;
  while (at > 0 && list[at - 1]! > id) at--;
  if (list[at - 1] === id) return;
  if (at === list.length) list.push(id);
  else list.splice(at, 0, id);
}

import { initialKey } from '../../domain/names.ts';
import type { CodeLink } from '../../domain/paper.ts';
import type { PersonName, Provenance } from '../../domain/record.ts';
import type { AuthorProfile } from '../../store/port.ts';
import type { Db } from '../../store/sqlite/database.ts';
import { tokenize } from '../similar/tokenize.ts';
import type { AuthorReader } from './author-data.ts';
import {
  type CoauthorNetwork,
  candidateTerms,
  distinctiveTerms,
  rankCategories,
  TEXT_ORDER,
  type TermUse,
} from './profile.ts';
import { type PersonSketch, rankSuggestions } from './suggestions.ts';
import {
  closestCandidates,
  NEWEST_KEPT,
  SKETCH_PAPERS,
  type StoredSummary,
  SUGGESTIONS_KEPT,
  TERM_PAPERS,
} from './summarize.ts';

/**
 * The pass over every author, computed in bulk: the knowledge base is read in a few ordered
 * scans (papers with their year, date, categories and words; every author list; sources;
 * names; code links; decisions) into compact arrays, and each person's summary is then
 * computed from memory — no query per person. The result is what `AuthorSummarizer.stored`
 * gives for the same person on the same snapshot, field by field (the same pure functions
 * rank, score and order; the SQL orders are reproduced here), at a few hundred people a
 * second instead of a few.
 *
 * Memory grows with the corpus, not with the people held: typed arrays for the author lists
 * and each paper's words (a word is interned once), and a bounded cache of the people whose
 * profile was computed (a group sharing an initial key are each other's candidates).
 */

/** Stand-in for a missing year in an Int32Array. */
const NO_YEAR = -2147483648;
/** People whose computed profile is kept for their next use as a candidate or subject. */
const CORE_CACHE_SIZE = 2_000;
/** The network is drawn from this many of the latest papers (as `AuthorReader.authorLists`). */
const NETWORK_PAPERS = 300;
/** Words stemmed and counted against the index in one go. */
const STEM_BATCH = 20_000;

type Link = Pick<CodeLink, 'url' | 'kind' | 'status'>;

export interface BulkRow {
  id: number;
  seq: number;
  summary: StoredSummary;
}

/** Everything of one person computed from the arrays, before their suggestions. */
interface Core {
  id: number;
  seq: number;
  /** Distinct papers, ascending. */
  papers: Int32Array;
  summary: Omit<StoredSummary, 'suggestions' | 'decision' | 'newest'>;
  newest: number[];
  /** Texts of the latest papers, newest first (as `AuthorReader.texts` orders them). */
  latest: Int32Array;
  sketchTerms?: string[];
}

/** Growable Int32 storage: a few million entries without a JS array's per-element cost. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Growable byte storage (a word's uses in one paper). */
class ByteList {
  data = new Uint8Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * SQLite's BINARY collation compares UTF-8 bytes, i.e. code points; JavaScript's `<` compares
 * UTF-16 units, which differ only where a surrogate pair meets U+E000–U+FFFF.
 */
export function binaryCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
      y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

export class BulkSummaries {
  /** Everyone with papers, in the order of the pass: groups sharing an initial key, heaviest first. */
  readonly queue: number[];
  /** The latest paper change of the snapshot read: papers changed after it are for the watch that follows. */
  readonly snapshotSeq: number;

  // Papers, indexed by paper id.
  private readonly year: Int32Array;
  /** The rank of `published` in SQLite's BINARY order (-1: none). */
  private readonly publishedRank: Int32Array;
  /** The dates by rank. */
  private readonly publishedText: string[];
  private readonly seqOf: Int32Array;
  private readonly categoryStart: Int32Array;
  private readonly categoryIds: Int32Array;
  private readonly categoryNames: string[];
  private readonly sourceStart: Int32Array;
  private readonly sourceIds: Int32Array;
  private readonly sourceNames: string[];
  private readonly termStart: Int32Array;
  private readonly termIds: Int32Array;
  /** A word's uses in the paper, in a byte; 255 and over in `termCountsOver` (a word used that often is rare). */
  private readonly termCounts: Uint8Array;
  private readonly termCountsOver = new Map<number, number>();
  private readonly words: string[];
  private readonly vocabulary: Map<string, number>;
  /** Document frequency of each word's stem in the index; -1: the tokenizer keeps nothing of the word. */
  private readonly wordDf: Int32Array;
  private readonly codeLinks = new Map<number, Link[]>();
  // Author lists: one entry per paper_authors row, in (paper, position) order.
  private readonly rowStart: Int32Array;
  private readonly rowAuthor: Int32Array;
  /** Index of the row's spelling among the author's names; -1: in `rowDisplayOther`. */
  private readonly rowDisplay: Int32Array;
  private readonly rowDisplayOther = new Map<number, string>();
  /** Each author's rows (indexes into the above), by paper then position. */
  private readonly authorRowStart: Int32Array;
  private readonly authorRows: Int32Array;
  private readonly rowPaper: Int32Array;
  /** Each author's distinct papers, ascending. */
  private readonly authorPaperStart: Int32Array;
  private readonly authorPapers: Int32Array;
  /** Rank of each paper's date key (`published`, else the year) in the list's collation; -1: none. */
  private readonly dateRank: Int32Array;
  // People, indexed by author id.
  private readonly displayName: (string | undefined)[] = [];
  private readonly authorIds: (string | undefined)[] = [];
  private readonly names: PersonName[][] = [];
  private readonly byInitialKey = new Map<string, number[]>();
  private readonly authorSources = new Map<number, Provenance[]>();
  private readonly lastDecision = new Map<number, number>();
  private readonly notSame = new Map<number, Set<number>>();
  private readonly corpusSize: number;

  private readonly cores = new Map<number, Core>();
  private readonly sketches = new Map<number, PersonSketch>();
  // Scratch for co-author counts.
  private readonly coCount: Int32Array;
  private readonly coSeen: Int32Array;

  /**
   * Reads the knowledge base in one read transaction of `db` (a consistent snapshot). `reader`
   * is on the same connection: its stemmer and the corpus's term counts weigh the words, and
   * its common terms should be counted first (`termsReady`).
   */
  constructor(
    db: Db,
    private readonly reader: AuthorReader,
  ) {
    const inTransaction = db.inTransaction;
    if (!inTransaction) db.exec('BEGIN');
    try {
      this.snapshotSeq = db
        .prepare('SELECT coalesce(max(seq), 0) FROM paper_changes')
        .pluck()
        .get() as number;
      this.corpusSize = reader.corpusSize();
      const maxPaper = this.corpusSize;
      const maxAuthor = (db.prepare('SELECT coalesce(max(id), 0) FROM authors').pluck().get() as number) ?? 0;

      for (const [id, display, ids] of db
        .prepare('SELECT id, display_name, ids FROM authors')
        .raw()
        .iterate() as Iterable<[number, string, string]>) {
        this.displayName[id] = display;
        this.authorIds[id] = ids;
      }
      for (const [id, display, family, given, key] of db
        .prepare(
          'SELECT author_id, display, family, given, initial_key FROM author_names ORDER BY author_id, display',
        )
        .raw()
        .iterate() as Iterable<[number, string, string | null, string | null, string]>) {
        const name: PersonName = { display };
        if (family !== null) name.family = family;
        if (given !== null) name.given = given;
        const spellings = this.names[id];
        if (spellings) spellings.push(name);
        else this.names[id] = [name];
        const group = this.byInitialKey.get(key);
        if (!group) this.byInitialKey.set(key, [id]);
        else if (group.at(-1) !== id) group.push(id);
      }

      // Papers: year, date, change, categories and the words of title and abstract, each paper once.
      this.year = new Int32Array(maxPaper + 1).fill(NO_YEAR);
      this.seqOf = new Int32Array(maxPaper + 1);
      const published = new Map<string, number>();
      const publishedOf = new Int32Array(maxPaper + 1).fill(-1);
      const categoryIndex = new Map<string, number>();
      this.categoryNames = [];
      const categoryStart = new Int32Array(maxPaper + 2);
      const categoryIds = new IntList();
      const vocabulary = new Map<string, number>();
      this.words = [];
      const termStart = new Int32Array(maxPaper + 2);
      const termIds = new IntList();
      const termCounts = new ByteList();
      const uses = new Map<number, number>();
      let last = 0;
      for (const [id, year, date, title, abstract, categories, seq] of db
        .prepare(
          `SELECT p.id, p.year, p.published, p.title, json_extract(p.view, '$.abstractText'),
                  json_extract(p.view, '$.categories'), c.seq
           FROM papers p LEFT JOIN paper_changes c ON c.paper_id = p.id ORDER BY p.id`,
        )
        .raw()
        .iterate() as Iterable<
        [number, number | null, string | null, string | null, string | null, string | null, number | null]
      >) {
        for (let p = last + 1; p <= id; p++) {
          categoryStart[p] = categoryIds.length;
          termStart[p] = termIds.length;
        }
        last = id;
        if (year !== null) this.year[id] = year;
        if (seq !== null) this.seqOf[id] = seq;
        if (date !== null) {
          publishedOf[id] = intern(published, date);
        }
        for (const c of categoryList(categories)) {
          categoryIds.push(intern(categoryIndex, c, this.categoryNames));
        }
        // As `termUses` reads a paper: the title, a break, the abstract (falsy ones empty).
        uses.clear();
        for (const t of tokenize(`${title || ''} . ${abstract || ''}`)) {
          const at = intern(vocabulary, t, this.words);
          uses.set(at, (uses.get(at) ?? 0) + 1);
        }
        for (const [t, n] of uses) {
          termIds.push(t);
          if (n >= 255) this.termCountsOver.set(termCounts.length, n);
          termCounts.push(Math.min(n, 255));
        }
      }
      for (let p = last + 1; p <= maxPaper + 1; p++) {
        categoryStart[p] = categoryIds.length;
        termStart[p] = termIds.length;
      }
      this.categoryStart = categoryStart;
      this.categoryIds = categoryIds.done();
      this.termStart = termStart;
      this.termIds = termIds.done();
      this.termCounts = termCounts.done();
      this.vocabulary = vocabulary;
      // Dates ranked once in SQLite's order, so each person's papers sort on integers.
      const dates = [...published.keys()];
      const order = dates.map((_, i) => i).sort((a, b) => binaryCompare(dates[a]!, dates[b]!));
      const rankOf = new Int32Array(order.length);
      order.forEach((at, rank) => {
        rankOf[at] = rank;
      });
      this.publishedRank = publishedOf.map((at) => (at < 0 ? -1 : rankOf[at]!));
      this.publishedText = order.map((at) => dates[at]!);
      this.dateRank = this.dateRanks();

      // Every author list, in (paper, position) order.
      const rowAuthor = new IntList();
      const rowPaper = new IntList();
      const rowDisplay = new IntList();
      const rowStart = new Int32Array(maxPaper + 2);
      last = 0;
      for (const [paper, author, display] of db
        .prepare('SELECT paper_id, author_id, display FROM paper_authors ORDER BY paper_id, position')
        .raw()
        .iterate() as Iterable<[number, number, string]>) {
        for (let p = last + 1; p <= paper; p++) rowStart[p] = rowAuthor.length;
        last = paper;
        const spelled = this.names[author]?.findIndex((n) => n.display === display) ?? -1;
        if (spelled < 0) this.rowDisplayOther.set(rowAuthor.length, display);
        rowDisplay.push(spelled);
        rowAuthor.push(author);
        rowPaper.push(paper);
      }
      for (let p = last + 1; p <= maxPaper + 1; p++) rowStart[p] = rowAuthor.length;
      this.rowStart = rowStart;
      this.rowAuthor = rowAuthor.done();
      this.rowPaper = rowPaper.done();
      this.rowDisplay = rowDisplay.done();
      // Each author's rows, by counting sort (stable: paper then position within an author).
      this.authorRowStart = new Int32Array(maxAuthor + 2);
      for (const a of this.rowAuthor) this.authorRowStart[a + 1]!++;
      for (let a = 1; a <= maxAuthor + 1; a++) this.authorRowStart[a]! += this.authorRowStart[a - 1]!;
      const fill = this.authorRowStart.slice(0, maxAuthor + 1);
      this.authorRows = new Int32Array(this.rowAuthor.length);
      for (let r = 0; r < this.rowAuthor.length; r++) this.authorRows[fill[this.rowAuthor[r]!]!++] = r;
      this.authorPaperStart = new Int32Array(maxAuthor + 2);
      const authorPapers = new IntList();
      for (let a = 0; a <= maxAuthor; a++) {
        this.authorPaperStart[a] = authorPapers.length;
        let previous = -1;
        for (let i = this.authorRowStart[a]!; i < this.authorRowStart[a + 1]!; i++) {
          const p = this.rowPaper[this.authorRows[i]!]!;
          if (p !== previous) authorPapers.push(p);
          previous = p;
        }
      }
      this.authorPaperStart[maxAuthor + 1] = authorPapers.length;
      this.authorPapers = authorPapers.done();

      // Which sources gave each paper (a paper counts once per source).
      const sourceIndex = new Map<string, number>();
      this.sourceNames = [];
      const perPaper = new Map<number, Set<number>>();
      for (const [paper, source] of db
        .prepare('SELECT paper_id, source FROM source_records WHERE paper_id IS NOT NULL')
        .raw()
        .iterate() as Iterable<[number, string]>) {
        const at = intern(sourceIndex, source, this.sourceNames);
        const set = perPaper.get(paper);
        if (!set) perPaper.set(paper, new Set([at]));
        else set.add(at);
      }
      this.sourceStart = new Int32Array(maxPaper + 2);
      const sourceIds = new IntList();
      for (let p = 1; p <= maxPaper; p++) {
        this.sourceStart[p] = sourceIds.length;
        for (const s of perPaper.get(p) ?? []) sourceIds.push(s);
      }
      this.sourceStart[maxPaper + 1] = sourceIds.length;
      this.sourceIds = sourceIds.done();
      perPaper.clear();

      for (const [author, source, origin, locator, fetchedAt] of db
        .prepare(
          `SELECT author_id, source, origin, locator, fetched_at FROM source_records
           WHERE author_id IS NOT NULL ORDER BY author_id, id`,
        )
        .raw()
        .iterate() as Iterable<[number, string, string, string, string]>) {
        const list = this.authorSources.get(author) ?? [];
        list.push({ source, origin, locator, fetchedAt } as Provenance);
        this.authorSources.set(author, list);
      }
      for (const [paper, url, kind, status] of db
        .prepare('SELECT paper_id, url, kind, status FROM code_links')
        .raw()
        .iterate() as Iterable<[number, string, Link['kind'], Link['status']]>) {
        const list = this.codeLinks.get(paper) ?? [];
        list.push({ url, kind, status });
        this.codeLinks.set(paper, list);
      }
      for (const [id, a, b] of db
        .prepare('SELECT id, author_id, other_id FROM author_decisions')
        .raw()
        .iterate() as Iterable<[number, number, number | null]>) {
        for (const who of [a, b]) {
          if (who === null) continue;
          if (id > (this.lastDecision.get(who) ?? 0)) this.lastDecision.set(who, id);
        }
      }
      for (const [low, high] of db
        .prepare('SELECT low_id, high_id FROM author_not_same')
        .raw()
        .iterate() as Iterable<[number, number]>) {
        (this.notSame.get(low) ?? this.notSame.set(low, new Set()).get(low)!).add(high);
        (this.notSame.get(high) ?? this.notSame.set(high, new Set()).get(high)!).add(low);
      }

      this.queue = BulkSummaries.passOrder(db);
    } finally {
      if (!inTransaction) db.exec('COMMIT');
    }
    // Each word weighed once against the index (its stem's document count), as the reader does per person.
    this.wordDf = new Int32Array(this.words.length).fill(-1);
    for (let i = 0; i < this.words.length; i += STEM_BATCH) {
      const batch = this.words.slice(i, i + STEM_BATCH);
      const { df } = this.reader.documentFrequencies(batch, { exact: true });
      batch.forEach((w, j) => {
        const n = df.get(w);
        if (n !== undefined) this.wordDf[i + j] = n;
      });
    }
    this.coCount = new Int32Array(this.authorRowStart.length);
    this.coSeen = new Int32Array(this.authorRowStart.length);
  }

  /**
   * `sortPapers` by date orders on `published`, else the year as text, in a collation where
   * distinct keys can be equal: each distinct key ranked once, equal keys the same rank.
   */
  private dateRanks(): Int32Array {
    const keyOf = (p: number): string | undefined => {
      const rank = this.publishedRank[p]!;
      if (rank >= 0) return this.publishedText[rank];
      const y = this.year[p]!;
      return y === NO_YEAR ? undefined : String(y);
    };
    const distinct = new Map<string, number>();
    for (let p = 0; p < this.year.length; p++) {
      const key = keyOf(p);
      if (key !== undefined) distinct.set(key, 0);
    }
    const keys = [...distinct.keys()].sort((a, b) => TEXT_ORDER.compare(a, b));
    let rank = -1;
    keys.forEach((key, i) => {
      if (i === 0 || TEXT_ORDER.compare(keys[i - 1]!, key) !== 0) rank++;
      distinct.set(key, rank);
    });
    const ranks = new Int32Array(this.year.length).fill(-1);
    for (let p = 0; p < this.year.length; p++) {
      const key = keyOf(p);
      if (key !== undefined) ranks[p] = distinct.get(key)!;
    }
    return ranks;
  }

  /**
   * The worker's order: people sharing an initial key one after another (each other's
   * candidates), the groups heaviest member first, the most prolific first within a group.
   */
  private static passOrder(db: Db): number[] {
    const everyone = db
      .prepare(
        `SELECT pa.author_id, count(*), (SELECT min(initial_key) FROM author_names n WHERE n.author_id = pa.author_id)
         FROM paper_authors pa JOIN paper_changes c ON c.paper_id = pa.paper_id
         GROUP BY pa.author_id`,
      )
      .raw()
      .all() as [number, number, string | null][];
    const heaviest = new Map<string, number>();
    for (const [, n, key] of everyone) heaviest.set(key ?? '', Math.max(heaviest.get(key ?? '') ?? 0, n));
    return everyone
      .sort(
        (a, b) =>
          heaviest.get(b[2] ?? '')! - heaviest.get(a[2] ?? '')! ||
          (a[2] ?? '').localeCompare(b[2] ?? '') ||
          b[1] - a[1] ||
          a[0] - b[0],
      )
      .map(([id]) => id);
  }

  /** Bytes held by the arrays (for the progress line). */
  get arrayBytes(): number {
    return [
      this.year,
      this.publishedRank,
      this.seqOf,
      this.categoryStart,
      this.categoryIds,
      this.sourceStart,
      this.sourceIds,
      this.termStart,
      this.termIds,
      this.termCounts,
      this.wordDf,
      this.rowStart,
      this.rowAuthor,
      this.rowDisplay,
      this.rowPaper,
      this.authorRowStart,
      this.authorRows,
      this.authorPaperStart,
      this.authorPapers,
      this.dateRank,
      this.coCount,
      this.coSeen,
    ].reduce((n, a) => n + a.byteLength, 0);
  }

  /** The person's stored summary as `AuthorSummarizer.stored` computes it (undefined: no such author). */
  summarize(id: number): BulkRow | undefined {
    const core = this.core(id);
    if (!core) return undefined;
    const suggestions = this.suggestions(core);
    return {
      id,
      seq: core.seq,
      summary: {
        ...core.summary,
        suggestions,
        decision: this.lastDecision.get(id) ?? 0,
        newest: core.newest,
      },
    };
  }

  /** The latest change among the person's papers in the snapshot (as `AuthorReader.authorSeq`). */
  authorSeq(id: number): number {
    let seq = 0;
    for (const p of this.papersOf(id)) if (this.seqOf[p]! > seq) seq = this.seqOf[p]!;
    return seq;
  }

  private rowsOf(id: number): Int32Array {
    if (id + 1 >= this.authorRowStart.length) return new Int32Array(0);
    return this.authorRows.subarray(this.authorRowStart[id]!, this.authorRowStart[id + 1]!);
  }

  private papersOf(id: number): Int32Array {
    if (id + 1 >= this.authorPaperStart.length) return new Int32Array(0);
    return this.authorPapers.subarray(this.authorPaperStart[id]!, this.authorPaperStart[id + 1]!);
  }

  private displayOfRow(r: number): string {
    const at = this.rowDisplay[r]!;
    return at < 0 ? this.rowDisplayOther.get(r)! : this.names[this.rowAuthor[r]!]![at]!.display;
  }

  private core(id: number): Core | undefined {
    const hit = this.cores.get(id);
    if (hit) {
      this.cores.delete(id);
      this.cores.set(id, hit);
      return hit;
    }
    const displayName = this.displayName[id];
    if (displayName === undefined) return undefined;
    const rows = this.rowsOf(id);
    const papers = this.papersOf(id);
    const seq = this.authorSeq(id);

    // The years in the order the papers are read (by id).
    const perYear = new Map<number, number>();
    const years: number[] = [];
    for (const p of papers) {
      const y = this.year[p]!;
      if (y !== NO_YEAR) {
        if (!perYear.has(y)) years.push(y);
        perYear.set(y, (perYear.get(y) ?? 0) + 1);
      }
    }

    // Spellings with the rows that use each.
    const names = this.names[id] ?? [];
    const nameCounts = names.map((n) => ({ display: n.display, count: 0 }));
    for (const r of rows) {
      const at = this.rowDisplay[r]!;
      if (at >= 0) nameCounts[at]!.count++;
    }
    nameCounts.sort((a, b) => b.count - a.count || binaryCompare(a.display, b.display));

    const profile: AuthorProfile = {
      id,
      displayName,
      paperCount: papers.length,
      names: nameCounts,
      ids: JSON.parse(this.authorIds[id] ?? '{}') as Record<string, string>,
      coauthors: this.coauthorCounts(id, papers),
      papersPerYear: [...perYear].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count })),
      codeLinks: this.codeLinksOf(papers).map((l) => ({ ...l, raw: l.url, foundIn: [] })),
      sources: this.authorSources.get(id) ?? [],
    };

    // Categories, and sources, each counting a paper once.
    const categories = new Map<number, number>();
    const sources = new Map<number, number>();
    for (const p of papers) {
      for (let i = this.categoryStart[p]!; i < this.categoryStart[p + 1]!; i++) {
        const c = this.categoryIds[i]!;
        categories.set(c, (categories.get(c) ?? 0) + 1);
      }
      for (let i = this.sourceStart[p]!; i < this.sourceStart[p + 1]!; i++) {
        const s = this.sourceIds[i]!;
        sources.set(s, (sources.get(s) ?? 0) + 1);
      }
    }
    const categoryCounts = new Map(
      [...categories]
        .map(([c, n]) => [this.categoryNames[c]!, n] as [string, number])
        .sort((a, b) => binaryCompare(a[0], b[0])),
    );
    const paperSources = [...sources]
      .map(([s, n]) => ({ source: this.sourceNames[s]!, papers: n }))
      .sort((a, b) => b.papers - a.papers || binaryCompare(a.source, b.source));

    // The latest papers (date, then id, newest first; undated last) give the words.
    const latest = Int32Array.from(papers).sort((a, b) => {
      const ra = this.publishedRank[a]!;
      const rb = this.publishedRank[b]!;
      return rb - ra || b - a;
    });
    const termPapers = latest.subarray(0, TERM_PAPERS);
    const uses = this.termUses(termPapers);
    const terms = candidateTerms(uses, termPapers.length);
    const topTerms = distinctiveTerms(uses, terms, this.dfOf(terms), this.corpusSize);

    const core: Core = {
      id,
      seq,
      papers,
      latest,
      summary: {
        profile,
        topCategories: rankCategories(categoryCounts),
        topTerms,
        termsComplete: true,
        network: this.network(rows, id),
        paperSources,
        years,
      },
      newest: this.newest(papers),
    };
    this.cores.set(id, core);
    if (this.cores.size > CORE_CACHE_SIZE) this.cores.delete(this.cores.keys().next().value as number);
    return core;
  }

  /** As `sortPapers(papers, 'date', 'desc')`, the first hundred: later dates first, equal ones and undated by id. */
  private newest(papers: Int32Array): number[] {
    const rank = this.dateRank;
    return Array.from(papers)
      .sort((a, b) => {
        const ra = rank[a]!;
        const rb = rank[b]!;
        if (ra < 0 || rb < 0) return ra === rb ? a - b : ra < 0 ? 1 : -1;
        return rb - ra || a - b;
      })
      .slice(0, NEWEST_KEPT);
  }

  /** As `AuthorReader.coauthorCounts`: papers shared with each co-author, the first hundred (ties at the hundredth kept until the limit). */
  private coauthorCounts(
    id: number,
    papers: Int32Array,
  ): { id: number; displayName: string; count: number }[] {
    const touched: number[] = [];
    const count = this.coCount;
    const seen = this.coSeen;
    for (const p of papers) {
      for (let r = this.rowStart[p]!; r < this.rowStart[p + 1]!; r++) {
        const b = this.rowAuthor[r]!;
        if (b === id || seen[b] === p) continue;
        seen[b] = p;
        if (count[b] === 0) touched.push(b);
        count[b]!++;
      }
    }
    let threshold = 0;
    if (touched.length > 100) {
      const counts = touched.map((b) => count[b]!).sort((a, b) => b - a);
      threshold = counts[99]!;
    }
    const kept: { id: number; displayName: string; count: number }[] = [];
    for (const b of touched) {
      if (count[b]! >= threshold)
        kept.push({ id: b, displayName: this.displayName[b] ?? '', count: count[b]! });
      count[b] = 0;
      seen[b] = 0;
    }
    return kept
      .sort((a, b) => b.count - a.count || binaryCompare(a.displayName, b.displayName) || a.id - b.id)
      .slice(0, 100);
  }

  private codeLinksOf(papers: Int32Array): Link[] {
    if (this.codeLinks.size === 0) return [];
    const distinct = new Map<string, Link>();
    for (const p of papers)
      for (const l of this.codeLinks.get(p) ?? [])
        distinct.set(`${l.url}\u0000${l.kind}\u0000${l.status}`, l);
    return [...distinct.values()].sort(
      (a, b) =>
        binaryCompare(a.url, b.url) || binaryCompare(a.kind, b.kind) || binaryCompare(a.status, b.status),
    );
  }

  /**
   * As `coauthorNetwork` over `AuthorReader.authorLists` (the person's latest papers by id, as
   * often as they are on each, the first 300), counted in the scratch arrays: a collaboration
   * paper lists hundreds of people, and only the closest twelve are sorted by name.
   */
  private network(rows: Int32Array, self: number, top = 12): CoauthorNetwork {
    const chosenPapers = new Set<number>();
    for (let i = rows.length - 1, taken = 0; i >= 0 && taken < NETWORK_PAPERS; i--, taken++)
      chosenPapers.add(this.rowPaper[rows[i]!]!);
    const papers = [...chosenPapers].sort((a, b) => a - b);
    const count = this.coCount;
    const seen = this.coSeen;
    const touched: number[] = [];
    const firstRow = new Map<number, number>();
    for (const p of papers) {
      for (let r = this.rowStart[p]!; r < this.rowStart[p + 1]!; r++) {
        const b = this.rowAuthor[r]!;
        if (b === self || seen[b] === p) continue;
        seen[b] = p;
        if (count[b] === 0) {
          touched.push(b);
          firstRow.set(b, r);
        }
        count[b]!++;
      }
    }
    let threshold = 0;
    if (touched.length > top) threshold = touched.map((b) => count[b]!).sort((a, b) => b - a)[top - 1]!;
    const nodes: CoauthorNetwork['nodes'] = [];
    for (const b of touched) {
      if (count[b]! >= threshold)
        nodes.push({ id: b, name: this.displayOfRow(firstRow.get(b)!), papers: count[b]! });
      count[b] = 0;
      seen[b] = 0;
    }
    nodes.sort((a, b) => b.papers - a.papers || a.name.localeCompare(b.name) || a.id - b.id);
    nodes.length = Math.min(nodes.length, top);
    const chosen = nodes.map((n) => n.id).sort((a, b) => a - b);
    // The scratch counter marks the chosen (their place + 1) while the pairs are counted.
    chosen.forEach((id, i) => {
      count[id] = i + 1;
    });
    const pairs = new Int32Array(chosen.length * chosen.length);
    for (const p of papers) {
      const on: number[] = [];
      for (let r = this.rowStart[p]!; r < this.rowStart[p + 1]!; r++) {
        const i = count[this.rowAuthor[r]!]! - 1;
        if (i >= 0 && !on.includes(i)) on.push(i);
      }
      on.sort((a, b) => a - b);
      for (let i = 0; i < on.length; i++)
        for (let j = i + 1; j < on.length; j++) pairs[on[i]! * chosen.length + on[j]!]!++;
    }
    for (const id of chosen) count[id] = 0;
    let links: CoauthorNetwork['links'] = [];
    for (let i = 0; i < chosen.length; i++)
      for (let j = i + 1; j < chosen.length; j++) {
        const n = pairs[i * chosen.length + j]!;
        if (n > 0) links.push({ a: chosen[i]!, b: chosen[j]!, papers: n });
      }
    // One paper with forty authors joins everyone to everyone: then only repeated work counts.
    if (links.length > 2 * nodes.length) links = links.filter((l) => l.papers >= 2);
    return { nodes, links };
  }

  private termCount(i: number): number {
    const n = this.termCounts[i]!;
    return n < 255 ? n : this.termCountsOver.get(i)!;
  }

  private termUses(papers: Int32Array): Map<string, TermUse> {
    const byWord = new Map<number, TermUse>();
    for (const p of papers) {
      for (let i = this.termStart[p]!; i < this.termStart[p + 1]!; i++) {
        const t = this.termIds[i]!;
        const u = byWord.get(t);
        if (u) {
          u.count += this.termCount(i);
          u.papers++;
        } else byWord.set(t, { count: this.termCount(i), papers: 1 });
      }
    }
    const uses = new Map<string, TermUse>();
    for (const [t, u] of byWord) uses.set(this.words[t]!, u);
    return uses;
  }

  private dfOf(terms: readonly string[]): Map<string, number> {
    const df = new Map<string, number>();
    for (const t of terms) {
      const n = this.wordDf[this.wordIndex(t)]!;
      if (n >= 0) df.set(t, n);
    }
    return df;
  }

  private wordIndex(word: string): number {
    return this.vocabulary.get(word) ?? -1;
  }

  /** What a person is compared on as a candidate (as `AuthorSummarizer.candidateSketch`). */
  private sketch(id: number): PersonSketch | undefined {
    const hit = this.sketches.get(id);
    if (hit) return hit;
    const core = this.core(id);
    if (!core) return undefined;
    const sketch: PersonSketch = {
      terms: this.sketchTerms(core),
      id,
      displayName: core.summary.profile.displayName,
      names: this.names[id] ?? [],
      paperCount: core.papers.length,
      paperIds: new Set(core.papers),
      coauthors: new Map(core.summary.profile.coauthors.map((a) => [a.id, a.displayName])),
      categories: core.summary.topCategories.map((c) => c.category),
      years: core.summary.years,
    };
    this.sketches.set(id, sketch);
    if (this.sketches.size > 2 * CORE_CACHE_SIZE)
      this.sketches.delete(this.sketches.keys().next().value as number);
    return sketch;
  }

  /** A candidate's distinctive words, from their latest papers (their profile's, when those are all of them). */
  private sketchTerms(core: Core): string[] {
    if (core.sketchTerms) return core.sketchTerms;
    const latest = core.latest.subarray(0, SKETCH_PAPERS);
    if (latest.length === Math.min(core.latest.length, TERM_PAPERS)) {
      core.sketchTerms = core.summary.topTerms.map((t) => t.term);
    } else {
      const uses = this.termUses(latest);
      const terms = candidateTerms(uses, latest.length);
      core.sketchTerms = distinctiveTerms(uses, terms, this.dfOf(terms), this.corpusSize).map((t) => t.term);
    }
    return core.sketchTerms;
  }

  /** As `AuthorSummarizer.suggestions`, with the candidates' circles read from the paper lists. */
  private suggestions(core: Core): StoredSummary['suggestions'] {
    const id = core.id;
    const names = this.names[id] ?? [];
    const subject: PersonSketch = {
      id,
      displayName: core.summary.profile.displayName,
      names,
      paperCount: core.papers.length,
      paperIds: new Set(core.papers),
      coauthors: new Map(core.summary.profile.coauthors.map((a) => [a.id, a.displayName])),
      categories: core.summary.topCategories.map((x) => x.category),
      terms: core.summary.topTerms.map((t) => t.term),
      years: core.summary.years,
    };
    const notSame = this.notSame.get(id) ?? new Set<number>();
    const people = new Set<number>();
    for (const key of new Set(names.map(initialKey)))
      for (const c of this.byInitialKey.get(key) ?? []) if (c !== id && !notSame.has(c)) people.add(c);
    // People without papers share nothing and sort last: they never make the closest twenty.
    const candidates = [...people].filter((c) => this.rowsOf(c).length > 0);
    const coauthorPapers = [...subject.coauthors.keys()].map((y) => this.papersOf(y));
    const shared = new Map<number, number>();
    const counts = new Map<number, number>();
    for (const c of candidates) {
      const mine = this.papersOf(c);
      counts.set(c, mine.length);
      let n = 0;
      for (const theirs of coauthorPapers) if (intersects(mine, theirs)) n++;
      if (n > 0) shared.set(c, n);
    }
    const closest = closestCandidates(candidates, shared, counts);
    return rankSuggestions(
      subject,
      closest.flatMap((c) => this.sketch(c) ?? []),
      notSame,
      SUGGESTIONS_KEPT,
    );
  }
}

/** The number standing for `key`, a new one (its place in `list`) the first time. */
function intern(index: Map<string, number>, key: string, list?: string[]): number {
  let at = index.get(key);
  if (at === undefined) {
    at = index.size;
    index.set(key, at);
    list?.push(key);
  }
  return at;
}

/** Whether two ascending lists share an element: the shorter walked, the longer searched. */
function intersects(a: Int32Array, b: Int32Array): boolean {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return false;
  let lo = 0;
  for (const x of a) {
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (b[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo === b.length) return false;
    if (b[lo] === x) return true;
  }
  return false;
}

/** A paper's categories as `json_each` gives them, strings only, each once. */
function categoryList(json: string | null): string[] {
  if (json === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // json_extract of a JSON string gives the string itself, unquoted.
    return [json];
  }
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value
      ? Object.values(value)
      : [value];
  return [...new Set(list.filter((c): c is string => typeof c === 'string'))];
}

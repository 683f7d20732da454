import type { Statement } from 'better-sqlite3';
import type { CodeLink, Paper } from '../../domain/paper.ts';
import type { PersonName, Provenance } from '../../domain/record.ts';
import type { AuthorProfile } from '../../store/port.ts';
import type { Db } from '../../store/sqlite/database.ts';
import type { SortablePaper } from './profile.ts';
import { CorpusTermFrequencies, type Frequencies, type TermFrequencyOptions } from './term-frequencies.ts';

/** What the author service reads from SQLite, on the store's read connection. */

export interface DecisionRow {
  id: number;
  kind: 'merge' | 'split' | 'reject';
  authorId: number;
  otherId: number;
  detail: { names?: string[]; papers?: number[]; otherName?: string };
  actor: string;
  at: string;
}

/**
 * The co-author network is drawn from this many of the latest papers: collaboration papers
 * list hundreds of people each, and the closest co-authors show in the recent ones anyway.
 */
const NETWORK_PAPERS = 300;
const MAX_STEMS = 200_000;

interface NameRow {
  author_id: number;
  display: string;
  family: string | null;
  given: string | null;
}

export class AuthorReader {
  readonly db: Db;
  private readonly q: Record<string, Statement>;
  private stemmerReady = false;
  /** Words already stemmed, and their stems (undefined: the tokenizer keeps nothing of the word). */
  private readonly stems = new Map<string, string | undefined>();
  private readonly frequencies: CorpusTermFrequencies;

  /** On a read connection of `file`: the store's own, or one a background worker opened. */
  constructor(db: Db, file: string, termOptions: TermFrequencyOptions = {}) {
    this.db = db;
    this.frequencies = new CorpusTermFrequencies(db, file, termOptions);
    this.q = {
      knowledgeVersion: db
        .prepare(
          `SELECT (SELECT coalesce(max(id), 0) FROM source_records) || ':' || (SELECT coalesce(max(id), 0) FROM papers)
           || ':' || (SELECT coalesce(max(id), 0) FROM authors) || ':' || (SELECT coalesce(max(id), 0) FROM author_decisions)`,
        )
        .pluck(),
      redirect: db.prepare('SELECT to_id FROM author_redirects WHERE from_id = ?').pluck(),
      exists: db.prepare('SELECT display_name FROM authors WHERE id = ?').pluck(),
      byNameKey: db
        .prepare(
          `SELECT n.author_id FROM author_names n WHERE n.name_key = ?
         ORDER BY (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = n.author_id) DESC, n.author_id LIMIT 1`,
        )
        .pluck(),
      names: db.prepare('SELECT author_id, display, family, given FROM author_names WHERE author_id = ?'),
      namesByInitialKeys: db.prepare(
        `SELECT author_id, display, family, given FROM author_names
         WHERE author_id IN (SELECT author_id FROM author_names WHERE initial_key IN (SELECT value FROM json_each(?)))
           AND author_id != ?`,
      ),
      notSame: db
        .prepare(
          'SELECT high_id FROM author_not_same WHERE low_id = ? UNION SELECT low_id FROM author_not_same WHERE high_id = ?',
        )
        .pluck(),
      everyoneOnPapers: db
        .prepare(
          `SELECT DISTINCT b.author_id FROM paper_authors x JOIN paper_authors b ON b.paper_id = x.paper_id
           WHERE x.author_id = ?`,
        )
        .pluck(),
      paperCounts: db.prepare(
        `SELECT author_id AS id, count(DISTINCT paper_id) AS n FROM paper_authors
         WHERE author_id IN (SELECT value FROM json_each(?)) GROUP BY author_id`,
      ),
      corpusSize: db.prepare('SELECT max(id) FROM papers').pluck(),
      paperIds: db.prepare('SELECT DISTINCT paper_id FROM paper_authors WHERE author_id = ?').pluck(),
      years: db
        .prepare(
          `SELECT DISTINCT p.year FROM paper_authors pa JOIN papers p ON p.id = pa.paper_id
           WHERE pa.author_id = ? AND p.year IS NOT NULL`,
        )
        .pluck(),
      displayName: db.prepare('SELECT display_name FROM authors WHERE id = ?').pluck(),
      sortable: db.prepare(
        `SELECT p.id, p.title, p.published, p.year,
                (SELECT count(*) FROM paper_authors x WHERE x.paper_id = p.id) - 1 AS coauthors
         FROM papers p WHERE p.id IN (SELECT paper_id FROM paper_authors WHERE author_id = ?)`,
      ),
      texts: db.prepare(
        `SELECT p.title, json_extract(p.view, '$.abstractText') AS abstractText FROM papers p
         WHERE p.id IN (SELECT paper_id FROM paper_authors WHERE author_id = ?)
         ORDER BY p.published DESC, p.id DESC LIMIT ?`,
      ),
      categories: db.prepare(
        `SELECT c.value AS category, count(DISTINCT p.id) AS n
         FROM papers p, json_each(p.view, '$.categories') c
         WHERE p.id IN (SELECT paper_id FROM paper_authors WHERE author_id = ?) GROUP BY c.value`,
      ),
      authorLists: db.prepare(
        `SELECT b.paper_id AS paperId, b.author_id AS authorId, b.display FROM paper_authors b
         WHERE b.paper_id IN (
           SELECT paper_id FROM paper_authors WHERE author_id = ? ORDER BY paper_id DESC LIMIT ${NETWORK_PAPERS})
         ORDER BY b.paper_id, b.position`,
      ),
      sources: db.prepare(
        `SELECT source, count(DISTINCT paper_id) AS papers FROM source_records
         WHERE paper_id IN (SELECT paper_id FROM paper_authors WHERE author_id = ?)
         GROUP BY source ORDER BY papers DESC, source`,
      ),
      author: db.prepare('SELECT id, display_name, ids FROM authors WHERE id = ?'),
      // One pass over the person's rows, then each spelling joined to its count.
      nameCounts: db.prepare(
        `SELECT n.display, coalesce(c.count, 0) AS count FROM author_names n
         LEFT JOIN (SELECT display, count(*) AS count FROM paper_authors WHERE author_id = ? GROUP BY display) c
           ON c.display = n.display
         WHERE n.author_id = ? ORDER BY count DESC, n.display`,
      ),
      // Counted over paper_authors alone, then only the people tied for the first hundred joined
      // to their names: a collaboration member has tens of thousands of co-authors.
      coauthorCounts: db.prepare(
        `WITH t AS MATERIALIZED (
           SELECT b.author_id AS id, count(DISTINCT b.paper_id) AS count
           FROM paper_authors x JOIN paper_authors b ON b.paper_id = x.paper_id AND b.author_id != x.author_id
           WHERE x.author_id = ? GROUP BY b.author_id)
         SELECT a.id, a.display_name AS displayName, t.count FROM t JOIN authors a ON a.id = t.id
         WHERE t.count >= coalesce((SELECT count FROM t ORDER BY count DESC LIMIT 1 OFFSET 99), 0)
         ORDER BY t.count DESC, a.display_name LIMIT 100`,
      ),
      codeLinks: db.prepare(
        `SELECT DISTINCT c.url, c.kind, c.status FROM code_links c JOIN paper_authors pa ON pa.paper_id = c.paper_id
         WHERE pa.author_id = ? ORDER BY c.url`,
      ),
      authorSources: db.prepare(
        'SELECT source, origin, locator, fetched_at AS fetchedAt FROM source_records WHERE author_id = ?',
      ),
      authorSeq: db
        .prepare(
          `SELECT coalesce(max(c.seq), 0) FROM paper_authors pa JOIN paper_changes c ON c.paper_id = pa.paper_id
           WHERE pa.author_id = ?`,
        )
        .pluck(),
      lastDecision: db
        .prepare(
          `SELECT coalesce(max(id), 0) FROM (SELECT id FROM author_decisions WHERE author_id = ?
           UNION ALL SELECT id FROM author_decisions WHERE other_id = ?)`,
        )
        .pluck(),
      latestSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM paper_changes').pluck(),
      storedSummary: db.prepare('SELECT seq, data FROM author_summaries WHERE author_id = ?'),
      decisions: db.prepare(
        `SELECT id, kind, author_id AS authorId, other_id AS otherId, detail, actor, at FROM author_decisions
         WHERE author_id = ? OR other_id = ? ORDER BY id DESC LIMIT 50`,
      ),
    };
  }

  /**
   * Changes when the knowledge base does: a record, paper or person added, or a decision made
   * (four look-ups of a highest id). Not SQLite's data_version, which every write bumps: the
   * page-view log writes once a second while people read papers, and would empty every cache.
   */
  knowledgeVersion(): string {
    return this.q['knowledgeVersion']!.get() as string;
  }

  /** The author an id stands for now: itself, or the one it was merged into. */
  current(id: number): number | undefined {
    let at = id;
    for (let hops = 0; hops < 64; hops++) {
      const next = this.q['redirect']!.get(at) as number | undefined;
      if (next === undefined) break;
      at = next;
    }
    return this.q['exists']!.get(at) === undefined ? undefined : at;
  }

  /** The person most often written exactly so (any spelling with this name key), if anyone is. */
  byNameKey(key: string): number | undefined {
    return this.q['byNameKey']!.get(key) as number | undefined;
  }

  names(id: number): PersonName[] {
    return (this.q['names']!.all(id) as NameRow[]).map(toName);
  }

  /** The person's papers as the keys they sort on, from columns: no paper is parsed. */
  sortable(id: number): SortablePaper[] {
    return (
      this.q['sortable']!.all(id) as {
        id: number;
        title: string | null;
        published: string | null;
        year: number | null;
        coauthors: number;
      }[]
    ).map((r) => ({
      id: r.id,
      title: r.title ?? undefined,
      published: r.published ?? undefined,
      year: r.year ?? undefined,
      coauthors: Math.max(0, r.coauthors),
    }));
  }

  /**
   * What the store's `getAuthor` answers (the same fields, the same order), read in fewer
   * passes: the years come from the person's papers as already read for sorting.
   */
  profile(id: number, papers: readonly SortablePaper[]): AuthorProfile | undefined {
    const row = this.q['author']!.get(id) as { id: number; display_name: string; ids: string } | undefined;
    if (!row) return undefined;
    const perYear = new Map<number, number>();
    for (const p of papers) if (p.year !== undefined) perYear.set(p.year, (perYear.get(p.year) ?? 0) + 1);
    const links = this.q['codeLinks']!.all(id) as Pick<CodeLink, 'url' | 'kind' | 'status'>[];
    return {
      id: row.id,
      displayName: row.display_name,
      paperCount: papers.length,
      names: this.q['nameCounts']!.all(id, id) as { display: string; count: number }[],
      ids: JSON.parse(row.ids) as Record<string, string>,
      coauthors: this.q['coauthorCounts']!.all(id) as { id: number; displayName: string; count: number }[],
      papersPerYear: [...perYear].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count })),
      codeLinks: links.map((l) => ({ ...l, raw: l.url, foundIn: [] })),
      sources: this.q['authorSources']!.all(id) as Provenance[],
    };
  }

  /** The latest change among the person's papers (`paper_changes.seq`): a stored summary of them is current while it is the same. */
  authorSeq(id: number): number {
    return this.q['authorSeq']!.get(id) as number;
  }

  /** The latest admin decision naming the person (0 for none). */
  lastDecision(id: number): number {
    return this.q['lastDecision']!.get(id, id) as number;
  }

  /** The latest change to any paper. */
  latestSeq(): number {
    return this.q['latestSeq']!.get() as number;
  }

  storedSummary(id: number): { seq: number; data: string } | undefined {
    return this.q['storedSummary']!.get(id) as { seq: number; data: string } | undefined;
  }

  /** Titles and abstracts of the person's latest papers. */
  texts(id: number, limit: number): Pick<Paper, 'title' | 'abstractText'>[] {
    return (this.q['texts']!.all(id, limit) as { title: string | null; abstractText: string | null }[]).map(
      (r) => ({
        ...(r.title ? { title: r.title } : {}),
        ...(r.abstractText ? { abstractText: r.abstractText } : {}),
      }),
    );
  }

  /** For each category, how many of the person's papers are in it (read inside SQLite, no parsing here). */
  categoryCounts(id: number): Map<string, number> {
    const rows = this.q['categories']!.all(id) as { category: unknown; n: number }[];
    return new Map(
      rows.filter((r) => typeof r.category === 'string').map((r) => [r.category as string, r.n]),
    );
  }

  /** The author list of each of the person's latest papers (a few hundred), as linked to people. */
  authorLists(id: number): Pick<Paper, 'authors'>[] {
    const lists: Pick<Paper, 'authors'>[] = [];
    let current = -1;
    for (const r of this.q['authorLists']!.all(id) as {
      paperId: number;
      authorId: number;
      display: string;
    }[]) {
      if (r.paperId !== current) {
        lists.push({ authors: [] });
        current = r.paperId;
      }
      lists.at(-1)!.authors.push({ authorId: r.authorId, name: { display: r.display } });
    }
    return lists;
  }

  /** Which sources the person's papers came from, and how many papers each gave. */
  sourceCounts(id: number): { source: string; papers: number }[] {
    return this.q['sources']!.all(id) as { source: string; papers: number }[];
  }

  paperIds(id: number): Set<number> {
    return new Set(this.q['paperIds']!.all(id) as number[]);
  }

  years(id: number): number[] {
    return this.q['years']!.all(id) as number[];
  }

  /** The people this one wrote with most (the first hundred). */
  coauthors(id: number): Map<number, string> {
    const rows = this.q['coauthorCounts']!.all(id) as { id: number; displayName: string }[];
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  displayName(id: number): string | undefined {
    return this.q['displayName']!.get(id) as string | undefined;
  }

  notSame(id: number): Set<number> {
    return new Set(this.q['notSame']!.all(id, id) as number[]);
  }

  /** People filed under any of these initial keys (`l xiao`), with all their spellings. */
  peopleByInitialKeys(keys: readonly string[], except: number): Map<number, PersonName[]> {
    const byId = new Map<number, PersonName[]>();
    for (const r of this.q['namesByInitialKeys']!.all(JSON.stringify(keys), except) as NameRow[]) {
      const list = byId.get(r.author_id) ?? [];
      list.push(toName(r));
      byId.set(r.author_id, list);
    }
    return byId;
  }

  /** Everyone on any paper of the person, the person included. */
  everyoneOnPapers(id: number): Set<number> {
    return new Set(this.q['everyoneOnPapers']!.all(id) as number[]);
  }

  paperCounts(ids: readonly number[]): Map<number, number> {
    const rows = this.q['paperCounts']!.all(JSON.stringify(ids)) as { id: number; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Papers in the knowledge base (ids are never reused, so the highest is a cheap, close count). */
  corpusSize(): number {
    return (this.q['corpusSize']!.get() as number | null) ?? 0;
  }

  /**
   * How many papers use each word, from the search index's own vocabulary. The index keeps
   * Porter stems ("learning" → "learn"), so each word is stemmed by SQLite's own tokenizer on
   * a scratch table of this connection: the counts match the index exactly, no second stemmer.
   */
  documentFrequencies(words: readonly string[], options: { exact?: boolean } = {}): Frequencies {
    const stems = this.stem(words);
    const known = stems.filter((s): s is string => s !== undefined);
    const { df: byStem, complete } = this.frequencies.lookup(known, this.corpusSize(), options);
    const df = new Map<string, number>();
    words.forEach((word, i) => {
      const stem = stems[i];
      if (stem !== undefined) df.set(word, byStem.get(stem) ?? 0);
    });
    return { df, complete };
  }

  /** Changes when the corpus's common terms have been counted again. */
  get termGeneration(): number {
    return this.frequencies.generation;
  }

  /** Resolves when the common terms of the corpus are counted (a server may warm up with it). */
  termsReady(): Promise<void> {
    return this.frequencies.ready(this.corpusSize());
  }

  private stem(words: readonly string[]): (string | undefined)[] {
    if (!this.stemmerReady) {
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.author_words USING fts5(
          word, tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.author_word_stems USING fts5vocab(temp, author_words, 'instance');`);
      this.stemmerReady = true;
    }
    // Each word is stemmed on its own (a row of its own), so a word's stem never depends on the
    // others asked with it: words seen before are answered from memory.
    const unknown = [...new Set(words.filter((w) => !this.stems.has(w)))];
    if (unknown.length > 0) {
      const found: (string | undefined)[] = new Array(unknown.length).fill(undefined);
      this.db.transaction(() => {
        this.db.exec('DELETE FROM temp.author_words');
        const insert = this.db.prepare('INSERT INTO temp.author_words (rowid, word) VALUES (?, ?)');
        for (const [i, w] of unknown.entries()) insert.run(i + 1, w);
        for (const r of this.db.prepare('SELECT term, doc FROM temp.author_word_stems').all() as {
          term: string;
          doc: number;
        }[]) {
          found[r.doc - 1] = r.term;
        }
      })();
      if (this.stems.size + unknown.length > MAX_STEMS) this.stems.clear();
      for (const [i, w] of unknown.entries()) this.stems.set(w, found[i]);
    }
    return words.map((w) => this.stems.get(w));
  }

  decisions(id: number): DecisionRow[] {
    return (this.q['decisions']!.all(id, id) as (Omit<DecisionRow, 'detail'> & { detail: string })[]).map(
      (r) => ({ ...r, detail: JSON.parse(r.detail) as DecisionRow['detail'] }),
    );
  }
}

function toName(r: NameRow): PersonName {
  const name: PersonName = { display: r.display };
  if (r.family !== null) name.family = r.family;
  if (r.given !== null) name.given = r.given;
  return name;
}

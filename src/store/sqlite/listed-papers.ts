import type { Statement } from 'better-sqlite3';
import { LISTED_AUTHORS, type ListedHit, type ListedPaper } from '../../domain/listed-paper.ts';
import type { Db } from './database.ts';

interface PaperRow {
  id: number;
  title: string | null;
  year: number | null;
  arxiv: string | null;
  abstractText: string | null;
  lastPosition: number | null;
}

interface HitRow extends PaperRow {
  categories: string | null;
  hasCode: number;
}

interface AuthorRow {
  paperId: number;
  authorId: number;
  display: string;
}

/**
 * List rows read from columns (`papers.title`, `year`, `arxiv_id`, the first positions of
 * `paper_authors`) instead of parsing each paper's merged view: the view of a collaboration
 * paper carries hundreds of names, and parsing twenty-five of them was most of an author page.
 * The columns are written from the same merged view in the same transaction, so a row says
 * what the whole paper would.
 */
export class ListedPaperReader {
  private readonly papers: Statement;
  private readonly hits: Statement;
  private readonly authors: Statement;

  constructor(db: Db) {
    // max(position) of one paper is a seek on the (paper_id, position) key, not a count of its rows.
    const lastPosition =
      '(SELECT max(position) FROM paper_authors a WHERE a.paper_id = p.id) AS lastPosition';
    this.papers = db.prepare(
      `SELECT p.id, p.title, p.year, p.arxiv_id AS arxiv,
              CASE WHEN p.title IS NULL OR p.title = '' THEN json_extract(p.view, '$.abstractText') END AS abstractText,
              ${lastPosition}
       FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))`,
    );
    this.hits = db.prepare(
      `SELECT p.id, p.title, p.year, p.arxiv_id AS arxiv, json_extract(p.view, '$.abstractText') AS abstractText,
              json_extract(p.view, '$.categories') AS categories,
              coalesce(json_array_length(p.view, '$.codeLinks'), 0) > 0 AS hasCode,
              ${lastPosition}
       FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))`,
    );
    this.authors = db.prepare(
      `SELECT paper_id AS paperId, author_id AS authorId, display FROM paper_authors
       WHERE paper_id IN (SELECT value FROM json_each(?)) AND position < ${LISTED_AUTHORS}
       ORDER BY paper_id, position`,
    );
  }

  /** These papers as list rows, in the order asked; ids with no paper are left out. */
  papersById(ids: readonly number[]): ListedPaper[] {
    return this.read(ids, this.papers, (_row, paper) => paper);
  }

  /** These papers as search result rows (with their abstract, categories and whether they have code). */
  hitsById(ids: readonly number[]): ListedHit[] {
    return this.read(ids, this.hits, (row: HitRow, paper) => ({
      ...paper,
      categories: row.categories ? (JSON.parse(row.categories) as string[]) : [],
      hasCode: row.hasCode === 1,
    }));
  }

  private read<R extends PaperRow, T>(
    ids: readonly number[],
    statement: Statement,
    finish: (row: R, paper: ListedPaper) => T,
  ): T[] {
    if (ids.length === 0) return [];
    const list = JSON.stringify(ids);
    const byPaper = new Map<number, ListedPaper['authors']>();
    for (const a of this.authors.all(list) as AuthorRow[]) {
      let authors = byPaper.get(a.paperId);
      if (!authors) {
        authors = [];
        byPaper.set(a.paperId, authors);
      }
      authors.push({ name: { display: a.display }, authorId: a.authorId });
    }
    const rows = new Map((statement.all(list) as R[]).map((r) => [r.id, r]));
    const out: T[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      if (!row) continue;
      const paper: ListedPaper = {
        id,
        ids: row.arxiv ? { arxiv: row.arxiv } : {},
        authors: byPaper.get(id) ?? [],
        authorCount: row.lastPosition === null ? 0 : row.lastPosition + 1,
      };
      if (row.title !== null) paper.title = row.title;
      if (row.abstractText !== null) paper.abstractText = row.abstractText;
      if (row.year !== null) paper.year = row.year;
      out.push(finish(row, paper));
    }
    return out;
  }
}

const readers = new WeakMap<Db, ListedPaperReader>();

/** The list-row reader of a connection, its statements prepared once. */
export function listedPapers(db: Db): ListedPaperReader {
  let reader = readers.get(db);
  if (!reader) {
    reader = new ListedPaperReader(db);
    readers.set(db, reader);
  }
  return reader;
}

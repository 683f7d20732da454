import { InvalidInputError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import type { Db } from '../../store/sqlite/database.ts';
import { parseQuery, type QueryError, type QueryNode } from '../query/index.ts';
import { createAuthorResolver } from './authors.ts';
import { type CompiledQuery, compile } from './compile.ts';
import { PaperHits } from './hits.ts';

export type SearchSort = 'relevance' | 'date';

export interface SearchRequest {
  query: string;
  /** Default 20, at most 200. */
  limit?: number;
  offset?: number;
  /** Relevance ranks text queries by BM25F; a query of filters only is always by date. */
  sort?: SearchSort;
  /**
   * When nothing matches, try again with misspelt words replaced by the closest indexed word
   * (one edit away, the most frequent): the index engine does, unless this is false.
   */
  correct?: boolean;
}

export interface SearchHit {
  paper: Paper;
  /** Higher is better: the negated bm25 for text queries, 0 without text. */
  score: number;
  /** Plain-text excerpt of the abstract around the matched terms, each wrapped in «…». */
  snippet: string;
  /** The query's text terms and phrases (as typed) found in this paper. */
  matched: string[];
}

export interface SearchFacets {
  years: { value: number; count: number }[];
  /** The 20 most frequent. */
  categories: { value: string; count: number }[];
  /** The 20 most frequent merged authors. */
  authors: { id: number; name: string; count: number }[];
  /** How many matching papers have a code link. */
  hasCode: number;
  /**
   * Set when the counts above were taken from this many of the matching papers, spread evenly
   * over them, rather than all (the index engine does so past `FACET_SAMPLE` matches).
   */
  sampled?: number;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** Over the whole matching set, not just this page. */
  facets: SearchFacets;
  query: QueryNode;
  /** Set when nothing matched as typed and these hits answer this corrected query instead. */
  corrected?: string;
}

/** What answers a search: the SQLite engine, or the index of our own (`../index/`). */
export interface SearchEngine {
  search(req: SearchRequest): SearchResult;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;
export const FACET_SIZE = 20;
/** Past this many matching papers, facets are counted over an even sample of this size. */
export const FACET_SAMPLE = 10_000;
/** BM25F field weights: title, abstract, authors (the column order of `paper_search`). */
export const FIELD_WEIGHTS = { title: 10, abstract: 1, authors: 3 } as const;

/** A malformed query: the parser's message with a caret line under the place. */
export class InvalidQueryError extends InvalidInputError {
  override name = 'InvalidQueryError';
  constructor(readonly error: QueryError) {
    super(`${error.message}\n${error.pointer}`);
  }
}

export function checkCount(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
  fallback: number,
) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** A request checked and its query parsed; bad input throws `InvalidInputError` / `InvalidQueryError`. */
export function readRequest(req: SearchRequest) {
  const limit = checkCount('limit', req.limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
  const offset = checkCount('offset', req.offset, 0, Number.MAX_SAFE_INTEGER, 0);
  const sort = req.sort ?? 'relevance';
  if (sort !== 'relevance' && sort !== 'date') {
    throw new InvalidInputError(`sort must be relevance or date, got ${String(sort)}`);
  }
  const parsed = parseQuery(typeof req.query === 'string' ? req.query : '');
  if (!parsed.ok) throw new InvalidQueryError(parsed.error);
  return { limit, offset, sort, parsed: parsed.query };
}

/**
 * The first search: the query tree compiled to SQL over the SQLite store, read through its
 * own read-only connection. A later engine can answer the same `search` from its own index.
 */
export class SqliteSearch implements SearchEngine {
  private readonly resolveAuthors: ReturnType<typeof createAuthorResolver>;
  private readonly hits: PaperHits;

  constructor(private readonly db: Db) {
    this.resolveAuthors = createAuthorResolver(db);
    this.hits = new PaperHits(db);
  }

  search(req: SearchRequest): SearchResult {
    const { limit, offset, sort, parsed } = readRequest(req);
    const compiled = compile(parsed, this.resolveAuthors);

    const total = this.db
      .prepare(`SELECT count(*) FROM papers p WHERE ${compiled.where}`)
      .pluck()
      .get(...compiled.params) as number;
    const rows = total > offset ? this.page(compiled, sort, limit, offset) : [];
    return {
      total,
      hits: rows.map((r) => this.hit(r, compiled)),
      facets: this.facets(compiled),
      query: parsed,
    };
  }

  private page(compiled: CompiledQuery, sort: SearchSort, limit: number, offset: number) {
    // Date order: the publication date, then the year alone; undated papers last; id breaks ties,
    // so pages never overlap.
    const byDate =
      'coalesce(p.published, CAST(p.year AS TEXT)) IS NULL, coalesce(p.published, CAST(p.year AS TEXT)) DESC, p.id DESC';
    const cols = 'p.id AS id, p.view AS view';
    if (compiled.rank) {
      const { title, abstract, authors } = FIELD_WEIGHTS;
      const order = sort === 'relevance' ? `r.s IS NULL, r.s, ${byDate}` : byDate;
      return this.db
        .prepare(
          `SELECT ${cols}, coalesce(-r.s, 0) AS score FROM papers p
           LEFT JOIN (SELECT rowid AS id, bm25(paper_search, ${title}, ${abstract}, ${authors}) AS s
                      FROM paper_search WHERE paper_search MATCH ?) r ON r.id = p.id
           WHERE ${compiled.where} ORDER BY ${order} LIMIT ? OFFSET ?`,
        )
        .all(compiled.rank, ...compiled.params, limit, offset) as Row[];
    }
    return this.db
      .prepare(
        `SELECT ${cols}, 0 AS score FROM papers p WHERE ${compiled.where} ORDER BY ${byDate} LIMIT ? OFFSET ?`,
      )
      .all(...compiled.params, limit, offset) as Row[];
  }

  private hit(row: Row, compiled: CompiledQuery): SearchHit {
    return this.hits.hit(row.id, row.score, compiled.textLeaves, row.view);
  }

  private facets(compiled: CompiledQuery): SearchFacets {
    const matched = `WITH m AS (SELECT p.id FROM papers p WHERE ${compiled.where})`;
    const all = <T>(sql: string) => this.db.prepare(`${matched} ${sql}`).all(...compiled.params) as T[];
    const years = all<{ value: number; count: number }>(
      `SELECT p.year AS value, count(*) AS count FROM m JOIN papers p ON p.id = m.id
       WHERE p.year IS NOT NULL GROUP BY p.year ORDER BY p.year DESC`,
    );
    const categories = all<{ value: string; count: number }>(
      `SELECT c.value AS value, count(DISTINCT m.id) AS count FROM m JOIN papers p ON p.id = m.id,
         json_each(p.view, '$.categories') c
       GROUP BY c.value ORDER BY count DESC, c.value LIMIT ${FACET_SIZE}`,
    );
    const authors = all<{ id: number; name: string; count: number }>(
      `SELECT a.id AS id, a.display_name AS name, count(DISTINCT pa.paper_id) AS count
       FROM m JOIN paper_authors pa ON pa.paper_id = m.id JOIN authors a ON a.id = pa.author_id
       GROUP BY a.id ORDER BY count DESC, a.display_name, a.id LIMIT ${FACET_SIZE}`,
    );
    const hasCode = this.db
      .prepare(
        `${matched} SELECT count(*) FROM m WHERE EXISTS (SELECT 1 FROM code_links cl WHERE cl.paper_id = m.id)`,
      )
      .pluck()
      .get(...compiled.params) as number;
    return { years, categories, authors, hasCode };
  }
}

interface Row {
  id: number;
  view: string;
  score: number;
}

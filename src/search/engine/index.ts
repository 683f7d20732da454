/**
 * Search over the knowledge base: `SqliteSearch#search` answers the query language from the
 * SQLite store. A faster engine can take its place behind the same request and result types.
 */
export { type AuthorResolver, type CompiledQuery, compile, ftsOf, ftsQuote } from './compile.ts';
export {
  DEFAULT_LIMIT,
  FACET_SIZE,
  FIELD_WEIGHTS,
  InvalidQueryError,
  MAX_LIMIT,
  type SearchEngine,
  type SearchFacets,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
  type SearchSort,
  SqliteSearch,
} from './search.ts';

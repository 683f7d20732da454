import type { HttpClient } from './http.ts';
import { buildUrl, chunk, type FetchContext, type FetchedPage, fetchPage } from './page.ts';

/** The batch endpoint takes at most 500 ids per call. */
export const S2_BATCH_SIZE = 500;

export interface SemanticScholarOptions {
  baseUrl?: string;
  /** Paper ids in any form S2 accepts (`CorpusId:470667`, a DOI, `arXiv:2401.01234`, a paperId): POST /paper/batch. */
  ids?: readonly string[];
  /** Relevance search: GET /paper/search, paged by offset/limit. */
  search?: string;
  /**
   * Bulk search: GET /paper/search/bulk, paged by the answer's `token` (up to 1000 per page,
   * no relevance ranking, no 1000-result ceiling).
   */
  bulkSearch?: string;
  /** An author's papers: GET /author/{id}/papers, paged by offset/limit. */
  authorId?: string;
  /** The fields to ask for (`title,authors,externalIds`). */
  fields: readonly string[] | string;
  /** Sent as `x-api-key`. */
  apiKey?: string;
  /** Results per call for search and author papers (default 100). */
  pageSize?: number;
  /** Results over all pages of a search or author listing (default 1000). */
  maxResults?: number;
}

/**
 * Semantic Scholar Graph API. Each of `ids`, `search`, `bulkSearch` and `authorId` that is given is fetched,
 * in that order. Paged listings follow the answer's `next` offset (the parser's
 * `paging.nextOffset`) and stop when it is missing or `maxResults` are reached.
 */
export async function* fetchSemanticScholar(
  http: HttpClient,
  options: SemanticScholarOptions,
  ctx: FetchContext,
): AsyncGenerator<FetchedPage> {
  const base = options.baseUrl ?? 'https://api.semanticscholar.org/graph/v1';
  const fields = typeof options.fields === 'string' ? options.fields : options.fields.join(',');
  const headers = options.apiKey ? { 'x-api-key': options.apiKey } : undefined;
  if (!options.ids?.length && !options.search && !options.bulkSearch && !options.authorId) {
    throw new Error('fetchSemanticScholar needs ids, a search, a bulk search or an author id');
  }

  for (const ids of chunk(options.ids ?? [], S2_BATCH_SIZE)) {
    const url = buildUrl(base, '/paper/batch', { fields });
    yield await fetchPage({ http, ctx, url, method: 'POST', json: { ids }, headers });
  }
  const listing = {
    pageSize: options.pageSize ?? 100,
    maxResults: options.maxResults ?? 1000,
    fields,
    headers,
  };
  if (options.search) {
    yield* offsetPages(http, ctx, base, '/paper/search', { query: options.search }, listing);
  }
  if (options.bulkSearch) {
    yield* tokenPages(http, ctx, base, { query: options.bulkSearch, fields }, listing.maxResults, headers);
  }
  if (options.authorId) {
    const path = `/author/${encodeURIComponent(options.authorId)}/papers`;
    yield* offsetPages(http, ctx, base, path, {}, listing);
  }
}

async function* offsetPages(
  http: HttpClient,
  ctx: FetchContext,
  base: string,
  path: string,
  query: Record<string, string>,
  listing: {
    pageSize: number;
    maxResults: number;
    fields: string;
    headers: Record<string, string> | undefined;
  },
): AsyncGenerator<FetchedPage> {
  let offset = 0;
  while (offset < listing.maxResults) {
    const limit = Math.min(listing.pageSize, listing.maxResults - offset);
    const url = buildUrl(base, path, { ...query, fields: listing.fields, offset, limit });
    const page = await fetchPage({ http, ctx, url, headers: listing.headers });
    yield page;
    const next = page.output.paging?.nextOffset;
    if (next === undefined || next <= offset) return;
    offset = next;
  }
}

async function* tokenPages(
  http: HttpClient,
  ctx: FetchContext,
  base: string,
  query: Record<string, string>,
  maxResults: number,
  headers: Record<string, string> | undefined,
): AsyncGenerator<FetchedPage> {
  let token: string | undefined;
  let fetched = 0;
  const seen = new Set<string>();
  while (fetched < maxResults) {
    const url = buildUrl(base, '/paper/search/bulk', { ...query, token });
    const page = await fetchPage({ http, ctx, url, headers });
    yield page;
    fetched += page.output.records.length + page.output.problems.length;
    token = page.output.paging?.token;
    if (!token || seen.has(token)) return;
    seen.add(token);
  }
}

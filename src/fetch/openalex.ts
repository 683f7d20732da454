import type { HttpClient } from './http.ts';
import { buildUrl, chunk, type FetchContext, type FetchedPage, fetchPage } from './page.ts';

/** OpenAlex allows 200 results per page; ids OR-ed in one filter are kept to 50 per call. */
export const OPENALEX_MAX_PAGE = 200;
export const OPENALEX_IDS_PER_CALL = 50;

export interface OpenAlexOptions {
  baseUrl?: string;
  /** A works filter (`authorships.author.id:A5023888391,publication_year:2023`). */
  filter?: string;
  /** Full-text search over works. */
  search?: string;
  /** Works to look up: OpenAlex ids (`W2741809807`, or their URLs) and DOIs. */
  workIds?: readonly string[];
  /** Joins OpenAlex's polite pool. */
  mailto?: string;
  apiKey?: string;
  /** Default 200. */
  perPage?: number;
  /** Results over all pages of a filter or search (default 1000). */
  maxResults?: number;
}

/**
 * OpenAlex /works. A filter or search pages by cursor (`cursor=*`, then the answer's
 * `meta.next_cursor`, which the parser hands on as `paging.token`); work ids are looked up in
 * batches through an OR filter.
 */
export async function* fetchOpenAlex(
  http: HttpClient,
  options: OpenAlexOptions,
  ctx: FetchContext,
): AsyncGenerator<FetchedPage> {
  const base = options.baseUrl ?? 'https://api.openalex.org';
  const common = { mailto: options.mailto, api_key: options.apiKey };
  if (!options.workIds?.length && !options.filter && !options.search) {
    throw new Error('fetchOpenAlex needs a filter, a search or work ids');
  }

  const { openalex, doi } = splitIds(options.workIds ?? []);
  for (const [name, ids] of [
    ['ids.openalex', openalex],
    ['doi', doi],
  ] as const) {
    for (const group of chunk(ids, OPENALEX_IDS_PER_CALL)) {
      const filter = `${name}:${group.join('|')}`;
      yield await fetchPage({
        http,
        ctx,
        url: buildUrl(base, '/works', { filter, 'per-page': group.length, ...common }),
      });
    }
  }

  if (!options.filter && !options.search) return;
  const perPage = Math.min(OPENALEX_MAX_PAGE, Math.max(1, options.perPage ?? OPENALEX_MAX_PAGE));
  const maxResults = options.maxResults ?? 1000;
  let cursor = '*';
  let fetched = 0;
  while (fetched < maxResults) {
    const url = buildUrl(base, '/works', {
      filter: options.filter,
      search: options.search,
      'per-page': Math.min(perPage, maxResults - fetched),
      cursor,
      ...common,
    });
    const page = await fetchPage({ http, ctx, url });
    yield page;
    const next = page.output.paging?.token;
    const count = page.output.records.length + page.output.problems.length;
    if (!next || next === cursor || count === 0) return;
    fetched += count;
    cursor = next;
  }
}

/** OpenAlex ids (`W123`, `https://openalex.org/W123`) apart from DOIs (`10.…`, `https://doi.org/10.…`). */
function splitIds(ids: readonly string[]): { openalex: string[]; doi: string[] } {
  const openalex: string[] = [];
  const doi: string[] = [];
  for (const raw of ids) {
    const id = raw.trim();
    const work = /(?:^|openalex\.org\/)(W\d+)$/i.exec(id);
    if (work) openalex.push((work[1] as string).toUpperCase());
    else if (/(?:^|doi\.org\/|^doi:)10\./i.test(id))
      doi.push(id.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, ''));
  }
  return { openalex, doi };
}

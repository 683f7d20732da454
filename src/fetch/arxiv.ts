import type { HttpClient } from './http.ts';
import { buildUrl, type FetchContext, type FetchedPage, fetchPage, SourceFetchError } from './page.ts';

/** arXiv serves at most 2000 results per call and 30000 per query. */
export const ARXIV_MAX_PAGE = 2000;
export const ARXIV_MAX_RESULTS = 30000;

export interface ArxivApiOptions {
  baseUrl?: string;
  /** An arXiv search query (`ti:transformer AND cat:cs.LG`). */
  query?: string;
  /** Ids, with or without versions. */
  idList?: readonly string[];
  /** Added to the query as `au:"…"`. */
  author?: string;
  start?: number;
  /** Results per call (default 100, at most 2000). */
  pageSize?: number;
  /** Results over all pages (default 1000, at most 30000). */
  maxResults?: number;
  sortBy?: 'relevance' | 'lastUpdatedDate' | 'submittedDate';
  sortOrder?: 'ascending' | 'descending';
}

/**
 * Pages through the arXiv API by `start`/`max_results` until the feed's totalResults is reached,
 * a page comes back empty, or `maxResults` have been asked for. The page's `paging.nextOffset`
 * (from the parser) says where the next page starts.
 */
export async function* fetchArxivApi(
  http: HttpClient,
  options: ArxivApiOptions,
  ctx: FetchContext,
): AsyncGenerator<FetchedPage> {
  const base = options.baseUrl ?? 'https://export.arxiv.org/api/query';
  const pageSize = clamp(options.pageSize ?? 100, 1, ARXIV_MAX_PAGE);
  let start = Math.max(0, options.start ?? 0);
  const end = start + clamp(options.maxResults ?? 1000, 1, ARXIV_MAX_RESULTS);
  const searchQuery = [options.query, options.author ? `au:"${options.author.replace(/"/g, '')}"` : undefined]
    .filter((part): part is string => Boolean(part?.trim()))
    .map((part, _, all) => (all.length > 1 ? `(${part})` : part))
    .join(' AND ');
  const idList = options.idList?.join(',');
  if (!searchQuery && !idList) throw new Error('fetchArxivApi needs a query, an author or an id list');

  while (start < end) {
    const url = buildUrl(base, '', {
      search_query: searchQuery,
      id_list: idList,
      sortBy: options.sortBy ?? 'relevance',
      sortOrder: options.sortOrder ?? 'descending',
      start,
      max_results: Math.min(pageSize, end - start),
    });
    const page = await fetchPage({
      http,
      ctx,
      url,
      // A malformed id gets HTTP 400 with an Atom feed whose one entry describes the error.
      parseErrorBody: (error) => error.status === 400 && error.body.includes('<feed'),
    });
    yield page;
    const next = page.output.paging?.nextOffset;
    if (next === undefined || next <= start) return;
    start = next;
  }
}

export type OaiMetadataPrefix = 'arXiv' | 'oai_dc' | 'arXivRaw';

export interface OaiHarvestOptions {
  baseUrl?: string;
  /** An OAI set: `cs`, `physics:hep-th`, `math`. */
  set?: string;
  /** Datestamps, `YYYY-MM-DD`. */
  from?: string;
  until?: string;
  /** Default `arXiv`. */
  metadataPrefix?: OaiMetadataPrefix;
  /** Resume a harvest where a saved token left off. */
  resumptionToken?: string;
}

export interface HarvestedPage extends FetchedPage {
  /** The token that fetches the next page; undefined on the last one. Persist it with the page. */
  resumptionToken?: string;
}

/**
 * OAI-PMH ListRecords, following resumptionTokens. When resuming, the request carries only
 * `verb` and `resumptionToken`: OAI-PMH makes the token exclusive of every other argument.
 * The caller commits each page, then saves its `resumptionToken`; after a crash it calls
 * again with the saved token and gets exactly the pages it had not yet committed.
 * arXiv's "503 Retry after N seconds" answers are waited out by the HTTP client.
 */
export async function* harvestArxivOai(
  http: HttpClient,
  options: OaiHarvestOptions,
  ctx: FetchContext,
): AsyncGenerator<HarvestedPage> {
  const base = options.baseUrl ?? 'https://export.arxiv.org/oai2';
  let token = options.resumptionToken;
  let url = token
    ? buildUrl(base, '', { verb: 'ListRecords', resumptionToken: token })
    : buildUrl(base, '', {
        verb: 'ListRecords',
        metadataPrefix: options.metadataPrefix ?? 'arXiv',
        set: options.set,
        from: options.from,
        until: options.until,
      });
  const seen = new Set<string>(token ? [token] : []);
  for (;;) {
    const page = await fetchPage({ http, ctx, url });
    const next = page.output.paging?.token;
    yield next ? { ...page, resumptionToken: next } : page;
    if (!next) return;
    if (seen.has(next)) {
      const message = `${ctx.adapter.label}: resumptionToken ${next} from ${url} was seen before; stopping`;
      throw new SourceFetchError(ctx.adapter.format, url, message);
    }
    seen.add(next);
    token = next;
    url = buildUrl(base, '', { verb: 'ListRecords', resumptionToken: token });
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.floor(value)));
}

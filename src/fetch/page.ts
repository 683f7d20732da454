import type { SourceName } from '../domain/record.ts';
import type { FormatAdapter, ParseOutput, ParseProblem } from '../sources/format.ts';
import { type HttpClient, HttpError, type HttpResponse } from './http.ts';

/** One page of a paged API, parsed: the caller stores each page in its own transaction. */
export interface FetchedPage {
  url: string;
  output: ParseOutput;
}

export interface FetchContext {
  /** Parses each page; its problems pass through to the caller untouched. */
  adapter: FormatAdapter;
  /** Provenance time for a page's records; defaults to the wall clock when the page arrives. */
  fetchedAt?: () => string;
}

/**
 * Fetching from a source failed for good (after the HTTP client's retries). The message starts
 * with the adapter's label and names the URL: `arXiv OAI-PMH: HTTP 502 from https://… after 4 attempts`.
 */
export class SourceFetchError extends Error {
  override readonly name = 'SourceFetchError';
  constructor(
    readonly source: SourceName,
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** The HTTP status when the server answered, undefined for network failures. */
  get status(): number | undefined {
    return this.cause instanceof HttpError ? this.cause.status : undefined;
  }
}

export interface PageRequest {
  http: HttpClient;
  ctx: FetchContext;
  url: string;
  method?: 'GET' | 'POST';
  json?: unknown;
  headers?: Record<string, string>;
  /**
   * Error answers that still carry a parseable body (arXiv's API answers a malformed id with
   * HTTP 400 and an Atom feed describing the error). Their problems come from the parser, or
   * one is made up here when the parser finds none.
   */
  parseErrorBody?: (error: HttpError) => boolean;
}

/** Fetches one URL and parses it with the context's adapter. */
export async function fetchPage(request: PageRequest): Promise<FetchedPage> {
  const { http, ctx, url } = request;
  let response: HttpResponse;
  try {
    response =
      request.method === 'POST'
        ? await http.post(url, request.json, request.headers)
        : await http.get(url, request.headers);
  } catch (error) {
    if (error instanceof HttpError && request.parseErrorBody?.(error)) {
      return parseErrorPage(ctx, url, error);
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceFetchError(ctx.adapter.format, url, `${ctx.adapter.label}: ${message}`, { cause: error });
  }
  const fetchedAt = ctx.fetchedAt?.() ?? new Date().toISOString();
  return { url, output: ctx.adapter.parse(response.body, { origin: url, fetchedAt }) };
}

function parseErrorPage(ctx: FetchContext, url: string, error: HttpError): FetchedPage {
  const fetchedAt = ctx.fetchedAt?.() ?? new Date().toISOString();
  const output = ctx.adapter.parse(error.body, { origin: url, fetchedAt });
  if (output.problems.length > 0)
    return { url, output: { records: output.records, problems: output.problems } };
  const problem: ParseProblem = {
    source: ctx.adapter.format,
    origin: url,
    locator: 'file',
    message: `${ctx.adapter.label} answered HTTP ${error.status}`,
  };
  return { url, output: { records: output.records, problems: [problem] } };
}

/** `base` + `path` + query, leaving out parameters that are undefined or empty. */
export function buildUrl(
  base: string,
  path: string,
  query: Record<string, string | number | undefined>,
): string {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

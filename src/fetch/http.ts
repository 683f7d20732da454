/**
 * A polite HTTP client over Node's global fetch.
 *
 * - One request at a time per host, and at least `minIntervalMs` from the end of one exchange
 *   to the start of the next (so also between starts, as arXiv asks: 3 s between calls;
 *   Semantic Scholar allows 1/s with a key).
 * - 429 and 503 honour `Retry-After` (seconds or an HTTP date), capped by `maxBackoffMs`.
 *   arXiv's OAI endpoint answers 503 with the header and an HTML body "Retry after N seconds";
 *   the body is read when the header is missing.
 * - Network errors and other 5xx are retried with exponential backoff and jitter.
 * - Every retry counts against `maxRetries`; other 4xx are not retried.
 * - A host stays locked through a request's retries: a Retry-After holds back every caller.
 */

/** What each API asks of polite clients; a default for `hostIntervalMs`. */
export const POLITE_INTERVALS_MS: Readonly<Record<string, number>> = {
  // arXiv's API terms: one request every three seconds, one connection at a time.
  'export.arxiv.org': 3000,
  // One request a second with an API key (without one the shared pool is much tighter).
  'api.semanticscholar.org': 1000,
  // Ten requests a second.
  'api.openalex.org': 100,
  'huggingface.co': 1000,
};

export interface HttpResponse {
  status: number;
  body: string;
  /** The final URL, after redirects. */
  url: string;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
}

/** The server answered with a status we do not retry, or kept failing until retries ran out. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
    readonly attempts = 1,
  ) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(`HTTP ${status} from ${url}${tries}${excerpt(body)}`);
  }
}

/** No answer at all (connection refused or reset, timeout, truncated body) after every retry. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`Request to ${url} failed after ${attempts} attempts: ${reason}`, options);
  }
}

export type HttpEvent =
  | { type: 'request'; method: string; url: string; attempt: number }
  | { type: 'retry'; method: string; url: string; attempt: number; reason: string; delayMs: number }
  | { type: 'response'; method: string; url: string; status: number; elapsedMs: number; bytes: number };

export interface HttpClientOptions {
  /** Sent on every request; APIs ask for a contact (`Paperscope/0.1 (mailto:me@example.org)`). */
  userAgent: string;
  /** Least time between the end of one exchange with a host and the start of the next. */
  minIntervalMs: number;
  /** Per-host overrides of `minIntervalMs`, keyed by host name (`export.arxiv.org`). */
  hostIntervalMs?: Record<string, number>;
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** Upper bound on any single wait: backoff and Retry-After alike. */
  maxBackoffMs: number;
  /** First backoff step; doubled on each retry. Default 1000. */
  baseBackoffMs?: number;
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1); injected so tests can pin the jitter. */
  random?: () => number;
  /** Extra headers per host name, e.g. `{ 'api.semanticscholar.org': { 'x-api-key': k } }`. */
  apiKeyHeaders?: Record<string, Record<string, string>>;
  onEvent?: (event: HttpEvent) => void;
}

export interface HttpClient {
  get(url: string, headers?: Record<string, string>): Promise<HttpResponse>;
  post(url: string, jsonBody: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
}

interface HostState {
  /** Resolves when the request ahead of us on this host is done. */
  tail: Promise<void>;
  /** Earliest time the next request may start. */
  notBefore: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const baseBackoff = options.baseBackoffMs ?? 1000;
  const hosts = new Map<string, HostState>();

  const intervalFor = (host: string) => options.hostIntervalMs?.[host] ?? options.minIntervalMs;

  /** Runs `task` when every earlier task on `host` has finished. */
  async function serialised<T>(host: string, task: (state: HostState) => Promise<T>): Promise<T> {
    let state = hosts.get(host);
    if (!state) {
      state = { tail: Promise.resolve(), notBefore: 0 };
      hosts.set(host, state);
    }
    const ahead = state.tail;
    let release: () => void = () => {};
    state.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await ahead;
    try {
      return await task(state);
    } finally {
      release();
    }
  }

  async function waitForTurn(state: HostState): Promise<void> {
    const wait = state.notBefore - now();
    if (wait > 0) await sleep(wait);
  }

  function backoff(attempt: number): number {
    const ceiling = Math.min(options.maxBackoffMs, baseBackoff * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  async function request(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    extra: Record<string, string> | undefined,
  ): Promise<HttpResponse> {
    const host = new URL(url).host;
    const hostName = new URL(url).hostname;
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      ...(options.apiKeyHeaders?.[hostName] ?? {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(extra ?? {}),
    };
    return serialised(host, async (state) => {
      for (let attempt = 1; ; attempt++) {
        await waitForTurn(state);
        const started = now();
        options.onEvent?.({ type: 'request', method, url, attempt });
        let reason: string;
        let delay: number;
        try {
          const res = await fetch(url, {
            method,
            headers,
            body,
            signal: AbortSignal.timeout(options.timeoutMs),
          });
          const text = await res.text();
          const answer: HttpResponse = {
            status: res.status,
            body: text,
            url: res.url || url,
            headers: Object.fromEntries(res.headers),
          };
          options.onEvent?.({
            type: 'response',
            method,
            url,
            status: res.status,
            elapsedMs: now() - started,
            bytes: text.length,
          });
          if (res.status < 400) return answer;
          const retryable = res.status === 429 || res.status >= 500;
          if (!retryable || attempt > options.maxRetries) {
            throw new HttpError(res.status, answer.url, text, attempt);
          }
          reason = `HTTP ${res.status}`;
          const asked =
            res.status === 429 || res.status === 503
              ? retryAfterMs(answer.headers['retry-after'], text, now())
              : undefined;
          delay = Math.min(options.maxBackoffMs, asked ?? backoff(attempt));
        } catch (error) {
          if (error instanceof HttpError) throw error;
          reason = describeNetworkError(error);
          if (attempt > options.maxRetries) throw new NetworkError(url, reason, attempt, { cause: error });
          delay = backoff(attempt);
        } finally {
          // Counted from the end of the exchange, so that the server sees the gap whatever
          // the latency of either request.
          state.notBefore = now() + intervalFor(hostName);
        }
        options.onEvent?.({ type: 'retry', method, url, attempt, reason, delayMs: delay });
        // The host stays locked while we wait, so nobody else calls it before the delay is over;
        // the wait also covers the politeness interval.
        await sleep(Math.max(delay, state.notBefore - now()));
        state.notBefore = Math.min(state.notBefore, now());
      }
    });
  }

  return {
    get: (url, headers) => request('GET', url, undefined, headers),
    post: (url, jsonBody, headers) => request('POST', url, JSON.stringify(jsonBody), headers),
  };
}

/**
 * The wait a server asks for, in ms: `Retry-After: 120`, `Retry-After: <HTTP date>`, or (arXiv
 * OAI) no header but an HTML body saying "Retry after 120 seconds".
 */
export function retryAfterMs(header: string | undefined, body: string, nowMs: number): number | undefined {
  const value = header?.trim();
  if (value) {
    if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const said = /retry after (\d+) seconds?/i.exec(body.slice(0, 4096));
  return said ? Number(said[1]) * 1000 : undefined;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    return code ? `${error.message} (${code}: ${cause.message})` : `${error.message} (${cause.message})`;
  }
  return error.message;
}

function excerpt(body: string): string {
  const flat = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!flat) return '';
  return `: ${flat.length > 200 ? `${flat.slice(0, 200)}…` : flat}`;
}

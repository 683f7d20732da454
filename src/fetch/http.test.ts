import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from '../../test/replay-server.ts';
import { readFixture } from '../../test/shared.ts';
import {
  createHttpClient,
  type HttpClientOptions,
  HttpError,
  type HttpEvent,
  NetworkError,
  retryAfterMs,
} from './http.ts';

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer({ arxivApi: false, semanticScholar: false });
});
afterEach(async () => {
  await server.close();
});

/** A client whose sleeps are recorded and return at once, so waits are asserted, not endured. */
function fastClient(overrides: Partial<HttpClientOptions> = {}) {
  const slept: number[] = [];
  const events: HttpEvent[] = [];
  const http = createHttpClient({
    userAgent: 'Paperscope-test/1 (mailto:test@example.org)',
    minIntervalMs: 0,
    maxRetries: 3,
    maxBackoffMs: 60_000,
    timeoutMs: 5_000,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { http, slept, events };
}

describe('createHttpClient', () => {
  it('sends the user agent and api key headers and returns status, body and lower-cased headers', async () => {
    server.route({ path: '/hello' }, { body: 'hi there', headers: { 'X-Thing': 'yes' } });
    const host = new URL(server.baseUrl).hostname;
    const { http } = fastClient({ apiKeyHeaders: { [host]: { 'x-api-key': 'sekrit' } } });
    const res = await http.get(`${server.baseUrl}/hello?a=1`);
    expect(res).toMatchObject({ status: 200, body: 'hi there', url: `${server.baseUrl}/hello?a=1` });
    expect(res.headers['x-thing']).toBe('yes');
    expect(server.requests[0]?.headers['user-agent']).toBe('Paperscope-test/1 (mailto:test@example.org)');
    expect(server.requests[0]?.headers['x-api-key']).toBe('sekrit');
    expect(server.requests[0]?.query).toEqual({ a: '1' });
  });

  it('posts JSON', async () => {
    server.route({ method: 'POST', path: '/batch', json: { ids: ['a', 'b'] } }, { body: '[1,2]' });
    const { http } = fastClient();
    const res = await http.post(`${server.baseUrl}/batch`, { ids: ['a', 'b'] });
    expect(res.body).toBe('[1,2]');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('honours Retry-After on a 503 with the arXiv OAI HTML body, then succeeds', async () => {
    const html = readFixture('arxiv-oai', 'retry_after_503.html');
    const counter = server.route({ path: '/oai2' }, [
      { status: 503, body: html, headers: { 'retry-after': '1' } },
      { body: '<ok/>' },
    ]);
    const { http, slept, events } = fastClient();
    const res = await http.get(`${server.baseUrl}/oai2?verb=Identify`);
    expect(res.body).toBe('<ok/>');
    expect(counter.hits).toBe(2);
    expect(slept).toContain(1000);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      {
        type: 'retry',
        method: 'GET',
        url: `${server.baseUrl}/oai2?verb=Identify`,
        attempt: 1,
        reason: 'HTTP 503',
        delayMs: 1000,
      },
    ]);
  });

  it('reads the wait from the body when a 503 has no Retry-After header', async () => {
    server.route({ path: '/oai2' }, [
      { status: 503, body: readFixture('arxiv-oai', 'retry_after_503.html') },
      { body: 'ok' },
    ]);
    const { http, slept } = fastClient();
    await http.get(`${server.baseUrl}/oai2`);
    expect(slept).toEqual([1000]);
  });

  it('honours a 429 Retry-After given as an HTTP date, capped by maxBackoffMs', async () => {
    const fixedNow = Date.parse('2024-01-01T00:00:00Z');
    server.route({ path: '/limited' }, [
      { status: 429, headers: { 'retry-after': 'Mon, 01 Jan 2024 00:00:07 GMT' }, body: 'slow down' },
      { status: 429, headers: { 'retry-after': '3600' }, body: 'slow down more' },
      { body: 'ok' },
    ]);
    const { http, slept } = fastClient({ now: () => fixedNow, maxBackoffMs: 10_000 });
    const res = await http.get(`${server.baseUrl}/limited`);
    expect(res.body).toBe('ok');
    expect(slept).toEqual([7000, 10_000]);
    expect(server.requests).toHaveLength(3);
  });

  it('retries 5xx with growing backoff and gives up after maxRetries with a clear error', async () => {
    server.route({ path: '/broken' }, { status: 500, body: '<h1>Internal trouble</h1>' });
    const { http, slept } = fastClient({ maxRetries: 3, baseBackoffMs: 100 });
    const url = `${server.baseUrl}/broken`;
    const error = await http.get(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 500, url, attempts: 4, body: '<h1>Internal trouble</h1>' });
    expect((error as Error).message).toBe(`HTTP 500 from ${url} after 4 attempts: Internal trouble`);
    expect(server.requests).toHaveLength(4);
    // Equal jitter with random() = 0.5: three quarters of 100, 200, 400.
    expect(slept).toEqual([75, 150, 300]);
  });

  it('does not retry a 404 and names the URL and status', async () => {
    const { http } = fastClient();
    const url = `${server.baseUrl}/nothing-here`;
    const error = await http.get(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect((error as Error).message).toContain(`HTTP 404 from ${url}`);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset and a truncated body, then succeeds', async () => {
    const counter = server.route({ path: '/flaky' }, [
      { reset: true },
      { truncateAfter: 10, body: 'a body that is cut short' },
      { body: 'whole' },
    ]);
    const { http, events } = fastClient();
    const res = await http.get(`${server.baseUrl}/flaky`);
    expect(res.body).toBe('whole');
    expect(counter.hits).toBe(3);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(2);
  });

  it('gives up on a host that keeps resetting with a NetworkError naming the URL', async () => {
    server.route({ path: '/gone' }, { reset: true });
    const { http } = fastClient({ maxRetries: 2 });
    const url = `${server.baseUrl}/gone`;
    const error = await http.get(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).attempts).toBe(3);
    expect((error as Error).message).toContain(`Request to ${url} failed after 3 attempts`);
    expect(server.requests).toHaveLength(3);
  });

  it('times out a slow answer and retries it', async () => {
    server.route({ path: '/slow' }, [{ body: 'late', delayMs: 1000 }, { body: 'prompt' }]);
    const { http, events } = fastClient({ timeoutMs: 150 });
    const res = await http.get(`${server.baseUrl}/slow`);
    expect(res.body).toBe('prompt');
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'timed out' });
  });

  it('spaces requests to one host by minIntervalMs, even when fired concurrently', async () => {
    server.route({ path: '/tick' }, { body: 'tock' });
    const http = createHttpClient({
      userAgent: 'test',
      minIntervalMs: 50,
      maxRetries: 0,
      maxBackoffMs: 1000,
      timeoutMs: 5000,
    });
    await Promise.all([1, 2, 3, 4, 5].map((i) => http.get(`${server.baseUrl}/tick?n=${i}`)));
    const times = server.requests.map((r) => r.time);
    expect(times).toHaveLength(5);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // 1 ms of slack: the client's Date.now() has whole milliseconds.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(49);
    expect(server.requests.map((r) => r.query['n'])).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('hostIntervalMs', () => {
  it('overrides the default spacing for one host', async () => {
    server.route({ path: '/tick' }, { body: 'tock' });
    const http = createHttpClient({
      userAgent: 'test',
      minIntervalMs: 0,
      hostIntervalMs: { '127.0.0.1': 80 },
      maxRetries: 0,
      maxBackoffMs: 1000,
      timeoutMs: 5000,
    });
    for (const n of [1, 2, 3]) await http.get(`${server.baseUrl}/tick?n=${n}`);
    const [a, b, c] = server.requests.map((r) => r.time) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(79);
    expect(c - b).toBeGreaterThanOrEqual(79);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and arXiv bodies', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryAfterMs('120', '', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:30 GMT', '', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 31 Dec 2023 00:00:00 GMT', '', now)).toBe(0);
    expect(retryAfterMs(undefined, '<h1>Retry after 45 seconds</h1>', now)).toBe(45_000);
    expect(retryAfterMs(undefined, 'no hint', now)).toBeUndefined();
  });
});

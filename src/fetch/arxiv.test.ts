import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReplayServer, routeOaiHarvest, startReplayServer } from '../../test/replay-server.ts';
import { readFixture } from '../../test/shared.ts';
import type { SourceRecord } from '../domain/record.ts';
import { arxivApiAdapter } from '../sources/arxiv-api/parse.ts';
import { arxivOaiAdapter } from '../sources/arxiv-oai/parse.ts';
import { fetchArxivApi, type HarvestedPage, harvestArxivOai } from './arxiv.ts';
import { createHttpClient, type HttpEvent } from './http.ts';
import { type FetchedPage, SourceFetchError } from './page.ts';

const FETCHED_AT = '2024-05-01T12:00:00.000Z';
const apiCtx = { adapter: arxivApiAdapter, fetchedAt: () => FETCHED_AT };
const oaiCtx = { adapter: arxivOaiAdapter, fetchedAt: () => FETCHED_AT };

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
});

function client(minIntervalMs = 0) {
  const slept: number[] = [];
  const events: HttpEvent[] = [];
  const http = createHttpClient({
    userAgent: 'Paperscope-test/1',
    minIntervalMs,
    maxRetries: 2,
    maxBackoffMs: 30_000,
    timeoutMs: 10_000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    onEvent: (e) => events.push(e),
  });
  return { http, slept, events };
}

function titleOf(record: SourceRecord | undefined): string | undefined {
  return record?.kind === 'paper' ? record.title : undefined;
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('fetchArxivApi', () => {
  it('pages the "testing" search by start/max_results over six recorded pages', async () => {
    const { http } = client();
    const base = `${server.baseUrl}/api/query`;
    const pages = await collect(
      fetchArxivApi(http, { baseUrl: base, query: 'testing', pageSize: 10, maxResults: 60 }, apiCtx),
    );
    expect(pages.map((p) => new URL(p.url).searchParams.get('start'))).toEqual([
      '0',
      '10',
      '20',
      '30',
      '40',
      '50',
    ]);
    expect(server.requests.every((r) => r.matched)).toBe(true);
    expect(server.requests[0]?.query).toEqual({
      search_query: 'testing',
      sortBy: 'relevance',
      sortOrder: 'descending',
      start: '0',
      max_results: '10',
    });
    const keys = pages.flatMap((p) => p.output.records.map((r) => r.key));
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    expect(keys[0]).toBe('2202.12139');
    expect(keys[10]).toBe('2403.16981');
    expect(keys[59]).toBe('2101.09077');
    expect(titleOf(pages[5]?.output.records[0])).toMatch(
      /^Fairness Testing: Testing Software for Discrimination/,
    );
    expect(pages.every((p) => p.output.problems.length === 0)).toBe(true);
    expect(pages[0]?.output.records[0]?.provenance).toMatchObject({
      origin: pages[0]?.url,
      fetchedAt: FETCHED_AT,
    });
  });

  it('stops at maxResults without asking for another page', async () => {
    const { http } = client();
    const pages = await collect(
      fetchArxivApi(
        http,
        { baseUrl: `${server.baseUrl}/api/query`, query: 'testing', start: 9, pageSize: 15, maxResults: 15 },
        apiCtx,
      ),
    );
    expect(pages).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    expect(pages[0]?.output.records.map((r) => r.key).slice(0, 2)).toEqual(['1812.11470', '2403.16981']);
  });

  it('looks up id lists, old-style ids included', async () => {
    const { http } = client();
    const base = `${server.baseUrl}/api/query`;
    const [astro] = await collect(
      fetchArxivApi(http, { baseUrl: base, idList: ['astro-ph/0601001'] }, apiCtx),
    );
    expect(astro?.output.records.map((r) => r.key)).toEqual(['astro-ph/0601001']);
    expect(titleOf(astro?.output.records[0])).toMatch(/^Frequency of Hot Jupiters/);
    // 0808.05394 does not exist: arXiv silently answers with the one paper that does.
    const [pair] = await collect(
      fetchArxivApi(http, { baseUrl: base, idList: ['0808.05394', '1707.08567'] }, apiCtx),
    );
    expect(pair?.output.records.map((r) => r.key)).toEqual(['1707.08567']);
    expect(server.requests[1]?.query['id_list']).toBe('0808.05394,1707.08567');
    const none = await collect(fetchArxivApi(http, { baseUrl: base, idList: ['0000.0000'] }, apiCtx));
    expect(none).toHaveLength(1);
    expect(none[0]?.output.records).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });

  it('turns the 400 answer for a malformed id into a problem, not a crash', async () => {
    const { http, events } = client();
    const pages = await collect(
      fetchArxivApi(http, { baseUrl: `${server.baseUrl}/api/query`, idList: ['abc'] }, apiCtx),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]?.output.records).toEqual([]);
    expect(pages[0]?.output.problems).toHaveLength(1);
    expect(pages[0]?.output.problems[0]).toMatchObject({ source: 'arxiv-api', origin: pages[0]?.url });
    expect(pages[0]?.output.problems[0]?.message).toContain('incorrect id format for abc');
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
  });

  it('ends with an error naming the source and URL when the server keeps failing', async () => {
    server.route({ path: '/api/query' }, { status: 502, body: 'Bad gateway' });
    const { http, slept } = client();
    const pages: FetchedPage[] = [];
    const error = await (async () => {
      for await (const page of fetchArxivApi(
        http,
        { baseUrl: `${server.baseUrl}/api/query`, query: 'x' },
        apiCtx,
      ))
        pages.push(page);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFetchError);
    const fetchError = error as SourceFetchError;
    expect(fetchError.status).toBe(502);
    expect(fetchError.source).toBe('arxiv-api');
    expect(fetchError.url).toContain('/api/query?search_query=x');
    expect(fetchError.message).toBe(
      `${arxivApiAdapter.label}: HTTP 502 from ${fetchError.url} after 3 attempts: Bad gateway`,
    );
    expect(server.requests).toHaveLength(3);
    expect(slept).toHaveLength(2);
    expect(pages).toHaveLength(0);
  });

  it('spaces its page requests by minIntervalMs, by the server clock', async () => {
    const http = createHttpClient({
      userAgent: 't',
      minIntervalMs: 50,
      maxRetries: 0,
      maxBackoffMs: 1000,
      timeoutMs: 5000,
    });
    await collect(
      fetchArxivApi(
        http,
        { baseUrl: `${server.baseUrl}/api/query`, query: 'testing', pageSize: 10, maxResults: 40 },
        apiCtx,
      ),
    );
    const times = server.requests.map((r) => r.time);
    expect(times).toHaveLength(4);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(49);
  });
});

describe('harvestArxivOai', () => {
  it('harvests the three real ListRecords pages: 2,265 records, following resumptionTokens', async () => {
    const oai = routeOaiHarvest(server);
    const { http } = client();
    const pages = await collect(
      harvestArxivOai(
        http,
        { baseUrl: `${server.baseUrl}/oai2`, metadataPrefix: 'oai_dc', from: '2023-03-07' },
        oaiCtx,
      ),
    );
    expect(pages.map((p) => p.output.records.length)).toEqual([1000, 1000, 265]);
    expect(pages.map((p) => p.resumptionToken)).toEqual(['6511260|1001', '6511260|2001', undefined]);
    const keys = pages.flatMap((p) => p.output.records.map((r) => r.key));
    expect(keys).toHaveLength(2265);
    expect(new Set(keys).size).toBe(2265);
    expect(keys[0]).toBe('0806.4410');
    expect(keys[1000]).toBe('2303.00907');
    expect(server.requests.map((r) => r.query)).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2023-03-07' },
      { verb: 'ListRecords', resumptionToken: '6511260|1001' },
      { verb: 'ListRecords', resumptionToken: '6511260|2001' },
    ]);
    expect(oai.map((p) => p.records)).toEqual([1000, 1000, 265]);
  });

  it('waits out a 503 "Retry after" before the first page', async () => {
    const html = readFixture('arxiv-oai', 'retry_after_503.html');
    routeOaiHarvest(server, [{ status: 503, body: html, headers: { 'retry-after': '1' } }]);
    const { http, slept, events } = client();
    const pages = await collect(
      harvestArxivOai(
        http,
        { baseUrl: `${server.baseUrl}/oai2`, metadataPrefix: 'oai_dc', from: '2023-03-07' },
        oaiCtx,
      ),
    );
    expect(pages.reduce((n, p) => n + p.output.records.length, 0)).toBe(2265);
    expect(slept).toContain(1000);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([{ reason: 'HTTP 503', delayMs: 1000 }]);
    expect(server.requests).toHaveLength(4);
  });

  it('resumes after a crash from the saved token, fetching exactly pages 2 and 3', async () => {
    routeOaiHarvest(server);
    const { http } = client();
    const options = {
      baseUrl: `${server.baseUrl}/oai2`,
      metadataPrefix: 'oai_dc' as const,
      from: '2023-03-07',
    };
    let saved: string | undefined;
    const committed: string[] = [];
    for await (const page of harvestArxivOai(http, options, oaiCtx)) {
      committed.push(...page.output.records.map((r) => r.key));
      saved = page.resumptionToken;
      break; // the process dies after committing page 1
    }
    expect(saved).toBe('6511260|1001');
    expect(server.requests).toHaveLength(1);

    const resumed: HarvestedPage[] = await collect(
      harvestArxivOai(http, { ...options, resumptionToken: saved }, oaiCtx),
    );
    committed.push(...resumed.flatMap((p) => p.output.records.map((r) => r.key)));
    expect(server.requests.slice(1).map((r) => r.query)).toEqual([
      { verb: 'ListRecords', resumptionToken: '6511260|1001' },
      { verb: 'ListRecords', resumptionToken: '6511260|2001' },
    ]);
    expect(committed).toHaveLength(2265);
    expect(new Set(committed).size).toBe(2265);
  });

  it('retries a connection reset and a truncated page in the middle of a harvest', async () => {
    const pages = routeOaiHarvest(server);
    const second = pages[1];
    if (!second) throw new Error('fixture missing');
    server.route({ path: '/oai2', query: second.query, exactQuery: true }, [
      { reset: true },
      { truncateAfter: 5000, body: second.body },
      { body: second.body },
    ]);
    const { http, events } = client();
    const harvested = await collect(
      harvestArxivOai(
        http,
        { baseUrl: `${server.baseUrl}/oai2`, metadataPrefix: 'oai_dc', from: '2023-03-07' },
        oaiCtx,
      ),
    );
    expect(harvested.map((p) => p.output.records.length)).toEqual([1000, 1000, 265]);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.url)).toEqual([
      harvested[1]?.url,
      harvested[1]?.url,
    ]);
    expect(server.requests.map((r) => r.query['resumptionToken'])).toEqual([
      undefined,
      '6511260|1001',
      '6511260|1001',
      '6511260|1001',
      '6511260|2001',
    ]);
  });

  it('stops with an error when a server hands back a token it already gave', async () => {
    const [first] = routeOaiHarvest(server);
    server.route({ path: '/oai2', query: { resumptionToken: '6511260|1001' } }, { body: first?.body ?? '' });
    const { http } = client();
    const seen: HarvestedPage[] = [];
    const error = await (async () => {
      for await (const page of harvestArxivOai(
        http,
        { baseUrl: `${server.baseUrl}/oai2`, metadataPrefix: 'oai_dc', from: '2023-03-07' },
        oaiCtx,
      ))
        seen.push(page);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFetchError);
    expect((error as Error).message).toContain('resumptionToken 6511260|1001');
    expect(seen).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type ReplayServer, startReplayServer } from '../../test/replay-server.ts';
import { readFixture } from '../../test/shared.ts';
import type { SourceRecord } from '../domain/record.ts';
import { huggingFaceAdapter } from '../sources/huggingface/parse.ts';
import { openAlexAdapter } from '../sources/openalex/parse.ts';
import { semanticScholarAdapter } from '../sources/semantic-scholar/parse.ts';
import { createHttpClient } from './http.ts';
import { fetchHuggingFaceDaily } from './huggingface.ts';
import { fetchOpenAlex } from './openalex.ts';
import { SourceFetchError } from './page.ts';
import { fetchSemanticScholar } from './semantic-scholar.ts';

const fetchedAt = () => '2024-05-01T12:00:00.000Z';
const s2 = { adapter: semanticScholarAdapter, fetchedAt };

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer({ arxivApi: false });
});
afterEach(async () => {
  await server.close();
});

const http = () =>
  createHttpClient({
    userAgent: 'Paperscope-test/1',
    minIntervalMs: 0,
    maxRetries: 1,
    maxBackoffMs: 1000,
    timeoutMs: 10_000,
    sleep: async () => {},
  });

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const keys = (records: SourceRecord[]) => records.map((r) => r.key);

describe('fetchSemanticScholar', () => {
  it('posts ids to /paper/batch with the fields and the api key', async () => {
    const ids = ['CorpusId:470667', '10.2139/ssrn.2250500', '0f40b1f08821e22e859c6050916cec3667778613'];
    const pages = await collect(
      fetchSemanticScholar(
        http(),
        { baseUrl: `${server.baseUrl}/graph/v1`, ids, fields: ['authors'], apiKey: 'k-123' },
        s2,
      ),
    );
    expect(pages).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/graph/v1/paper/batch',
      query: { fields: 'authors' },
      matched: true,
    });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ ids });
    expect(server.requests[0]?.headers['x-api-key']).toBe('k-123');
    const records = pages[0]?.output.records ?? [];
    expect(keys(records)).toEqual([
      'c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce',
      'cb1ebd913c3724c599f6b276b14b5c6253da68f3',
      '0f40b1f08821e22e859c6050916cec3667778613',
    ]);
    const first = records[0];
    expect(first?.kind === 'paper' ? (first.authors ?? []).map((a) => a.display) : []).toEqual([
      'Marianne Bertrand',
      'E. Duflo',
      'S. Mullainathan',
    ]);
  });

  it('splits more than 500 ids into batches', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `CorpusId:${i}`);
    server.route({ method: 'POST', path: '/graph/v1/paper/batch' }, { body: '[]' });
    const pages = await collect(
      fetchSemanticScholar(http(), { baseUrl: `${server.baseUrl}/graph/v1`, ids, fields: 'title' }, s2),
    );
    expect(pages).toHaveLength(3);
    expect(server.requests.map((r) => (JSON.parse(r.body) as { ids: string[] }).ids.length)).toEqual([
      500, 500, 200,
    ]);
  });

  it("pages an author's papers by offset until the answer has no `next`: 875 papers in 9 pages", async () => {
    const pages = await collect(
      fetchSemanticScholar(
        http(),
        { baseUrl: `${server.baseUrl}/graph/v1`, authorId: '1723755', fields: ['title'] },
        s2,
      ),
    );
    expect(pages).toHaveLength(9);
    expect(server.requests.map((r) => r.query['offset'])).toEqual([
      '0',
      '100',
      '200',
      '300',
      '400',
      '500',
      '600',
      '700',
      '800',
    ]);
    const all = pages.flatMap((p) => keys(p.output.records));
    expect(all).toHaveLength(875);
    expect(new Set(all).size).toBe(875);
    expect(all[0]).toBe('01063e45d9fc9635d29d8d78aa24ed8de351f36a');
    expect(all[874]).toBe('d3ba40f9be03277b52740056c787ecda4ca42f2c');
  });

  it('searches and stops at maxResults', async () => {
    const pages = await collect(
      fetchSemanticScholar(
        http(),
        { baseUrl: `${server.baseUrl}/graph/v1`, search: 'turing', fields: ['title'], maxResults: 100 },
        s2,
      ),
    );
    expect(server.requests.map((r) => r.query)).toEqual([
      { query: 'turing', fields: 'title', offset: '0', limit: '100' },
    ]);
    expect(pages[0]?.output.paging).toMatchObject({ total: 70499, nextOffset: 100 });
    expect(pages[0]?.output.records).toHaveLength(100);
    const first = pages[0]?.output.records[0];
    expect(first?.kind === 'paper' ? first.title : '').toMatch(
      /^Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B/,
    );
  });

  it('pages a bulk search by token', async () => {
    const text = readFixture('semantic-scholar', 'test_search_paper_bulk_retrieval.yaml');
    const cassette = parseYaml(text) as { interactions: { response: { content: string } }[] };
    const firstBody = cassette.interactions[0]?.response.content ?? '';
    const token = (JSON.parse(firstBody) as { token: string }).token;
    // The last page is HAND-MADE: the cassette holds only the first.
    const lastBody = JSON.stringify({
      total: 2674,
      data: [{ paperId: 'feedfacefeedfacefeedfacefeedfacefeedface', title: 'Last one' }],
    });
    server.route({ path: '/graph/v1/paper/search/bulk' }, { body: firstBody });
    server.route({ path: '/graph/v1/paper/search/bulk', query: { token } }, { body: lastBody });
    const pages = await collect(
      fetchSemanticScholar(
        http(),
        {
          baseUrl: `${server.baseUrl}/graph/v1`,
          bulkSearch: 'kubernetes',
          fields: 'title',
          maxResults: 5000,
        },
        s2,
      ),
    );
    expect(server.requests.map((r) => r.query)).toEqual([
      { query: 'kubernetes', fields: 'title' },
      { query: 'kubernetes', fields: 'title', token },
    ]);
    expect(pages.map((p) => p.output.records.length)).toEqual([1000, 1]);
  });

  it('ends with a clear error on a 400 answer (not retried)', async () => {
    server.route({ path: '/graph/v1/paper/search' }, { status: 400, body: S2_BAD_FIELDS });
    const error = await collect(
      fetchSemanticScholar(
        http(),
        { baseUrl: `${server.baseUrl}/graph/v1`, search: 'x', fields: 'unknown' },
        s2,
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFetchError);
    expect((error as SourceFetchError).source).toBe('semantic-scholar');
    expect((error as Error).message).toContain(
      `HTTP 400 from ${server.baseUrl}/graph/v1/paper/search?query=x`,
    );
    expect((error as Error).message).toContain('Unrecognized or unsupported fields');
    expect(server.requests).toHaveLength(1);
  });
});

/** The body S2 answered to `fields=unknown` in test_bad_query_parameters.yaml. */
const S2_BAD_FIELDS = '{"error":"Unrecognized or unsupported fields: [unknown]"}';

describe('fetchOpenAlex', () => {
  // The list pages are HAND-MADE around real work objects: no paged /works answer was captured.
  const workA = JSON.parse(readFixture('openalex', 'W2741809807.json')) as { id: string };
  const workB = JSON.parse(readFixture('openalex', 'W-api-response.json')) as { id: string };
  const list = (results: unknown[], next: string | null) =>
    JSON.stringify({ meta: { count: 3, per_page: 2, next_cursor: next }, results });

  it('pages /works by cursor, starting at *, until next_cursor is null', async () => {
    server.route({ path: '/works', query: { cursor: '*' } }, { body: list([workA, workB], 'c2') });
    server.route({ path: '/works', query: { cursor: 'c2' } }, { body: list([workB], null) });
    const ctx = { adapter: openAlexAdapter, fetchedAt };
    const pages = await collect(
      fetchOpenAlex(
        http(),
        { baseUrl: server.baseUrl, filter: 'publication_year:2017', perPage: 2, mailto: 'me@example.org' },
        ctx,
      ),
    );
    expect(server.requests.map((r) => r.query)).toEqual([
      { filter: 'publication_year:2017', 'per-page': '2', cursor: '*', mailto: 'me@example.org' },
      { filter: 'publication_year:2017', 'per-page': '2', cursor: 'c2', mailto: 'me@example.org' },
    ]);
    expect(pages.map((p) => p.output.records.length)).toEqual([2, 1]);
    expect(pages[0]?.output.records[0]?.key).toMatch(/W2741809807/);
  });

  it('looks up work ids and DOIs through OR filters', async () => {
    server.route({ path: '/works' }, { body: list([workA], null) });
    const ctx = { adapter: openAlexAdapter, fetchedAt };
    await collect(
      fetchOpenAlex(
        http(),
        {
          baseUrl: server.baseUrl,
          workIds: [
            'W2741809807',
            'https://openalex.org/W2755950973',
            'https://doi.org/10.1103/PhysRevLett.118.091101',
          ],
        },
        ctx,
      ),
    );
    expect(server.requests.map((r) => r.query['filter'])).toEqual([
      'ids.openalex:W2741809807|W2755950973',
      'doi:10.1103/PhysRevLett.118.091101',
    ]);
  });
});

describe('fetchHuggingFaceDaily', () => {
  it('asks /api/daily_papers for the date and parses the day', async () => {
    // HAND-MADE: no daily_papers answer was captured anywhere public; the shape follows the API.
    const day = [
      {
        paper: {
          id: '2401.01234',
          title: 'Scaling Laws for Wide Networks',
          authors: [{ name: 'Lechao Xiao' }],
          upvotes: 42,
        },
        title: 'Scaling Laws for Wide Networks',
      },
    ];
    server.route({ path: '/api/daily_papers', query: { date: '2024-01-03' } }, { body: JSON.stringify(day) });
    const pages = await collect(
      fetchHuggingFaceDaily(
        http(),
        { baseUrl: server.baseUrl, date: '2024-01-03' },
        { adapter: huggingFaceAdapter, fetchedAt },
      ),
    );
    expect(pages).toHaveLength(1);
    expect(server.requests[0]?.query).toEqual({ date: '2024-01-03' });
    const record = pages[0]?.output.records[0];
    expect(record?.kind === 'paper' ? [record.ids.arxiv, record.title] : []).toEqual([
      '2401.01234',
      'Scaling Laws for Wide Networks',
    ]);
  });
});

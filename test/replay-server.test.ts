import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { oaiHarvestPages, type ReplayServer, startReplayServer } from './replay-server.ts';
import { fixturePath } from './shared.ts';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

const onReplay = (recorded: string) => {
  const url = new URL(recorded);
  return `${server.baseUrl}${url.pathname}${url.search}`;
};

describe('startReplayServer', () => {
  it('replays every recorded arXiv API call, whatever the parameter order', async () => {
    const dir = fixturePath('arxiv-api');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(20);
    for (const file of files) {
      const { url, status_code, body } = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
      const shuffled = new URL(onReplay(url));
      const params = [...shuffled.searchParams].reverse();
      shuffled.search = new URLSearchParams(params).toString();
      const res = await fetch(shuffled);
      expect([file, res.status]).toEqual([file, status_code]);
      expect(await res.text()).toBe(body);
    }
  });

  it('replays the Semantic Scholar cassettes, POST bodies compared as JSON', async () => {
    const text = readFileSync(fixturePath('semantic-scholar', 'test_get_papers.yaml'), 'utf8');
    const cassette = parseYaml(text) as { interactions: { request: { uri: string; body: string } }[] };
    const request = cassette.interactions[0]?.request;
    if (!request) throw new Error('cassette has no interaction');
    const ids = (JSON.parse(request.body) as { ids: string[] }).ids;
    const res = await fetch(onReplay(request.uri), { method: 'POST', body: JSON.stringify({ ids }) });
    expect(res.status).toBe(200);
    const papers = (await res.json()) as { paperId: string }[];
    expect(papers.map((p) => p.paperId)).toEqual([
      'c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce',
      'cb1ebd913c3724c599f6b276b14b5c6253da68f3',
      '0f40b1f08821e22e859c6050916cec3667778613',
    ]);
    const other = await fetch(onReplay(request.uri), {
      method: 'POST',
      body: JSON.stringify({ ids: ids.slice(1) }),
    });
    expect(other.status).toBe(404);
    const missing = await fetch(`${server.baseUrl}/graph/v1/paper/0?fields=t,i,t,l,e`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Paper with id 0 not found' });
  });

  it('reads the OAI pages, their requests and tokens from the files', () => {
    const pages = oaiHarvestPages();
    expect(pages.map((p) => p.query)).toEqual([
      { verb: 'ListRecords', from: '2023-03-07', metadataPrefix: 'oai_dc' },
      { verb: 'ListRecords', resumptionToken: '6511260|1001' },
      { verb: 'ListRecords', resumptionToken: '6511260|2001' },
    ]);
    expect(pages.map((p) => p.nextToken)).toEqual(['6511260|1001', '6511260|2001', undefined]);
    expect(pages.map((p) => p.records)).toEqual([1000, 1000, 265]);
  });

  it('records what it received and answers unknown requests with 404', async () => {
    const before = server.requests.length;
    const res = await fetch(`${server.baseUrl}/nowhere?x=1`, { headers: { 'user-agent': 'probe' } });
    expect(res.status).toBe(404);
    const last = server.requests[before];
    expect(last).toMatchObject({ method: 'GET', path: '/nowhere', query: { x: '1' }, matched: false });
    expect(last?.headers['user-agent']).toBe('probe');
  });
});

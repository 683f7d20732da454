import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { oaiHarvestPages, type ReplayServer, routeOaiHarvest, startReplayServer } from './replay-server.ts';

/**
 * The live-fetching commands, end to end: the real CLI, real HTTP over 127.0.0.1 to a server
 * replaying captured responses, a real SQLite file.
 */
let server: ReplayServer;
let data: ReturnType<typeof tempDataDir>;

beforeEach(async () => {
  server = await startReplayServer();
  data = tempDataDir();
});
afterEach(async () => {
  await server.close();
  data.cleanup();
});

function env(): NodeJS.ProcessEnv {
  return {
    PAPERSCOPE_ARXIV_API_URL: `${server.baseUrl}/api/query`,
    PAPERSCOPE_ARXIV_OAI_URL: `${server.baseUrl}/oai2`,
    PAPERSCOPE_S2_URL: `${server.baseUrl}/graph/v1`,
    PAPERSCOPE_ARXIV_DELAY_MS: '0',
  };
}

async function stats(): Promise<{ papers: number; sourceRecords: number }> {
  const store = SqliteStore.inDataDir(data.dir);
  try {
    return await store.stats();
  } finally {
    store.close();
  }
}

describe('paperscope fetch', () => {
  it('fetches arXiv ids through the API and merges them into the store', async () => {
    const run = await runCli(data.dir, ['fetch', 'arxiv', '--id', '1605.08386'], '', env());
    expect(run.code).toBe(0);
    expect(run.out).toContain('read 1, new 1');
    const paper = JSON.parse((await runCli(data.dir, ['show', '1605.08386', '--json'])).out);
    expect(paper.title).toBe('Heat-bath random walks with Markov bases');
    expect(paper.sources[0].origin).toContain('/api/query?');
  });

  it('reports a bad arXiv id as a skipped record, not a crash', async () => {
    const run = await runCli(data.dir, ['fetch', 'arxiv', '--id', 'abc'], '', env());
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/incorrect id format for abc/);
    expect((await stats()).papers).toBe(0);
  });

  it('fetches a Semantic Scholar batch', async () => {
    // The recorded batch asked for fields=authors only.
    const ids = ['CorpusId:470667', '10.2139/ssrn.2250500', '0f40b1f08821e22e859c6050916cec3667778613'];
    const run = await runCli(data.dir, ['fetch', 's2', '--fields', 'authors', '--id', ...ids], '', env());
    expect(run.err).not.toContain('paperscope:');
    expect(run.code).toBe(0);
    expect(await stats()).toMatchObject({ papers: 3, sourceRecords: 3 });
    const duflo = JSON.parse((await runCli(data.dir, ['author', 'E. Duflo', '--json'])).out);
    expect(duflo.paperCount).toBe(3);
  });
});

describe('paperscope harvest arxiv-oai', () => {
  it('harvests the three real pages, following resumption tokens', async () => {
    const pages = routeOaiHarvest(server);
    const run = await runCli(
      data.dir,
      ['harvest', 'arxiv-oai', '--from', '2023-03-07', '--metadata', 'oai_dc'],
      '',
      env(),
    );
    expect(run.code).toBe(0);
    expect(await stats()).toMatchObject({ papers: 2265, sourceRecords: 2265 });
    const tokens = server.requests.map((r) => r.query['resumptionToken']).filter(Boolean);
    expect(tokens).toEqual(pages.map((p) => p.nextToken).filter(Boolean));
  });

  it('resumes after a real crash from the first page not committed: nothing lost, nothing twice', async () => {
    const pages = oaiHarvestPages();
    routeOaiHarvest(server);
    // The second page answers slowly the first time: the harvester is killed while waiting for it.
    server.route({ path: '/oai2', query: pages[1]!.query, exactQuery: true }, [
      { body: pages[1]!.body, delayMs: 30_000 },
      { body: pages[1]!.body },
    ]);
    const args = ['harvest', 'arxiv-oai', '--from', '2023-03-07', '--metadata', 'oai_dc'];
    const child = spawn(process.execPath, [resolve('bin/paperscope.mjs'), '--data', data.dir, ...args], {
      env: { ...process.env, ...env() },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.on('exit', done));
    const token1 = pages[0]!.nextToken;
    while (!server.requests.some((r) => r.query['resumptionToken'] === token1)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    expect((await stats()).papers).toBe(pages[0]!.records);

    const resumed = await runCli(data.dir, args, '', env());
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`Resuming the harvest after page 1 (resumptionToken ${token1})`);
    expect(await stats()).toMatchObject({ papers: 2265, sourceRecords: 2265 });
    const asked = server.requests.map((r) => r.query['resumptionToken'] ?? 'first page');
    expect(asked).toEqual(['first page', token1, token1, pages[1]!.nextToken]);
  });
});

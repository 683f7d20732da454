import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { oaiHarvestPages, type ReplayServer, startReplayServer } from './replay-server.ts';

/**
 * `paperscope sync` killed (SIGKILL) in the middle of a harvest, then run again: it resumes
 * from the saved resumptionToken, and every record lands once.
 */
let server: ReplayServer;
let data: ReturnType<typeof tempDataDir>;

beforeEach(async () => {
  server = await startReplayServer({ arxivApi: false, semanticScholar: false });
  data = tempDataDir();
});
afterEach(async () => {
  await server.close();
  data.cleanup();
});

async function stats() {
  const store = SqliteStore.inDataDir(data.dir);
  try {
    return await store.stats();
  } finally {
    store.close();
  }
}

it('resumes a killed sync from the first page it had not committed: nothing lost, nothing twice', async () => {
  const env = {
    PAPERSCOPE_ARXIV_OAI_URL: `${server.baseUrl}/oai2`,
    PAPERSCOPE_ARXIV_DELAY_MS: '0',
    PAPERSCOPE_SYNC_SOURCES: 'arxiv',
    PAPERSCOPE_SYNC_CATEGORIES: 'cs',
    PAPERSCOPE_SYNC_OAI_METADATA: 'oai_dc',
  };
  const pages = oaiHarvestPages();
  server.route(
    { path: '/oai2', query: { verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'cs' } },
    {
      body: pages[0]!.body,
    },
  );
  // The second page answers slowly the first time: the sync is killed while waiting for it.
  server.route({ path: '/oai2', query: pages[1]!.query, exactQuery: true }, [
    { body: pages[1]!.body, delayMs: 30_000 },
    { body: pages[1]!.body },
  ]);
  server.route({ path: '/oai2', query: pages[2]!.query, exactQuery: true }, { body: pages[2]!.body });

  const child = spawn(
    process.execPath,
    [resolve('bin/paperscope.mjs'), '--data', data.dir, 'sync', '--once'],
    {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    },
  );
  const exited = new Promise((done) => child.on('exit', done));
  const token1 = pages[0]!.nextToken!;
  while (!server.requests.some((r) => r.query['resumptionToken'] === token1)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await exited;
  expect((await stats()).papers).toBe(pages[0]!.records);

  const status = await runCli(data.dir, ['sync', '--status', '--json'], '', env);
  const state = (
    JSON.parse(status.out) as { states: { key: string; resumptionToken?: string; harvestingFrom?: string }[] }
  ).states[0]!;
  expect(state).toMatchObject({ key: 'arxiv-oai:cs', resumptionToken: token1 });
  const firstFrom = server.requests[0]!.query['from'];
  expect(state.harvestingFrom).toBe(firstFrom);

  const resumed = await runCli(data.dir, ['sync', '--once'], '', env);
  expect(resumed.err).toBe('');
  expect(resumed.code).toBe(0);
  expect(await stats()).toMatchObject({ papers: 2265, sourceRecords: 2265 });
  const asked = server.requests.map((r) => r.query['resumptionToken'] ?? `from ${r.query['from']}`);
  expect(asked).toEqual([`from ${firstFrom}`, token1, token1, pages[1]!.nextToken]);

  // Done: the next harvest starts from the day this one started.
  const after = JSON.parse((await runCli(data.dir, ['sync', '--status', '--json'], '', env)).out) as {
    states: { lastHarvestDate?: string; resumptionToken?: string; newPapers: number }[];
  };
  expect(after.states[0]).toMatchObject({ newPapers: 2265 - pages[0]!.records });
  expect(after.states[0]!.resumptionToken).toBeUndefined();
  expect(after.states[0]!.lastHarvestDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(after.states[0]!.lastHarvestDate! > firstFrom!).toBe(true);
}, 120_000);

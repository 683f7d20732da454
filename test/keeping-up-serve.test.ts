import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { DAY_ONE, dailyPapers } from './handmade-daily-papers.ts';
import { type MailServer, startMailServer } from './mail-server.ts';
import { type ReplayServer, startReplayServer } from './replay-server.ts';
import { SEED_FILES, seedPath } from './shared.ts';

/**
 * `paperscope serve` (what `npm start` runs) with PAPERSCOPE_SYNC=on: the one loop inside the
 * server syncs right away and then sends the digests that have come due.
 */
let replay: ReplayServer;
let mail: MailServer;
let data: ReturnType<typeof tempDataDir>;

beforeEach(async () => {
  replay = await startReplayServer({ arxivApi: false, semanticScholar: false });
  mail = await startMailServer();
  data = tempDataDir();
});
afterEach(async () => {
  await replay.close();
  await mail.close();
  data.cleanup();
});

it('syncs and sends the due digests from inside the server, and stops cleanly', async () => {
  const env = {
    PAPERSCOPE_SYNC: 'on',
    PAPERSCOPE_SYNC_SOURCES: 'huggingface',
    PAPERSCOPE_HF_URL: replay.baseUrl,
    PAPERSCOPE_SMTP_URL: mail.url,
    PAPERSCOPE_BASE_URL: 'http://paperscope.test',
    PORT: '0',
  };
  replay.route({ path: '/api/daily_papers' }, { body: dailyPapers(DAY_ONE) });
  expect((await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)])).code).toBe(0);
  const paperscope = Paperscope.open(loadConfig({ ...env, PAPERSCOPE_DATA: data.dir }));
  const ana = await paperscope.accounts.createUser({
    email: 'ana@example.org',
    name: 'Ana',
    password: 'a long passphrase',
  });
  await paperscope.follows.follow(ana.id, 'author', 'Lechao Xiao');
  await paperscope.digests.updateSettings(ana.id, { sendHour: 0, timeZone: 'UTC' });
  paperscope.close();

  const child = spawn(process.execPath, [resolve('bin/paperscope.mjs'), '--data', data.dir, 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  try {
    await mail.waitFor(1, 30_000);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(log).toMatch(/Paperscope is serving .* at http:\/\/127\.0\.0\.1:\d+/);
  expect(log).toContain(`sync: huggingface ${DAY_ONE.length} records, ${DAY_ONE.length} new`);
  expect(log).toContain('digests: 1 composed, 1 sent, 0 failed');
  expect(mail.received).toHaveLength(1);
  expect(mail.received[0]!.envelope.to).toEqual(['ana@example.org']);
  expect(mail.received[0]!.parsed.text).toContain('Why: new paper by Lechao Xiao');
}, 60_000);

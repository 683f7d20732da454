import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { DAY_ONE, dailyPapers } from './handmade-daily-papers.ts';
import { type MailServer, startMailServer } from './mail-server.ts';
import { SEED_FILES, seedPath } from './shared.ts';

/**
 * A digest run killed half-way (SIGKILL, no chance to clean up) and run again: every digest
 * arrives exactly once. The SMTP server takes two messages, then never answers the third,
 * and the sending process is killed while it waits for that answer.
 */
let mail: MailServer;
let data: ReturnType<typeof tempDataDir>;
const PEOPLE = ['ana', 'bob', 'chen', 'dara', 'eli'].map((n) => `${n}@example.org`);
const NOW = '2026-11-24T12:00:00Z';

beforeEach(async () => {
  mail = await startMailServer();
  data = tempDataDir();
});
afterEach(async () => {
  await mail.close();
  data.cleanup();
});

it('restarts a killed digest run and sends exactly the missing emails', async () => {
  const env = { PAPERSCOPE_SMTP_URL: mail.url, PAPERSCOPE_BASE_URL: 'http://paperscope.test' };
  expect((await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)])).code).toBe(0);
  const paperscope = Paperscope.open(loadConfig({ ...env, PAPERSCOPE_DATA: data.dir }));
  for (const email of PEOPLE) {
    const user = await paperscope.accounts.createUser({
      email,
      name: email.split('@')[0]!,
      password: 'a long passphrase',
    });
    await paperscope.follows.follow(user.id, 'author', 'Lechao Xiao');
  }
  paperscope.close();
  // After they followed him, a new paper by Lechao Xiao arrives.
  const arrivals = join(data.dir, 'daily.json');
  writeFileSync(arrivals, dailyPapers(DAY_ONE));
  expect((await runCli(data.dir, ['import', '--format', 'huggingface', arrivals])).code).toBe(0);

  const args = ['--data', data.dir, 'digest', '--send', '--now', NOW];
  const held = mail.holdAfter(2);
  const child = spawn(process.execPath, [resolve('bin/paperscope.mjs'), ...args], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const exited = new Promise((done) => child.on('exit', done));
  const unanswered = await held;
  child.kill('SIGKILL');
  await exited;

  expect(mail.received).toHaveLength(2);
  const outbox = () => {
    const reader = Paperscope.open(loadConfig({ ...env, PAPERSCOPE_DATA: data.dir }));
    try {
      return reader.digests.outbox({ limit: 10 }).reverse();
    } finally {
      reader.close();
    }
  };
  const afterCrash = outbox();
  expect(afterCrash.map((e) => e.recipient)).toEqual(PEOPLE);
  expect(afterCrash.map((e) => e.status)).toEqual(['sent', 'sent', 'pending', 'pending', 'pending']);
  expect(unanswered.envelope.to).toEqual([PEOPLE[2]]);

  const restarted = await runCli(data.dir, ['digest', '--send', '--now', NOW], '', env);
  expect(restarted.code).toBe(0);
  expect(restarted.out).toContain('digests: 0 composed, 3 sent, 0 failed');
  expect(mail.received.map((m) => m.envelope.to[0])).toEqual(PEOPLE);
  const afterRestart = outbox();
  expect(afterRestart.every((e) => e.status === 'sent')).toBe(true);
  // Each email arrived once, under the Message-ID its outbox row was given when composed —
  // the unanswered one too, so a server that did keep it can tell the resend for what it is.
  expect(mail.received.map((m) => m.parsed.messageId)).toEqual(afterRestart.map((e) => e.messageId));
  expect(unanswered.parsed.messageId).toBe(afterRestart[2]!.messageId);
  for (const m of mail.received) expect(m.parsed.text).toContain('Why: new paper by Lechao Xiao');

  // A third run has nothing left to do.
  const again = await runCli(data.dir, ['digest', '--send', '--now', NOW], '', env);
  expect(again.out).toContain('digests: 0 composed, 0 sent, 0 failed');
  expect(mail.received).toHaveLength(PEOPLE.length);
}, 120_000);

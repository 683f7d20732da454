import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { MAX_SEND_ATTEMPTS } from '../src/digest/digest.service.ts';
import { smtpTransport } from '../src/digest/mailer.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { DAY_ONE, dailyPapers } from './handmade-daily-papers.ts';
import { type MailServer, startMailServer } from './mail-server.ts';
import { SEED_FILES, seedPath } from './shared.ts';

/**
 * A recipient the SMTP server refuses: the others' digests go out; the refused one is kept
 * with the server's answer, retried on later runs, and given up after a bounded number.
 */
let mail: MailServer;
let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;

beforeAll(async () => {
  mail = await startMailServer({ refuse: (to) => to === 'gone@example.org' });
  data = tempDataDir();
  expect((await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)])).code).toBe(0);
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }), {
    now: () => new Date('2026-11-24T12:00:00Z'),
  });
  for (const email of ['ana@example.org', 'gone@example.org']) {
    const user = await paperscope.accounts.createUser({ email, password: 'a long passphrase' });
    await paperscope.follows.follow(user.id, 'author', 'Lechao Xiao');
  }
  const arrivals = join(data.dir, 'daily.json');
  writeFileSync(arrivals, dailyPapers(DAY_ONE));
  expect((await runCli(data.dir, ['import', '--format', 'huggingface', arrivals])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  paperscope?.close();
  await mail?.close();
  data?.cleanup();
});

it('sends the others, keeps the refusal, retries it, and gives up after a bounded number of attempts', async () => {
  const transport = smtpTransport(mail.url);
  expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 2, sent: 1, failed: 1 });
  expect(mail.received.map((m) => m.envelope.to)).toEqual([['ana@example.org']]);
  const refused = () => paperscope.digests.outbox().find((e) => e.recipient === 'gone@example.org')!;
  expect(refused()).toMatchObject({ status: 'pending', attempts: 1 });
  expect(refused().lastError).toMatch(/550.*No such mailbox: gone@example\.org/);

  for (let run = 2; run <= MAX_SEND_ATTEMPTS; run++) {
    expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 0, sent: 0, failed: 1 });
  }
  expect(refused()).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS });
  expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 0, sent: 0, failed: 0 });
  transport.close();
  expect(mail.received).toHaveLength(1);
}, 60_000);

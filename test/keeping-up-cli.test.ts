import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { DAY_ONE, dailyPapers } from './handmade-daily-papers.ts';
import { SEED_FILES, seedPath } from './shared.ts';

/** `paperscope follow` and `paperscope digest --preview / --outbox / --send`, as a person types them. */
let data: ReturnType<typeof tempDataDir>;

beforeAll(async () => {
  data = tempDataDir();
  expect((await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)])).code).toBe(0);
  const paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  await paperscope.accounts.createUser({
    email: 'ana@example.org',
    name: 'Ana',
    password: 'a long passphrase',
  });
  paperscope.close();
}, 60_000);
afterAll(() => data?.cleanup());

it('follows, previews the next digest, and refuses to send without an SMTP server', async () => {
  const follow = await runCli(data.dir, ['follow', '--user', 'ana@example.org', 'author', 'Xiao, Lechao']);
  expect(follow.code).toBe(0);
  expect(follow.out).toBe('Following author Lechao Xiao.\nauthor\tLechao Xiao\n');
  const nobody = await runCli(data.dir, ['follow', '--user', 'ana@example.org', 'author', 'Nobody Atall']);
  expect(nobody.code).toBe(3);
  expect(nobody.err).toBe('paperscope: No author "Nobody Atall".\n');

  const before = await runCli(data.dir, ['digest', '--preview', 'ana@example.org']);
  expect(before.out).toBe('Nothing new for ana@example.org: no digest would be sent.\n');

  const arrivals = join(data.dir, 'daily.json');
  writeFileSync(arrivals, dailyPapers(DAY_ONE));
  expect((await runCli(data.dir, ['import', '--format', 'huggingface', arrivals])).code).toBe(0);
  const preview = await runCli(data.dir, ['digest', '--preview', '1', '--now', '2026-11-24T09:00:00Z'], '', {
    PAPERSCOPE_BASE_URL: 'https://papers.example.org',
  });
  expect(preview.out).toMatch(
    /^Subject: Paperscope digest for 2026-11-24 — 2 papers: Scaling Laws for Infinitely Wide/,
  );
  expect(preview.out).toContain('Why: new paper by Lechao Xiao');
  expect(preview.out).toContain('https://papers.example.org/paper/2611.01234');
  const html = await runCli(data.dir, ['digest', '--preview', 'ana@example.org', '--html']);
  expect(html.out).toMatch(/^<!doctype html>/);

  const send = await runCli(data.dir, ['digest', '--send']);
  expect(send.code).toBe(2);
  expect(send.err).toBe('paperscope: Set PAPERSCOPE_SMTP_URL (smtp://host:port) to send digests.\n');
  const outbox = await runCli(data.dir, ['digest', '--outbox']);
  expect(outbox.out).toBe('');
  const badDate = await runCli(data.dir, ['digest', '--preview', '1', '--now', 'yesterday']);
  expect(badDate.err).toBe('paperscope: --now: "yesterday" is not a date.\n');

  const removed = await runCli(data.dir, [
    'follow',
    '--user',
    'ana@example.org',
    '--remove',
    'author',
    'Lechao Xiao',
  ]);
  expect(removed.out).toBe('No longer following author Lechao Xiao.\n');
  const again = await runCli(data.dir, [
    'follow',
    '--user',
    'ana@example.org',
    '--remove',
    'author',
    'Lechao Xiao',
  ]);
  expect(again.out).toBe('Was not following author Lechao Xiao.\n');
}, 60_000);

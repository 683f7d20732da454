import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Paperscope } from '../src/app/paperscope.ts';
import { loadConfig } from '../src/config.ts';
import { smtpTransport } from '../src/digest/mailer.ts';
import { type RunningServer, startServer } from '../src/server/serve.ts';
import { runCli, tempDataDir } from './cli-helpers.ts';
import { DAY_ONE, DAY_TWO, dailyPapers } from './handmade-daily-papers.ts';
import { type MailServer, type ReceivedMail, startMailServer } from './mail-server.ts';
import { oaiHarvestPages, type ReplayServer, startReplayServer } from './replay-server.ts';
import { fixturePath, SEED_FILES, seedPath } from './shared.ts';

/**
 * The "done when" of keeping up, end to end with real parts: the sync against a real HTTP
 * server replaying arXiv OAI-PMH (with a 503 and a truncated page), Hugging Face daily
 * papers (hand-made) and Semantic Scholar; a real SQLite file; digests over real SMTP read
 * back with mailparser; the unsubscribe link followed over real HTTP.
 */

const BASE_URL = 'http://paperscope.test';
let replay: ReplayServer;
let mail: MailServer;
let data: ReturnType<typeof tempDataDir>;
let clock = new Date('2026-11-24T06:00:00Z');
let paperscope: Paperscope;
let web: RunningServer;
let ana: number;
let bob: number;

function env(): NodeJS.ProcessEnv {
  return {
    PAPERSCOPE_DATA: data.dir,
    PAPERSCOPE_ARXIV_OAI_URL: `${replay.baseUrl}/oai2`,
    PAPERSCOPE_HF_URL: replay.baseUrl,
    PAPERSCOPE_S2_URL: `${replay.baseUrl}/graph/v1`,
    PAPERSCOPE_ARXIV_DELAY_MS: '0',
    PAPERSCOPE_SYNC_CATEGORIES: 'cs',
    PAPERSCOPE_SYNC_OAI_METADATA: 'oai_dc',
    PAPERSCOPE_SYNC_ENRICH_PER_RUN: '2',
    PAPERSCOPE_SMTP_URL: mail.url,
    PAPERSCOPE_BASE_URL: BASE_URL,
    PAPERSCOPE_MAIL_FROM: 'Paperscope <digest@paperscope.test>',
  };
}

const ids = (papers: { id: string }[]) => papers.map((p) => p.id);

/** A header as it arrived (mailparser folds List-* headers into an object). */
function header(mail: ReceivedMail, name: string): string {
  const line = mail.parsed.headerLines.find((h) => h.key === name)?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n\s+/g, '')
    .trim();
}

beforeAll(async () => {
  replay = await startReplayServer({ arxivApi: false, semanticScholar: false });
  mail = await startMailServer();
  data = tempDataDir();
  // What the instance knew before: the real seed pages (Lechao Xiao's papers among them).
  const seeded = await runCli(data.dir, [
    'import',
    seedPath(SEED_FILES.adsAuthor),
    seedPath(SEED_FILES.catalyzex),
  ]);
  expect(seeded.code).toBe(0);
  paperscope = Paperscope.open(loadConfig(env()), { now: () => clock });
  web = await startServer(paperscope, '127.0.0.1', 0);

  ana = (
    await paperscope.accounts.createUser({
      email: 'ana@example.org',
      name: 'Ana',
      password: 'a long passphrase 1',
    })
  ).id;
  bob = (
    await paperscope.accounts.createUser({
      email: 'bob@example.org',
      name: 'Bob',
      password: 'a long passphrase 2',
    })
  ).id;
  await paperscope.follows.follow(ana, 'author', 'Lechao Xiao');
  await paperscope.follows.follow(ana, 'search', '"kernel regression"');
  await paperscope.digests.updateSettings(ana, { sendHour: 8, timeZone: 'Europe/Paris' });
  // Ana saved two of Xiao's papers.
  const xiao = (await paperscope.store.findAuthors('Lechao Xiao'))[0]!;
  const hisPapers = await paperscope.store.listPapers({ authorId: xiao.id, limit: 100 });
  const saved = hisPapers.filter((p) => /Kernel Regression|Scaling Laws/i.test(p.title ?? '')).slice(0, 2);
  expect(saved).toHaveLength(2);
  for (const p of saved) await paperscope.library.save(ana, p.id);
  // Bob follows the same author, in New York, at 7 in the morning.
  await paperscope.follows.follow(bob, 'author', 'Xiao, Lechao');
  await paperscope.digests.updateSettings(bob, { sendHour: 7, timeZone: 'America/New_York' });
}, 60_000);

afterAll(async () => {
  await web?.close();
  paperscope?.close();
  await replay?.close();
  await mail?.close();
  data?.cleanup();
});

describe('the sync against the replay server', () => {
  it('harvests the category through a 503 and a truncated page, fetches Hugging Face, keeps its state', async () => {
    const pages = oaiHarvestPages();
    const busy = readFileSync(fixturePath('arxiv-oai', 'retry_after_503.html'), 'utf8');
    const first = replay.route(
      { path: '/oai2', query: { verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'cs' } },
      [
        { status: 503, body: busy, headers: { 'retry-after': '1', 'content-type': 'text/html' } },
        { body: pages[0]!.body, headers: { 'content-type': 'text/xml' } },
      ],
    );
    const second = replay.route({ path: '/oai2', query: pages[1]!.query, exactQuery: true }, [
      { truncateAfter: 20_000, body: pages[1]!.body, headers: { 'content-type': 'text/xml' } },
      { body: pages[1]!.body, headers: { 'content-type': 'text/xml' } },
    ]);
    replay.route({ path: '/oai2', query: pages[2]!.query, exactQuery: true }, { body: pages[2]!.body });
    replay.route({ path: '/api/daily_papers' }, { body: dailyPapers(DAY_ONE) });
    // Enrichment answers come later; this run asks and is told nothing is known.
    replay.route({ method: 'POST', path: '/graph/v1/paper/batch' }, { body: '[null, null]' });

    const before = await paperscope.store.stats();
    const report = await paperscope.sync.runOnce();
    expect(report.results.map((r) => [r.key, r.ok])).toEqual([
      ['arxiv-oai:cs', true],
      ['huggingface', true],
      ['semantic-scholar', true],
    ]);
    expect(first.hits).toBe(2);
    expect(second.hits).toBe(2);
    // The first OAI request asked for what changed since the day before the first run.
    const oaiFirst = replay.requests.find((r) => r.path === '/oai2')!;
    expect(oaiFirst.query).toMatchObject({ from: '2026-11-23', set: 'cs', metadataPrefix: 'oai_dc' });
    const after = await paperscope.store.stats();
    const harvested = pages.reduce((n, p) => n + p.records, 0);
    expect(after.papers - before.papers).toBe(harvested + DAY_ONE.length);
    expect(report.results[0]!.records).toBe(harvested);

    const status = await paperscope.sync.status();
    const oai = status.states.find((s) => s.key === 'arxiv-oai:cs')!;
    expect(oai).toMatchObject({
      runs: 1,
      records: harvested,
      newPapers: harvested,
      lastHarvestDate: '2026-11-24',
    });
    expect(oai.lastError).toBeUndefined();
    expect(oai.resumptionToken).toBeUndefined();
    expect(status.nextRunAt).toBeDefined();
    const hf = await paperscope.store.findPaper('2611.01234');
    expect(hf?.upvotes).toBe(42);
  }, 60_000);

  it('asks Semantic Scholar about each paper once and records what it said', async () => {
    const wanted = paperscope.store.readDb
      .prepare(
        `SELECT id, arxiv_id FROM papers WHERE arxiv_id IS NOT NULL
         AND id NOT IN (SELECT paper_id FROM enrichment_attempts) ORDER BY id DESC LIMIT 2`,
      )
      .all() as { id: number; arxiv_id: string }[];
    const asked = wanted.map((w) => `ARXIV:${w.arxiv_id}`);
    const target = paperscope.store.getPaper(wanted[0]!.id)!;
    const batch = replay.route(
      { method: 'POST', path: '/graph/v1/paper/batch', json: { ids: asked } },
      {
        body: JSON.stringify([
          {
            paperId: 'handmade0000000000000000000000000000000a',
            externalIds: { ArXiv: wanted[0]!.arxiv_id },
            title: target.title,
            citationCount: 31,
            tldr: { model: 'tldr@v2.0.0', text: 'A hand-made TLDR for this test.' },
          },
          null,
        ]),
      },
    );
    const report = await paperscope.sync.runOnce();
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(batch.hits).toBe(1);
    const enriched = paperscope.store.getPaper(wanted[0]!.id)!;
    expect(enriched.citationCount).toBe(31);
    expect(enriched.tldr).toBe('A hand-made TLDR for this test.');
    const attempts = paperscope.store.readDb
      .prepare(
        'SELECT paper_id, found FROM enrichment_attempts WHERE paper_id IN (?, ?) ORDER BY paper_id DESC',
      )
      .all(wanted[0]!.id, wanted[1]!.id);
    expect(attempts).toEqual([
      { paper_id: wanted[0]!.id, found: 1 },
      { paper_id: wanted[1]!.id, found: 0 },
    ]);
    // The next run asks about the next papers, never these again.
    const batchesBefore = replay.requests.filter((r) => r.path === '/graph/v1/paper/batch').length;
    await paperscope.sync.runOnce();
    const batches = replay.requests.filter((r) => r.path === '/graph/v1/paper/batch');
    expect(batches).toHaveLength(batchesBefore + 1);
    const nextAsked = (JSON.parse(batches.at(-1)!.body) as { ids: string[] }).ids;
    expect(nextAsked).toHaveLength(2);
    expect(nextAsked.some((id) => asked.includes(id))).toBe(false);
  }, 60_000);

  it('records an error without losing the harvest position, and the CLI shows the state', async () => {
    replay.route({ path: '/api/daily_papers' }, { status: 404, body: 'no such day' });
    await paperscope.sync.runOnce();
    const run = await runCli(data.dir, ['sync', '--status'], '', env());
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/huggingface: 4 runs.*\n\s+last error \(2026-11-24T06:00:00.000Z\): .*HTTP 404/);
    expect(run.out).toMatch(/arxiv-oai:cs: 4 runs, \d+ records, 2265 new papers/);
    expect(run.out).toContain('next harvest from 2026-11-24');
  }, 60_000);
});

describe('the daily digest over SMTP', () => {
  it('sends Ana one digest with the reasons; Bob, whose hour has not come in New York, none yet', async () => {
    clock = new Date('2026-11-24T07:30:00Z'); // 08:30 in Paris, 02:30 in New York
    const transport = smtpTransport(mail.url);
    const result = await paperscope.digests.run(transport);
    transport.close();
    expect(result).toMatchObject({ composed: 1, sent: 1, failed: 0 });
    expect(mail.received).toHaveLength(1);
    const [message] = mail.received;
    expect(message!.envelope.to).toEqual(['ana@example.org']);
    const parsed = message!.parsed;
    expect(parsed.from?.value).toEqual([{ name: 'Paperscope', address: 'digest@paperscope.test' }]);
    expect(parsed.to && 'value' in parsed.to ? parsed.to.value : []).toEqual([
      { name: '', address: 'ana@example.org' },
    ]);
    expect(parsed.subject).toMatch(/^Paperscope digest for 2026-11-24 — \d+ papers: /);
    const text = parsed.text ?? '';
    const html = String(parsed.html);
    expect(text).toContain('* Scaling Laws for Infinitely Wide Kernel Machines');
    expect(text).toContain('Why: new paper by Lechao Xiao');
    expect(text).toContain('Why: matches your search `"kernel regression"`');
    expect(text).toMatch(/Why: similar to “[^”]+”, which you saved/);
    expect(text).toContain(`${BASE_URL}/paper/2611.01234`);
    expect(html).toContain('<em>Why: new paper by Lechao Xiao</em>');
    expect(html).toContain('matches your search <code>&quot;kernel regression&quot;</code>');
    expect(html).toContain(`href="${BASE_URL}/paper/2611.01234"`);
    // Trending: the Hugging Face paper with upvotes that no follow brought in.
    expect(text).toContain('A Benchmark of Retrieval for Long Documents');
    expect(text).toContain('Why: trending: 17 upvotes, new');
    // Her own saved papers are not news to her, however much they trend.
    for (const saved of paperscope.library.paperIds(ana)) {
      expect(text).not.toContain(`/paper/${paperscope.store.getPaper(saved)!.ids.arxiv ?? saved}\n`);
    }
    // The search matches are real: each listed under it has the phrase in its title or abstract.
    for (const row of paperscope.store.readDb
      .prepare("SELECT paper_id FROM digest_papers WHERE user_id = ? AND reason LIKE '%search%'")
      .pluck()
      .all(ana) as number[]) {
      const p = paperscope.store.getPaper(row)!;
      expect(`${p.title} ${p.abstract}`.toLowerCase().replace(/\s+/g, ' ')).toContain('kernel regression');
    }

    const listUnsubscribe = header(message!, 'list-unsubscribe');
    expect(listUnsubscribe).toMatch(
      new RegExp(`^<?${BASE_URL}/api/digest/unsubscribe\\?token=1\\.[A-Za-z0-9_-]{43}>?$`),
    );
    expect(header(message!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(text).toContain(`${BASE_URL}/digest/unsubscribe?token=`);
  }, 120_000);

  it('never sends a second digest the same day, nor an empty one, nor a paper twice', async () => {
    const transport = smtpTransport(mail.url);
    clock = new Date('2026-11-24T20:00:00Z');
    expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 1, sent: 1 }); // Bob, 15:00 in NY
    expect(mail.received.map((m) => m.envelope.to[0])).toEqual(['ana@example.org', 'bob@example.org']);
    const bobText = mail.received[1]!.parsed.text ?? '';
    // Followed as "Xiao, Lechao": the same merged person, shown by the name the store keeps.
    expect(bobText).toContain('Why: new paper by Lechao Xiao');
    expect(bobText).not.toContain('which you saved');

    clock = new Date('2026-11-24T22:00:00Z');
    expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 0, sent: 0 });
    clock = new Date('2026-11-25T09:00:00Z'); // the next day: nothing new arrived
    expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 0, sent: 0, empty: 1 });

    // New papers arrive (the next day's Hugging Face list, with the first day's again).
    replay.route({ path: '/api/daily_papers' }, { body: dailyPapers([...DAY_TWO, ...DAY_ONE]) });
    await paperscope.sync.runOnce();
    clock = new Date('2026-11-25T09:30:00Z');
    expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 1, sent: 1 });
    transport.close();
    const second = mail.received.at(-1)!;
    expect(second.envelope.to).toEqual(['ana@example.org']);
    expect(second.parsed.subject).toMatch(
      /^Paperscope digest for 2026-11-25 — 1 paper: Eigenspace Restructuring/,
    );
    expect(second.parsed.text).toContain('Why: new paper by Lechao Xiao');
    expect(second.parsed.text).not.toContain('Scaling Laws for Infinitely Wide Kernel Machines');
    const sentTwice = paperscope.store.readDb
      .prepare(
        'SELECT count(*) FROM (SELECT paper_id FROM digest_papers GROUP BY user_id, paper_id HAVING count(*) > 1)',
      )
      .pluck()
      .get();
    expect(sentTwice).toBe(0);
    expect(ids(DAY_TWO)).toHaveLength(1);
  }, 120_000);

  it('stops the digests of whoever follows the unsubscribe link', async () => {
    const link = (mail.received[0]!.parsed.text ?? '').match(/Stop these emails: (\S+)/)![1]!;
    const local = link.replace(BASE_URL, web.url);
    const pageAnswer = await fetch(local);
    expect(pageAnswer.status).toBe(200);
    const pageHtml = await pageAnswer.text();
    expect(pageHtml).toContain('Stop the daily digest emails to ana@example.org?');
    const cut = await fetch(local.slice(0, -5));
    expect(cut.status).toBe(404);
    expect(await cut.text()).toContain('This unsubscribe link is not valid');
    const action = /<form method="post" action="([^"]+)"/.exec(pageHtml)![1]!.replace(/&amp;/g, '&');
    const cookies = pageAnswer.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="csrf" value="([^"]*)"/.exec(pageHtml)![1]!;
    const submitted = await fetch(new URL(action, web.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: cookies },
      body: new URLSearchParams({ csrf }),
    });
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toContain('ana@example.org will get no more digests.');
    expect(paperscope.digests.settings(ana).enabled).toBe(false);

    // Bob's one-click from his mail client: a bare POST to the List-Unsubscribe address.
    const bobHeader = header(mail.received[1]!, 'list-unsubscribe').replace(/^<|>$/g, '');
    const oneClick = await fetch(bobHeader.replace(BASE_URL, web.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ unsubscribed: 'bob@example.org' });

    // A forged token stops nothing.
    const forged = await fetch(`${web.url}/api/digest/unsubscribe?token=2.${'A'.repeat(43)}`, {
      method: 'POST',
    });
    expect(forged.status).toBe(404);

    replay.route(
      { path: '/api/daily_papers' },
      {
        body: dailyPapers([
          { ...DAY_TWO[0]!, id: '2611.07777', title: 'Yet Another Paper by Lechao Xiao', upvotes: 1 },
        ]),
      },
    );
    await paperscope.sync.runOnce();
    const before = mail.received.length;
    clock = new Date('2026-11-26T12:00:00Z');
    const transport = smtpTransport(mail.url);
    expect(await paperscope.digests.run(transport)).toMatchObject({ composed: 0, sent: 0 });
    transport.close();
    expect(mail.received).toHaveLength(before);
    // Still there for the admin to preview.
    expect((await paperscope.digests.preview(ana)).items.map((i) => i.paper.title)).toContain(
      'Yet Another Paper by Lechao Xiao',
    );
  }, 120_000);
});

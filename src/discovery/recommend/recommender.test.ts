import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../../../test/cli-helpers.ts';
import { importRealCorpus } from '../../../test/real-corpus.ts';
import { SHARED_DIR } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { type RunningServer, startServer } from '../../server/serve.ts';
import type { AppEnv } from '../../web/context.ts';
import { discoveryApiRoutes } from '../../web/routes/discovery-api.ts';
import { tokenize } from '../similar/tokenize.ts';
import type { Recommendations } from './recommender.ts';

const data = tempDataDir('paperscope-recommend-');
// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies field by field
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
let app: Paperscope;
let server: RunningServer;
let all: Paper[];

/** Subjects as the records give them: OAI in words, the bulk files as codes. */
const SUBJECTS: Record<string, string[]> = {
  'quant-ph': ['quant-ph', 'Quantum Physics'],
  'hep-th': ['hep-th', 'High Energy Physics - Theory'],
  'astro-ph': ['astro-ph', 'Astrophysics'],
  'math.CO': ['math.CO', 'Mathematics - Combinatorics'],
};
const isIn = (p: Paper, subject: string) =>
  p.categories.some((c) =>
    SUBJECTS[subject]!.some((s) => c === s || c.startsWith(`${s}.`) || c.startsWith(`${s} - `)),
  );
/** Papers of `subject` alone (not cross-listed in the others), first by id: a fixed choice. */
const only = (subject: string, n: number, skip = 0) =>
  all
    .filter((p) => isIn(p, subject) && Object.keys(SUBJECTS).every((o) => o === subject || !isIn(p, o)))
    .slice(skip, skip + n);

beforeAll(async () => {
  app = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  await importRealCorpus(app.store, SHARED_DIR);
  all = app.store.listPapers({ limit: 100_000 });
  server = await startServer(app, '127.0.0.1', 0);
}, 300_000);

afterAll(async () => {
  await server?.close();
  app.close();
  data.cleanup();
});

describe('recommendations on the real seeds and fixtures', () => {
  it('brings papers of the liked papers’ subject above unrelated ones', async () => {
    const far: Record<string, string[]> = {
      'quant-ph': ['astro-ph', 'math.CO'],
      'math.CO': ['astro-ph', 'hep-th'],
    };
    for (const subject of ['quant-ph', 'math.CO']) {
      const liked = only(subject, 3);
      const result = await app.recommender.recommend({ like: liked.map((p) => p.id), limit: 200 });
      const ids = result.papers.map((r) => r.paper.id);
      for (const p of liked) expect(ids).not.toContain(p.id);
      const top = result.papers.slice(0, 20);
      // Of all papers only a few percent are in either subject: at least half the first 20 must be.
      const baseRate = all.filter((p) => isIn(p, subject)).length / all.length;
      expect(baseRate).toBeLessThan(0.1);
      expect(top.filter((r) => isIn(r.paper, subject)).length, subject).toBeGreaterThanOrEqual(10);
      // Nothing from fields far away among the first 20 …
      for (const r of top)
        for (const f of far[subject]!) expect(isIn(r.paper, f), `${r.paper.title} in ${f}`).toBe(false);
      // … and down the whole list, the subject's papers stand earlier than the rest on average.
      const meanRank = (keep: (p: Paper) => boolean) => {
        const ranks = result.papers.flatMap((r, i) => (keep(r.paper) ? [i] : []));
        return ranks.reduce((x, y) => x + y, 0) / ranks.length;
      };
      expect(
        meanRank((p) => isIn(p, subject)),
        subject,
      ).toBeLessThan(meanRank((p) => !isIn(p, subject)));
      const scores = result.papers.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
    }
  }, 180_000);

  it('pushes a disliked topic down', async () => {
    const like = [...only('quant-ph', 2), ...only('hep-th', 2)].map((p) => p.id);
    const dislike = only('hep-th', 4, 2).map((p) => p.id);
    const share = (r: Recommendations, subject: string) =>
      r.papers.filter(
        (x) => isIn(x.paper, subject) && !isIn(x.paper, subject === 'hep-th' ? 'quant-ph' : 'hep-th'),
      ).length;
    const before = await app.recommender.recommend({ like, limit: 30 });
    const after = await app.recommender.recommend({ like, dislike, limit: 30 });
    expect(share(before, 'hep-th')).toBeGreaterThan(0);
    expect(share(after, 'hep-th')).toBeLessThan(share(before, 'hep-th'));
    expect(share(after, 'quant-ph')).toBeGreaterThan(share(before, 'quant-ph'));
    for (const id of dislike) expect(after.papers.map((r) => r.paper.id)).not.toContain(id);
  }, 120_000);

  it('explains each paper with terms it really shares with a liked paper, and the liked paper it is nearest', async () => {
    const liked = only('hep-th', 3);
    const result = await app.recommender.recommend({
      like: liked.map((p) => p.ids.arxiv ?? String(p.id)),
      limit: 15,
    });
    const words = (p: Paper) => new Set(tokenize(`${p.title ?? ''} ${p.abstractText ?? ''}`));
    const likedWords = liked.map(words);
    let explained = 0;
    for (const r of result.papers) {
      expect(liked.map((p) => p.id)).toContain(r.nearest.paperId);
      expect(r.reason).toContain(`like “${liked.find((p) => p.id === r.nearest.paperId)!.title}”`);
      const mine = words(r.paper);
      for (const term of r.terms) {
        for (const word of term.split(' ')) {
          expect(mine.has(word), `"${word}" of "${term}" in ${r.paper.id}`).toBe(true);
          expect(
            likedWords.some((w) => w.has(word)),
            `"${word}" of "${term}" in a liked paper`,
          ).toBe(true);
        }
      }
      if (r.terms.length > 0) {
        explained++;
        expect(r.reason.startsWith(`shares: ${r.terms.join(', ')} · like “`)).toBe(true);
      }
    }
    expect(explained).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it('refuses bad ids and bad requests with errors that name them', async () => {
    const liked = only('quant-ph', 1)[0]!;
    await expect(app.recommender.recommend({ like: ['9999.99999'] })).rejects.toThrow(NotFoundError);
    await expect(app.recommender.recommend({ like: [liked.id], dislike: ['nope'] })).rejects.toThrow(
      /No paper "nope" \(among the disliked papers\)/,
    );
    await expect(app.recommender.recommend({ like: [] })).rejects.toThrow(InvalidInputError);
    await expect(
      app.recommender.recommend({ like: [liked.id], dislike: [String(liked.id)] }),
    ).rejects.toThrow(/both liked and disliked/);
    await expect(app.recommender.recommend({ like: [liked.id], limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('the interfaces', () => {
  it('answers GET /api/new and /api/trending over HTTP, 400 for a bad category', async () => {
    const listing = await json(fetch(`${server.url}/api/new?category=cs.LG&day=2023-03-06&limit=3`));
    expect(listing.category).toBe('cs.LG');
    expect(listing.papers).toHaveLength(3);
    expect(listing.total).toBeGreaterThan(3);
    const bad = await fetch(`${server.url}/api/new?category=${encodeURIComponent('cs LG')}`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatch(/not an arXiv category/);
    const trending = await json(fetch(`${server.url}/api/trending?days=3650&limit=5`));
    expect(trending.days).toBe(3650);
    expect(trending.papers.length).toBeGreaterThan(0);
    expect(Object.keys(trending.papers[0].parts).sort()).toEqual([
      'recency',
      'saves',
      'score',
      'upvotes',
      'views',
    ]);
    expect((await fetch(`${server.url}/api/trending?days=soon`)).status).toBe(400);
  });

  it('answers POST and GET /api/recommend, 404 for an unknown paper, 400 for a malformed body', async () => {
    const liked = only('math.CO', 3);
    const post = await fetch(`${server.url}/api/recommend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ like: liked.map((p) => p.id), limit: 5 }),
    });
    expect(post.status).toBe(200);
    const body = (await post.json()) as Recommendations;
    expect(body.like).toEqual(liked.map((p) => p.id));
    expect(body.papers).toHaveLength(5);
    const get = await json(
      fetch(`${server.url}/api/recommend?like=${liked.map((p) => p.id).join(',')}&limit=5`),
    );
    expect(get.papers.map((r: { paper: Paper }) => r.paper.id)).toEqual(body.papers.map((r) => r.paper.id));
    const missing = await fetch(`${server.url}/api/recommend?like=0000.00000`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toMatch(/No paper "0000.00000"/);
    for (const bad of ['not json', '[1,2]', '{"like": "1"}']) {
      const res = await fetch(`${server.url}/api/recommend`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bad,
      });
      expect(res.status, bad).toBe(400);
    }
  });

  it('answers 429 with Retry-After once a client has used its recommendations for the minute', async () => {
    const site = new Hono<AppEnv>();
    site.use(async (c, next) => {
      c.set('app', app);
      c.set('viewer', undefined);
      c.set('csrfToken', '');
      await next();
    });
    site.route('/', discoveryApiRoutes({ recommendPerMinute: 2 }));
    const ask = () =>
      site.request(
        `/api/recommend?like=${only('math.CO', 2)
          .map((p) => p.id)
          .join(',')}&limit=3`,
      );
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(/at most 2 a minute/);
    // Listings and trending are cheap and stay open.
    expect((await site.request('/api/trending?limit=1')).status).toBe(200);
  });

  it('prints listings, trending and recommendations from the CLI, as JSON too', async () => {
    const listing = await runCli(data.dir, ['new', '--category', 'math.CO', '--day', '2023-03-05', '--json']);
    expect(listing.code).toBe(0);
    const parsed = JSON.parse(listing.out);
    expect(parsed.total).toBe(
      (await app.trending.newPapers({ category: 'math.CO', day: '2023-03-05' })).total,
    );
    const text = await runCli(data.dir, [
      'new',
      '--category',
      'math.CO',
      '--day',
      '2023-03-05',
      '--limit',
      '2',
    ]);
    expect(text.out).toMatch(/^math\.CO on 2023-03-05: \d+ papers; 1–2 shown\./);
    const bad = await runCli(data.dir, ['new', '--day', '2023-13-01']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/day must be a date as YYYY-MM-DD \(got "2023-13-01"\)/);
    const trending = await runCli(data.dir, ['trending', '--days', '3650', '--limit', '3']);
    expect(trending.code).toBe(0);
    expect(trending.out).toMatch(/^Trending, the 3650 days to /);
    const liked = only('quant-ph', 2);
    const rec = await runCli(data.dir, [
      'recommend',
      '--like',
      ...liked.map((p) => p.ids.arxiv ?? String(p.id)),
      '--limit',
      '3',
    ]);
    expect(rec.code).toBe(0);
    expect(rec.out).toMatch(/^For 2 liked papers:/);
    expect(rec.out).toMatch(/like “/);
    const unknown = await runCli(data.dir, ['recommend', '--like', 'nonsense-id']);
    expect(unknown.code).toBe(3);
    expect(unknown.err).toMatch(/No paper "nonsense-id"/);
  }, 180_000);
});

import { Hono } from 'hono';
import type { Paperscope } from '../../app/paperscope.ts';
import type { Recommendations } from '../../discovery/recommend/recommender.ts';
import type { TrendingPaper } from '../../discovery/trending/service.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { keptAnswer, knowledgeVersion } from '../../services/library-recommendations.ts';
import type { AppEnv } from '../context.ts';
import { discoveryReady, within } from '../discovery-ready.ts';
import { type ForYou, type HomeCounts, HomePage } from '../pages/home.tsx';
import { page } from '../render.tsx';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LISTING_SIZE = 25;

function shiftDay(day: string, by: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
}

const COUNTS_FRESH_MS = 60_000;
const counted = new WeakMap<Paperscope, { counts: HomeCounts; at: number; newest: number }>();

/**
 * The figures under the title. Not `store.stats()`: that also counts partial papers and
 * records by source, seconds of scanning at a million papers, on every visit. These three
 * counts are cheap, and a minute old at most — unless papers arrived since (the newest id,
 * one step down the primary key, says so): a first import must not leave the page saying the
 * knowledge base is empty.
 */
function homeCounts(app: Paperscope): HomeCounts {
  const now = Date.now();
  const newest = (app.store.readDb.prepare('SELECT max(id) FROM papers').pluck().get() as number | null) ?? 0;
  const cached = counted.get(app);
  if (cached && cached.newest === newest && now - cached.at < COUNTS_FRESH_MS) return cached.counts;
  const count = (table: string) =>
    app.store.readDb.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const counts = { papers: count('papers'), authors: count('authors'), codeLinks: count('code_links') };
  counted.set(app, { counts, at: now, newest });
  return counts;
}

const TRENDING_FRESH_MS = 5 * 60_000;
const trendingKept = new WeakMap<Paperscope, { key: string; at: number; papers: TrendingPaper[] }>();

/**
 * What is trending, kept until a paper is read or saved, a paper or record arrives, or five
 * minutes pass (scores decay over days). Computing it goes through every view and save of the
 * week: at a million papers with a busy week, tens of thousands of events and most of a page's
 * time, on every visit of the home page.
 */
async function homeTrending(app: Paperscope): Promise<TrendingPaper[]> {
  const key = app.store.readDb
    .prepare(
      `SELECT (SELECT coalesce(max(id), 0) FROM paper_events) || ':' || (SELECT coalesce(max(id), 0) FROM papers)
       || ':' || (SELECT coalesce(max(id), 0) FROM source_records)`,
    )
    .pluck()
    .get() as string;
  const kept = trendingKept.get(app);
  const now = Date.now();
  if (kept && kept.key === key && now - kept.at < TRENDING_FRESH_MS) return kept.papers;
  const { papers } = await app.trending.trending({ limit: 10 });
  trendingKept.set(app, { key, at: now, papers });
  return papers;
}

/** The papers added last, newest first: down the id index, never an offset over the whole table. */
async function latestPapers(app: Paperscope): Promise<Paper[]> {
  const ids = app.store.readDb
    .prepare('SELECT id FROM papers ORDER BY id DESC LIMIT ?')
    .pluck()
    .all(LISTING_SIZE) as number[];
  const papers = await Promise.all(ids.map((id) => app.store.getPaper(id)));
  return papers.filter((p): p is Paper => p !== undefined);
}

const RECOMMENDATION_WAIT_MS = 400;
const RECOMMENDATIONS = 8;
/**
 * The recommender's answer for these liked papers, computed once per person, liked papers and
 * knowledge version and shared by concurrent visits (see `keptAnswer`): a page stops waiting at
 * 400 ms and leaves the computation running, so without it quick reloads piled them up
 * (hundreds of MB and both cores at 2.9M papers).
 */
function forYouAnswer(
  app: Paperscope,
  userId: number,
  like: readonly number[],
  limit: number,
): Promise<Recommendations | undefined> {
  const key = `for-you|${userId}|${limit}|${knowledgeVersion(app.store.readDb)}|${like.join(',')}`;
  return keptAnswer(app.library, key, () => app.recommender.recommend({ like, limit })).catch(
    (err: unknown) => {
      console.error('paperscope: recommendations failed:', err);
      return undefined;
    },
  );
}

/**
 * For someone signed in with a library: papers like the ones they saved, less those saved.
 * Undefined when there is nothing to go on or the answer is not ready in time.
 */
async function recommendationsFor(app: Paperscope, userId: number | undefined): Promise<ForYou | undefined> {
  if (userId === undefined) return undefined;
  const saved = app.library.paperIds(userId);
  if (saved.length === 0) return { papers: [], basedOn: 0 };
  if (!discoveryReady(app)) return undefined;
  const savedSet = new Set(saved);
  const like = saved.slice(0, 25);
  const found = await within(
    forYouAnswer(app, userId, like, RECOMMENDATIONS + saved.length),
    RECOMMENDATION_WAIT_MS,
  );
  if (!found) return undefined;
  return {
    basedOn: like.length,
    papers: found.papers
      .filter((r) => !savedSet.has(r.paper.id))
      .slice(0, RECOMMENDATIONS)
      .map((r) => ({ paper: r.paper, reason: r.reason })),
  };
}

/** Home: what arrived on a day (by category, like an arXiv listing) and what is trending. */
export function homeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { trending } = c.var.app;
    const cat = c.req.query('cat')?.trim() || undefined;
    const day = c.req.query('day')?.trim() || undefined;
    if (day !== undefined && !DAY.test(day))
      throw new InvalidInputError(`"${day}" is not a day: write it as YYYY-MM-DD.`);
    const [stats, listing, hot] = await Promise.all([
      homeCounts(c.var.app),
      trending.newPapers({ limit: LISTING_SIZE, ...(cat ? { category: cat } : {}), ...(day ? { day } : {}) }),
      homeTrending(c.var.app),
    ]);
    // Nothing dated yet (pasted pages carry no dates): the papers added last stand in for the listing.
    const recent = listing.day === undefined && !cat ? await latestPapers(c.var.app) : [];
    const forYou = await recommendationsFor(c.var.app, c.var.viewer?.id);
    const today = c.var.app.now().toISOString().slice(0, 10);
    const view = {
      stats,
      listing,
      trending: hot,
      recent,
      forYou,
      ...(listing.day ? { previousDay: shiftDay(listing.day, -1) } : {}),
      ...(listing.day && shiftDay(listing.day, 1) <= today ? { nextDay: shiftDay(listing.day, 1) } : {}),
    };
    return page(c, 'Paperscope', <HomePage view={view} />);
  });
  return app;
}

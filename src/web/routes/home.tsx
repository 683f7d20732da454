import { Hono } from 'hono';
import { InvalidInputError } from '../../domain/errors.ts';
import type { AppEnv } from '../context.ts';
import { HomePage } from '../pages/home.tsx';
import { page } from '../render.tsx';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LISTING_SIZE = 25;

function shiftDay(day: string, by: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
}

/** Home: what arrived on a day (by category, like an arXiv listing) and what is trending. */
export function homeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { store, trending } = c.var.app;
    const cat = c.req.query('cat')?.trim() || undefined;
    const day = c.req.query('day')?.trim() || undefined;
    if (day !== undefined && !DAY.test(day))
      throw new InvalidInputError(`"${day}" is not a day: write it as YYYY-MM-DD.`);
    const [stats, listing, hot] = await Promise.all([
      store.stats(),
      trending.newPapers({ limit: LISTING_SIZE, ...(cat ? { category: cat } : {}), ...(day ? { day } : {}) }),
      trending.trending({ limit: 10 }),
    ]);
    // Nothing dated yet (pasted pages carry no dates): the papers added last stand in for the listing.
    const recent =
      listing.day === undefined && !cat
        ? (
            await store.listPapers({ limit: LISTING_SIZE, offset: Math.max(0, stats.papers - LISTING_SIZE) })
          ).reverse()
        : [];
    const today = c.var.app.now().toISOString().slice(0, 10);
    const view = {
      stats,
      listing,
      trending: hot.papers,
      recent,
      ...(listing.day ? { previousDay: shiftDay(listing.day, -1) } : {}),
      ...(listing.day && shiftDay(listing.day, 1) <= today ? { nextDay: shiftDay(listing.day, 1) } : {}),
    };
    return page(c, 'Paperscope', <HomePage view={view} />);
  });
  return app;
}

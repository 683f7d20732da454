import { Hono } from 'hono';
import { InvalidQueryError } from '../../search/engine/index.ts';
import type { AppEnv } from '../context.ts';
import { BadQuery, PAGE_SIZE, SearchHelp, SearchPage } from '../pages/search.tsx';
import { page } from '../render.tsx';

/** Pages deeper than this are refused: nobody reads them, and deep offsets cost the engine. */
const MAX_PAGE = 500;

export function searchRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/search', (c) => {
    const q = (c.req.query('q') ?? '').trim();
    if (!q)
      return page(
        c,
        'Search',
        <>
          <h1>Search</h1>
          <SearchHelp />
        </>,
      );
    const sort = c.req.query('sort') === 'date' ? 'date' : 'relevance';
    const requested = Number.parseInt(c.req.query('page') ?? '1', 10);
    const pageNo = Number.isFinite(requested) ? Math.min(MAX_PAGE, Math.max(1, requested)) : 1;
    try {
      const result = c.var.app.search.search({
        query: q,
        sort,
        limit: PAGE_SIZE,
        offset: (pageNo - 1) * PAGE_SIZE,
      });
      return page(c, `${q} – search`, <SearchPage view={{ q, sort, page: pageNo, result }} />, { query: q });
    } catch (err) {
      if (err instanceof InvalidQueryError) {
        return page(c, 'Bad query', <BadQuery q={q} error={err.error} />, { status: 400, query: q });
      }
      throw err;
    }
  });
  return app;
}

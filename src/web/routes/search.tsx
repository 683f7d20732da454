import { Hono } from 'hono';
import { InvalidQueryError, type SearchEngine, type SearchRequest } from '../../search/engine/index.ts';
import type { RankedResult } from '../../search/index/indexed-search.ts';
import type { Db } from '../../store/sqlite/database.ts';
import type { AppEnv } from '../context.ts';
import { type PageFrame, type SearchPageJob, searchResult } from '../page-jobs.tsx';
import { pageWorkersOf } from '../page-workers.ts';
import { BadQuery, PAGE_SIZE, SearchHelp, SearchPage, type SearchView } from '../pages/search.tsx';
import { page, registrationOpen } from '../render.tsx';

/** Pages deeper than this are refused: nobody reads them, and deep offsets cost the engine. */
const MAX_PAGE = 500;

export function searchRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/search', async (c) => {
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
      const request = { query: q, sort, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE } as const;
      const title = `${q} – search`;
      const engine = c.var.app.search;
      const workers = pageWorkersOf(c.var.app);
      if (workers && ranks(engine)) {
        // Ranked here, where the index is; the papers read and the page rendered by a worker.
        const ranked = engine.rank(request);
        const viewer = c.var.viewer;
        const frame: PageFrame = {
          title,
          viewer,
          csrfToken: c.var.csrfToken,
          query: q,
          registrationOpen: !viewer && registrationOpen(c),
        };
        const { total, ids, facets, textLeaves, corrected } = ranked;
        const job: SearchPageJob = {
          kind: 'search',
          frame,
          view: { q, sort, page: pageNo },
          ranked: { total, ids, facets, textLeaves, ...(corrected === undefined ? {} : { corrected }) },
        };
        return c.html(await workers.render(job));
      }
      const result = searchRows(engine, c.var.app.store.readDb, request);
      return page(c, title, <SearchPage view={{ q, sort, page: pageNo, result }} />, { query: q });
    } catch (err) {
      if (err instanceof InvalidQueryError) {
        return page(c, 'Bad query', <BadQuery q={q} error={err.error} />, { status: 400, query: q });
      }
      throw err;
    }
  });
  return app;
}

/** An engine that can rank without reading the papers (the index of our own). */
function ranks(engine: SearchEngine): engine is SearchEngine & { rank(req: SearchRequest): RankedResult } {
  return typeof (engine as { rank?: unknown }).rank === 'function';
}

/**
 * The page's results: ranked by the engine, then each paper read as a list row (title, year, the
 * first authors, categories, code, the abstract for its snippet) from columns rather than whole:
 * a result's merged view can carry hundreds of names, and parsing twenty of them, then matching
 * the query against every name, was a third of the page. Same papers, order, counts and facets.
 */
export function searchRows(engine: SearchEngine, db: Db, request: SearchRequest): SearchView['result'] {
  if (!ranks(engine)) {
    const result = engine.search(request);
    return {
      ...result,
      hits: result.hits.map((h) => ({
        paper: { ...h.paper, hasCode: h.paper.codeLinks.length > 0 },
        snippet: h.snippet,
      })),
    };
  }
  return searchResult(db, engine.rank(request));
}

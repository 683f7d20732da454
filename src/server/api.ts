import { Hono } from 'hono';
import { NotFoundError } from '../domain/errors.ts';
import type { AppEnv } from '../web/context.ts';

/**
 * The JSON API on the knowledge base, under `/api`. Routes are thin: they call the library
 * API and leave domain errors to the app's one error handler.
 */
export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api/search', (c) => {
    const sort = c.req.query('sort') === 'date' ? 'date' : 'relevance';
    return c.json(
      c.var.app.search.search({
        query: c.req.query('q') ?? '',
        limit: clampInt(c.req.query('limit'), 20, 1, 200),
        offset: clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
        sort,
      }),
    );
  });

  app.get('/api/stats', async (c) => c.json(await c.var.app.store.stats()));

  app.get('/api/papers', async (c) => {
    const limit = clampInt(c.req.query('limit'), 50, 1, 500);
    const offset = clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    const author = c.req.query('author');
    const options = author ? { limit, offset, authorId: Number(author) } : { limit, offset };
    const [papers, total] = await Promise.all([
      c.var.app.store.listPapers(options),
      c.var.app.store.countPapers(options),
    ]);
    return c.json({ total, limit, offset, papers });
  });

  app.get('/api/papers/:ref{.+}', async (c) => {
    const ref = decodeURIComponent(c.req.param('ref'));
    const paper = await c.var.app.store.findPaper(ref);
    if (!paper) throw new NotFoundError(`No paper "${ref}" (give a Paperscope id, an arXiv id or a DOI).`);
    return c.json(paper);
  });

  app.get('/api/authors', async (c) => {
    const name = c.req.query('name');
    if (name) return c.json({ authors: await c.var.app.store.findAuthors(name) });
    const limit = clampInt(c.req.query('limit'), 50, 1, 500);
    const offset = clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    return c.json({ authors: await c.var.app.store.listAuthors({ limit, offset }) });
  });

  // `/api/authors/:id` and what an admin decides about people: src/web/routes/authors.tsx.

  return app;
}

export function clampInt(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined ? fallback : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

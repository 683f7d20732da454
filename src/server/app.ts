import { Hono } from 'hono';
import { NotFoundError } from '../domain/errors.ts';
import { InvalidQueryError, type SearchRequest, type SearchResult } from '../search/engine/search.ts';
import type { PaperStore } from '../store/port.ts';
import { errorStatus } from './errors.ts';

/**
 * The JSON API on the knowledge base. Routes are thin: they read the store and map domain
 * errors to status codes in one place.
 */
export interface AppServices {
  /** The search engine; without it `/api/search` answers 404. */
  search?: (request: SearchRequest) => SearchResult;
}

export function createApp(store: PaperStore, services: AppServices = {}): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    const status = errorStatus(err);
    if (err instanceof InvalidQueryError) {
      const { message, offset, length } = err.error;
      return c.json({ error: message, offset, length }, status);
    }
    return c.json({ error: status === 500 ? 'internal error' : err.message }, status);
  });

  app.get('/api/search', (c) => {
    if (!services.search) throw new NotFoundError('Search is not available on this server.');
    const sort = c.req.query('sort') === 'date' ? 'date' : 'relevance';
    return c.json(
      services.search({
        query: c.req.query('q') ?? '',
        limit: clampInt(c.req.query('limit'), 20, 1, 200),
        offset: clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
        sort,
      }),
    );
  });

  app.get('/', (c) =>
    c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Paperscope</title></head>
<body><h1>Paperscope</h1><p>The JSON API is ready:</p><ul>
<li><a href="/api/stats">/api/stats</a></li><li><a href="/api/papers">/api/papers</a></li>
<li><a href="/api/authors">/api/authors</a></li>
<li><a href="/api/search?q=author%3A%22Xiao%2C%20L%22">/api/search?q=…</a></li></ul></body></html>`,
    ),
  );

  app.get('/api/stats', async (c) => c.json(await store.stats()));

  app.get('/api/papers', async (c) => {
    const limit = clampInt(c.req.query('limit'), 50, 1, 500);
    const offset = clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    const author = c.req.query('author');
    const options = author ? { limit, offset, authorId: Number(author) } : { limit, offset };
    const [papers, total] = await Promise.all([store.listPapers(options), store.countPapers(options)]);
    return c.json({ total, limit, offset, papers });
  });

  app.get('/api/papers/:ref{.+}', async (c) => {
    const ref = decodeURIComponent(c.req.param('ref'));
    const paper = await store.findPaper(ref);
    if (!paper) throw new NotFoundError(`No paper "${ref}" (give a Paperscope id, an arXiv id or a DOI).`);
    return c.json(paper);
  });

  app.get('/api/authors', async (c) => {
    const name = c.req.query('name');
    if (name) return c.json({ authors: await store.findAuthors(name) });
    const limit = clampInt(c.req.query('limit'), 50, 1, 500);
    const offset = clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    return c.json({ authors: await store.listAuthors({ limit, offset }) });
  });

  app.get('/api/authors/:id{[0-9]+}', async (c) => {
    const id = Number(c.req.param('id'));
    const author = await store.getAuthor(id);
    if (!author) throw new NotFoundError(`No author ${id}.`);
    const papers = await store.listPapers({ authorId: id, limit: 500 });
    return c.json({ ...author, papers });
  });

  return app;
}

function clampInt(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined ? fallback : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

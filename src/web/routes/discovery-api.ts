import type { Context, Next } from 'hono';
import { Hono } from 'hono';
import { InvalidInputError } from '../../domain/errors.ts';
import { clientAddress } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { requireDiscoveryReady } from '../discovery-ready.ts';
import { RequestBudget } from '../request-budget.ts';

/** Recommendations per client (person, or address when signed out) and minute. */
export const RECOMMEND_PER_MINUTE = 30;

/**
 * The JSON API of new, trending and recommended papers: thin over `paperscope.trending` and
 * `paperscope.recommender`; bad input becomes a domain error, which the app turns into a 400
 * (or 404 for a paper that does not exist) naming what was wrong.
 */
export function discoveryApiRoutes(options: { recommendPerMinute?: number } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const budget = new RequestBudget(options.recommendPerMinute ?? RECOMMEND_PER_MINUTE, 60_000);
  const withinBudget = async (c: Context<AppEnv>, next: Next) => {
    const client = c.var.viewer ? `user:${c.var.viewer.id}` : `address:${clientAddress(c)}`;
    const spent = budget.take(client, Date.now());
    if (!spent.ok) {
      c.header('Retry-After', String(spent.retryAfterSeconds));
      return c.json(
        {
          error: `Too many recommendation requests: at most ${budget.perWindow} a minute. Try again in ${spent.retryAfterSeconds} s.`,
        },
        429,
      );
    }
    await next();
  };
  app.use('/api/recommend', withinBudget);

  app.get('/api/new', async (c) => {
    const q = (name: string) => c.req.query(name);
    return c.json(
      await c.var.app.trending.newPapers({
        ...optional('category', q('category')),
        ...optional('day', q('day')),
        ...optional('since', q('since')),
        ...optionalNumber('limit', q('limit')),
        ...optionalNumber('offset', q('offset')),
      }),
    );
  });

  app.get('/api/trending', async (c) =>
    c.json(
      await c.var.app.trending.trending({
        ...optional('category', c.req.query('category')),
        ...optionalNumber('days', c.req.query('days')),
        ...optionalNumber('limit', c.req.query('limit')),
      }),
    ),
  );

  // GET /api/recommend?like=2401.01234,2312.00752&dislike=…&limit=20 (or `like` repeated).
  app.get('/api/recommend', async (c) => {
    requireDiscoveryReady(c.var.app);
    return c.json(
      await c.var.app.recommender.recommend({
        like: idList(c.req.queries('like')),
        dislike: idList(c.req.queries('dislike')),
        ...optionalNumber('limit', c.req.query('limit')),
      }),
    );
  });

  // POST /api/recommend {"like": [...], "dislike": [...], "limit": 20}
  app.post('/api/recommend', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new InvalidInputError(
        'The body must be JSON: {"like": ["2401.01234", …], "dislike": [...], "limit": 20}.',
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidInputError('The body must be a JSON object with a "like" list.');
    }
    const { like, dislike, limit } = body as Record<string, unknown>;
    if (limit !== undefined && typeof limit !== 'number')
      throw new InvalidInputError('"limit" must be a number.');
    requireDiscoveryReady(c.var.app);
    return c.json(
      await c.var.app.recommender.recommend({
        like: refList(like, 'like'),
        dislike: dislike === undefined ? [] : refList(dislike, 'dislike'),
        ...(limit === undefined ? {} : { limit }),
      }),
    );
  });

  return app;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}

function optionalNumber<K extends string>(key: K, value: string | undefined): Partial<Record<K, number>> {
  if (value === undefined || value === '') return {};
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidInputError(`${key} must be a whole number (got "${value}").`);
  return { [key]: Number(value) } as Record<K, number>;
}

function idList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function refList(value: unknown, name: string): (string | number)[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new InvalidInputError(`"${name}" must be a list of paper ids (Paperscope ids, arXiv ids or DOIs).`);
  }
  return value as (string | number)[];
}

import type { Context } from 'hono';
import { Hono } from 'hono';
import { PAPER_SORTS, type PaperSort, type SortDirection } from '../../discovery/authors/profile.ts';
import type { Decider } from '../../discovery/authors/service.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { AppEnv } from '../context.ts';
import type { PageFrame } from '../page-jobs.tsx';
import { pageWorkersOf } from '../page-workers.ts';
import { AuthorPage, authorHref, PAGE_SIZE } from '../pages/author.tsx';
import { page, registrationOpen } from '../render.tsx';

/**
 * Author profiles: the page `/author/:id` and the JSON API under `/api/authors/:id`. Merging,
 * splitting and "not the same person" are for admins; an id merged away answers with the
 * author it became (the page redirects, the API answers with `redirectedFrom`).
 */
export function authorRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api/authors/:id{[0-9]+}', async (c) => {
    const { sort, direction } = sortFrom(c);
    const profile = await c.var.app.authors.profile(authorId(c), {
      sort,
      ...(direction ? { direction } : {}),
      limit: intFrom(c.req.query('limit'), 500, 1, 5000),
      offset: intFrom(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
    });
    return c.json(profile);
  });

  app.get('/api/authors/:id{[0-9]+}/suggestions', async (c) => {
    const limit = intFrom(c.req.query('limit'), 10, 1, 50);
    // `?wait=0`: answer at once, `{"pending": true}` while the background job is still looking.
    if (c.req.query('wait') === '0') {
      const ready = await c.var.app.authors.suggestionsIfReady(authorId(c), limit);
      return c.json(ready === undefined ? { pending: true } : { suggestions: ready });
    }
    return c.json({ suggestions: await c.var.app.authors.suggestions(authorId(c), limit) });
  });

  app.post('/api/authors/:id{[0-9]+}/merge', async (c) => {
    const by = admin(c);
    const body = await jsonBody(c);
    return c.json(await c.var.app.authors.merge(authorId(c), idField(body, 'other'), by));
  });

  app.post('/api/authors/:id{[0-9]+}/reject', async (c) => {
    const by = admin(c);
    const body = await jsonBody(c);
    return c.json(await c.var.app.authors.reject(authorId(c), idField(body, 'other'), by));
  });

  app.post('/api/authors/:id{[0-9]+}/split', async (c) => {
    const by = admin(c);
    const body = await jsonBody(c);
    const papers = listField(body, 'papers').map((p) => {
      if (!Number.isSafeInteger(p))
        throw new InvalidInputError(`"papers" holds Paperscope paper ids, not ${JSON.stringify(p)}.`);
      return p as number;
    });
    const names = listField(body, 'names').map((n) => {
      if (typeof n !== 'string')
        throw new InvalidInputError(`"names" holds name variants as written, not ${JSON.stringify(n)}.`);
      return n;
    });
    return c.json(await c.var.app.authors.split(authorId(c), { papers, names }, by), 201);
  });

  app.get('/author/:id{[0-9]+}', async (c) => {
    const asked = authorId(c);
    const { sort, direction } = sortFrom(c);
    const pageNo = intFrom(c.req.query('page'), 1, 1, 1_000_000);
    const authors = c.var.app.authors;
    const options = {
      sort,
      ...(direction ? { direction } : {}),
      limit: PAGE_SIZE,
      offset: (pageNo - 1) * PAGE_SIZE,
    };
    const isAdmin = c.var.viewer?.isAdmin === true;
    // An admin's page (with every paper for the split form) is made here; anyone else's by a
    // page worker when there is one, the profile found here and the papers read there.
    const workers = isAdmin ? undefined : pageWorkersOf(c.var.app);
    const found = workers
      ? { kind: 'ids' as const, workers, ...(await authors.listingIds(asked, options)) }
      : { kind: 'whole' as const, view: await authors.listing(asked, options) };
    const view = found.view;
    if (view.redirectedFrom !== undefined) {
      const query = new URL(c.req.url).search;
      return c.redirect(`/author/${view.id}${query}`, 301);
    }
    // Never waits for the background job: the page says they are still being looked for.
    const suggestions = await authors.suggestionsIfReady(view.id);
    const allPapers = isAdmin
      ? (await authors.listing(view.id, { sort: 'date', limit: 1000 })).papers
      : undefined;
    const done = c.req.query('done');
    const viewer = c.var.viewer;
    const following = viewer
      ? c.var.app.follows.find(viewer.id, 'author', String(view.id)) !== undefined
      : undefined;
    const props = {
      suggestions,
      isAdmin,
      csrfToken: c.var.csrfToken,
      following,
      ...(done ? { done: doneMessage(done) } : {}),
    };
    if (found.kind === 'ids') {
      const frame: PageFrame = {
        title: view.displayName,
        viewer,
        csrfToken: c.var.csrfToken,
        registrationOpen: !viewer && registrationOpen(c),
      };
      return c.html(
        await found.workers.render({ kind: 'author', frame, view, paperIds: found.paperIds, props }),
      );
    }
    return page(
      c,
      view.displayName,
      <AuthorPage author={found.view} {...props} {...(allPapers ? { allPapers } : {})} />,
    );
  });

  app.post('/author/:id{[0-9]+}/merge', async (c) => {
    const by = admin(c);
    const form = await c.req.parseBody();
    const result = await c.var.app.authors.merge(authorId(c), idField(form, 'other'), by);
    return c.redirect(`${authorHref(result.kept)}?done=merged`, 303);
  });

  app.post('/author/:id{[0-9]+}/reject', async (c) => {
    const by = admin(c);
    const form = await c.req.parseBody();
    await c.var.app.authors.reject(authorId(c), idField(form, 'other'), by);
    return c.redirect(`${authorHref(authorId(c))}?done=rejected`, 303);
  });

  app.post('/author/:id{[0-9]+}/split', async (c) => {
    const by = admin(c);
    const form = await c.req.parseBody({ all: true });
    const papers = asList(form['papers']).map((p) => {
      if (!/^\d{1,15}$/.test(p)) throw new InvalidInputError(`Not a paper id: "${p.slice(0, 40)}".`);
      return Number(p);
    });
    const names = asList(form['names']);
    const result = await c.var.app.authors.split(authorId(c), { papers, names }, by);
    return c.redirect(`${authorHref(result.created)}?done=split`, 303);
  });

  return app;
}

function doneMessage(done: string): string {
  switch (done) {
    case 'merged':
      return 'Merged. The other author’s id now leads here.';
    case 'rejected':
      return 'Recorded: not the same person. They will not be suggested again.';
    case 'split':
      return 'Split off as a new author: this page. The original author keeps the rest.';
    default:
      return 'Done.';
  }
}

function authorId(c: Context<AppEnv>): number {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id)) throw new NotFoundError(`No author ${c.req.param('id')}.`);
  return id;
}

function admin(c: Context<AppEnv>): Decider {
  const viewer = c.var.viewer;
  if (!viewer?.isAdmin) throw new ForbiddenError('Only an admin can merge, split or separate authors.');
  return { userId: viewer.id, label: viewer.email, isAdmin: true };
}

function sortFrom(c: Context<AppEnv>): { sort: PaperSort; direction?: SortDirection } {
  const asked = c.req.query('sort');
  const sort = (PAPER_SORTS as readonly string[]).includes(asked ?? '') ? (asked as PaperSort) : 'date';
  const order = c.req.query('order');
  return order === 'asc' || order === 'desc' ? { sort, direction: order } : { sort };
}

function intFrom(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined ? fallback : Number.parseInt(value, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new InvalidInputError('The request body is not JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function idField(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  const id =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,15}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new InvalidInputError(`"${field}" must be an author id.`);
  return id;
}

function listField(body: Record<string, unknown>, field: string): unknown[] {
  const value = body[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(`"${field}" must be a list.`);
  return value;
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

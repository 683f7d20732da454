import type { Context } from 'hono';
import { Hono } from 'hono';
import { parseScopes, scopeAllows } from '../domain/accounts.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { EXPORT_FILE_TYPES } from '../export/index.ts';
import { knowledgeVersion, recommendFromTag } from '../services/library-recommendations.ts';
import { requireScope, requireViewer } from '../web/auth.ts';
import type { AppEnv } from '../web/context.ts';
import { requireDiscoveryReady } from '../web/discovery-ready.ts';
import { exportFormat, paperIdFrom } from '../web/routes/library.tsx';
import { clampInt } from './api.ts';

/** A JSON object body; anything else is a 400 that says what was expected. */
async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new InvalidInputError(
      'The body is not JSON: send a JSON object with Content-Type: application/json',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('The body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, name: string, required = true): string {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (value === undefined && !required) return '';
  throw new InvalidInputError(`"${name}" must be a string`);
}

/**
 * The JSON API of accounts and libraries: who am I, API tokens, and the library (list, save,
 * unsave, tags, note, export). Each route names the scope a token needs; a browser session may
 * do everything its person may (and sends the CSRF token in `x-csrf-token` to change things).
 */
export function accountApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api/whoami', (c) => {
    const viewer = requireViewer(c);
    const credential = c.var.credential;
    return c.json({
      ...viewer,
      via: credential?.kind ?? 'session',
      ...(credential?.kind === 'token' ? { scopes: credential.scopes, tokenId: credential.tokenId } : {}),
    });
  });

  app.get('/api/tokens', (c) => {
    const viewer = requireScope(c, 'read');
    return c.json({ tokens: c.var.app.accounts.listTokens(viewer.id) });
  });

  app.post('/api/tokens', async (c) => {
    const viewer = requireViewer(c);
    const body = await jsonBody(c);
    const scopes = parseScopes(
      Array.isArray(body['scopes']) ? body['scopes'].map(String) : stringField(body, 'scopes'),
    );
    const credential = c.var.credential;
    // A token can hand out no more than it holds itself.
    if (credential?.kind === 'token') {
      const beyond = scopes.filter((s) => !scopeAllows(credential.scopes, s));
      if (beyond.length > 0) {
        throw new ForbiddenError(
          `This API token cannot create a token with scopes it lacks: ${beyond.join(', ')}`,
        );
      }
    }
    const created = await c.var.app.accounts.createToken(viewer, stringField(body, 'name', false), scopes);
    return c.json({ token: created.token, ...created.info }, 201);
  });

  /** Any of your tokens may revoke any of your tokens, itself included (a CLI's "log out"). */
  app.delete('/api/tokens/:id{[0-9]+}', async (c) => {
    const viewer = requireViewer(c);
    await c.var.app.accounts.revokeToken(viewer.id, Number(c.req.param('id')));
    return c.body(null, 204);
  });

  app.get('/api/library', (c) => {
    const viewer = requireScope(c, 'read');
    const tag = c.req.query('tag')?.trim() || undefined;
    const limit = clampInt(c.req.query('limit'), 100, 1, 1000);
    const offset = clampInt(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    const { total, items } = c.var.app.library.list(viewer.id, { ...(tag ? { tag } : {}), limit, offset });
    return c.json({ total, limit, offset, items });
  });

  /** Save by any identifier (what a browser extension on an arXiv or DOI page knows). */
  app.post('/api/library', async (c) => {
    const viewer = requireScope(c, 'library');
    const body = await jsonBody(c);
    const ref = body['paper'];
    if ((typeof ref !== 'string' || ref.trim() === '') && typeof ref !== 'number') {
      throw new InvalidInputError('"paper" must be a Paperscope id, an arXiv id or a DOI');
    }
    const paper = await c.var.app.store.findPaper(String(ref));
    if (!paper)
      throw new NotFoundError(
        `No paper "${String(ref).slice(0, 80)}" in the knowledge base (import it first)`,
      );
    const { newlySaved } = await c.var.app.library.save(viewer.id, paper.id);
    return c.json(c.var.app.library.item(viewer.id, paper.id), newlySaved ? 201 : 200);
  });

  app.get('/api/library/tags', (c) => {
    const viewer = requireScope(c, 'read');
    return c.json({ tags: c.var.app.library.tags(viewer.id) });
  });

  app.get('/api/library/export', (c) => {
    const viewer = requireScope(c, 'read');
    const format = exportFormat(c.req.query('format'));
    const tag = c.req.query('tag')?.trim() || undefined;
    c.header('content-type', EXPORT_FILE_TYPES[format].mediaType);
    return c.body(c.var.app.library.export(viewer.id, format, tag));
  });

  app.get('/api/library/recommendations', async (c) => {
    const viewer = requireScope(c, 'read');
    const tag = c.req.query('tag')?.trim();
    if (!tag) throw new InvalidInputError('Give the tag to recommend from: ?tag=…');
    const limit = clampInt(c.req.query('limit'), 10, 1, 100);
    requireDiscoveryReady(c.var.app);
    const { seeds, recommendations } = await recommendFromTag(
      {
        library: c.var.app.library,
        recommender: c.var.app.recommender,
        knowledgeVersion: () => knowledgeVersion(c.var.app.store.readDb),
      },
      viewer.id,
      tag,
      limit,
    );
    if (seeds === 0) throw new NotFoundError(`You have no paper tagged "${tag.slice(0, 60)}"`);
    return c.json({ tag, from: seeds, recommendations });
  });

  app.get('/api/library/:paper{[0-9]+}', (c) => {
    const viewer = requireScope(c, 'read');
    const paperId = paperIdFrom(c.req.param('paper'));
    const item = c.var.app.library.item(viewer.id, paperId);
    if (!item) throw new NotFoundError(`Paper ${paperId} is not in your library`);
    return c.json(item);
  });

  app.put('/api/library/:paper{[0-9]+}', async (c) => {
    const viewer = requireScope(c, 'library');
    const paperId = paperIdFrom(c.req.param('paper'));
    const { newlySaved } = await c.var.app.library.save(viewer.id, paperId);
    return c.json(c.var.app.library.item(viewer.id, paperId), newlySaved ? 201 : 200);
  });

  app.delete('/api/library/:paper{[0-9]+}', async (c) => {
    const viewer = requireScope(c, 'library');
    await c.var.app.library.unsave(viewer.id, paperIdFrom(c.req.param('paper')));
    return c.body(null, 204);
  });

  app.post('/api/library/:paper{[0-9]+}/tags', async (c) => {
    const viewer = requireScope(c, 'library');
    const tag = stringField(await jsonBody(c), 'tag');
    const tags = await c.var.app.library.addTag(viewer.id, paperIdFrom(c.req.param('paper')), tag);
    return c.json({ tags });
  });

  app.delete('/api/library/:paper{[0-9]+}/tags/:tag', async (c) => {
    const viewer = requireScope(c, 'library');
    const tags = await c.var.app.library.removeTag(
      viewer.id,
      paperIdFrom(c.req.param('paper')),
      c.req.param('tag'),
    );
    return c.json({ tags });
  });

  app.put('/api/library/:paper{[0-9]+}/note', async (c) => {
    const viewer = requireScope(c, 'library');
    const note = await c.var.app.library.setNote(
      viewer.id,
      paperIdFrom(c.req.param('paper')),
      stringField(await jsonBody(c), 'note'),
    );
    return c.json({ note });
  });

  app.get('/api/settings/registration', (c) => c.json(c.var.app.accounts.registration()));

  app.put('/api/settings/registration', async (c) => {
    const viewer = requireScope(c, 'admin');
    const open = (await jsonBody(c))['open'];
    if (typeof open !== 'boolean') throw new InvalidInputError('"open" must be true or false');
    await c.var.app.accounts.setRegistrationOpen(viewer, open);
    return c.json(c.var.app.accounts.registration());
  });

  app.get('/api/users', (c) => {
    requireScope(c, 'admin');
    return c.json({ users: c.var.app.accounts.listUsers() });
  });

  return app;
}

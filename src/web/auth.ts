import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { type Scope, safeReturnPath, scopeAllows } from '../domain/accounts.ts';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.ts';
import { SESSION_DAYS, type User } from '../services/accounts.service.ts';
import type { AppEnv, Viewer } from './context.ts';
import { page } from './render.tsx';

export const SESSION_COOKIE = 'ps_session';
/** Before sign-in, the sign-in and registration forms need a CSRF token too: it hangs off this. */
export const VISITOR_COOKIE = 'ps_visitor';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const isApiPath = (path: string): boolean => path === '/api' || path.startsWith('/api/');

export const toViewer = (user: User): Viewer => ({
  id: user.id,
  name: user.name,
  email: user.email,
  isAdmin: user.isAdmin,
});

/**
 * Who is asking, for every request: sets `viewer`, `credential` and `csrfToken`, and refuses
 * a changing request (POST, PUT, PATCH, DELETE) that does not carry the form token of its
 * session — 403 with a page that says what to do. On `/api` it also takes
 * `Authorization: Bearer <token>`: such a request carries no cookie, so it needs no CSRF token,
 * and may do only what the token's scopes allow (see `requireScope`).
 *
 * The form token is read from the `x-csrf-token` header or the `csrf` form field; reading the
 * field parses the body through Hono's cache, so a route after this reads it with
 * `c.req.parseBody()` / `c.req.formData()` as usual (not from `c.req.raw.body`).
 */
export function accountsMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const accounts = c.var.app.accounts;
    const api = isApiPath(c.req.path);
    const authorization = c.req.header('authorization');

    if (api && authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      const found = bearer ? accounts.userForToken(bearer) : undefined;
      if (!found) {
        c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        return c.json(
          {
            error:
              'This API token is not valid: unknown, mistyped or revoked (send "Authorization: Bearer pst_…").',
          },
          401,
        );
      }
      // An admin's token acts as an admin only with the admin scope: code that checks
      // `viewer.isAdmin` then needs no scope check of its own.
      const isAdmin = found.user.isAdmin && scopeAllows(found.scopes, 'admin');
      c.set('viewer', { ...toViewer(found.user), isAdmin });
      c.set('credential', { kind: 'token', tokenId: found.tokenId, scopes: found.scopes });
      c.set('csrfToken', '');
      return next();
    }

    const sessionId = getCookie(c, SESSION_COOKIE);
    const user = accounts.userForSession(sessionId);
    let expected: { kind: 'session' | 'visitor'; id: string } | undefined;
    let newVisitor: string | undefined;
    if (user && sessionId) {
      c.set('viewer', toViewer(user));
      c.set('credential', { kind: 'session', sessionId });
      expected = { kind: 'session', id: sessionId };
    } else {
      if (sessionId !== undefined) deleteCookie(c, SESSION_COOKIE, { path: '/' });
      c.set('viewer', undefined);
      c.set('credential', undefined);
      let visitor = getCookie(c, VISITOR_COOKIE);
      if (!visitor || !/^[A-Za-z0-9_-]{20,64}$/.test(visitor)) {
        visitor = undefined;
        if (!api && !c.req.path.startsWith('/static/') && !UNSAFE_METHODS.has(c.req.method)) {
          visitor = randomBytes(24).toString('base64url');
          newVisitor = visitor;
        }
      }
      if (visitor) expected = { kind: 'visitor', id: visitor };
    }
    c.set('csrfToken', expected ? await accounts.csrfToken(expected.kind, expected.id) : '');

    if (UNSAFE_METHODS.has(c.req.method)) {
      // An API call without any cookie session has no ambient authority to abuse.
      const needsToken = !api || c.var.credential?.kind === 'session';
      if (needsToken) {
        const given = c.req.header(CSRF_HEADER) ?? (await formField(c, 'csrf'));
        const ok =
          expected !== undefined && (await accounts.csrfTokenMatches(expected.kind, expected.id, given));
        if (!ok) {
          const why =
            sessionId !== undefined && !user ? 'session-ended' : expected ? 'mismatch' : 'no-cookie';
          return csrfRefusal(c, api, why);
        }
      }
    }
    await next();
    // Only pages get the cookie (they may hold a form): not feeds, downloads or assets, which
    // caches may keep.
    if (newVisitor && c.res.headers.get('content-type')?.startsWith('text/html')) {
      setCookie(c, VISITOR_COOKIE, newVisitor, cookieOptions(c, undefined));
    }
  };
}

async function formField(c: Context<AppEnv>, name: string): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    return undefined;
  }
  try {
    const value = (await c.req.parseBody())[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const REFUSALS = {
  'session-ended':
    'You were signed out (your session ended) before sending this form. Sign in again, then repeat it.',
  'no-cookie':
    'This form needs a cookie that your browser did not send: allow cookies for this site, reload the page and try again.',
  mismatch:
    'This form has expired or did not come from this site (its security token does not match). Go back, reload the page and try again.',
} as const;

function csrfRefusal(
  c: Context<AppEnv>,
  api: boolean,
  why: keyof typeof REFUSALS,
): Response | Promise<Response> {
  const message = REFUSALS[why];
  if (api) return c.json({ error: `Missing or wrong ${CSRF_HEADER} header: ${message}` }, 403);
  return page(
    c,
    'Form refused',
    html`<h1>Form refused</h1>
      <p class="notice error" role="alert">${message}</p>
      <p><a href="${sameSiteReferrer(c)}">Back</a> · <a href="/">Home</a></p>`,
    { status: 403 },
  );
}

/** The page a request came from, when it is on this site; `fallback` otherwise. */
export function sameSiteReferrer(c: Context<AppEnv>, fallback = '/'): string {
  const referrer = c.req.header('referer');
  if (!referrer) return fallback;
  try {
    const url = new URL(referrer);
    return url.origin === new URL(c.req.url).origin
      ? safeReturnPath(`${url.pathname}${url.search}`)
      : fallback;
  } catch {
    return fallback;
  }
}

/** Behind https (directly, or a proxy that says so) cookies are sent only over https. */
export function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

function cookieOptions(c: Context<AppEnv>, maxAgeSeconds: number | undefined) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: isHttps(c),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** Sign this browser in: a new session (never a reused id), in a cookie scripts cannot read. */
export async function startSession(c: Context<AppEnv>, user: User): Promise<void> {
  const session = await c.var.app.accounts.createSession(user.id);
  setCookie(c, SESSION_COOKIE, session.id, cookieOptions(c, SESSION_DAYS * 24 * 3600));
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const credential = c.var.credential;
  if (credential?.kind === 'session') await c.var.app.accounts.endSession(credential.sessionId);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}

/**
 * The address a request came from, as the socket saw it. Proxies' headers are not trusted:
 * anyone could send them, and the sign-in limit keys on this.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** The viewer, or 401 (for people: a page saying to sign in; routes redirect before this). */
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.var.viewer;
  if (!viewer)
    throw new UnauthorizedError('Sign in first (or send an API token: "Authorization: Bearer pst_…")');
  return viewer;
}

/**
 * The viewer, allowed to do what needs `scope`: someone signed in with a session may do all
 * they may; an API token only what its scopes allow. `admin` also needs the person to be one.
 */
export function requireScope(c: Context<AppEnv>, scope: Scope): Viewer {
  const viewer = requireViewer(c);
  const credential = c.var.credential;
  if (credential?.kind === 'token' && !scopeAllows(credential.scopes, scope)) {
    throw new ForbiddenError(
      `This API token lacks the "${scope}" scope (it has: ${credential.scopes.join(', ')}); create one with it on /account`,
    );
  }
  if (scope === 'admin' && !viewer.isAdmin) throw new ForbiddenError('Only an admin can do this');
  return viewer;
}

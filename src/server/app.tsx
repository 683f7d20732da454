import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Paperscope } from '../app/paperscope.ts';
import { InvalidQueryError } from '../search/engine/search.ts';
import { accountsMiddleware } from '../web/auth.ts';
import { ErrorNotice } from '../web/components/error-notice.tsx';
import type { AppEnv } from '../web/context.ts';
import { katexAssets } from '../web/katex-assets.ts';
import { page } from '../web/render.tsx';
import { accountRoutes } from '../web/routes/accounts.tsx';
import { authorRoutes } from '../web/routes/authors.tsx';
import { discoveryApiRoutes } from '../web/routes/discovery-api.ts';
import { homeRoutes } from '../web/routes/home.tsx';
import { importRoutes } from '../web/routes/import.tsx';
import { keepingUpRoutes } from '../web/routes/keeping-up.tsx';
import { libraryRoutes } from '../web/routes/library.tsx';
import { paperRoutes } from '../web/routes/paper.tsx';
import { searchRoutes } from '../web/routes/search.tsx';
import { staticRoutes } from '../web/static-assets.ts';
import { apiRoutes } from './api.ts';
import { accountApiRoutes } from './api-accounts.ts';
import { apiDocsRoutes } from './api-docs.tsx';
import { errorStatus } from './errors.ts';

/**
 * The whole site: the pages (rendered on the server) and the JSON API under `/api`, over one
 * library API. Security headers on every answer; domain errors become status codes in one
 * place — JSON for the API, a page for people.
 */
export function createApp(paperscope: Paperscope): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // KaTeX sets sizes in style attributes; scripts stay forbidden inline.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );

  app.use(async (c, next) => {
    c.set('app', paperscope);
    // Signed out until the accounts middleware (mounted after this one) says otherwise.
    c.set('viewer', undefined);
    c.set('csrfToken', '');
    await next();
  });
  // Who is asking (session cookie, or a bearer token on /api); CSRF check on every form.
  app.use(accountsMiddleware());

  app.onError((err, c) => {
    const status = errorStatus(err);
    if (status === 500) console.error(err);
    const message = status === 500 ? 'internal error' : err.message;
    if (c.req.path.startsWith('/api/')) {
      if (err instanceof InvalidQueryError) {
        // The message names the column from 1 (as the page and the CLI do); offset and length
        // are UTF-16 code units from 0, for a program to slice the query with.
        const { message, offset, length, column, pointer } = err.error;
        return c.json({ error: message, column, offset, length, pointer }, status);
      }
      return c.json({ error: message }, status);
    }
    return page(
      c,
      status === 404 ? 'Not found' : 'Error',
      <ErrorNotice status={status} message={message} />,
      {
        status,
      },
    );
  });

  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: `No such address: ${c.req.path}` }, 404)
      : page(c, 'Not found', <ErrorNotice status={404} message={`There is no page at ${c.req.path}.`} />, {
          status: 404,
        }),
  );

  app.route('/', staticRoutes(katexAssets()));
  app.route('/', apiRoutes());
  app.route('/', discoveryApiRoutes());
  app.route('/', accountApiRoutes());
  app.route('/', apiDocsRoutes());
  app.route('/', accountRoutes());
  app.route('/', libraryRoutes());
  app.route('/', homeRoutes());
  app.route('/', authorRoutes());
  app.route('/', searchRoutes());
  app.route('/', paperRoutes());
  app.route('/', importRoutes());
  app.route('/', keepingUpRoutes());
  return app;
}

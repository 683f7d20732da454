import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context.ts';
import { Layout } from './layout.tsx';

/** Whether sign-up is open; false when it cannot be told (an error page whose cause is the store). */
function registrationOpen(c: Context<AppEnv>): boolean {
  try {
    return c.var.app?.accounts.registration().open ?? false;
  } catch {
    return false;
  }
}

/** Render a page inside the site's frame, with the viewer and CSRF token of this request. */
export function page(
  c: Context<AppEnv>,
  title: string,
  body: Child,
  options: {
    status?: ContentfulStatusCode;
    query?: string;
    styles?: readonly string[];
    refreshSeconds?: number;
  } = {},
): Response | Promise<Response> {
  return c.html(
    <>
      {raw('<!doctype html>')}
      <Layout
        title={title}
        viewer={c.var.viewer}
        csrfToken={c.var.csrfToken}
        {...(options.query === undefined ? {} : { query: options.query })}
        {...(options.styles === undefined ? {} : { styles: options.styles })}
        {...(options.refreshSeconds === undefined ? {} : { refreshSeconds: options.refreshSeconds })}
        registrationOpen={!c.var.viewer && registrationOpen(c)}
      >
        {body}
      </Layout>
    </>,
    options.status ?? 200,
  );
}

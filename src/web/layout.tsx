import type { Child, FC } from 'hono/jsx';
import type { Viewer } from './context.ts';

export interface LayoutProps {
  title: string;
  viewer: Viewer | undefined;
  csrfToken: string;
  /** The query in the header's search box. */
  query?: string;
  /** Extra stylesheets under /static (KaTeX on paper pages). */
  styles?: readonly string[];
  /** Reload the page every this many seconds when scripts are off (a running import); JS polls instead. */
  refreshSeconds?: number;
  /** Whether a signed-out visitor may create an account: the header then links to the form. */
  registrationOpen?: boolean;
  children?: Child;
}

/**
 * The frame of every page. Rendered on the server and readable without JavaScript; the one
 * script is an external file (the content security policy forbids inline script).
 */
export const Layout: FC<LayoutProps> = ({
  title,
  viewer,
  csrfToken,
  query,
  styles,
  refreshSeconds,
  registrationOpen,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title === 'Paperscope' ? title : `${title} · Paperscope`}</title>
      <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/app.css" />
      {(styles ?? []).map((href) => (
        <link rel="stylesheet" href={href} />
      ))}
      <script src="/static/app.js" defer />
      {refreshSeconds ? (
        <noscript>
          <meta http-equiv="refresh" content={String(refreshSeconds)} />
        </noscript>
      ) : null}
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site">
        <a class="brand" href="/">
          Paperscope
        </a>
        <search>
          <form class="search" action="/search" method="get">
            <label class="visually-hidden" for="site-q">
              Search papers
            </label>
            <input
              id="site-q"
              name="q"
              type="search"
              value={query ?? ''}
              placeholder='author:"Xiao, L" kernel'
            />
            <button type="submit">Search</button>
          </form>
        </search>
        <nav aria-label="Main">
          <a href="/import">Import</a>
          {viewer ? (
            <>
              <a href="/library">Library</a>
              <a href="/account/follows">Following</a>
              <a href="/account">{viewer.name}</a>
              <form action="/signout" method="post" class="inline">
                <input type="hidden" name="csrf" value={csrfToken} />
                <button type="submit" class="link">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <a href="/signin">Sign in</a>
              {registrationOpen ? <a href="/register">Register</a> : null}
            </>
          )}
        </nav>
      </header>
      <main id="main">{children}</main>
      <footer class="site">
        <a href="/api/docs">API</a> · Paperscope runs on this machine; your library stays here.
      </footer>
    </body>
  </html>
);

/** A hidden field with the request's CSRF token: every form that changes something has one. */
export const CsrfField: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name="csrf" value={token} />
);

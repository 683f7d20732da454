import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context.ts';
import { Layout } from './layout.tsx';

/** Whether sign-up is open; false when it cannot be told (an error page whose cause is the store). */
export function registrationOpen(c: Context<AppEnv>): boolean {
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

const REST = '<!--paperscope:rest-->';
const FIRST_PART_FLUSH_MS = 20;

/** Any child (text, an element, an async component) as the HTML it renders to. */
// biome-ignore lint/complexity/noUselessFragments: the fragment is what renders a bare child.
const html = async (child: Child): Promise<string> => String(await (<>{child}</>).toString());

/**
 * A page sent in two parts: the frame and `first` at once, then what `rest` gives when it is
 * ready, in the same response. Browsers show the first part while the rest is worked out, so a
 * slow answer starts with a note saying it is being worked on, with no script needed. The
 * status is sent first, so a failure in `rest` becomes a notice in the page.
 */
export async function streamedPage(
  c: Context<AppEnv>,
  title: string,
  first: Child,
  rest: () => Promise<Child>,
  failed: (err: unknown) => Child,
): Promise<Response> {
  const whole = await (
    <>
      {raw('<!doctype html>')}
      <Layout
        title={title}
        viewer={c.var.viewer}
        csrfToken={c.var.csrfToken}
        registrationOpen={!c.var.viewer && registrationOpen(c)}
      >
        {first}
        {raw(REST)}
      </Layout>
    </>
  ).toString();
  const cut = whole.indexOf(REST);
  const head = whole.slice(0, cut);
  const tail = whole.slice(cut + REST.length);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
    },
    // Asked for as soon as the first part is taken, before the server has written it: a short
    // wait lets the socket write finish (it completes in the event loop's I/O phase) before
    // the work on the rest, CPU-bound and synchronous in stretches, holds the loop.
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, FIRST_PART_FLUSH_MS));
      let more: string;
      try {
        more = await html(await rest());
      } catch (err) {
        more = await html(failed(err));
      }
      controller.enqueue(encoder.encode(more + tail));
      controller.close();
    },
  });
  // Chunked says "more is coming": without it the Node adapter waits for a second part to
  // size a short body, and so for the whole page.
  return c.body(body, 200, { 'content-type': 'text/html; charset=UTF-8', 'transfer-encoding': 'chunked' });
}

import type { Context } from 'hono';
import { Hono } from 'hono';
import { safeReturnPath } from '../../domain/accounts.ts';
import { DomainError, InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { FEED_TYPES, type FeedFormat, type FeedSpec } from '../../feeds/feed.service.ts';
import { requireScope } from '../auth.ts';
import type { AppEnv, Viewer } from '../context.ts';
import { DigestPreviewPage, FollowsPage, SyncPage, UnsubscribePage } from '../pages/keeping-up.tsx';
import { page } from '../render.tsx';
import { signInRedirect } from './accounts.tsx';

/**
 * Keeping up on the web: follow and unfollow (forms any page can hold, and JSON), the
 * follows page with the digest settings and the private feed, one-click unsubscribe, the
 * admin's sync page and digest previews, and the RSS/Atom feeds.
 */
export function keepingUpRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // ---- follows (pages) -------------------------------------------------------------------

  const followsPage = async (
    c: Context<AppEnv>,
    viewer: Viewer,
    messages: { notice?: string; problem?: string } = {},
  ) => {
    const paperscope = c.var.app;
    const token = await paperscope.digests.feedToken(viewer.id);
    const base = paperscope.config.baseUrl;
    const tags = paperscope.store.readDb
      .prepare('SELECT name FROM tags WHERE user_id = ? ORDER BY name COLLATE NOCASE')
      .pluck()
      .all(viewer.id) as string[];
    return page(
      c,
      'What you follow',
      <FollowsPage
        csrf={c.var.csrfToken}
        follows={paperscope.follows.list(viewer.id)}
        settings={paperscope.digests.settings(viewer.id)}
        feedUrls={{
          rss: `${base}/feeds/recommendations/${token}.rss`,
          atom: `${base}/feeds/recommendations/${token}.atom`,
        }}
        tags={tags}
        notice={messages.notice}
        problem={messages.problem}
      />,
      messages.problem ? { status: 400 } : {},
    );
  };

  app.get('/account/follows', async (c) => {
    const viewer = c.var.viewer;
    if (!viewer) return signInRedirect(c);
    const notice = c.req.query('followed') ? `Now following ${c.req.query('followed')}.` : undefined;
    return followsPage(c, viewer, notice ? { notice } : {});
  });

  app.post('/follow', async (c) => {
    const viewer = c.var.viewer;
    const form = await c.req.parseBody();
    const next = safeReturnPath(field(form, 'next') || '/account/follows');
    if (!viewer) return signInRedirect(c, next);
    try {
      const follow = await c.var.app.follows.follow(viewer.id, field(form, 'kind'), field(form, 'value'));
      const target =
        next === '/account/follows' ? `/account/follows?followed=${encodeURIComponent(follow.label)}` : next;
      return c.redirect(target, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return followsPage(c, viewer, { problem: err.message });
    }
  });

  app.post('/unfollow', async (c) => {
    const viewer = c.var.viewer;
    const form = await c.req.parseBody();
    const next = safeReturnPath(field(form, 'next') || '/account/follows');
    if (!viewer) return signInRedirect(c, next);
    const id = field(form, 'id');
    await c.var.app.follows.unfollow(
      viewer.id,
      id ? { id: Number(id) } : { kind: field(form, 'kind'), value: field(form, 'value') },
    );
    return c.redirect(next, 303);
  });

  app.post('/account/digest', async (c) => {
    const viewer = c.var.viewer;
    if (!viewer) return signInRedirect(c, '/account/follows');
    const form = await c.req.parseBody();
    try {
      await c.var.app.digests.updateSettings(viewer.id, {
        enabled: field(form, 'enabled') === 'on',
        sendHour: Number(field(form, 'sendHour')),
        timeZone: field(form, 'timeZone').trim() || 'UTC',
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return followsPage(c, viewer, { problem: err.message });
    }
    return followsPage(c, viewer, { notice: 'Digest settings saved.' });
  });

  // ---- follows (JSON) ------------------------------------------------------------------

  app.get('/api/follows', (c) => {
    const viewer = requireScope(c, 'read');
    return c.json({
      follows: c.var.app.follows.list(viewer.id),
      digest: c.var.app.digests.settings(viewer.id),
    });
  });

  app.post('/api/follows', async (c) => {
    const viewer = requireScope(c, 'library');
    const body = (await c.req.json().catch(() => {
      throw new InvalidInputError(
        'Send JSON: {"kind": "author" | "search" | "category" | "tag", "value": "…"}',
      );
    })) as { kind?: unknown; value?: unknown };
    const follow = await c.var.app.follows.follow(
      viewer.id,
      String(body.kind ?? ''),
      String(body.value ?? ''),
    );
    return c.json(follow, 201);
  });

  app.delete('/api/follows/:id{[0-9]+}', async (c) => {
    const viewer = requireScope(c, 'library');
    const removed = await c.var.app.follows.unfollow(viewer.id, { id: Number(c.req.param('id')) });
    if (!removed) throw new NotFoundError(`You follow nothing with id ${c.req.param('id')}.`);
    return c.body(null, 204);
  });

  app.put('/api/digest/settings', async (c) => {
    const viewer = requireScope(c, 'library');
    const body = (await c.req.json().catch(() => ({}))) as {
      enabled?: unknown;
      sendHour?: unknown;
      timeZone?: unknown;
    };
    const settings = await c.var.app.digests.updateSettings(viewer.id, {
      ...(typeof body.enabled === 'boolean' ? { enabled: body.enabled } : {}),
      ...(body.sendHour !== undefined ? { sendHour: Number(body.sendHour) } : {}),
      ...(typeof body.timeZone === 'string' ? { timeZone: body.timeZone } : {}),
    });
    return c.json(settings);
  });

  // ---- unsubscribe -----------------------------------------------------------------------

  app.get('/digest/unsubscribe', (c) => {
    const token = c.req.query('token') ?? '';
    const user = c.var.app.digests.unsubscribeTarget(token);
    if (!user) {
      const message =
        'This unsubscribe link is not valid (it may have been cut or altered): copy the whole link from the email, or turn digests off under What you follow.';
      return page(c, 'Unsubscribe', <p class="notice error">{message}</p>, { status: 404 });
    }
    return page(
      c,
      'Unsubscribe',
      <UnsubscribePage token={token} email={user.email} csrf={c.var.csrfToken} />,
    );
  });

  /** RFC 8058 one-click (the mail client POSTs `List-Unsubscribe=One-Click`), and the page's button. */
  app.post('/api/digest/unsubscribe', async (c) => {
    const user = await c.var.app.digests.unsubscribe(c.req.query('token') ?? '');
    if ((c.req.header('accept') ?? '').includes('text/html')) {
      return page(
        c,
        'Unsubscribed',
        <UnsubscribePage token="" csrf={c.var.csrfToken} done={{ email: user.email }} />,
      );
    }
    return c.json({ unsubscribed: user.email });
  });

  // ---- admin -----------------------------------------------------------------------------

  app.get('/admin/sync', async (c) => {
    if (!c.var.viewer) return signInRedirect(c);
    requireScope(c, 'admin');
    const status = await c.var.app.sync.status();
    return page(
      c,
      'Sync',
      <SyncPage status={status} csrf={c.var.csrfToken} outbox={c.var.app.digests.outbox({ limit: 30 })} />,
    );
  });

  app.post('/admin/sync/run', (c) => {
    requireScope(c, 'admin');
    // The run goes on in the background; the page shows it as running.
    void c.var.app.sync.runOnce().catch((err: unknown) => console.error(err));
    return c.redirect('/admin/sync', 303);
  });

  app.get('/api/sync', async (c) => {
    requireScope(c, 'admin');
    return c.json(await c.var.app.sync.status());
  });

  app.get('/admin/digests/:user{[0-9]+}', async (c) => {
    if (!c.var.viewer) return signInRedirect(c);
    requireScope(c, 'admin');
    const userId = Number(c.req.param('user'));
    const preview = await c.var.app.digests.preview(userId);
    return page(
      c,
      `Digest of ${preview.recipient.email}`,
      <DigestPreviewPage
        user={preview.recipient}
        day={preview.day}
        subject={preview.composed.subject}
        text={preview.composed.text}
        items={preview.items}
        baseUrl={c.var.app.config.baseUrl}
        outbox={c.var.app.digests.outbox({ userId, limit: 30 })}
      />,
    );
  });

  /** The HTML part exactly as it would be sent (its own document, with the email's inline styles). */
  app.get('/admin/digests/:user{[0-9]+}/html', async (c) => {
    requireScope(c, 'admin');
    const preview = await c.var.app.digests.preview(Number(c.req.param('user')));
    return c.html(preview.composed.html);
  });

  app.get('/api/digests/:user{[0-9]+}/preview', async (c) => {
    requireScope(c, 'admin');
    const preview = await c.var.app.digests.preview(Number(c.req.param('user')));
    return c.json({
      recipient: preview.recipient,
      day: preview.day,
      items: preview.items,
      ...preview.composed,
    });
  });

  // ---- feeds -----------------------------------------------------------------------------

  const feed = (c: Context<AppEnv>, spec: FeedSpec, format: FeedFormat) => {
    c.header('content-type', FEED_TYPES[format]);
    c.header('cache-control', 'public, max-age=600');
    return c.body(c.var.app.feeds.render(spec, format));
  };

  app.get('/feeds/:file{search\\.(rss|atom)}', (c) =>
    feed(
      c,
      c.var.app.feeds.search(c.req.query('q') ?? ''),
      c.req.param('file').slice('search.'.length) as FeedFormat,
    ),
  );

  app.get('/feeds/author/:file{[0-9]+\\.(rss|atom)}', async (c) => {
    const [id, format] = c.req.param('file').split('.') as [string, FeedFormat];
    return feed(c, await c.var.app.feeds.author(Number(id)), format);
  });

  app.get('/feeds/category/:file{[a-z-]+(\\.[A-Za-z-]+)?\\.(rss|atom)}', (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    return feed(c, c.var.app.feeds.category(file.slice(0, dot)), file.slice(dot + 1) as FeedFormat);
  });

  app.get('/feeds/recommendations/:file{[A-Za-z0-9_-]{20,64}\\.(rss|atom)}', async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const spec = await c.var.app.feeds.recommendations(file.slice(0, dot));
    // A private feed: never kept by shared caches.
    const response = feed(c, spec, file.slice(dot + 1) as FeedFormat);
    response.headers.set('cache-control', 'private, max-age=600');
    return response;
  });

  return app;
}

function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

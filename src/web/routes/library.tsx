import type { Context } from 'hono';
import { Hono } from 'hono';
import { safeReturnPath } from '../../domain/accounts.ts';
import { DomainError, InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { EXPORT_FILE_TYPES, EXPORT_FORMATS, type ExportFormat } from '../../export/index.ts';
import { clampInt } from '../../server/api.ts';
import { errorStatus } from '../../server/errors.ts';
import {
  knowledgeVersion,
  knownRecommendationsFromTag,
  MAX_TAG_SEEDS,
  recommendFromTag,
} from '../../services/library-recommendations.ts';
import { sameSiteReferrer } from '../auth.ts';
import type { AppEnv, Viewer } from '../context.ts';
import { requireDiscoveryReady } from '../discovery-ready.ts';
import {
  LibraryPage,
  RecommendationsHeading,
  RecommendationsList,
  RecommendationsPage,
  RecommendationsWorking,
} from '../pages/library.tsx';
import { page, streamedPage } from '../render.tsx';
import { formFields, signInRedirect } from './accounts.tsx';

/** A Paperscope paper id from a form or a path; anything else is "no such paper". */
export function paperIdFrom(value: string | undefined): number {
  const id = value !== undefined && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new NotFoundError(`No paper "${String(value ?? '').slice(0, 40)}"`);
  return id;
}

/**
 * Where a library form returns to: the `next` field, else the page it came from (same site
 * only), else the library.
 */
function returnPath(c: Context<AppEnv>, next: string | undefined): string {
  return next ? safeReturnPath(next) : sameSiteReferrer(c, '/library');
}

const LIBRARY_PAGE_SIZE = 100;

/** The library: saved papers, tags, notes, export, recommendations from a tag. Private to each person. */
export function libraryRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const libraryPage = (c: Context<AppEnv>, viewer: Viewer) => {
    const tag = c.req.query('tag')?.trim() || undefined;
    const library = c.var.app.library;
    const pageNumber = clampInt(c.req.query('page'), 1, 1, 1_000_000);
    const offset = (pageNumber - 1) * LIBRARY_PAGE_SIZE;
    const { total, items } = library.list(viewer.id, {
      ...(tag ? { tag } : {}),
      limit: LIBRARY_PAGE_SIZE,
      offset,
    });
    const query = new URLSearchParams();
    if (tag) query.set('tag', tag);
    if (pageNumber > 1) query.set('page', String(pageNumber));
    const returnTo = query.size > 0 ? `/library?${query}` : '/library';
    return page(
      c,
      tag ? `Library: ${tag}` : 'Library',
      <LibraryPage
        items={items}
        total={total}
        tags={library.tags(viewer.id)}
        tag={tag}
        csrf={c.var.csrfToken}
        returnTo={returnTo}
        paging={{ page: pageNumber, pageSize: LIBRARY_PAGE_SIZE }}
      />,
    );
  };

  app.get('/library', (c) => {
    if (c.var.viewer) return libraryPage(c, c.var.viewer);
    const url = new URL(c.req.url);
    return signInRedirect(c, `${url.pathname}${url.search}`);
  });

  /**
   * One change to the viewer's library from a form, then back where the form was. Signed out:
   * to the sign-in page, to come back to that page after.
   */
  const change =
    (
      apply: (
        c: Context<AppEnv>,
        viewer: Viewer,
        paperId: number,
        form: Record<string, string>,
      ) => Promise<unknown>,
    ) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      const form = await formFields(c);
      const back = returnPath(c, form['next']);
      const viewer = c.var.viewer;
      if (!viewer) return signInRedirect(c, back);
      try {
        await apply(c, viewer, paperIdFrom(form['paper']), form);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return page(
          c,
          'Library',
          <>
            <h1>That did not work</h1>
            <p class="notice error" role="alert">
              {err.message}
            </p>
            <p>
              <a href={back}>Back</a>
            </p>
          </>,
          { status: errorStatus(err) },
        );
      }
      return c.redirect(back, 303);
    };

  app.post(
    '/library/save',
    change((c, viewer, paperId) => c.var.app.library.save(viewer.id, paperId)),
  );
  app.post(
    '/library/unsave',
    change((c, viewer, paperId) => c.var.app.library.unsave(viewer.id, paperId)),
  );
  app.post(
    '/library/tag',
    change((c, viewer, paperId, form) => c.var.app.library.addTag(viewer.id, paperId, form['tag'] ?? '')),
  );
  app.post(
    '/library/untag',
    change((c, viewer, paperId, form) => c.var.app.library.removeTag(viewer.id, paperId, form['tag'] ?? '')),
  );
  app.post(
    '/library/note',
    change((c, viewer, paperId, form) => c.var.app.library.setNote(viewer.id, paperId, form['note'] ?? '')),
  );

  app.get('/library/export', (c) => {
    const viewer = c.var.viewer;
    if (!viewer) return signInRedirect(c, '/library');
    const format = exportFormat(c.req.query('format'));
    const tag = c.req.query('tag')?.trim() || undefined;
    const type = EXPORT_FILE_TYPES[format];
    const name = `library${tag ? `-${tag.replace(/[^\p{L}\p{N}_-]+/gu, '-')}` : ''}.${type.extension}`;
    c.header('content-type', type.mediaType);
    c.header(
      'content-disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    c.header('cache-control', 'private, no-store');
    return c.body(c.var.app.library.export(viewer.id, format, tag));
  });

  app.get('/library/recommendations', async (c) => {
    const viewer = c.var.viewer;
    if (!viewer) return signInRedirect(c, '/library');
    const tag = c.req.query('tag')?.trim();
    if (!tag) return c.redirect('/library', 303);
    requireDiscoveryReady(c.var.app);
    const source = {
      library: c.var.app.library,
      recommender: c.var.app.recommender,
      knowledgeVersion: () => knowledgeVersion(c.var.app.store.readDb),
    };
    const title = `Like "${tag}"`;
    const known = knownRecommendationsFromTag(source, viewer.id, tag);
    if (known) {
      if (known.seeds === 0) throw new NotFoundError(`You have no paper tagged "${tag}"`);
      return page(
        c,
        title,
        <RecommendationsPage tag={tag} recommendations={known.recommendations} from={known.seeds} />,
      );
    }
    // Worked out for the first time (a second or more with a large tag): the page and a note
    // that it is working go out at once, the list follows in the same response.
    const seeds = Math.min(c.var.app.library.paperIds(viewer.id, tag).length, MAX_TAG_SEEDS);
    if (seeds === 0) throw new NotFoundError(`You have no paper tagged "${tag}"`);
    return streamedPage(
      c,
      title,
      <>
        <RecommendationsHeading tag={tag} from={seeds} />
        <RecommendationsWorking tag={tag} from={seeds} />
      </>,
      async () => {
        const { recommendations } = await recommendFromTag(source, viewer.id, tag);
        return <RecommendationsList recommendations={recommendations} />;
      },
      (err) => {
        if (errorStatus(err) === 500) console.error('paperscope: recommendations from a tag failed:', err);
        return (
          <p class="notice error" role="alert">
            {err instanceof DomainError ? err.message : 'The recommendations could not be worked out.'} Reload
            the page to try again.
          </p>
        );
      },
    );
  });

  return app;
}

export function exportFormat(value: string | undefined): ExportFormat {
  const format = (value ?? 'bibtex').toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidInputError(
      `No export format "${format.slice(0, 20)}": the formats are ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  return format as ExportFormat;
}

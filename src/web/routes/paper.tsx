import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Paperscope } from '../../app/paperscope.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { EXPORT_FILE_TYPES, EXPORT_FORMATS, type ExportFormat, exportPapers } from '../../export/index.ts';
import { paperTitle } from '../components/paper-list.tsx';
import type { AppEnv } from '../context.ts';
import { discoveryReady, within } from '../discovery-ready.ts';
import { KATEX_CSS } from '../math.tsx';
import { PaperPage, type SimilarState } from '../pages/paper.tsx';
import { page } from '../render.tsx';

/** How long a paper page waits for similar papers before it is sent without them. */
const SIMILAR_WAIT_MS = 250;
const SIMILAR_COUNT = 8;

async function findPaper(app: Paperscope, ref: string): Promise<Paper> {
  const paper = await app.store.findPaper(ref);
  if (!paper) {
    throw new NotFoundError(
      `No paper "${ref}" here: give a Paperscope id, an arXiv id (with or without version) or a DOI.`,
    );
  }
  return paper;
}

async function similarTo(app: Paperscope, paperId: number): Promise<SimilarState> {
  if (!discoveryReady(app)) return { ready: false };
  const found = app.similarity.neighbours(paperId, SIMILAR_COUNT).catch((err: unknown) => {
    console.error('paperscope: similar papers failed:', err);
    return [];
  });
  const papers = await within(found, SIMILAR_WAIT_MS);
  return papers === undefined ? { ready: false } : { ready: true, papers };
}

function exportResponse(c: Context<AppEnv>, paper: Paper, format: ExportFormat): Response {
  const { extension, mediaType } = EXPORT_FILE_TYPES[format];
  const name = (paper.ids.arxiv ?? `paperscope-${paper.id}`).replace(/[^A-Za-z0-9._-]+/g, '_');
  c.header('content-type', mediaType);
  c.header('content-disposition', `attachment; filename="${name}.${extension}"`);
  return c.body(exportPapers([paper], format));
}

/**
 * The paper page: `/paper/<ref>` where ref is a Paperscope id, an arXiv id (any version) or a
 * DOI (whose slashes stay in the path), and `/paper/<ref>/export/<format>` for a citation file.
 */
export function paperRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/paper/:ref{.+}', async (c) => {
    const ref = decodeURIComponent(c.req.param('ref'));
    const asExport = /^(.+)\/export\/([a-z-]+)$/.exec(ref);
    if (asExport) {
      const format = asExport[2] as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) {
        throw new NotFoundError(`No export format "${asExport[2]}": choose ${EXPORT_FORMATS.join(', ')}.`);
      }
      return exportResponse(c, await findPaper(c.var.app, asExport[1]!), format);
    }
    const paper = await findPaper(c.var.app, ref);
    const viewer = c.var.viewer;
    c.var.app.views.record(paper.id, viewer?.id);
    const similar = await similarTo(c.var.app, paper.id);
    const view = {
      paper,
      similar,
      bibtex: exportPapers([paper], 'bibtex'),
      viewer: {
        signedIn: viewer !== undefined,
        csrfToken: c.var.csrfToken,
        item: viewer ? c.var.app.library.item(viewer.id, paper.id) : undefined,
      },
    };
    return page(c, paperTitle(paper), <PaperPage view={view} />, { styles: [KATEX_CSS] });
  });
  return app;
}

import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { type ImportJob, type ImportRequest, parseArxivIds } from '../../services/import-jobs.ts';
import { requireScope } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { ImportForms, JobPage, SignInToImport } from '../pages/import.tsx';
import { page } from '../render.tsx';

/** Uploads and pastes larger than this are refused before they are read. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
const POLL_SECONDS = 2;

/** A file name safe to keep on disk: its last path part, odd characters replaced. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return cleaned.slice(-120) || 'upload';
}

/** The import the form asks for, or an error that says what is missing. */
async function requestFromForm(c: Context<AppEnv>): Promise<ImportRequest> {
  const form = await c.req.parseBody();
  const mode = form['mode'];
  const text = (name: string) => {
    const v = form[name];
    return typeof v === 'string' ? v.trim() : '';
  };
  if (mode === 'paste') {
    const pasted = typeof form['text'] === 'string' ? form['text'] : '';
    if (!pasted.trim()) throw new InvalidInputError('Paste the text of a page (the box was empty).');
    return {
      kind: 'text',
      text: pasted,
      origin: `text pasted on ${c.var.app.now().toISOString().slice(0, 10)}`,
    };
  }
  if (mode === 'file') {
    const file = form['file'];
    if (!(file instanceof File) || file.size === 0)
      throw new InvalidInputError('Choose a file to upload (none was sent, or it was empty).');
    // Kept in the data folder: the records name it as their origin.
    const dir = join(c.var.app.config.dataDir, 'uploads', randomUUID());
    mkdirSync(dir, { recursive: true });
    const path = join(dir, safeFileName(file.name));
    writeFileSync(path, new Uint8Array(await file.arrayBuffer()));
    return { kind: 'file', path, name: file.name };
  }
  if (mode === 'arxiv') {
    if (text('ids')) return { kind: 'arxiv-ids', ids: parseArxivIds(text('ids')) };
    if (text('author')) return { kind: 'arxiv-author', name: text('author') };
    if (text('query')) return { kind: 'arxiv-query', query: text('query') };
    throw new InvalidInputError('Give arXiv ids, an author or a query to fetch.');
  }
  throw new InvalidInputError('Choose what to import: paste text, upload a file, or fetch from arXiv.');
}

function jobJson(job: ImportJob) {
  const { ownerId: _owner, ...rest } = job;
  return rest;
}

function findJob(c: Context<AppEnv>, id: string): ImportJob {
  const job = c.var.app.importJobs.get(id, c.var.viewer?.id);
  if (!job)
    throw new NotFoundError(`No import job ${id} of yours (jobs are kept until the server restarts).`);
  return job;
}

/**
 * The importer: paste, upload or fetch; the work runs as a background job whose page shows
 * progress (reloading itself without JavaScript, polled by app.js with it) and then the
 * summary. Importing needs an account: the knowledge base is shared.
 */
export function importRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const arxivApi = (c: Context<AppEnv>) => new URL(c.var.app.config.sources.arxivApi).host;

  app.get('/import', (c) =>
    c.var.viewer
      ? page(c, 'Import', <ImportForms csrfToken={c.var.csrfToken} arxivApi={arxivApi(c)} />)
      : page(c, 'Import', <SignInToImport />),
  );

  app.post('/import', async (c) => {
    const viewer = c.var.viewer;
    if (!viewer) return page(c, 'Import', <SignInToImport />, { status: 403 });
    // Checked on the declared length: the form (and its token) may already have been read by then.
    if (Number(c.req.header('content-length') ?? 0) > MAX_UPLOAD_BYTES) {
      return page(
        c,
        'Import',
        <p class="notice error">
          That is more than {MAX_UPLOAD_BYTES / 1024 / 1024} MiB: import it with the command line (paperscope
          import FILE).
        </p>,
        { status: 413 },
      );
    }
    let request: ImportRequest;
    try {
      request = await requestFromForm(c);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      return page(
        c,
        'Import',
        <ImportForms csrfToken={c.var.csrfToken} error={err.message} arxivApi={arxivApi(c)} />,
        { status: 400 },
      );
    }
    const job = c.var.app.importJobs.start(request, viewer.id);
    return c.redirect(`/import/jobs/${job.id}`, 303);
  });

  app.get('/import/jobs/:id', async (c) => {
    const job = findJob(c, c.req.param('id'));
    const running = job.status === 'queued' || job.status === 'running';
    const papers = running
      ? []
      : ((await Promise.all(job.paperIds.map((id) => c.var.app.store.getPaper(id)))).filter(
          Boolean,
        ) as Paper[]);
    return page(
      c,
      job.label,
      <JobPage job={job} papers={papers} />,
      running ? { refreshSeconds: POLL_SECONDS } : {},
    );
  });

  app.get('/api/import/jobs/:id', (c) => {
    requireScope(c, 'import');
    return c.json(jobJson(findJob(c, c.req.param('id'))));
  });

  /** Start an import over the API: `{ "text": "…" }` or `{ "arxivIds": ["2006.10540"] }`. */
  app.post('/api/import', async (c) => {
    const viewer = requireScope(c, 'import');
    let body: { text?: unknown; origin?: unknown; arxivIds?: unknown };
    try {
      body = await c.req.json();
    } catch {
      throw new InvalidInputError('Send a JSON object: {"text": "…"} or {"arxivIds": ["…"]}.');
    }
    let request: ImportRequest;
    if (typeof body.text === 'string' && body.text.trim()) {
      request = {
        kind: 'text',
        text: body.text,
        origin: typeof body.origin === 'string' ? body.origin : 'API',
      };
    } else if (Array.isArray(body.arxivIds)) {
      request = { kind: 'arxiv-ids', ids: parseArxivIds(body.arxivIds.map(String).join(' ')) };
    } else {
      throw new InvalidInputError('Send a JSON object: {"text": "…"} or {"arxivIds": ["…"]}.');
    }
    const job = c.var.app.importJobs.start(request, viewer.id);
    return c.json(jobJson(job), 202, { location: `/api/import/jobs/${job.id}` });
  });

  return app;
}

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { fetchArxivApi } from '../fetch/arxiv.ts';
import { createHttpClient } from '../fetch/http.ts';
import type { FetchedPage } from '../fetch/page.ts';
import { arxivApiAdapter } from '../sources/arxiv-api/parse.ts';
import type { FormatRegistry } from '../sources/format-registry.ts';
import type { Db } from '../store/sqlite/database.ts';
import { ingestPages } from './fetch.service.ts';
import type { ImportService, ImportSummary } from './import.service.ts';

/**
 * Imports started from the web page, run in the background one after another: the page that
 * started one shows its progress and then its summary. Jobs live in memory (the summary of an
 * import is for the person watching it; the records themselves are in the store). Job ids are
 * random, so one person cannot guess another's job.
 */

export type ImportRequest =
  | { kind: 'text'; text: string; origin: string }
  /** A file on this machine (an upload kept in the data folder): line formats stream, with progress. */
  | { kind: 'file'; path: string; name: string }
  | { kind: 'arxiv-ids'; ids: string[] }
  | { kind: 'arxiv-author'; name: string }
  | { kind: 'arxiv-query'; query: string };

export interface ImportJob {
  id: string;
  /** Who started it (undefined when signed out or before accounts). */
  ownerId: number | undefined;
  label: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  createdAt: string;
  finishedAt?: string;
  progress: { read: number; bytesRead?: number; totalBytes?: number; pages?: number; note?: string };
  summary?: ImportSummary;
  /** The papers the import's records belong to (new, merged or already there), first ones only. */
  paperIds: number[];
  error?: string;
}

/** What a job needs to name the papers it touched: the registry (to read a paste's records) and a read connection. */
export interface ImportJobsContext {
  formats: FormatRegistry;
  readDb: Db;
}

/** A job's summary lists at most this many of its papers: a page of 10,000 links helps nobody. */
export const MAX_PAPERS_LISTED = 200;

const KEEP_JOBS = 200;
const MAX_FETCH_RESULTS = 500;
const ARXIV_ID = /^(?:arxiv:)?((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?)$/i;

/** The arXiv ids in what someone typed: separated by spaces, commas or lines; anything else is an error. */
export function parseArxivIds(input: string): string[] {
  const words = input.split(/[\s,;]+/).filter(Boolean);
  if (words.length === 0) throw new InvalidInputError('Give at least one arXiv id (for example 2006.10540).');
  const bad = words.filter((w) => !ARXIV_ID.test(w));
  if (bad.length) {
    throw new InvalidInputError(
      `Not arXiv ids: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}.`,
    );
  }
  return [...new Set(words.map((w) => ARXIV_ID.exec(w)![1]!))];
}

export function describeRequest(request: ImportRequest): string {
  switch (request.kind) {
    case 'text':
      return `Import of ${request.origin}`;
    case 'file':
      return `Import of ${request.name}`;
    case 'arxiv-ids':
      return `arXiv: ${request.ids.length === 1 ? request.ids[0] : `${request.ids.length} ids`}`;
    case 'arxiv-author':
      return `arXiv: papers by ${request.name}`;
    case 'arxiv-query':
      return `arXiv: ${request.query}`;
  }
}

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly importer: ImportService,
    private readonly config: Config,
    private readonly context: ImportJobsContext,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(request: ImportRequest, ownerId?: number): ImportJob {
    const job: ImportJob = {
      id: randomUUID(),
      ownerId,
      label: describeRequest(request),
      status: 'queued',
      createdAt: this.now().toISOString(),
      progress: { read: 0 },
      paperIds: [],
    };
    this.jobs.set(job.id, job);
    this.forgetOld();
    const run = () => this.run(job, request);
    this.chain = this.chain.then(run, run);
    return job;
  }

  /** A job as its owner sees it; someone else's job is as good as absent. */
  get(id: string, viewerId: number | undefined): ImportJob | undefined {
    const job = this.jobs.get(id);
    if (!job || (job.ownerId !== undefined && job.ownerId !== viewerId)) return undefined;
    return job;
  }

  /** Resolves when every job started so far has finished. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  private async run(job: ImportJob, request: ImportRequest): Promise<void> {
    job.status = 'running';
    try {
      job.summary = await this.execute(job, request);
      job.status = 'done';
    } catch (err) {
      job.status = 'failed';
      job.error = (err as Error).message;
    } finally {
      job.finishedAt = this.now().toISOString();
    }
  }

  /** Papers that hold these source records, in the order the records came. */
  private papersOf(records: { source: string; key: string }[]): number[] {
    const lookup = this.context.readDb.prepare(
      'SELECT paper_id FROM source_records WHERE source = ? AND record_key = ? AND paper_id IS NOT NULL',
    );
    const ids = new Set<number>();
    for (const r of records) {
      if (ids.size >= MAX_PAPERS_LISTED) break;
      const id = lookup.pluck().get(r.source, r.key) as number | undefined;
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  }

  private async execute(job: ImportJob, request: ImportRequest): Promise<ImportSummary> {
    const onProgress = (p: { read: number; bytesRead?: number; totalBytes?: number }) => {
      job.progress = { ...job.progress, ...p };
    };
    if (request.kind === 'text') {
      const summary = await this.importer.importText(request.text, request.origin, {
        onProgress,
        batchSize: 500,
      });
      job.progress = { ...job.progress, read: summary.read };
      // Parsing is pure and a paste is small: read it again for the keys of its records.
      const adapter = summary.format ? this.context.formats.adapterFor(summary.format) : undefined;
      if (adapter) {
        const parsed = adapter.parse(request.text, {
          origin: request.origin,
          fetchedAt: this.now().toISOString(),
        });
        job.paperIds = this.papersOf(
          parsed.records.map((r) => ({ source: r.provenance.source, key: r.key })),
        );
      }
      return summary;
    }
    if (request.kind === 'file') {
      const summary = await this.importer.importFile(request.path, { onProgress });
      // Each upload is kept under a path of its own, so its records name it as their origin
      // (records already imported from elsewhere, unchanged, keep their first origin).
      job.paperIds = this.context.readDb
        .prepare(
          `SELECT paper_id FROM source_records WHERE origin = ? AND paper_id IS NOT NULL
           GROUP BY paper_id ORDER BY min(id) LIMIT ${MAX_PAPERS_LISTED}`,
        )
        .pluck()
        .all(resolve(request.path)) as number[];
      return summary;
    }
    const http = createHttpClient({
      userAgent: 'Paperscope/0.1 (self-hosted research-paper platform)',
      minIntervalMs: 1000,
      hostIntervalMs: { [new URL(this.config.sources.arxivApi).host]: this.config.arxivDelayMs },
      maxRetries: 3,
      maxBackoffMs: 60_000,
      timeoutMs: 60_000,
      onEvent: (e) => {
        if (e.type === 'retry') job.progress = { ...job.progress, note: `${e.reason}; retrying` };
      },
    });
    const pages = fetchArxivApi(
      http,
      {
        baseUrl: this.config.sources.arxivApi,
        maxResults: MAX_FETCH_RESULTS,
        pageSize: 100,
        ...(request.kind === 'arxiv-ids' ? { idList: request.ids } : {}),
        ...(request.kind === 'arxiv-author' ? { author: request.name } : {}),
        ...(request.kind === 'arxiv-query' ? { query: request.query } : {}),
      },
      { adapter: arxivApiAdapter },
    );
    const seen: { source: string; key: string }[] = [];
    async function* noting(source: AsyncIterable<FetchedPage>) {
      for await (const page of source) {
        for (const r of page.output.records) {
          if (seen.length < MAX_PAPERS_LISTED) seen.push({ source: r.provenance.source, key: r.key });
        }
        yield page;
      }
    }
    const summary = await ingestPages(this.importer, noting(pages), 'arXiv API', {
      onPage: (p) => {
        job.progress = { ...job.progress, read: p.summary.read, pages: p.pages };
      },
      clock: this.now,
    });
    job.paperIds = this.papersOf(seen);
    return summary;
  }

  private forgetOld(): void {
    if (this.jobs.size <= KEEP_JOBS) return;
    for (const [id, job] of this.jobs) {
      if (job.status === 'done' || job.status === 'failed') this.jobs.delete(id);
      if (this.jobs.size <= KEEP_JOBS) return;
    }
  }
}

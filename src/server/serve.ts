import { type ServerType, serve } from '@hono/node-server';
import type { Paperscope } from '../app/paperscope.ts';
import { PageWorkers, stopPageWorkers, usePageWorkers } from '../web/page-workers.ts';
import { createApp } from './app.tsx';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Start the HTTP server; resolves once it listens, with the address it listens on. */
export interface ServerOptions {
  /**
   * Worker threads that render store-only pages (search results, author pages). Default: on a
   * large knowledge base (where authors are summarized in the background), one per core beside
   * the main thread, at most two; none on a small one. 0: every page on the main thread.
   */
  pageWorkers?: number;
}

export function startServer(
  paperscope: Paperscope,
  host: string,
  port: number,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const app = createApp(paperscope);
  // Count the corpus's common terms in the background (seconds at a million papers): author
  // pages then look up a word's frequency in memory instead of in the search index's vocabulary.
  paperscope.authors
    .warmUp()
    .catch((err: Error) => console.error(`paperscope: author terms: ${err.message}`));
  // On a large knowledge base, author profiles are summarized ahead in a worker thread.
  paperscope.authors.startSummaries();
  // On a large knowledge base, pages that need only the store are rendered on the other cores.
  const workers =
    options.pageWorkers !== undefined
      ? options.pageWorkers > 0 && paperscope.store.file !== ':memory:'
        ? new PageWorkers(paperscope.store.file, options.pageWorkers)
        : undefined
      : paperscope.authors.summarizing
        ? PageWorkers.forMachine(paperscope.store.file)
        : undefined;
  if (workers) usePageWorkers(paperscope, workers);
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined;
    try {
      server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
        const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${shownHost}:${info.port}`,
          close: async () => {
            await new Promise<void>((done) => server!.close(() => done()));
            await stopPageWorkers(paperscope);
          },
        });
      });
      server.on('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}

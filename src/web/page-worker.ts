import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/sqlite/database.ts';
import { type PageJob, renderPageJob } from './page-jobs.tsx';

/**
 * A page worker thread: on its own read-only connection it renders the pages it is handed
 * (`PageJob`) and sends back their HTML. It never writes.
 */

export interface PageWorkerInput {
  file: string;
}

export type ToPageWorker = { id: number; job: PageJob };
export type FromPageWorker = { id: number; html: string } | { id: number; error: string };

const input = workerData as PageWorkerInput;
const port = parentPort!;
const db = openDatabase(input.file, { readonly: true });

port.on('message', async ({ id, job }: ToPageWorker) => {
  try {
    port.postMessage({ id, html: await renderPageJob(db, job) } satisfies FromPageWorker);
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});

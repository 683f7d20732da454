import { parentPort, workerData } from 'node:worker_threads';
import { type IndexUpdate, type IndexUpdateProgress, updateSearchIndex } from './update-index.ts';

/** Brings the saved search index up to date off the main thread (see `SearchWhileIndexing`). */

export interface IndexWorkerInput {
  storeFile: string;
}

export type FromIndexWorker =
  | { type: 'progress'; progress: IndexUpdateProgress }
  | { type: 'done'; update: IndexUpdate }
  | { type: 'failed'; message: string };

const input = workerData as IndexWorkerInput;
let last = 0;
try {
  const update = updateSearchIndex(input.storeFile, {
    progress: (progress) => {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      parentPort!.postMessage({ type: 'progress', progress } satisfies FromIndexWorker);
    },
  });
  parentPort!.postMessage({ type: 'done', update } satisfies FromIndexWorker);
} catch (err) {
  parentPort!.postMessage({ type: 'failed', message: (err as Error).message } satisfies FromIndexWorker);
}

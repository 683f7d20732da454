import { Worker } from 'node:worker_threads';
import type { SourceRecord } from '../domain/record.ts';
import type { ParseOutput, ParseProblem } from '../sources/format.ts';
import { unpackBatch } from './derived-batch.ts';
import type { DerivedRecord } from './ingest.ts';
import type { WorkerInput, WorkerMessage } from './line-parse-worker.ts';

/** One batch from the worker: records, what was derived of each, the lines it could not read. */
export interface ParsedBatch extends ParseOutput {
  records: SourceRecord[];
  derived: DerivedRecord[];
  problems: ParseProblem[];
  bytesRead: number;
  /** The worker thread's V8 heap when it sent the batch (bytes in use, bytes reserved). */
  workerHeap: { used: number; total: number };
}

const WORKER_URL = new URL('./line-parse-worker.mjs', import.meta.url);

/**
 * Batches of parsed and derived records from a worker thread, in file order. Taking a batch
 * lets the worker read another; leaving the loop early (an error while writing) stops it.
 */
export async function* parseLinesInWorker(input: WorkerInput): AsyncGenerator<ParsedBatch> {
  const worker = new Worker(WORKER_URL, { workerData: input });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    exited = true;
    if (code !== 0) failure ??= new Error(`the import worker stopped (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        if (exited) throw new Error('the import worker stopped before the end of the file');
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (m.type === 'error') throw new Error(`reading ${input.path}: ${m.message}`);
      if (m.type === 'done') return;
      worker.postMessage('ack');
      const { records, derived } = unpackBatch(m);
      yield { records, derived, problems: m.problems, bytesRead: m.bytesRead, workerHeap: m.heap };
    }
  } finally {
    await worker.terminate();
  }
}

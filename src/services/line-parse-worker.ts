import { createReadStream } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceRecord } from '../domain/record.ts';
import type { ParseContext, ParseProblem } from '../sources/format.ts';
import { type PackedBatch, packBatch } from './derived-batch.ts';
import { type DerivedRecord, deriveRecord } from './ingest.ts';
import { LINE_FORMATS, type LineFormat } from './line-formats.ts';
import { linesByChunk } from './read-lines.ts';

/**
 * The worker thread of a bulk import: reads a line-oriented file, parses each line and derives
 * what ingestion needs of each record on its own (stored content and fingerprint, match keys,
 * the merged view of a paper no other source knows), and hands the main thread batches of
 * them, packed as strings (`derived-batch.ts`). The main thread only writes. At most `AHEAD`
 * batches wait unacknowledged, so memory stays flat however far the parser could run ahead of
 * the store.
 */

export interface WorkerInput {
  path: string;
  format: LineFormat;
  ctx: ParseContext;
  batchSize: number;
}

export type WorkerMessage =
  | ({
      type: 'batch';
      problems: ParseProblem[];
      bytesRead: number;
      /** This thread's V8 heap when the batch was sent (bytes in use, bytes reserved): for progress. */
      heap: { used: number; total: number };
    } & PackedBatch)
  | { type: 'done'; bytesRead: number }
  | { type: 'error'; message: string };

const AHEAD = 2;

async function run(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const adapter = await LINE_FORMATS[input.format]();
  let unacknowledged = 0;
  let wake: (() => void) | undefined;
  port.on('message', (m: 'ack') => {
    if (m !== 'ack') return;
    unacknowledged--;
    wake?.();
  });

  const stream = createReadStream(input.path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let records: SourceRecord[] = [];
  let derived: DerivedRecord[] = [];
  let problems: ParseProblem[] = [];
  const send = async () => {
    // Packed as strings: a structured clone of the objects costs both threads more than deriving them.
    const message: WorkerMessage = {
      type: 'batch',
      problems,
      bytesRead: stream.bytesRead,
      heap: heapNow(),
      ...packBatch(records, derived),
    };
    port.postMessage(message);
    unacknowledged++;
    records = [];
    derived = [];
    problems = [];
    while (unacknowledged >= AHEAD) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  let lineNo = 0;
  for await (const lines of linesByChunk(stream)) {
    for (const line of lines) {
      lineNo++;
      if (line.length === 0) continue;
      const out = adapter.parseLine!(line, lineNo, input.ctx);
      for (const record of out.records) {
        records.push(record);
        derived.push(deriveRecord(record));
      }
      for (const problem of out.problems) problems.push(problem);
      if (records.length >= input.batchSize) await send();
    }
  }
  if (records.length > 0 || problems.length > 0) await send();
  port.postMessage({ type: 'done', bytesRead: stream.bytesRead } satisfies WorkerMessage);
}

function heapNow(): { used: number; total: number } {
  const h = getHeapStatistics();
  return { used: h.used_heap_size, total: h.total_heap_size };
}

run(workerData as WorkerInput).catch((err: unknown) => {
  parentPort!.postMessage({
    type: 'error',
    message: err instanceof Error ? err.message : String(err),
  } satisfies WorkerMessage);
});

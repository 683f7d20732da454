import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { initialKey, nameKey } from '../domain/names.ts';
import type { SourceRecord } from '../domain/record.ts';
import { recordDefect } from '../domain/validate.ts';
import type {
  FormatAdapter,
  FormatName,
  ParseContext,
  ParseOutput,
  ParseProblem,
} from '../sources/format.ts';
import type { FormatRegistry } from '../sources/format-registry.ts';
import type { BatchLookups, PaperStore } from '../store/port.ts';
import { withTightHeap } from './import-heap.ts';
import { type DerivedRecord, type IngestOutcome, ingestRecord } from './ingest.ts';
import { type LineFormat, workerFormatFor } from './line-formats.ts';
import { parseLinesInWorker } from './parse-lines-in-worker.ts';

/**
 * Bringing papers in: read a file, a pasted text or a fetched page; detect the format; parse;
 * put the records into the store in transactional batches; count what happened.
 */

export interface ImportSummary {
  origin: string;
  format?: FormatName;
  read: number;
  new: number;
  merged: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Why records were skipped, each naming the source, the origin and the place. */
  problems: ParseProblem[];
}

export interface ImportProgress {
  origin: string;
  read: number;
  bytesRead?: number;
  totalBytes?: number;
  /**
   * What the import is doing: reading the file (the default), or, after a bulk load, building
   * the indexes and search segments it deferred (the file is read; this can take a while).
   */
  stage?: 'reading' | 'indexing';
  /**
   * When the file is parsed on a worker thread: that thread's V8 heap at its latest batch (bytes
   * in use, bytes reserved), for whoever watches the import's memory (the main thread's own is
   * `process.memoryUsage()`).
   */
  workerHeap?: { used: number; total: number };
}

export interface ImportOptions {
  /** Force a format instead of detecting it. */
  format?: FormatName;
  onProgress?: (progress: ImportProgress) => void;
  /** Records per transaction. */
  batchSize?: number;
  /**
   * Parse and derive on a worker thread while this thread writes (line-oriented formats only).
   * By default a file larger than `PARALLEL_FROM_BYTES` does; `false` keeps everything here.
   */
  parallel?: boolean;
  /**
   * Bulk-load mode (`PaperStore.beginBulkLoad`), for line-oriented files only: indexes and
   * bookkeeping deferred to the end of the file. By default a file on the worker-thread path of `BULK_FROM_BYTES` or more into a
   * store with fewer papers than the file has records (about); `true` or `false` decides.
   */
  bulk?: boolean;
}

/** Below this size a worker thread costs more to start than it saves. */
const PARALLEL_FROM_BYTES = 4 * 1024 * 1024;

/**
 * Below this size a bulk load costs more than it saves: rebuilding the deferred indexes and
 * merging the search segments at the end costs time in proportion to the whole store.
 */
const BULK_FROM_BYTES = 64 * 1024 * 1024;
/** Fewer bytes than a bulk-snapshot record takes on average, so that records are not underestimated. */
const BULK_BYTES_PER_RECORD = 2048;

const SAMPLE_BYTES = 64 * 1024;
const MAX_PROBLEMS_KEPT = 1000;

export function emptySummary(origin: string, format?: FormatName): ImportSummary {
  const s: ImportSummary = {
    origin,
    read: 0,
    new: 0,
    merged: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    problems: [],
  };
  if (format) s.format = format;
  return s;
}

export class ImportService {
  constructor(
    private readonly store: PaperStore,
    private readonly formats: FormatRegistry,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private context(origin: string): ParseContext {
    return { origin, fetchedAt: this.clock().toISOString() };
  }

  /** Import text that is already in memory: a paste from a page, an upload, standard input. */
  async importText(text: string, origin: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const summary = emptySummary(origin);
    const adapter = this.chooseAdapter(text.slice(0, SAMPLE_BYTES), origin, options, summary);
    if (!adapter) return summary;
    summary.format = adapter.format;
    const output = adapter.parse(text, this.context(origin));
    await this.ingestOutput(output, summary, options);
    return summary;
  }

  /** Import a file; line-oriented formats stream, so memory stays flat whatever the file's size. */
  async importFile(file: string, options: ImportOptions = {}): Promise<ImportSummary> {
    // Provenance names the file the same way from wherever the import was started.
    const path = resolve(file);
    const summary = emptySummary(path);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      return fail(summary, `cannot read the file: ${(err as Error).message}`);
    }
    const sample = await readSample(path);
    const adapter = this.chooseAdapter(sample, path, options, summary, size);
    if (!adapter) return summary;
    summary.format = adapter.format;
    const ctx = this.context(path);
    if (!adapter.parseLine) {
      const text = await readFile(path, 'utf8');
      await this.ingestOutput(adapter.parse(text, ctx), summary, options);
      options.onProgress?.({ origin: path, read: summary.read, bytesRead: size, totalBytes: size });
      return summary;
    }
    const parallel = options.parallel ?? size >= PARALLEL_FROM_BYTES;
    const lineFormat = parallel ? await workerFormatFor(adapter) : undefined;
    const bulk = await this.bulkLoadFits(size, lineFormat !== undefined, options);
    if (bulk) await this.store.beginBulkLoad!();
    try {
      // A file large enough for the worker thread: heaps kept near their live size (import-heap.ts).
      if (lineFormat) {
        await withTightHeap(() =>
          this.streamLinesInWorker(lineFormat, path, size, ctx, summary, options, bulk),
        );
      } else await this.streamLines(adapter, path, size, ctx, summary, options);
    } finally {
      if (bulk) {
        // Also after a failure: the store gets its indexes back whatever happened.
        options.onProgress?.({
          origin: path,
          read: summary.read,
          bytesRead: size,
          totalBytes: size,
          stage: 'indexing',
        });
        await this.store.endBulkLoad!();
      }
    }
    return summary;
  }

  /** Whether this file goes in as a bulk load (see `ImportOptions.bulk`). */
  private async bulkLoadFits(size: number, onWorker: boolean, options: ImportOptions): Promise<boolean> {
    if (!this.store.beginBulkLoad || !this.store.endBulkLoad || options.bulk === false) return false;
    if (options.bulk === true) return true;
    if (!onWorker || size < BULK_FROM_BYTES) return false;
    return (await this.store.countPapers()) < size / BULK_BYTES_PER_RECORD;
  }

  /**
   * Like `streamLines`, with parsing and everything derivable from a record alone done on a
   * worker thread: this thread only looks up and writes. Same batches, same transactions,
   * same outcome.
   */
  private async streamLinesInWorker(
    format: LineFormat,
    path: string,
    size: number,
    ctx: ParseContext,
    summary: ImportSummary,
    options: ImportOptions,
    bulk: boolean,
  ): Promise<void> {
    const batchSize = options.batchSize ?? 2000;
    const progress = fileProgress(options, path, size);
    for await (const batch of parseLinesInWorker({ path, format, ctx, batchSize })) {
      // A bulk load answers name look-ups from memory: the batch need not list its names.
      await this.ingestOutput(batch, summary, options, batch.derived, !bulk);
      progress.report(summary.read, batch.bytesRead, batch.workerHeap);
    }
    progress.done(summary.read);
  }

  private async streamLines(
    adapter: FormatAdapter,
    path: string,
    size: number,
    ctx: ParseContext,
    summary: ImportSummary,
    options: ImportOptions,
  ): Promise<void> {
    const batchSize = options.batchSize ?? 2000;
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let batch: ParseOutput = { records: [], problems: [] };
    let lineNo = 0;
    const progress = fileProgress(options, path, size);
    for await (const line of lines) {
      lineNo++;
      if (line.length === 0) continue;
      const out = adapter.parseLine!(line, lineNo, ctx);
      batch.records.push(...out.records);
      batch.problems.push(...out.problems);
      if (batch.records.length >= batchSize) {
        await this.ingestOutput(batch, summary, options);
        batch = { records: [], problems: [] };
        progress.report(summary.read, stream.bytesRead);
      }
    }
    await this.ingestOutput(batch, summary, options);
    progress.done(summary.read);
  }

  /**
   * Put one parsed batch into the store in one transaction. `state` is written in the same
   * transaction (a harvest's resumption token), so a crash never loses or repeats a page.
   */
  async ingestOutput(
    output: ParseOutput,
    summary: ImportSummary,
    options: ImportOptions & { state?: { name: string; value: string | undefined } } = {},
    /** What was derived of each record already (`deriveRecord`), in the order of `output.records`. */
    derivedAlready?: readonly DerivedRecord[],
    /** Whether `IngestTx.expect` is told the names a batch will look up. */
    expectNames = true,
  ): Promise<void> {
    addProblems(summary, output.problems);
    const records: SourceRecord[] = [];
    const derived = new Map<SourceRecord, DerivedRecord>();
    for (const [i, record] of output.records.entries()) {
      const defect = recordDefect(record);
      if (defect === undefined) {
        records.push(record);
        const d = derivedAlready?.[i];
        if (d) derived.set(record, d);
      } else {
        const { source, origin, locator } = record.provenance;
        addProblems(summary, [{ source, origin, locator, message: `skipped: ${defect}` }]);
      }
    }
    const batchSize = options.batchSize ?? 2000;
    const batches: SourceRecord[][] = [];
    for (let i = 0; i < records.length; i += batchSize) batches.push(records.slice(i, i + batchSize));
    if (batches.length === 0 && options.state) batches.push([]);
    for (const [i, slice] of batches.entries()) {
      const last = i === batches.length - 1;
      const counts = await this.store.transaction(async (tx) => {
        if (tx.expect && derived.size > 0) await tx.expect(batchLookups(slice, derived, expectNames));
        const c: Record<IngestOutcome, number> = { new: 0, merged: 0, updated: 0, unchanged: 0 };
        for (const record of slice) c[await ingestRecord(tx, record, derived.get(record))]++;
        if (last && options.state) await tx.setState(options.state.name, options.state.value);
        return c;
      });
      summary.read += slice.length;
      summary.new += counts.new;
      summary.merged += counts.merged;
      summary.updated += counts.updated;
      summary.unchanged += counts.unchanged;
    }
  }

  private chooseAdapter(
    sample: string,
    origin: string,
    options: ImportOptions,
    summary: ImportSummary,
    size = sample.length,
  ): FormatAdapter | undefined {
    if (options.format) {
      const forced = this.formats.adapterFor(options.format);
      if (!forced) fail(summary, `unknown format "${options.format}"`);
      return forced;
    }
    if (size === 0 || sample.trim().length === 0) {
      fail(summary, 'the input is empty');
      return undefined;
    }
    if (looksBinary(sample)) {
      fail(summary, 'the input is binary, not text: no format Paperscope reads');
      return undefined;
    }
    const detected = this.formats.detect(sample, basename(origin));
    if (!detected) {
      fail(summary, 'unknown format: give --format to say which one it is');
      return undefined;
    }
    return detected.adapter;
  }
}

/** What a batch whose records were derived already will look up: sources, match keys, names. */
function batchLookups(
  records: readonly SourceRecord[],
  derived: Map<SourceRecord, DerivedRecord>,
  names: boolean,
): BatchLookups {
  const lookups: BatchLookups = { sources: [], paperKeys: [], nameKeys: [], initialKeys: [] };
  for (const record of records) {
    lookups.sources.push([record.provenance.source, record.key]);
    if (record.kind !== 'paper') continue;
    const keys = derived.get(record)?.keys;
    if (keys) {
      for (const id of keys.ids) lookups.paperKeys.push([id.kind, id.value]);
      if (keys.title) lookups.paperKeys.push(['title', keys.title]);
      if (keys.abstract) lookups.paperKeys.push(['abstract', keys.abstract]);
    }
    if (!names) continue;
    for (const name of record.authors ?? []) {
      lookups.nameKeys.push(nameKey(name));
      lookups.initialKeys.push(initialKey(name));
    }
  }
  return lookups;
}

function fail(summary: ImportSummary, message: string): ImportSummary {
  addProblems(summary, [
    { source: summary.format ?? 'import', origin: summary.origin, locator: 'file', message },
  ]);
  return summary;
}

function addProblems(summary: ImportSummary, problems: ParseProblem[]): void {
  summary.skipped += problems.filter((p) => p.locator !== 'file').length;
  for (const p of problems) {
    if (summary.problems.length < MAX_PROBLEMS_KEPT) summary.problems.push(p);
  }
}

async function readSample(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** NUL bytes or many replacement characters: not a text format. */
export function looksBinary(sample: string): boolean {
  if (sample.includes('\u0000')) return true;
  let bad = 0;
  for (const ch of sample) if (ch === '\uFFFD') bad++;
  return bad > 8 && bad / sample.length > 0.01;
}

/** A file's progress, told at most every 200 ms while it is read and once at its end. */
function fileProgress(options: ImportOptions, origin: string, totalBytes: number) {
  let lastReport = 0;
  return {
    report(read: number, bytesRead: number, workerHeap?: ImportProgress['workerHeap']): void {
      const now = Date.now();
      if (!options.onProgress || now - lastReport <= 200) return;
      lastReport = now;
      options.onProgress(
        workerHeap
          ? { origin, read, bytesRead, totalBytes, workerHeap }
          : { origin, read, bytesRead, totalBytes },
      );
    },
    done(read: number): void {
      options.onProgress?.({ origin, read, bytesRead: totalBytes, totalBytes });
    },
  };
}

import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { Int8Vectors } from './int8-vectors.ts';
import { LexicalRows } from './lexical-rows.ts';
import type { NeighbourIndex, NeighbourIndexOptions, NeighbourIndexParts } from './neighbour-index.ts';
import { NeighbourLists } from './neighbour-lists.ts';
import { TfidfModel } from './tfidf.ts';

/**
 * The similar-papers index on disk, one file: a magic line, a JSON header (options, vocabulary,
 * counts, and what the caller keeps beside it), then the arrays as raw little-endian bytes in a
 * fixed order: idf, basis, paper ids, int8 vectors, inverted-file centroids and assignment,
 * packed tf-idf rows, then the neighbour lists kept so far: each paper's place in the pool (−1:
 * none kept), and the pool. About 500 bytes a paper at the defaults (502 MB for 1M synthetic
 * papers), plus 164 a kept list. Written to a temporary file and renamed, so a reader never sees
 * half an index. Files of the first version (every paper's list, in paper order) are still read.
 */
const MAGIC = 'PAPERSCOPE-SIMILAR 2\n';
const MAGIC_V1 = 'PAPERSCOPE-SIMILAR 1\n';

export interface IndexFileHeader {
  options: NeighbourIndexOptions;
  terms: string[];
  sublinearTf: boolean;
  dimensions: number;
  encoderId: string | null;
  fittedOn: number;
  count: number;
  width: number;
  clusters: number;
  termsStored: number;
  /** Lists in the pool (version 2; version 1 kept one per paper). */
  listsKept?: number;
  /** The caller's own bookkeeping (the service keeps the change counter it has applied). */
  extra: Record<string, unknown>;
}

type Section = Float32Array | Int32Array | Int8Array | Uint16Array;

export function saveIndex(file: string, index: NeighbourIndex, extra: Record<string, unknown> = {}): void {
  const parts = index.parts();
  const lists = parts.lists.parts(parts.ids.length);
  const header: IndexFileHeader = {
    options: parts.options,
    terms: [...parts.model.terms],
    sublinearTf: parts.model.sublinearTf,
    dimensions: parts.dimensions,
    encoderId: parts.encoderId ?? null,
    fittedOn: parts.fittedOn,
    count: parts.ids.length,
    width: parts.lists.width,
    clusters: parts.ivf ? parts.ivf.centroids.length / Math.max(1, parts.dimensions) : 0,
    termsStored: parts.rows.storedTerms,
    listsKept: lists.slots.length / parts.lists.width,
    extra,
  };
  const before: Section[] = [
    parts.model.idf,
    parts.basis,
    parts.ids,
    parts.vectors.data,
    parts.ivf?.centroids ?? new Float32Array(0),
    parts.ivf?.assignment ?? new Int32Array(0),
  ];
  const after: Section[] = [lists.entryOf, lists.slots, lists.scores];
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    writeSync(fd, Buffer.from(MAGIC, 'latin1'));
    writeSync(fd, length);
    writeSync(fd, json);
    for (const s of before) writeAll(fd, Buffer.from(s.buffer, s.byteOffset, s.byteLength));
    parts.rows.writeTo((bytes) =>
      writeAll(fd, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    );
    for (const s of after) writeAll(fd, Buffer.from(s.buffer, s.byteOffset, s.byteLength));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

export interface LoadedIndex {
  header: IndexFileHeader;
  parts: NeighbourIndexParts;
}

/**
 * Read an index file; a file that is not one, or is cut short, gets an error naming it. The
 * tf-idf rows stay in the file (read when needed, see `LexicalRows.fromFile`) unless
 * `rowsInMemory`; the file stays open for them until the index is closed.
 */
export function loadIndex(file: string, options: { rowsInMemory?: boolean } = {}): LoadedIndex {
  if (!existsSync(file)) throw new Error(`${file}: no similar-papers index there`);
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  let at = 0;
  const read = (bytes: number, into?: Uint8Array): Uint8Array => {
    const out = into ?? new Uint8Array(bytes);
    if (at + bytes > size) {
      throw new Error(
        `${file}: cut short at byte ${size} (expected at least ${at + bytes}); run \`paperscope similar --rebuild\``,
      );
    }
    let done = 0;
    while (done < bytes) {
      const n = readSync(fd, out, done, Math.min(bytes - done, 1 << 30), at + done);
      if (n === 0) throw new Error(`${file}: cut short at byte ${at + done}`);
      done += n;
    }
    at += bytes;
    return out;
  };
  const skip = (bytes: number): void => {
    if (at + bytes > size) {
      throw new Error(
        `${file}: cut short at byte ${size} (expected at least ${at + bytes}); run \`paperscope similar --rebuild\``,
      );
    }
    at += bytes;
  };
  let keepOpen = false;
  try {
    const magic = Buffer.from(read(Math.min(MAGIC.length, size))).toString('latin1');
    if (magic !== MAGIC && magic !== MAGIC_V1)
      throw new Error(`${file}: not a Paperscope similar-papers index (version 1 or 2)`);
    const pooled = magic === MAGIC;
    const jsonLength = Buffer.from(read(4)).readUInt32LE(0);
    let header: IndexFileHeader;
    try {
      header = JSON.parse(Buffer.from(read(jsonLength)).toString('utf8')) as IndexFileHeader;
    } catch (err) {
      throw new Error(`${file}: unreadable header (${(err as Error).message})`);
    }
    const take = <T extends Section>(
      Kind: { new (n: number): T; BYTES_PER_ELEMENT: number },
      n: number,
    ): T => {
      const out = new Kind(n);
      read(n * Kind.BYTES_PER_ELEMENT, new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
      return out;
    };
    const v = header.terms.length;
    const d = header.dimensions;
    const n = header.count;
    const encoded = header.encoderId !== null;
    const idf = take(Float32Array, v);
    const basis = take(Float32Array, encoded ? 0 : v * d);
    const ids = take(Int32Array, n);
    const vectorBytes = take(Int8Array, n * d);
    const centroids = take(Float32Array, header.clusters * d);
    const assignment = take(Int32Array, header.clusters > 0 ? n : 0);
    const lengths = take(Uint16Array, n);
    // Version 2: each row's columns then its weights; version 1: all columns, then all weights.
    const rowsAt = at;
    let inMemory: LexicalRows | undefined;
    if (options.rowsInMemory && pooled) {
      inMemory = LexicalRows.fromInterleaved(lengths, take(Uint16Array, header.termsStored * 2));
    } else if (options.rowsInMemory) {
      const cols = take(Uint16Array, header.termsStored);
      inMemory = LexicalRows.fromParts(lengths, cols, take(Uint16Array, header.termsStored));
    } else {
      skip(header.termsStored * 4);
    }
    const entryOf = pooled ? take(Int32Array, n) : undefined;
    const listCount = pooled ? (header.listsKept ?? 0) : n;
    const listSlots = take(Int32Array, listCount * header.width);
    const listScores = take(Float32Array, listCount * header.width);
    if (at !== size) throw new Error(`${file}: ${size - at} bytes after the last section`);
    for (let i = 0; i < listSlots.length; i++) {
      if (listSlots[i]! >= n)
        throw new Error(`${file}: list ${Math.floor(i / header.width)} names slot ${listSlots[i]} of ${n}`);
    }
    const lists = entryOf
      ? NeighbourLists.fromPool(header.width, entryOf, listSlots, listScores)
      : NeighbourLists.fromParts(header.width, listSlots, listScores);
    keepOpen = !inMemory;
    return {
      header,
      parts: {
        options: header.options,
        model: TfidfModel.fromParts(header.terms, idf, header.sublinearTf),
        basis,
        dimensions: d,
        encoderId: header.encoderId ?? undefined,
        fittedOn: header.fittedOn,
        ids,
        vectors: Int8Vectors.fromBytes(d, vectorBytes, n),
        rows:
          inMemory ??
          LexicalRows.fromFile(
            fd,
            lengths,
            rowsAt,
            pooled ? { kind: 'interleaved' } : { kind: 'split', weightsAt: rowsAt + header.termsStored * 2 },
          ),
        lists,
        ivf: header.clusters > 0 ? { centroids, assignment } : undefined,
      },
    };
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(file)) throw err;
    throw new Error(`${file}: ${(err as Error).message}`);
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}

function writeAll(fd: number, buffer: Buffer): void {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, Math.min(buffer.length - done, 1 << 30));
}

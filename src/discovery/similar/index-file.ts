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
 * none kept), and the pool (least recently used first). About 500 bytes a paper at the defaults
 * (502 MB for 1M synthetic papers), plus 168 a kept list. Written to a temporary file and renamed,
 * so a reader never sees half an index.
 *
 * Version 3 writes the int8 vectors grouped as the inverted file groups them (group 0's papers in
 * slot order, then group 1's, …, then any paper in no group), so that a loaded index reads a
 * group's vectors in one read instead of holding them all (`Int8Vectors.fromFile`); where each
 * paper's vector is follows from the assignment. Versions 1 and 2 (vectors in slot order; version 1
 * also every paper's list, in paper order) are still read, their vectors left in the file too but
 * read one at a time (slower probes, no memory): the service saves such a file again as version 3
 * once loaded.
 */
const MAGIC = 'PAPERSCOPE-SIMILAR 3\n';
const MAGIC_V2 = 'PAPERSCOPE-SIMILAR 2\n';
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

/**
 * Write the index to `file` (through a temporary file and a rename). `format: 2` writes what the
 * code before version 3 wrote (vectors in slot order), for the tests of the reader.
 */
export function saveIndex(
  file: string,
  index: NeighbourIndex,
  extra: Record<string, unknown> = {},
  options: { format?: 2 | 3 } = {},
): void {
  const format = options.format ?? 3;
  const parts = index.parts();
  const lists = parts.lists.parts(parts.ids.length, format === 2);
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
  const before: Section[] = [parts.model.idf, parts.basis, parts.ids];
  const n = parts.ids.length;
  const order =
    format === 3 && parts.ivf ? inverse(groupedRows(parts.ivf.assignment, header.clusters, n)) : null;
  const groups: Section[] = [
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
    writeSync(fd, Buffer.from(format === 3 ? MAGIC : MAGIC_V2, 'latin1'));
    writeSync(fd, length);
    writeSync(fd, json);
    for (const s of before) writeAll(fd, Buffer.from(s.buffer, s.byteOffset, s.byteLength));
    parts.vectors.writeInOrder(order, (bytes) =>
      writeAll(fd, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    );
    for (const s of groups) writeAll(fd, Buffer.from(s.buffer, s.byteOffset, s.byteLength));
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
  /** The file's format: 3, or 1 and 2 (older, vectors held in memory; worth saving again). */
  version: number;
}

/**
 * Read an index file; a file that is not one, or is cut short, gets an error naming it. The
 * tf-idf rows stay in the file (read when needed, see `LexicalRows.fromFile`) unless
 * `rowsInMemory`, and so do the int8 vectors of a version-3 file with an inverted file (read a
 * group at a time, see `Int8Vectors.fromFile`) unless `vectorsInMemory`; the file stays open for
 * them until the index is closed.
 */
export function loadIndex(
  file: string,
  options: { rowsInMemory?: boolean; vectorsInMemory?: boolean } = {},
): LoadedIndex {
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
    const version = magic === MAGIC ? 3 : magic === MAGIC_V2 ? 2 : magic === MAGIC_V1 ? 1 : 0;
    if (version === 0) throw new Error(`${file}: not a Paperscope similar-papers index (version 1, 2 or 3)`);
    const pooled = version >= 2;
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
    const vectorsAt = at;
    // With an inverted file, the vectors stay in the file; without one (a small corpus) they are read.
    const inFile = header.clusters > 0 && !options.vectorsInMemory;
    let vectorBytes: Int8Array | undefined;
    if (inFile) skip(n * d);
    else vectorBytes = take(Int8Array, n * d);
    const centroids = take(Float32Array, header.clusters * d);
    const assignment = take(Int32Array, header.clusters > 0 ? n : 0);
    // Version 3 keeps each group's vectors together; earlier versions kept them in slot order (read
    // one at a time from there until the service saves the file again, as version 3).
    const rowOf =
      version === 3 && header.clusters > 0
        ? groupedRows(assignment, header.clusters, n)
        : Int32Array.from({ length: inFile ? n : 0 }, (_, s) => s);
    if (vectorBytes && version === 3 && header.clusters > 0) vectorBytes = inSlotOrder(vectorBytes, rowOf, d);
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
      version,
      parts: {
        options: header.options,
        model: TfidfModel.fromParts(header.terms, idf, header.sublinearTf),
        basis,
        dimensions: d,
        encoderId: header.encoderId ?? undefined,
        fittedOn: header.fittedOn,
        ids,
        vectors: vectorBytes
          ? Int8Vectors.fromBytes(d, vectorBytes, n)
          : Int8Vectors.fromFile(d, openSync(file, 'r'), vectorsAt, rowOf),
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

/**
 * Where each slot's vector is in a version-3 file: the papers of group 0 in slot order, then those
 * of group 1, …, then those in no group (assignment −1), in slot order.
 */
function groupedRows(assignment: Int32Array, clusters: number, n: number): Int32Array {
  const next = new Float64Array(clusters + 1);
  for (let s = 0; s < n; s++) {
    const c = assignment[s]!;
    if (c >= clusters) throw new RangeError(`slot ${s} assigned to cluster ${c} of ${clusters}`);
    next[c < 0 ? clusters : c]!++;
  }
  for (let c = 0, at = 0; c <= clusters; c++) {
    const count = next[c]!;
    next[c] = at;
    at += count;
  }
  const rowOf = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const c = assignment[s]!;
    rowOf[s] = next[c < 0 ? clusters : c]!++;
  }
  return rowOf;
}

function inverse(rowOf: Int32Array): Int32Array {
  const order = new Int32Array(rowOf.length);
  for (let s = 0; s < rowOf.length; s++) order[rowOf[s]!] = s;
  return order;
}

/** Grouped vectors put back in slot order (a file of version 3 loaded into memory). */
function inSlotOrder(grouped: Int8Array, rowOf: Int32Array, d: number): Int8Array {
  const out = new Int8Array(grouped.length);
  for (let s = 0; s < rowOf.length; s++) out.set(grouped.subarray(rowOf[s]! * d, (rowOf[s]! + 1) * d), s * d);
  return out;
}

function writeAll(fd: number, buffer: Buffer): void {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, Math.min(buffer.length - done, 1 << 30));
}

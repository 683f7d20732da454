import { closeSync, existsSync, fstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { type ByteStreamsState, PAGE_BITS } from './byte-streams.ts';
import { FiledPages, FiledSnapshot, OpenFile } from './filed-pages.ts';
import type { SearchIndexState } from './search-index.ts';
import type { SyncMark } from './store-source.ts';

/**
 * The index saved to one file in the data folder, so a restart reads it back instead of
 * re-reading every paper: a JSON header (scalars, the mark, array shapes), then each typed
 * array's bytes at an 8-byte boundary. Written to a temporary name and renamed, so a crash
 * mid-write leaves the previous snapshot.
 *
 * The pages of postings and positions stay in the file once loaded or saved (see
 * `FiledPages`): the layout is the same as when they were read into memory, so a snapshot of
 * any earlier version loads.
 */

const MAGIC = 'paperscope-search-index 1\n';
type Saved = Typed | FromFile;
type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
const KINDS = { Uint8Array, Uint16Array, Uint32Array, Int32Array, Float64Array } as const;
type KindName = keyof typeof KINDS;

interface Header {
  mark: SyncMark;
  scalars: Record<string, number>;
  categories: string[];
  arrays: { name: string; kind: KindName; length: number }[];
}

/**
 * A page of a pool kept in the file it was loaded from or last saved to: copied from there,
 * the blocks written since over it, zeros up to `length` (when later pages were added after
 * a last page the file holds cut short).
 */
class FromFile {
  constructor(
    readonly filed: FiledPages,
    readonly page: number,
    readonly length: number,
    readonly overlay: Map<number, Uint8Array>,
  ) {}
}

const savedLength = (a: Saved) => (a instanceof FromFile ? a.length : a.byteLength);

function streamsArrays(prefix: string, s: ByteStreamsState): [string, Saved][] {
  const pageSize = 2 ** PAGE_BITS;
  return [
    [`${prefix}.head`, s.head],
    [`${prefix}.tail`, s.tail],
    [`${prefix}.room`, s.room],
    [`${prefix}.level`, s.level],
    ...s.pages.map((p, i): [string, Saved] => [
      `${prefix}.page.${i}`,
      s.filed && i < s.filed.count
        ? new FromFile(
            s.filed,
            i,
            i === s.pages.length - 1 ? s.used - i * pageSize : pageSize,
            s.overlay ?? new Map(),
          )
        : p,
    ]),
  ];
}

/** Copy a filed page into the snapshot being written at `position`, with the blocks written since. */
function writeFromFile(fd: number, position: number, a: FromFile): void {
  const pageSize = 2 ** PAGE_BITS;
  const have = Math.min(a.filed.length[a.page]!, a.length);
  const chunk = Buffer.alloc(Math.min(1 << 24, Math.max(a.length, 1)));
  for (let off = 0; off < a.length; ) {
    const n = Math.min(chunk.length, a.length - off);
    const fromFile = Math.max(0, Math.min(n, have - off));
    if (fromFile > 0) a.filed.read(a.page * pageSize + off, PAGE_BITS, chunk, 0, fromFile);
    chunk.fill(0, fromFile, n);
    writeSync(fd, chunk, 0, n, position + off);
    off += n;
  }
  for (const [start, block] of a.overlay) {
    if (start >>> PAGE_BITS !== a.page) continue;
    writeSync(fd, block, 0, block.length, position + (start - a.page * pageSize));
  }
}

/**
 * Save the index; returns the postings and positions pages as saved, for the index to read
 * them from there from now on (`TextIndex.fileStreams`), or to close.
 */
export function saveSnapshot(file: string, state: SearchIndexState, mark: SyncMark): FiledSnapshot {
  const { docs, text } = state;
  const termsBlob = Buffer.from(text.terms.join('\n'), 'utf8');
  const arrays: [string, Saved][] = [
    ['docs.exists', docs.exists],
    ['docs.version', docs.version],
    ['docs.length', docs.length],
    ['docs.year', docs.year],
    ['docs.sortKey', docs.sortKey],
    ['docs.flags', docs.flags],
    ['docs.sources', docs.sources],
    ['docs.attrStart', docs.attrStart],
    ['docs.catCount', docs.catCount],
    ['docs.authorCount', docs.authorCount],
    ['docs.attrPool', docs.attrPool],
    ['text.terms', new Uint8Array(termsBlob.buffer, termsBlob.byteOffset, termsBlob.byteLength)],
    ['text.postings', text.postings],
    ['text.lastDoc', text.lastDoc],
    ...streamsArrays('text.docs', text.docs),
    ...streamsArrays('text.positions', text.positions),
  ];
  const header: Header = {
    mark,
    scalars: {
      size: docs.size,
      live: docs.live,
      attrUsed: docs.attrUsed,
      tokens: text.tokens,
      termCount: text.terms.length,
      'text.docs.used': text.docs.used,
      'text.docs.count': text.docs.count,
      'text.positions.used': text.positions.used,
      'text.positions.count': text.positions.count,
      'text.docs.pages': text.docs.pages.length,
      'text.positions.pages': text.positions.pages.length,
    },
    categories: docs.categories,
    arrays: arrays.map(([name, a]) =>
      a instanceof FromFile
        ? { name, kind: 'Uint8Array' as const, length: a.length }
        : { name, kind: a.constructor.name as KindName, length: a.length },
    ),
  };
  const temp = `${file}.tmp`;
  // Opened for reading too: the pools are read back through this descriptor, which stays
  // this file's whatever is renamed over its name later.
  const fd = openSync(temp, 'w+');
  const pages = filedTables();
  try {
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const lead = Buffer.alloc(align(MAGIC.length + 4 + headerBytes.length));
    lead.write(MAGIC, 0, 'latin1');
    lead.writeUInt32LE(headerBytes.length, MAGIC.length);
    headerBytes.copy(lead, MAGIC.length + 4);
    writeSync(fd, lead, 0, lead.length, 0);
    let position = lead.length;
    for (const [name, a] of arrays) {
      const length = savedLength(a);
      pages.note(name, position, length);
      if (a instanceof FromFile) writeFromFile(fd, position, a);
      else {
        const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        for (let off = 0; off < bytes.length; off += 1 << 28) {
          const part = bytes.subarray(off, off + (1 << 28));
          writeSync(fd, part, 0, part.length, position + off);
        }
      }
      const pad = align(length) - length;
      if (pad) writeSync(fd, Buffer.alloc(pad), 0, pad, position + length);
      position += align(length);
    }
    renameSync(temp, file);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return pages.open(new OpenFile(fd));
}

const FILED_POOLS = ['text.docs', 'text.positions'] as const;
const isFiledPage = (name: string) => FILED_POOLS.some((pool) => name.startsWith(`${pool}.page.`));

/** Where each filed pool's pages are in a snapshot file, noted as its arrays are laid out. */
function filedTables() {
  const at = { 'text.docs': [] as number[], 'text.positions': [] as number[] };
  const length = { 'text.docs': [] as number[], 'text.positions': [] as number[] };
  return {
    note(name: string, position: number, bytes: number): void {
      for (const pool of FILED_POOLS) {
        if (!name.startsWith(`${pool}.page.`)) continue;
        at[pool].push(position);
        length[pool].push(bytes);
      }
    },
    open(file: OpenFile): FiledSnapshot {
      return new FiledSnapshot(
        new FiledPages(file, at['text.docs'], length['text.docs']),
        new FiledPages(file, at['text.positions'], length['text.positions']),
      );
    },
  };
}

const align = (n: number) => Math.ceil(n / 8) * 8;

/** A saved index's header and where its arrays begin, or undefined when the file is not one. */
function readHeader(fd: number): { header: Header; arraysFrom: number } | undefined {
  const lead = Buffer.alloc(MAGIC.length + 4);
  readSync(fd, lead, 0, lead.length, 0);
  if (lead.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const headerLength = lead.readUInt32LE(MAGIC.length);
  const headerBytes = Buffer.alloc(headerLength);
  readSync(fd, headerBytes, 0, headerLength, lead.length);
  const header = JSON.parse(headerBytes.toString('utf8')) as Header;
  return { header, arraysFrom: align(lead.length + headerLength) };
}

/** The mark and paper count of a saved index (its header alone), or undefined when there is none. */
export function readSnapshotMark(file: string): { mark: SyncMark; live: number } | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const read = readHeader(fd);
    if (!read) return undefined;
    return { mark: read.header.mark, live: read.header.scalars['live'] ?? 0 };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export interface LoadOptions {
  /**
   * Read the postings and positions into memory as well (a copy of the index to change and
   * save, or to measure against); by default they are read from the file when a search needs them.
   */
  inMemory?: boolean;
}

/**
 * The saved index and its mark, or undefined when there is no usable snapshot. Its postings
 * and positions stay in the file (see `FiledPages`), held open until the index's `close` or
 * its collection.
 */
export function loadSnapshot(
  file: string,
  options: LoadOptions = {},
): { state: SearchIndexState; mark: SyncMark } | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  let filed: FiledSnapshot | undefined;
  let loaded = false;
  try {
    const read = readHeader(fd);
    if (!read) return undefined;
    const { header } = read;
    let pos = read.arraysFrom;
    const arrays = new Map<string, Typed>();
    const pages = filedTables();
    const fileEnd = fstatSync(fd).size;
    for (const spec of header.arrays) {
      if (!options.inMemory && isFiledPage(spec.name) && spec.kind === 'Uint8Array') {
        if (pos + spec.length > fileEnd) return undefined;
        pages.note(spec.name, pos, spec.length);
        arrays.set(spec.name, NO_BYTES);
        pos += align(spec.length);
        continue;
      }
      const a = new KINDS[spec.kind](spec.length);
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let off = 0; off < bytes.length; ) {
        const got = readSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 28), pos + off);
        if (got === 0) return undefined;
        off += got;
      }
      pos += align(a.byteLength);
      arrays.set(spec.name, a);
    }
    const get = <T extends Typed>(name: string) => arrays.get(name) as T;
    const s = header.scalars;
    if (!options.inMemory) filed = pages.open(new OpenFile(fd));
    const streams = (prefix: string, filedPages?: FiledPages): ByteStreamsState => ({
      pages: Array.from({ length: s[`${prefix}.pages`]! }, (_, i) => get<Uint8Array>(`${prefix}.page.${i}`)),
      filed: filedPages,
      used: s[`${prefix}.used`]!,
      count: s[`${prefix}.count`]!,
      head: get(`${prefix}.head`),
      tail: get(`${prefix}.tail`),
      room: get(`${prefix}.room`),
      level: get(`${prefix}.level`),
    });
    const termsBytes = get<Uint8Array>('text.terms');
    const termsText = Buffer.from(termsBytes.buffer, termsBytes.byteOffset, termsBytes.byteLength).toString(
      'utf8',
    );
    const state: SearchIndexState = {
      docs: {
        size: s['size']!,
        live: s['live']!,
        exists: get('docs.exists'),
        version: get('docs.version'),
        length: get('docs.length'),
        year: get('docs.year'),
        sortKey: get('docs.sortKey'),
        flags: get('docs.flags'),
        sources: get('docs.sources'),
        attrStart: get('docs.attrStart'),
        catCount: get('docs.catCount'),
        authorCount: get('docs.authorCount'),
        attrPool: get('docs.attrPool'),
        attrUsed: s['attrUsed']!,
        categories: header.categories,
      },
      text: {
        terms: s['termCount'] ? termsText.split('\n') : [],
        postings: get('text.postings'),
        lastDoc: get('text.lastDoc'),
        docs: streams('text.docs', filed?.docs),
        positions: streams('text.positions', filed?.positions),
        tokens: s['tokens']!,
      },
    };
    loaded = true;
    return { state, mark: header.mark };
  } catch {
    return undefined;
  } finally {
    // Kept open for the pools that stay in the file; else closed here (once).
    if (!loaded && filed) filed.close();
    else if (!filed) closeSync(fd);
  }
}

const NO_BYTES = new Uint8Array(0);

import { closeSync, existsSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import type { ByteStreamsState } from './byte-streams.ts';
import type { SearchIndexState } from './search-index.ts';
import type { SyncMark } from './store-source.ts';

/**
 * The index saved to one file in the data folder, so a restart reads it back instead of
 * re-reading every paper: a JSON header (scalars, the mark, array shapes), then each typed
 * array's bytes at an 8-byte boundary. Written to a temporary name and renamed, so a crash
 * mid-write leaves the previous snapshot.
 */

const MAGIC = 'paperscope-search-index 1\n';
type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
const KINDS = { Uint8Array, Uint16Array, Uint32Array, Int32Array, Float64Array } as const;
type KindName = keyof typeof KINDS;

interface Header {
  mark: SyncMark;
  scalars: Record<string, number>;
  categories: string[];
  arrays: { name: string; kind: KindName; length: number }[];
}

function streamsArrays(prefix: string, s: ByteStreamsState): [string, Typed][] {
  return [
    [`${prefix}.head`, s.head],
    [`${prefix}.tail`, s.tail],
    [`${prefix}.room`, s.room],
    [`${prefix}.level`, s.level],
    ...s.pages.map((p, i): [string, Typed] => [`${prefix}.page.${i}`, p]),
  ];
}

export function saveSnapshot(file: string, state: SearchIndexState, mark: SyncMark): void {
  const { docs, text } = state;
  const termsBlob = Buffer.from(text.terms.join('\n'), 'utf8');
  const arrays: [string, Typed][] = [
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
    arrays: arrays.map(([name, a]) => ({ name, kind: a.constructor.name as KindName, length: a.length })),
  };
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const lead = Buffer.alloc(align(MAGIC.length + 4 + headerBytes.length));
    lead.write(MAGIC, 0, 'latin1');
    lead.writeUInt32LE(headerBytes.length, MAGIC.length);
    headerBytes.copy(lead, MAGIC.length + 4);
    writeSync(fd, lead);
    for (const [, a] of arrays) {
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let off = 0; off < bytes.length; off += 1 << 28)
        writeSync(fd, bytes.subarray(off, off + (1 << 28)));
      const pad = align(a.byteLength) - a.byteLength;
      if (pad) writeSync(fd, Buffer.alloc(pad));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
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

/** The saved index and its mark, or undefined when there is no usable snapshot. */
export function loadSnapshot(file: string): { state: SearchIndexState; mark: SyncMark } | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const read = readHeader(fd);
    if (!read) return undefined;
    const { header } = read;
    let pos = read.arraysFrom;
    const arrays = new Map<string, Typed>();
    for (const spec of header.arrays) {
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
    const streams = (prefix: string): ByteStreamsState => ({
      pages: Array.from({ length: s[`${prefix}.pages`]! }, (_, i) => get<Uint8Array>(`${prefix}.page.${i}`)),
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
        docs: streams('text.docs'),
        positions: streams('text.positions'),
        tokens: s['tokens']!,
      },
    };
    return { state, mark: header.mark };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

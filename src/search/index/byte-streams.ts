import type { FiledPages } from './filed-pages.ts';

/**
 * Many append-only byte streams in one pool of fixed pages: one stream per index term, so a
 * term's postings grow as papers arrive without moving anyone else's, and millions of rare
 * terms do not each cost a typed array. A stream is a chain of blocks whose payload doubles
 * (8 bytes … 32 KiB); the 4 bytes after a full block's payload hold the next block's offset.
 *
 * A pool's pages may stay in the saved snapshot (`file`): read on demand by `FiledStreamReader`.
 * Papers added after that append to memory: new blocks on new pages, and a filed stream's last
 * block, which the appends write into, copied into `overlay` first; all of it until the next save.
 */

export const PAGE_BITS = 26;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
const LINK = 4;
const BLOCK_SIZES = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const LAST_LEVEL = BLOCK_SIZES.length - 1;

function grown<T extends Uint32Array | Uint8Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Everything a pool is, for saving and loading. */
export interface ByteStreamsState {
  /** The pages; one kept in the file (below `filed.count`) is an empty placeholder. */
  pages: Uint8Array[];
  filed?: FiledPages | undefined;
  /** Blocks of filed pages written since (by their start), which take the file's place. */
  overlay?: Map<number, Uint8Array>;
  used: number;
  count: number;
  head: Uint32Array;
  tail: Uint32Array;
  room: Uint32Array;
  level: Uint8Array;
}

export class ByteStreams {
  private pages: Uint8Array[];
  private used: number;
  private count: number;
  private head: Uint32Array;
  /** Where each stream's next byte goes. */
  private tail: Uint32Array;
  /** Payload bytes left in each stream's last block. */
  private room: Uint32Array;
  private level: Uint8Array;
  private filed: FiledPages | undefined;
  /** Offsets below this are in the file's pages (a whole number of pages). */
  private fileEnd: number;
  private overlay: Map<number, Uint8Array>;

  constructor(state?: ByteStreamsState) {
    this.pages = state?.pages ?? [];
    this.filed = state?.filed;
    this.fileEnd = this.filed ? this.filed.count * PAGE_SIZE : 0;
    this.overlay = state?.overlay ?? new Map();
    this.used = state?.used ?? 0;
    this.count = state?.count ?? 0;
    this.head = state?.head ?? new Uint32Array(1024);
    this.tail = state?.tail ?? new Uint32Array(1024);
    this.room = state?.room ?? new Uint32Array(1024);
    this.level = state?.level ?? new Uint8Array(1024);
  }

  get state(): ByteStreamsState {
    const n = this.count;
    return {
      pages: this.pages.map((p, i) =>
        i === this.pages.length - 1 ? p.subarray(0, this.used - i * PAGE_SIZE) : p,
      ),
      used: this.used,
      count: n,
      head: this.head.subarray(0, n),
      tail: this.tail.subarray(0, n),
      room: this.room.subarray(0, n),
      level: this.level.subarray(0, n),
      filed: this.filed,
      overlay: this.overlay,
    };
  }

  /** Bytes held in memory: pages, blocks copied from the file, and per-stream bookkeeping. */
  get bytes(): number {
    let held = 0;
    for (const p of this.pages) held += p.byteLength;
    for (const b of this.overlay.values()) held += b.byteLength;
    return held + this.head.byteLength * 3 + this.level.byteLength;
  }

  /** Bytes of the pages read from the file instead (none unless `file` was called). */
  get filedBytes(): number {
    return this.filed ? this.filed.length.reduce((a, b) => a + b, 0) : 0;
  }

  /**
   * Read every page from now on from `filed` (the same pages as saved: page i of this pool at
   * `filed.at[i]`), dropping them from memory, and the blocks copied from an earlier file.
   */
  file(filed: FiledPages): void {
    if (filed.count !== this.pages.length) throw new Error('search index: filed pages do not match the pool');
    const before = this.filed;
    this.filed = filed;
    this.fileEnd = filed.count * PAGE_SIZE;
    this.pages = this.pages.map(() => NO_PAGE);
    this.overlay = new Map();
    if (before && before !== filed) before.close();
  }

  /** Give up the file (when the index is dropped). */
  close(): void {
    this.filed?.close();
  }

  /** A new, empty stream; returns its number. */
  create(): number {
    const s = this.count++;
    if (this.count > this.head.length) {
      this.head = grown(this.head, this.count, (n) => new Uint32Array(n));
      this.tail = grown(this.tail, this.count, (n) => new Uint32Array(n));
      this.room = grown(this.room, this.count, (n) => new Uint32Array(n));
      this.level = grown(this.level, this.count, (n) => new Uint8Array(n));
    }
    const block = this.allocate(BLOCK_SIZES[0]! + LINK);
    this.head[s] = block;
    this.tail[s] = block;
    this.room[s] = BLOCK_SIZES[0]!;
    this.level[s] = 0;
    return s;
  }

  private allocate(size: number): number {
    // Filed pages take no more blocks: appends go to pages of their own.
    let start = Math.max(this.used, this.fileEnd);
    if ((start & PAGE_MASK) + size > PAGE_SIZE) start = Math.ceil(start / PAGE_SIZE) * PAGE_SIZE;
    const end = start + size;
    if (end > 2 ** 32) throw new Error('search index: a postings pool passed 4 GiB');
    while ((end - 1) >>> PAGE_BITS >= this.pages.length) {
      // A loaded last page is cut to its used length; give it back its full size first.
      const last = this.pages.length - 1;
      if (last >= 0 && last * PAGE_SIZE >= this.fileEnd && this.pages[last]!.length < PAGE_SIZE) {
        const full = new Uint8Array(PAGE_SIZE);
        full.set(this.pages[last]!);
        this.pages[last] = full;
        continue;
      }
      this.pages.push(new Uint8Array(PAGE_SIZE));
    }
    const last = this.pages.length - 1;
    if (last * PAGE_SIZE >= this.fileEnd && this.pages[last]!.length < PAGE_SIZE) {
      const full = new Uint8Array(PAGE_SIZE);
      full.set(this.pages[last]!);
      this.pages[last] = full;
    }
    this.used = end;
    return start;
  }

  /** Index into `target`'s answer. */
  private targetAt = 0;

  /**
   * The array stream `s`'s byte at offset `t` (its tail) is written to, its index left in
   * `targetAt`: the page, or for a filed block the block's copy in memory.
   */
  private target(s: number, t: number): Uint8Array {
    if (t >= this.fileEnd) {
      this.targetAt = t & PAGE_MASK;
      return this.pages[t >>> PAGE_BITS]!;
    }
    const size = BLOCK_SIZES[this.level[s]!]!;
    const start = t - (size - this.room[s]!);
    let block = this.overlay.get(start);
    if (!block) {
      block = new Uint8Array(size + LINK);
      this.filed!.read(start, PAGE_BITS, block, 0, block.length);
      this.overlay.set(start, block);
    }
    this.targetAt = t - start;
    return block;
  }

  append(s: number, byte: number): void {
    if (this.room[s] === 0) this.link(s);
    const t = this.tail[s]!;
    this.target(s, t)[this.targetAt] = byte;
    this.tail[s] = t + 1;
    this.room[s]!--;
  }

  /** Append `value` (a whole number below 2^32) in 7-bit groups, low first. */
  appendVarint(s: number, value: number): void {
    let v = value;
    // A varint is at most 5 bytes: when the block has that room, write it straight into the page.
    const room = this.room[s]!;
    if (room >= 5) {
      const t = this.tail[s]!;
      const page = this.target(s, t);
      const from = this.targetAt;
      let i = from;
      while (v >= 0x80) {
        page[i++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      page[i++] = v;
      const written = i - from;
      this.tail[s] = t + written;
      this.room[s] = room - written;
      return;
    }
    while (v >= 0x80) {
      this.append(s, (v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.append(s, v);
  }

  private link(s: number): void {
    const lv = Math.min(this.level[s]! + 1, LAST_LEVEL);
    const block = this.allocate(BLOCK_SIZES[lv]! + LINK);
    const t = this.tail[s]!;
    const page = this.target(s, t);
    const i = this.targetAt;
    page[i] = block & 0xff;
    page[i + 1] = (block >>> 8) & 0xff;
    page[i + 2] = (block >>> 16) & 0xff;
    page[i + 3] = (block >>> 24) & 0xff;
    this.tail[s] = block;
    this.room[s] = BLOCK_SIZES[lv]!;
    this.level[s] = lv;
  }

  /** A reader at the start of stream `s`. The caller knows how much to read. */
  reader(s: number): ByteReader {
    return this.filed
      ? new FiledStreamReader(this.filedView(), this.head[s]!)
      : new StreamReader(this.pages, this.head[s]!);
  }

  /** A reader where another one stood (its `place`), to read a stream from the middle. */
  readerAt(place: StreamPlace): ByteReader {
    return this.filed
      ? new FiledStreamReader(this.filedView(), place.at, place.left, place.level)
      : new StreamReader(this.pages, place.at, place.left, place.level);
  }

  private filedView(): FiledPool {
    return { pages: this.pages, overlay: this.overlay, filed: this.filed!, fileEnd: this.fileEnd };
  }
}

const NO_PAGE = new Uint8Array(0);

/** Reads one stream forward (see `StreamReader` and `FiledStreamReader`). */
export interface ByteReader {
  readonly place: StreamPlace;
  placeInto(at: Uint32Array, left: Uint16Array, level: Uint8Array, k: number): void;
  /** Stand where another reader stood (one reader for many stretches). */
  moveTo(place: StreamPlace): void;
  skipVarints(n: number): void;
  byte(): number;
  varint(): number;
}

/** Where a reader stands in a stream: enough to start another reader there. */
export interface StreamPlace {
  at: number;
  left: number;
  level: number;
}

/** Reads one stream forward: bytes and varints, following block links. */
export class StreamReader {
  private page: Uint8Array;
  private pageIndex: number;
  private i: number;
  private left: number;
  private level: number;

  constructor(
    private readonly pages: Uint8Array[],
    start: number,
    left = BLOCK_SIZES[0]!,
    level = 0,
  ) {
    this.pageIndex = start >>> PAGE_BITS;
    this.page = pages[this.pageIndex]!;
    this.i = start & PAGE_MASK;
    this.left = left;
    this.level = level;
  }

  moveTo(place: StreamPlace): void {
    this.pageIndex = place.at >>> PAGE_BITS;
    this.page = this.pages[this.pageIndex]!;
    this.i = place.at & PAGE_MASK;
    this.left = place.left;
    this.level = place.level;
  }

  /** Where this reader stands: the next byte's offset, the bytes left in its block, the block's level. */
  get place(): StreamPlace {
    return { at: this.pageIndex * PAGE_SIZE + this.i, left: this.left, level: this.level };
  }

  /** The same, into three arrays at `k` (skip tables keep millions of places flat). */
  placeInto(at: Uint32Array, left: Uint16Array, level: Uint8Array, k: number): void {
    at[k] = this.pageIndex * PAGE_SIZE + this.i;
    left[k] = this.left;
    level[k] = this.level;
  }

  /** Read past `n` varints without their values. */
  skipVarints(n: number): void {
    let k = n;
    while (k > 0) {
      if (this.left === 0) this.follow();
      this.left--;
      if (this.page[this.i++]! < 0x80) k--;
    }
  }

  byte(): number {
    if (this.left === 0) this.follow();
    this.left--;
    return this.page[this.i++]!;
  }

  varint(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let scale = 128;
    for (;;) {
      b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  }

  private follow(): void {
    const p = this.page;
    const i = this.i;
    const next = (p[i]! | (p[i + 1]! << 8) | (p[i + 2]! << 16) | (p[i + 3]! << 24)) >>> 0;
    this.level = Math.min(this.level + 1, LAST_LEVEL);
    this.pageIndex = next >>> PAGE_BITS;
    this.page = this.pages[this.pageIndex]!;
    this.i = next & PAGE_MASK;
    this.left = BLOCK_SIZES[this.level]!;
  }
}

/** What a filed reader reads from: the pool's pages, its copied blocks, its file. */
interface FiledPool {
  pages: Uint8Array[];
  overlay: Map<number, Uint8Array>;
  filed: FiledPages;
  fileEnd: number;
}

/**
 * The first read from the file: a phrase's stretch of 32 postings holds ~100–300 bytes of
 * positions, and the next stretches it reads in the same block are often within these bytes
 * (a read costs its system call more than its bytes).
 */
const FIRST_WINDOW = 4096;
/** Reads then double up to a whole block, for a list read on (a skip table's first build). */
const WINDOW = BLOCK_SIZES[LAST_LEVEL]! + LINK;

/**
 * `StreamReader` over a pool whose pages are in the file: reads a window of the current
 * block at a time (positional reads into a buffer of its own), a block copied since from the
 * copy, and a block on a page appended since from memory.
 */
export class FiledStreamReader implements ByteReader {
  private win: Uint8Array = NO_PAGE;
  /** The pool offset of `win[0]`. */
  private base: number;
  private i = 0;
  /** How far `win` holds this stream's bytes. */
  private end = 0;
  private left: number;
  private level: number;
  private want = FIRST_WINDOW;
  private scratch: Uint8Array | undefined;

  constructor(
    private readonly pool: FiledPool,
    start: number,
    left = BLOCK_SIZES[0]!,
    level = 0,
  ) {
    this.base = start;
    this.left = left;
    this.level = level;
  }

  get place(): StreamPlace {
    return { at: this.base + this.i, left: this.left, level: this.level };
  }

  placeInto(at: Uint32Array, left: Uint16Array, level: Uint8Array, k: number): void {
    at[k] = this.base + this.i;
    left[k] = this.left;
    level[k] = this.level;
  }

  moveTo(place: StreamPlace): void {
    this.left = place.left;
    this.level = place.level;
    // Still within what the window holds (of the same block: a window never passes its block's
    // link, blocks do not overlap, and a page or a copied block holds whole blocks): no read.
    if (place.at >= this.base && place.at < this.base + this.end) {
      this.i = place.at - this.base;
      return;
    }
    this.base = place.at;
    this.i = 0;
    this.end = 0;
    this.win = NO_PAGE;
    this.want = FIRST_WINDOW;
  }

  skipVarints(n: number): void {
    let k = n;
    while (k > 0) {
      if (this.left === 0) this.follow();
      else if (this.i === this.end) this.fill();
      const win = this.win;
      const stop = Math.min(this.end, this.i + this.left);
      let i = this.i;
      while (i < stop) {
        if (win[i++]! < 0x80 && --k === 0) break;
      }
      this.left -= i - this.i;
      this.i = i;
    }
  }

  byte(): number {
    if (this.left === 0) this.follow();
    else if (this.i === this.end) this.fill();
    this.left--;
    return this.win[this.i++]!;
  }

  varint(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let scale = 128;
    for (;;) {
      b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  }

  /** Make `win` hold the bytes from where the reader stands (with the link, when it is near). */
  private fill(): void {
    const address = this.base + this.i;
    const pool = this.pool;
    if (address >= pool.fileEnd) {
      const page = pool.pages[address >>> PAGE_BITS]!;
      this.win = page;
      this.i = address & PAGE_MASK;
      this.base = address - this.i;
      this.end = page.length;
      return;
    }
    const start = address - (BLOCK_SIZES[this.level]! - this.left);
    const copied = pool.overlay.get(start);
    if (copied) {
      this.win = copied;
      this.base = start;
      this.i = address - start;
      this.end = copied.length;
      return;
    }
    const n = Math.min(this.left + LINK, this.want);
    this.want = Math.min(this.want * 2, WINDOW);
    this.scratch ??= new Uint8Array(WINDOW);
    pool.filed.read(address, PAGE_BITS, this.scratch, 0, n);
    this.win = this.scratch;
    this.base = address;
    this.i = 0;
    this.end = n;
  }

  private follow(): void {
    if (this.i + LINK > this.end) this.fill();
    const p = this.win;
    const i = this.i;
    const next = (p[i]! | (p[i + 1]! << 8) | (p[i + 2]! << 16) | (p[i + 3]! << 24)) >>> 0;
    this.level = Math.min(this.level + 1, LAST_LEVEL);
    this.left = BLOCK_SIZES[this.level]!;
    this.base = next;
    this.i = 0;
    this.end = 0;
    this.fill();
  }
}

/**
 * Many append-only byte streams in one pool of fixed pages: one stream per index term, so a
 * term's postings grow as papers arrive without moving anyone else's, and millions of rare
 * terms do not each cost a typed array. A stream is a chain of blocks whose payload doubles
 * (8 bytes … 32 KiB); the 4 bytes after a full block's payload hold the next block's offset.
 */

const PAGE_BITS = 26;
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
  pages: Uint8Array[];
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

  constructor(state?: ByteStreamsState) {
    this.pages = state?.pages ?? [];
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
    };
  }

  /** Bytes held: pages and per-stream bookkeeping. */
  get bytes(): number {
    return this.pages.length * PAGE_SIZE + this.head.byteLength * 3 + this.level.byteLength;
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
    let start = this.used;
    if ((start & PAGE_MASK) + size > PAGE_SIZE) start = Math.ceil(start / PAGE_SIZE) * PAGE_SIZE;
    const end = start + size;
    if (end > 2 ** 32) throw new Error('search index: a postings pool passed 4 GiB');
    while ((end - 1) >>> PAGE_BITS >= this.pages.length) {
      // A loaded last page is cut to its used length; give it back its full size first.
      const last = this.pages.length - 1;
      if (last >= 0 && this.pages[last]!.length < PAGE_SIZE) {
        const full = new Uint8Array(PAGE_SIZE);
        full.set(this.pages[last]!);
        this.pages[last] = full;
        continue;
      }
      this.pages.push(new Uint8Array(PAGE_SIZE));
    }
    const last = this.pages.length - 1;
    if (this.pages[last]!.length < PAGE_SIZE) {
      const full = new Uint8Array(PAGE_SIZE);
      full.set(this.pages[last]!);
      this.pages[last] = full;
    }
    this.used = end;
    return start;
  }

  append(s: number, byte: number): void {
    if (this.room[s] === 0) this.link(s);
    const t = this.tail[s]!;
    this.pages[t >>> PAGE_BITS]![t & PAGE_MASK] = byte;
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
      const page = this.pages[t >>> PAGE_BITS]!;
      let i = t & PAGE_MASK;
      while (v >= 0x80) {
        page[i++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      page[i++] = v;
      const written = i - (t & PAGE_MASK);
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
    const page = this.pages[t >>> PAGE_BITS]!;
    const i = t & PAGE_MASK;
    page[i] = block & 0xff;
    page[i + 1] = (block >>> 8) & 0xff;
    page[i + 2] = (block >>> 16) & 0xff;
    page[i + 3] = (block >>> 24) & 0xff;
    this.tail[s] = block;
    this.room[s] = BLOCK_SIZES[lv]!;
    this.level[s] = lv;
  }

  /** A reader at the start of stream `s`. The caller knows how much to read. */
  reader(s: number): StreamReader {
    return new StreamReader(this.pages, this.head[s]!);
  }

  /** A reader where another one stood (its `place`), to read a stream from the middle. */
  readerAt(place: StreamPlace): StreamReader {
    return new StreamReader(this.pages, place.at, place.left, place.level);
  }
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

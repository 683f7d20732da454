import type { Db } from './database.ts';

/**
 * Which match keys and source records a store may hold, for the length of a bulk load: a Bloom
 * filter (bits set by 7 hashes of each key, ≈ 10 bits a key, ≈ 1 % false "maybe"s). A key it
 * has never seen is certainly not in the store, so a batch of new papers learns that without
 * asking SQLite — whose look-ups into `paper_keys` and the source records' key index grow dearer
 * as those b-trees outgrow the page cache (4 of them a record). A "maybe" is asked of the store
 * as before, so the filter can only save questions, never change an answer.
 *
 * It holds every key of the store when loaded and every key written after (rolled-back writes
 * stay in it: more "maybe"s, still right). Full past its size it is loaded again from the store
 * twice as large. Another connection's writes are not in it: the store drops it when one
 * wrote (`SqliteIngestTx.forgetKeys`) and it is loaded again when next asked.
 */
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private count = 0;

  private constructor(readonly capacity: number) {
    // A power of two of bits, at least 10 a key.
    let size = 1 << 16;
    while (size < capacity * 10) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** Every match key and source-record key of the store, room for twice as many (and at least `atLeast`). */
  static load(db: Db, atLeast = 1 << 20): KeyFilter {
    const stored =
      (db.prepare('SELECT count(*) FROM paper_keys').pluck().get() as number) +
      (db.prepare('SELECT count(*) FROM source_records').pluck().get() as number);
    const filter = new KeyFilter(Math.max(atLeast, 2 * stored));
    for (const [kind, value] of db.prepare('SELECT kind, value FROM paper_keys').raw().iterate() as Iterable<
      [string, string]
    >) {
      filter.add(paperKey(kind, value));
    }
    for (const [source, key] of db
      .prepare('SELECT source, record_key FROM source_records')
      .raw()
      .iterate() as Iterable<[string, string]>) {
      filter.add(sourceKey(source, key));
    }
    return filter;
  }

  /** Past its size the filter says "maybe" too often: load it again, larger. */
  get full(): boolean {
    return this.count > this.capacity;
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.count++;
  }

  /** False: certainly never added. True: perhaps. */
  mayHold(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

const HASHES = 7;

/** The filter's key for a match key, as `SqliteIngestTx` spells it. */
export function paperKey(kind: string, value: string): string {
  return `k${kind}\u0000${value}`;
}

/** The filter's key for a source record. */
export function sourceKey(source: string, key: string): string {
  return `s${source}\u0000${key}`;
}

const pair: [number, number] = [0, 0];

/**
 * Double hashing's two numbers for a string: FNV-1a, and the step derived from it by
 * MurmurHash3's finalizer (two keys share their probes only when their 32-bit hashes collide).
 */
function hashes(key: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let step = h ^ (h >>> 16);
  step = Math.imul(step, 0x85ebca6b);
  step ^= step >>> 13;
  step = Math.imul(step, 0xc2b2ae35);
  step ^= step >>> 16;
  pair[0] = h >>> 0;
  // Odd, so that the probes differ.
  pair[1] = (step | 1) >>> 0;
  return pair;
}

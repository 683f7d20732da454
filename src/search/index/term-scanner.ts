import * as tokenize from './tokenize.ts';

// Module-local copies: an imported binding is read through a getter under the loader, and these
// are read for every character.
const CLASS = tokenize.CLASS;
const START = tokenize.START;
const PART = tokenize.PART;

/**
 * Text into term ids, for indexing: the same terms as `forEachTerm`, but a token seen before
 * is looked up by its characters in a table of its own (open addressing over the folded
 * token's UTF-16 units), so the common case — an ASCII word the index already knows — builds
 * no string, runs no stemmer and does no `Map` look-up. Building the index from a store spent
 * most of its time on exactly those three. A token met for the first time is folded by
 * `tokenAt`, stemmed and named by `resolve` (which gives the stem's term id), then remembered.
 */

const EMPTY = -1;
/** Past this many remembered tokens the table starts again (a bound on its memory: ≈ 70 MB). */
const MAX_ENTRIES = 1 << 21;

export class TermScanner {
  /** Term ids of the last `scan`, in token order: the token at position p is `ids[p]`. */
  ids = new Int32Array(1024);
  private buckets = new Int32Array(1 << 16).fill(EMPTY);
  private mask = (1 << 16) - 1;
  private entries = 0;
  private entryStart = new Int32Array(1 << 15);
  private entryLength = new Int32Array(1 << 15);
  private entryHash = new Int32Array(1 << 15);
  private entryValue = new Int32Array(1 << 15);
  private chars = new Uint16Array(1 << 18);
  private charsUsed = 0;

  constructor(
    private readonly resolve: (token: string) => number,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** Scan `text`; returns how many terms it has (their ids are in `ids`). */
  scan(text: string): number {
    const n = text.length;
    let count = 0;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (!(CLASS[c]! & START)) {
          i++;
          continue;
        }
        // An ASCII run: hash its lower-cased units as they are read.
        const start = i;
        let h = 0x811c9dc5;
        let j = i;
        let u = c;
        for (;;) {
          h = Math.imul(h ^ (u >= 65 && u <= 90 ? u + 32 : u), 0x01000193);
          j++;
          if (j >= n) break;
          u = text.charCodeAt(j);
          if (u >= 128 || !(CLASS[u]! & START)) break;
        }
        if (j >= n || u < 128 || !(CLASS[text.codePointAt(j)!]! & PART)) {
          // The whole token is ASCII (ASCII token characters all start tokens too).
          if (count === this.ids.length) this.grownIds();
          this.ids[count++] = this.asciiTerm(text, start, j, h);
          i = j;
          continue;
        }
        // A non-ASCII unit continues it: fold the token the general way.
        i = this.general(text, start, count);
        if (this.lastWasTerm) count++;
        continue;
      }
      const cp = text.codePointAt(i)!;
      if (!(CLASS[cp]! & START)) {
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      i = this.general(text, i, count);
      if (this.lastWasTerm) count++;
    }
    return count;
  }

  private lastWasTerm = false;

  /** The token at `start` folded by `tokenAt`; its id goes to `ids[at]` unless it folded away. */
  private general(text: string, start: number, at: number): number {
    const token = tokenize.tokenAt(text, start);
    const end = tokenize.tokenEnd;
    this.lastWasTerm = token.length > 0;
    if (this.lastWasTerm) {
      if (at === this.ids.length) this.grownIds();
      this.ids[at] = this.stringTerm(token);
    }
    return end;
  }

  private grownIds(): void {
    const bigger = new Int32Array(this.ids.length * 2);
    bigger.set(this.ids);
    this.ids = bigger;
  }

  private asciiTerm(text: string, start: number, end: number, h: number): number {
    const length = end - start;
    const chars = this.chars;
    let b = h & this.mask;
    for (;;) {
      const e = this.buckets[b]!;
      if (e === EMPTY) break;
      if (this.entryHash[e] === h && this.entryLength[e] === length) {
        let k = this.entryStart[e]!;
        let same = true;
        for (let j = start; j < end; j++, k++) {
          const u = text.charCodeAt(j);
          if (chars[k] !== (u >= 65 && u <= 90 ? u + 32 : u)) {
            same = false;
            break;
          }
        }
        if (same) return this.entryValue[e]!;
      }
      b = (b + 1) & this.mask;
    }
    const token = text.slice(start, end).toLowerCase();
    return this.remember(token, h, this.resolve(token));
  }

  private stringTerm(token: string): number {
    let h = 0x811c9dc5;
    for (let j = 0; j < token.length; j++) h = Math.imul(h ^ token.charCodeAt(j), 0x01000193);
    const chars = this.chars;
    let b = h & this.mask;
    for (;;) {
      const e = this.buckets[b]!;
      if (e === EMPTY) break;
      if (this.entryHash[e] === h && this.entryLength[e] === token.length) {
        let k = this.entryStart[e]!;
        let same = true;
        for (let j = 0; j < token.length; j++, k++) {
          if (chars[k] !== token.charCodeAt(j)) {
            same = false;
            break;
          }
        }
        if (same) return this.entryValue[e]!;
      }
      b = (b + 1) & this.mask;
    }
    return this.remember(token, h, this.resolve(token));
  }

  /** File `token` (hash `h`) as naming term `value`; returns `value`. */
  private remember(token: string, h: number, value: number): number {
    if (this.entries >= this.maxEntries) this.forgetAll();
    if ((this.entries + 1) * 2 > this.buckets.length) this.rehash(this.buckets.length * 2);
    const e = this.entries++;
    if (e === this.entryStart.length) {
      const grow = (a: Int32Array) => {
        const bigger = new Int32Array(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      this.entryStart = grow(this.entryStart);
      this.entryLength = grow(this.entryLength);
      this.entryHash = grow(this.entryHash);
      this.entryValue = grow(this.entryValue);
    }
    if (this.charsUsed + token.length > this.chars.length) {
      const bigger = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + token.length));
      bigger.set(this.chars.subarray(0, this.charsUsed));
      this.chars = bigger;
    }
    this.entryStart[e] = this.charsUsed;
    this.entryLength[e] = token.length;
    this.entryHash[e] = h;
    this.entryValue[e] = value;
    for (let j = 0; j < token.length; j++) this.chars[this.charsUsed++] = token.charCodeAt(j);
    let b = h & this.mask;
    while (this.buckets[b] !== EMPTY) b = (b + 1) & this.mask;
    this.buckets[b] = e;
    return value;
  }

  private rehash(size: number): void {
    this.buckets = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let e = 0; e < this.entries; e++) {
      let b = this.entryHash[e]! & this.mask;
      while (this.buckets[b] !== EMPTY) b = (b + 1) & this.mask;
      this.buckets[b] = e;
    }
  }

  private forgetAll(): void {
    this.buckets.fill(EMPTY);
    this.entries = 0;
    this.charsUsed = 0;
  }
}

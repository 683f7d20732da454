import { type Bits, hasBitBetween } from './bitset.ts';
import { type ByteReader, ByteStreams, type ByteStreamsState, type StreamPlace } from './byte-streams.ts';
import type { FiledSnapshot } from './filed-pages.ts';
import { porterStem } from './porter.ts';
import { TermScanner } from './term-scanner.ts';

/**
 * Postings of every term over the three searched columns (title, abstract, authors), as
 * FTS5 keeps them: per paper the count in each column and the positions. Appended as papers
 * arrive; a paper indexed again writes new postings under a new version and the old ones are
 * skipped on reading (a full rebuild drops them).
 *
 * Docs stream, per posting: varint(zigzag(id − previous id) · 2 + versioned), [version byte],
 * then varint(abs · 16 + authors · 4 + title) when title and authors counts are below 4, else
 * 0 and the three counts. Positions stream: each column's positions, delta-coded.
 */

export const COLUMNS = 3;
export type Column = 0 | 1 | 2;

export interface TextIndexState {
  terms: string[];
  postings: Uint32Array;
  lastDoc: Int32Array;
  docs: ByteStreamsState;
  positions: ByteStreamsState;
  tokens: number;
}

/**
 * Positions of a phrase's candidate papers for one word, by slot (the caller numbers its
 * candidates): slot s's title, abstract and authors positions are `pos[start[4s] …
 * start[4s+1])`, `[start[4s+1] … start[4s+2])` and `[start[4s+2] … start[4s+3])`.
 */
export interface SlotPositions {
  start: Uint32Array;
  pos: Uint32Array;
  /** Postings read to gather them (what the phrase cost). */
  read: number;
}

/** Postings per stretch of a skip table. */
const SKIP = 32;
/** Terms with fewer postings are read whole: a table would save little. */
const SKIP_FROM = 4096;

/**
 * Where every SKIP-th posting of a term begins in both streams, with the range of paper ids
 * of each stretch: a phrase's positional check then reads only the stretches that hold one
 * of its candidates, not a common word's whole list (a million postings at full scale).
 * Built on a term's first use in a phrase, extended as postings are appended.
 */
interface SkipTable {
  /** Postings covered so far. */
  postings: number;
  stretches: number;
  /** The paper id before the stretch's first posting (postings are delta-coded). */
  before: Int32Array;
  minDoc: Int32Array;
  maxDoc: Int32Array;
  docsAt: Uint32Array;
  docsLeft: Uint16Array;
  docsLevel: Uint8Array;
  posAt: Uint32Array;
  posLeft: Uint16Array;
  posLevel: Uint8Array;
  /** Where the covered postings end, to extend the table from there. */
  endDocs: StreamPlace;
  endPositions: StreamPlace;
  endDoc: number;
}

export class TextIndex {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[];
  private postings: Uint32Array;
  private lastDoc: Int32Array;
  private readonly docs: ByteStreams;
  private readonly positions: ByteStreams;
  /** Tokens in all live papers, for the average length BM25 divides by. */
  tokens: number;

  constructor(state?: TextIndexState) {
    this.terms = state?.terms ?? [];
    for (let i = 0; i < this.terms.length; i++) this.termIds.set(this.terms[i]!, i);
    this.postings = state?.postings ?? new Uint32Array(1024);
    this.lastDoc = state?.lastDoc ?? new Int32Array(1024);
    this.docs = new ByteStreams(state?.docs);
    this.positions = new ByteStreams(state?.positions);
    this.tokens = state?.tokens ?? 0;
    this.termStamp = new Int32Array(Math.max(1024, this.terms.length));
    this.termSlot = new Int32Array(this.termStamp.length);
    this.scanner = new TermScanner((token) => this.idOf(porterStem(token)));
  }

  /** Tokens to term ids, for `add`. */
  private readonly scanner: TermScanner;

  get state(): TextIndexState {
    const n = this.terms.length;
    return {
      terms: this.terms,
      postings: this.postings.subarray(0, n),
      lastDoc: this.lastDoc.subarray(0, n),
      docs: this.docs.state,
      positions: this.positions.state,
      tokens: this.tokens,
    };
  }

  get vocabulary(): number {
    return this.terms.length;
  }

  get bytes(): number {
    return this.docs.bytes + this.positions.bytes + this.terms.length * 8;
  }

  /** Bytes of postings and positions read from the snapshot file instead of held. */
  get filedBytes(): number {
    return this.docs.filedBytes + this.positions.filedBytes;
  }

  /** Bytes of postings (ids and counts) held in memory (all of them unless filed; else those added since). */
  get heldPostingBytes(): number {
    return this.docs.bytes;
  }

  /** Bytes of positions held in memory (all of them unless filed; else those added since). */
  get heldPositionBytes(): number {
    return this.positions.bytes;
  }

  /** Bytes of the skip tables built so far (one per common word a phrase has read). */
  get skipTableBytes(): number {
    let total = 0;
    for (const t of this.skipTables.values())
      total +=
        t.before.byteLength +
        t.minDoc.byteLength +
        t.maxDoc.byteLength +
        t.docsAt.byteLength +
        t.docsLeft.byteLength +
        t.docsLevel.byteLength +
        t.posAt.byteLength +
        t.posLeft.byteLength +
        t.posLevel.byteLength;
    return total;
  }

  /**
   * Read postings and positions from the saved snapshot from now on (`filed`: the pages as
   * they were just saved or loaded), not from memory: a search reads each of its words'
   * postings once (the commonest are kept decoded), a phrase a few stretches of positions.
   * What papers added later write is held until the next save.
   */
  fileStreams(filed: FiledSnapshot): void {
    this.docs.file(filed.docs);
    this.positions.file(filed.positions);
  }

  /** Give up the snapshot file postings and positions are read from. */
  close(): void {
    this.docs.close();
    this.positions.close();
  }

  /** How many postings `term` has (old versions included): 0 for a word no paper has. */
  postingsOf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postings[id]!;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  private idOf(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.terms.length;
    this.terms.push(term);
    this.termIds.set(term, id);
    if (id >= this.postings.length) {
      const p = new Uint32Array(Math.max(1024, this.postings.length * 2));
      p.set(this.postings);
      this.postings = p;
      const l = new Int32Array(p.length);
      l.set(this.lastDoc);
      this.lastDoc = l;
    }
    if (id >= this.termStamp.length) {
      const n = Math.max(1024, this.termStamp.length * 2);
      const st = new Int32Array(n);
      st.set(this.termStamp);
      this.termStamp = st;
      const sl = new Int32Array(n);
      sl.set(this.termSlot);
      this.termSlot = sl;
    }
    this.docs.create();
    this.positions.create();
    return id;
  }

  /**
   * Index one paper's columns under `version`. Returns its length in tokens (all columns),
   * which the caller keeps with the paper.
   *
   * Each distinct term of the paper gets a slot (in order of first appearance) and its
   * occurrences a chain through flat scratch arrays — column by column, positions rising —
   * so adding a paper allocates nothing.
   */
  add(doc: number, version: number, columns: readonly [string, string, string]): number {
    const stamp = ++this.stamp;
    let slots = 0;
    let occ = 0;
    let length = 0;
    for (let c = 0; c < COLUMNS; c++) {
      const n = this.scanner.scan(columns[c]!);
      const ids = this.scanner.ids;
      if (occ + n > this.occNext.length) this.growOccurrences(occ + n);
      if (slots + n > this.slotTerm.length) this.growSlots(slots + n);
      const { termStamp, termSlot, slotTerm, slotHead, slotTail, slotCount, occNext, occPos, occCol } = this;
      for (let p = 0; p < n; p++) {
        const id = ids[p]!;
        let s: number;
        if (termStamp[id] !== stamp) {
          termStamp[id] = stamp;
          s = slots++;
          termSlot[id] = s;
          slotTerm[s] = id;
          slotCount[s * 3] = 0;
          slotCount[s * 3 + 1] = 0;
          slotCount[s * 3 + 2] = 0;
          slotHead[s] = occ;
        } else {
          s = termSlot[id]!;
          occNext[slotTail[s]!] = occ;
        }
        slotTail[s] = occ;
        occNext[occ] = -1;
        occPos[occ] = p;
        occCol[occ] = c;
        occ++;
        slotCount[s * 3 + c]!++;
      }
      length += n;
    }
    for (let s = 0; s < slots; s++) this.append(this.slotTerm[s]!, doc, version, s);
    return length;
  }

  // Scratch of `add`: the slot of each term in the paper being added (valid while its stamp is
  // the current one); each slot's term, occurrence chain and counts by column.
  private stamp = 0;
  private termStamp: Int32Array;
  private termSlot: Int32Array;
  private slotTerm = new Int32Array(1024);
  private slotHead = new Int32Array(1024);
  private slotTail = new Int32Array(1024);
  private slotCount = new Int32Array(3 * 1024);
  private occNext = new Int32Array(1024);
  private occPos = new Int32Array(1024);
  private occCol = new Uint8Array(1024);

  private growSlots(need: number): void {
    const n = Math.max(need, this.slotTerm.length * 2);
    const grow = (a: Int32Array, size: number) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.slotTerm = grow(this.slotTerm, n);
    this.slotHead = grow(this.slotHead, n);
    this.slotTail = grow(this.slotTail, n);
    this.slotCount = grow(this.slotCount, 3 * n);
  }

  private growOccurrences(need: number): void {
    const n = Math.max(need, this.occNext.length * 2);
    const next = new Int32Array(n);
    next.set(this.occNext);
    const pos = new Int32Array(n);
    pos.set(this.occPos);
    const col = new Uint8Array(n);
    col.set(this.occCol);
    this.occNext = next;
    this.occPos = pos;
    this.occCol = col;
  }

  /** Write slot `s`'s posting (counts and positions) to term `id`'s streams. */
  private append(id: number, doc: number, version: number, s: number): void {
    const delta = doc - this.lastDoc[id]!;
    const zigzag = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    this.docs.appendVarint(id, zigzag * 2 + (version > 0 ? 1 : 0));
    if (version > 0) this.docs.append(id, version);
    const t = this.slotCount[s * 3]!;
    const a = this.slotCount[s * 3 + 1]!;
    const u = this.slotCount[s * 3 + 2]!;
    if (t < 4 && u < 4) {
      this.docs.appendVarint(id, a * 16 + u * 4 + t);
    } else {
      this.docs.append(id, 0);
      this.docs.appendVarint(id, t);
      this.docs.appendVarint(id, a);
      this.docs.appendVarint(id, u);
    }
    // The chain runs column by column, positions rising: delta-coded within each column.
    let column = 0;
    let prev = 0;
    for (let o = this.slotHead[s]!; o !== -1; o = this.occNext[o]!) {
      if (this.occCol[o] !== column) {
        column = this.occCol[o]!;
        prev = 0;
      }
      const p = this.occPos[o]!;
      this.positions.appendVarint(id, p - prev);
      prev = p;
    }
    this.lastDoc[id] = doc;
    this.postings[id]!++;
  }

  private readonly skipTables = new Map<number, SkipTable>();

  /** The skip table of term `id`, built or extended to cover every posting it has now. */
  private skipTable(id: number): SkipTable {
    const n = this.postings[id]!;
    let table = this.skipTables.get(id);
    if (!table) {
      const room = Math.ceil(n / SKIP) + 16;
      table = {
        postings: 0,
        stretches: 0,
        before: new Int32Array(room),
        minDoc: new Int32Array(room),
        maxDoc: new Int32Array(room),
        docsAt: new Uint32Array(room),
        docsLeft: new Uint16Array(room),
        docsLevel: new Uint8Array(room),
        posAt: new Uint32Array(room),
        posLeft: new Uint16Array(room),
        posLevel: new Uint8Array(room),
        endDocs: this.docs.reader(id).place,
        endPositions: this.positions.reader(id).place,
        endDoc: 0,
      };
      this.skipTables.set(id, table);
    }
    if (table.postings === n) return table;
    const need = Math.ceil(n / SKIP);
    if (need > table.before.length) {
      const room = need + (need >>> 2);
      const grow = <T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(
        a: T,
        make: (k: number) => T,
      ) => {
        const b = make(room);
        b.set(a);
        return b;
      };
      table.before = grow(table.before, (k) => new Int32Array(k));
      table.minDoc = grow(table.minDoc, (k) => new Int32Array(k));
      table.maxDoc = grow(table.maxDoc, (k) => new Int32Array(k));
      table.docsAt = grow(table.docsAt, (k) => new Uint32Array(k));
      table.docsLeft = grow(table.docsLeft, (k) => new Uint16Array(k));
      table.docsLevel = grow(table.docsLevel, (k) => new Uint8Array(k));
      table.posAt = grow(table.posAt, (k) => new Uint32Array(k));
      table.posLeft = grow(table.posLeft, (k) => new Uint16Array(k));
      table.posLevel = grow(table.posLevel, (k) => new Uint8Array(k));
    }
    // Fresh readers from saved places: a loaded pool's last page is replaced when it grows.
    const r = this.docs.readerAt(table.endDocs);
    const pr = this.positions.readerAt(table.endPositions);
    let doc = table.endDoc;
    for (let i = table.postings; i < n; i++) {
      const k = Math.floor(i / SKIP);
      if (i % SKIP === 0) {
        table.before[k] = doc;
        r.placeInto(table.docsAt, table.docsLeft, table.docsLevel, k);
        pr.placeInto(table.posAt, table.posLeft, table.posLevel, k);
        table.minDoc[k] = 2 ** 31 - 1;
        table.maxDoc[k] = -1;
        table.stretches = k + 1;
      }
      const head = r.varint();
      const zigzag = Math.floor(head / 2);
      doc += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      if (head % 2 === 1) r.byte();
      const packed = r.varint();
      const total =
        packed !== 0
          ? (packed & 3) + ((packed >>> 2) & 3) + Math.floor(packed / 16)
          : r.varint() + r.varint() + r.varint();
      pr.skipVarints(total);
      if (doc < table.minDoc[k]!) table.minDoc[k] = doc;
      if (doc > table.maxDoc[k]!) table.maxDoc[k] = doc;
    }
    table.postings = n;
    table.endDoc = doc;
    table.endDocs = r.place;
    table.endPositions = pr.place;
    return table;
  }

  /**
   * The positions of `term` in each live paper of `candidates`, filed under `slot[paper]`
   * (see `SlotPositions`; `start` must hold 4 entries per slot and be zeroed). A term with a
   * skip table is read only in the stretches whose ids hold a candidate.
   */
  gatherPositions(
    term: string,
    version: Uint8Array,
    candidates: Bits,
    slot: Int32Array,
    out: SlotPositions,
  ): SlotPositions {
    const id = this.termIds.get(term);
    if (id === undefined) return out;
    const n = this.postings[id]!;
    const state = { out, pk: 0 };
    if (n < SKIP_FROM) {
      this.gatherRun(this.docs.reader(id), this.positions.reader(id), 0, n, version, candidates, slot, state);
      state.out.read += n;
      return state.out;
    }
    // Building or extending the table is paid once, and not counted.
    const table = this.skipTable(id);
    // One reader of each stream moved from stretch to stretch (a filed one keeps its buffer,
    // and the next stretches it reads are often within what it holds).
    let dr: ByteReader | undefined;
    let pr: ByteReader | undefined;
    for (let k = 0; k < table.stretches; k++) {
      if (!hasBitBetween(candidates, table.minDoc[k]!, table.maxDoc[k]!)) continue;
      const docsPlace = { at: table.docsAt[k]!, left: table.docsLeft[k]!, level: table.docsLevel[k]! };
      if (dr) dr.moveTo(docsPlace);
      else dr = this.docs.readerAt(docsPlace);
      const place = { at: table.posAt[k]!, left: table.posLeft[k]!, level: table.posLevel[k]! };
      if (pr) pr.moveTo(place);
      else pr = this.positions.readerAt(place);
      state.out.read += Math.min(SKIP, n - k * SKIP);
      this.gatherRun(
        dr,
        pr,
        table.before[k]!,
        Math.min(SKIP, n - k * SKIP),
        version,
        candidates,
        slot,
        state,
      );
    }
    return state.out;
  }

  /** `count` postings from where `dr` and `pr` stand, the paper before them being `doc`. */
  private gatherRun(
    dr: ByteReader,
    pr: ByteReader,
    doc: number,
    count: number,
    version: Uint8Array,
    candidates: Bits,
    slot: Int32Array,
    state: { out: SlotPositions; pk: number },
  ): void {
    let d = doc;
    const { start } = state.out;
    for (let i = 0; i < count; i++) {
      const head = dr.varint();
      const zigzag = Math.floor(head / 2);
      d += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      const v = head % 2 === 1 ? dr.byte() : 0;
      let t: number;
      let a: number;
      let u: number;
      const packed = dr.varint();
      if (packed !== 0) {
        t = packed & 3;
        u = (packed >>> 2) & 3;
        a = Math.floor(packed / 16);
      } else {
        t = dr.varint();
        a = dr.varint();
        u = dr.varint();
      }
      const total = t + a + u;
      if (version[d] !== v || (candidates[d >>> 5]! & (1 << (d & 31))) === 0) {
        pr.skipVarints(total);
        continue;
      }
      let pk = state.pk;
      if (state.out.pos.length < pk + total) {
        const bigger = new Uint32Array(Math.max(state.out.pos.length * 2, pk + total));
        bigger.set(state.out.pos.subarray(0, pk));
        state.out.pos = bigger;
      }
      const pos = state.out.pos;
      const s = slot[d]! * 4;
      start[s] = pk;
      let p = 0;
      for (let j = 0; j < t; j++) pos[pk++] = p += pr.varint();
      start[s + 1] = pk;
      p = 0;
      for (let j = 0; j < a; j++) pos[pk++] = p += pr.varint();
      start[s + 2] = pk;
      p = 0;
      for (let j = 0; j < u; j++) pos[pk++] = p += pr.varint();
      start[s + 3] = pk;
      state.pk = pk;
    }
  }

  /**
   * The live postings of `term` with each one's weighted count (`weights` by column, or only
   * column `column` when it is ≥ 0), leaving out those where it is 0, each paper set in `bits`.
   * Written straight into arrays of the result's size: no scratch as large as the longest list
   * stays behind.
   */
  weighted(
    term: string,
    version: Uint8Array,
    weights: readonly number[],
    column: number,
    bits: Bits,
  ): { docs: Int32Array; freq: Float32Array } {
    const id = this.termIds.get(term);
    if (id === undefined) return { docs: new Int32Array(0), freq: new Float32Array(0) };
    const n = this.postings[id]!;
    const docs = new Int32Array(n);
    const freq = new Float32Array(n);
    const w0 = weights[0]!;
    const w1 = weights[1]!;
    const w2 = weights[2]!;
    const r = this.docs.reader(id);
    let doc = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const head = r.varint();
      const zigzag = Math.floor(head / 2);
      doc += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      const v = head % 2 === 1 ? r.byte() : 0;
      let t: number;
      let a: number;
      let u: number;
      const packed = r.varint();
      if (packed !== 0) {
        t = packed & 3;
        u = (packed >>> 2) & 3;
        a = Math.floor(packed / 16);
      } else {
        t = r.varint();
        a = r.varint();
        u = r.varint();
      }
      if (version[doc] !== v) continue;
      const f =
        column < 0 ? w0 * t + w1 * a + w2 * u : column === 0 ? w0 * t : column === 1 ? w1 * a : w2 * u;
      if (f === 0) continue;
      docs[k] = doc;
      freq[k++] = f;
      bits[doc >>> 5]! |= 1 << (doc & 31);
    }
    // Exact-size copies when many postings were stale or filtered out, else views.
    return k < n >>> 1
      ? { docs: docs.slice(0, k), freq: freq.slice(0, k) }
      : { docs: docs.subarray(0, k), freq: freq.subarray(0, k) };
  }
}

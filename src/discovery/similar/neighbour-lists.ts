/**
 * Papers' best `width` neighbours, kept once computed: slots and blended scores, best first, in
 * flat arrays (8 bytes a neighbour, 160 bytes a list at width 20). A list is computed when it is
 * first asked for (or, for a small corpus, at build), so memory follows the lists that were
 * asked for, not the corpus; and at most `limit` lists are kept (every list of all arXiv would be
 * 460 MB): past it, the least recently used is let go. A paper without a list is not "a paper
 * without neighbours": `cached` says undefined and the index computes it.
 *
 * Layout: `entryOf[slot]` is the list's place in the pool (−1: none kept); a dropped list's place
 * is reused by the next one. The places in use are chained from least to most recently used
 * (`older`/`newer`, 12 bytes a list with `slotOf`); a file saves the pool in that order.
 */
export class NeighbourLists {
  private entryOf: Int32Array;
  private slots: Int32Array;
  private scores: Float32Array;
  /** Pool places in use (the highest place + 1). */
  private entries = 0;
  private free: number[] = [];
  /** Slots covered by `entryOf` (the index's size when saved). */
  private used = 0;
  private kept = 0;
  /** Place → the slot whose list it holds, and its neighbours in the order of use (−1: none). */
  private slotOf: Int32Array;
  private older: Int32Array;
  private newer: Int32Array;
  /** The least and the most recently used places (−1: none kept). */
  private oldest = -1;
  private newest = -1;
  private max = Number.POSITIVE_INFINITY;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.entryOf = new Int32Array(Math.max(16, capacity)).fill(-1);
    this.slots = new Int32Array(16 * width).fill(-1);
    this.scores = new Float32Array(16 * width);
    this.slotOf = new Int32Array(16).fill(-1);
    this.older = new Int32Array(16).fill(-1);
    this.newer = new Int32Array(16).fill(-1);
  }

  /** Keep at most `lists` lists (at least 1): the least recently used beyond it are let go now and later. */
  limit(lists: number): void {
    this.max = Math.max(1, lists);
    while (this.kept > this.max) this.drop(this.slotOf[this.oldest]!);
  }

  /** Most lists kept at once. */
  get limitCount(): number {
    return this.max;
  }

  /** Lists saved in the first file format: one per slot, every slot's computed. */
  static fromParts(width: number, slots: Int32Array, scores: Float32Array): NeighbourLists {
    if (slots.length !== scores.length || slots.length % width !== 0) {
      throw new RangeError(`${slots.length} slots and ${scores.length} scores do not make lists of ${width}`);
    }
    const count = slots.length / width;
    return NeighbourLists.fromPool(
      width,
      Int32Array.from({ length: count }, (_, i) => i),
      slots,
      scores,
    );
  }

  /** Lists saved as a pool: `entryOf` per slot (−1: none), then the pool's slots and scores. */
  static fromPool(
    width: number,
    entryOf: Int32Array,
    slots: Int32Array,
    scores: Float32Array,
  ): NeighbourLists {
    if (slots.length !== scores.length || slots.length % width !== 0) {
      throw new RangeError(`${slots.length} slots and ${scores.length} scores do not make lists of ${width}`);
    }
    const entries = slots.length / width;
    const lists = new NeighbourLists(width, 1);
    lists.entryOf = entryOf;
    lists.slots = slots;
    lists.scores = scores;
    lists.entries = entries;
    lists.used = entryOf.length;
    lists.ensureEntry(Math.max(0, entries - 1));
    const taken = new Uint8Array(entries);
    for (let s = 0; s < entryOf.length; s++) {
      const e = entryOf[s]!;
      if (e < -1 || e >= entries || (e >= 0 && taken[e] === 1)) {
        throw new RangeError(`slot ${s} names list ${e} of ${entries}`);
      }
      if (e >= 0) {
        taken[e] = 1;
        lists.slotOf[e] = s;
        lists.kept++;
      }
    }
    // The pool's order is the order of use (a file writes the least recently used first).
    for (let e = 0; e < entries; e++) {
      if (taken[e] === 0) lists.free.push(e);
      else lists.link(e);
    }
    return lists;
  }

  /** How many lists are kept. */
  get count(): number {
    return this.kept;
  }

  /**
   * What a file saves: the place of each of the first `slots` slots' list, and the pool, compacted,
   * least recently used first (so that a file loaded under a smaller limit keeps the most recent),
   * or `inSlotOrder` (as files of version 2 were written).
   */
  parts(
    slotCount: number,
    inSlotOrder = false,
  ): { entryOf: Int32Array; slots: Int32Array; scores: Float32Array } {
    const w = this.width;
    const entryOf = new Int32Array(slotCount).fill(-1);
    const slots = new Int32Array(this.kept * w);
    const scores = new Float32Array(this.kept * w);
    let next = 0;
    const places: number[] = [];
    if (inSlotOrder) {
      for (let s = 0; s < Math.min(slotCount, this.used); s++)
        if (this.entryOf[s]! >= 0) places.push(this.entryOf[s]!);
    } else {
      for (let e = this.oldest; e >= 0; e = this.newer[e]!) places.push(e);
    }
    for (const e of places) {
      const s = this.slotOf[e]!;
      if (s >= slotCount) continue;
      slots.set(this.slots.subarray(e * w, e * w + w), next * w);
      scores.set(this.scores.subarray(e * w, e * w + w), next * w);
      entryOf[s] = next++;
    }
    return { entryOf, slots: slots.subarray(0, next * w), scores: scores.subarray(0, next * w) };
  }

  /** The kept list of `slot`, as `cached`, and it becomes the most recently used. */
  use(slot: number): { slot: number; score: number }[] | undefined {
    const list = this.cached(slot);
    if (list) {
      const e = this.entryOf[slot]!;
      this.unlink(e);
      this.link(e);
    }
    return list;
  }

  /** The kept list of `slot`, best first; undefined when none is kept. */
  cached(slot: number): { slot: number; score: number }[] | undefined {
    const e = slot >= 0 && slot < this.used ? this.entryOf[slot]! : -1;
    if (e < 0) return undefined;
    const out: { slot: number; score: number }[] = [];
    for (let i = e * this.width, end = i + this.width; i < end; i++) {
      const s = this.slots[i]!;
      if (s < 0) break;
      out.push({ slot: s, score: this.scores[i]! });
    }
    return out;
  }

  /** Keep `list` as the list of `slot` (best first; longer lists are cut at the width). */
  set(slot: number, list: readonly { slot: number; score: number }[]): void {
    this.ensureSlot(slot);
    let e = this.entryOf[slot]!;
    if (e < 0) {
      if (this.kept >= this.max) this.drop(this.slotOf[this.oldest]!);
      e = this.free.pop() ?? this.entries++;
      this.ensureEntry(e);
      this.entryOf[slot] = e;
      this.slotOf[e] = slot;
      this.kept++;
    } else {
      this.unlink(e);
    }
    this.link(e);
    const o = e * this.width;
    for (let i = 0; i < this.width; i++) {
      const item = list[i];
      this.slots[o + i] = item ? item.slot : -1;
      this.scores[o + i] = item ? item.score : 0;
    }
  }

  /** Forget the list of `slot` (it is computed again when asked for). */
  drop(slot: number): void {
    const e = slot >= 0 && slot < this.used ? this.entryOf[slot]! : -1;
    if (e < 0) return;
    this.unlink(e);
    this.entryOf[slot] = -1;
    this.slotOf[e] = -1;
    this.free.push(e);
    this.kept--;
  }

  /** Forget every list. */
  clear(): void {
    this.entryOf.fill(-1);
    this.entries = 0;
    this.free = [];
    this.kept = 0;
    this.oldest = -1;
    this.newest = -1;
  }

  /** Place `e` becomes the most recently used. */
  private link(e: number): void {
    this.older[e] = this.newest;
    this.newer[e] = -1;
    if (this.newest >= 0) this.newer[this.newest] = e;
    else this.oldest = e;
    this.newest = e;
  }

  private unlink(e: number): void {
    const o = this.older[e]!;
    const n = this.newer[e]!;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
    this.older[e] = -1;
    this.newer[e] = -1;
  }

  /** Whether `candidate`, scored `score` from the side of `slot`, would enter its kept list. */
  wouldEnter(slot: number, candidate: number, score: number): boolean {
    const list = this.cached(slot);
    if (!list || slot === candidate) return false;
    if (list.some((n) => n.slot === candidate)) return true;
    const last = list[this.width - 1];
    return list.length < this.width || (last !== undefined && score > last.score);
  }

  /** Slots whose kept list names any of `candidates`. */
  holdersOf(candidates: ReadonlySet<number>): number[] {
    const out: number[] = [];
    for (let slot = 0; slot < this.used; slot++) {
      const e = this.entryOf[slot]!;
      if (e < 0) continue;
      for (let i = e * this.width, end = i + this.width; i < end; i++) {
        const s = this.slots[i]!;
        if (s < 0) break;
        if (candidates.has(s)) {
          out.push(slot);
          break;
        }
      }
    }
    return out;
  }

  private ensureSlot(slot: number): void {
    if (slot >= this.entryOf.length) {
      const grown = new Int32Array(Math.max(slot + 1, Math.ceil(this.entryOf.length * 1.5))).fill(-1);
      grown.set(this.entryOf);
      this.entryOf = grown;
    }
    this.used = Math.max(this.used, slot + 1);
  }

  private ensureEntry(entry: number): void {
    if (entry >= this.slotOf.length) {
      const size = Math.max(entry + 1, Math.ceil(this.slotOf.length * 1.5));
      const grow = (a: Int32Array) => {
        const out = new Int32Array(size).fill(-1);
        out.set(a);
        return out;
      };
      this.slotOf = grow(this.slotOf);
      this.older = grow(this.older);
      this.newer = grow(this.newer);
    }
    const need = (entry + 1) * this.width;
    if (need > this.slots.length) {
      const size = Math.max(need, Math.ceil((this.slots.length * 1.5) / this.width) * this.width);
      const slots = new Int32Array(size).fill(-1);
      slots.set(this.slots);
      const scores = new Float32Array(size);
      scores.set(this.scores);
      this.slots = slots;
      this.scores = scores;
    }
  }
}

/**
 * Papers' best `width` neighbours, kept once computed: slots and blended scores, best first, in
 * flat arrays (8 bytes a neighbour, 160 bytes a list at width 20). A list is computed when it is
 * first asked for (or, for a small corpus, at build), so memory follows the lists that were
 * asked for, not the corpus: every list of all arXiv would be 460 MB. A paper without a list is
 * not "a paper without neighbours": `cached` says undefined and the index computes it.
 *
 * Layout: `entryOf[slot]` is the list's place in the pool (−1: none kept); a dropped list's place
 * is reused by the next one.
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

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.entryOf = new Int32Array(Math.max(16, capacity)).fill(-1);
    this.slots = new Int32Array(16 * width).fill(-1);
    this.scores = new Float32Array(16 * width);
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
    const taken = new Uint8Array(entries);
    for (let s = 0; s < entryOf.length; s++) {
      const e = entryOf[s]!;
      if (e < -1 || e >= entries || (e >= 0 && taken[e] === 1)) {
        throw new RangeError(`slot ${s} names list ${e} of ${entries}`);
      }
      if (e >= 0) {
        taken[e] = 1;
        lists.kept++;
      }
    }
    for (let e = 0; e < entries; e++) if (taken[e] === 0) lists.free.push(e);
    return lists;
  }

  /** How many lists are kept. */
  get count(): number {
    return this.kept;
  }

  /** What a file saves: the place of each of the first `slots` slots' list, and the pool, compacted. */
  parts(slotCount: number): { entryOf: Int32Array; slots: Int32Array; scores: Float32Array } {
    const w = this.width;
    const entryOf = new Int32Array(slotCount).fill(-1);
    const slots = new Int32Array(this.kept * w);
    const scores = new Float32Array(this.kept * w);
    let next = 0;
    for (let s = 0; s < Math.min(slotCount, this.used); s++) {
      const e = this.entryOf[s]!;
      if (e < 0) continue;
      slots.set(this.slots.subarray(e * w, e * w + w), next * w);
      scores.set(this.scores.subarray(e * w, e * w + w), next * w);
      entryOf[s] = next++;
    }
    return { entryOf, slots: slots.subarray(0, next * w), scores: scores.subarray(0, next * w) };
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
      e = this.free.pop() ?? this.entries++;
      this.ensureEntry(e);
      this.entryOf[slot] = e;
      this.kept++;
    }
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
    this.entryOf[slot] = -1;
    this.free.push(e);
    this.kept--;
  }

  /** Forget every list. */
  clear(): void {
    this.entryOf.fill(-1);
    this.entries = 0;
    this.free = [];
    this.kept = 0;
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

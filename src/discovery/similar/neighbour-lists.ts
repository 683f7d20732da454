/**
 * Each paper's best `width` neighbours, computed when the paper is indexed: slots and blended
 * scores, best first, in two flat arrays (8 bytes a neighbour, 160 bytes a paper at width 20).
 * A similar-papers request then reads a list instead of searching.
 */
export class NeighbourLists {
  private slots: Int32Array;
  private scores: Float32Array;
  private used = 0;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.slots = new Int32Array(Math.max(1, capacity) * width).fill(-1);
    this.scores = new Float32Array(Math.max(1, capacity) * width);
  }

  static fromParts(width: number, slots: Int32Array, scores: Float32Array): NeighbourLists {
    if (slots.length !== scores.length || slots.length % width !== 0) {
      throw new RangeError(`${slots.length} slots and ${scores.length} scores do not make lists of ${width}`);
    }
    const lists = new NeighbourLists(width, 1);
    lists.slots = slots;
    lists.scores = scores;
    lists.used = slots.length / width;
    return lists;
  }

  get count(): number {
    return this.used;
  }

  parts(): { slots: Int32Array; scores: Float32Array } {
    return {
      slots: this.slots.subarray(0, this.used * this.width),
      scores: this.scores.subarray(0, this.used * this.width),
    };
  }

  /** The list of `slot`, best first. */
  get(slot: number): { slot: number; score: number }[] {
    const out: { slot: number; score: number }[] = [];
    if (slot < 0 || slot >= this.used) return out;
    for (let i = slot * this.width, end = i + this.width; i < end; i++) {
      const s = this.slots[i]!;
      if (s < 0) break;
      out.push({ slot: s, score: this.scores[i]! });
    }
    return out;
  }

  /** Replace the list of `slot` (best first; longer lists are cut at the width). */
  set(slot: number, list: readonly { slot: number; score: number }[]): void {
    this.ensure(slot);
    const o = slot * this.width;
    for (let i = 0; i < this.width; i++) {
      const item = list[i];
      this.slots[o + i] = item ? item.slot : -1;
      this.scores[o + i] = item ? item.score : 0;
    }
  }

  /**
   * Offer `candidate` to the list of `slot`: it enters in score order if the list has room or it
   * beats the last; an entry it already had is updated. Returns whether the list changed.
   */
  offer(slot: number, candidate: number, score: number): boolean {
    if (slot === candidate) return false;
    const list = this.get(slot).filter((n) => n.slot !== candidate);
    const had = list.length < this.get(slot).length;
    const last = list[this.width - 1];
    if (!had && list.length >= this.width && last && score <= last.score) return false;
    list.push({ slot: candidate, score });
    list.sort((a, b) => b.score - a.score || a.slot - b.slot);
    this.set(slot, list);
    return true;
  }

  /** Whether any of `candidates` is on the list of `slot`. */
  holdsAny(slot: number, candidates: ReadonlySet<number>): boolean {
    if (slot < 0 || slot >= this.used) return false;
    for (let i = slot * this.width, end = i + this.width; i < end; i++) {
      const s = this.slots[i]!;
      if (s < 0) return false;
      if (candidates.has(s)) return true;
    }
    return false;
  }

  private ensure(slot: number): void {
    const need = (slot + 1) * this.width;
    if (need > this.slots.length) {
      const size = Math.max(need, Math.ceil((this.slots.length * 1.5) / this.width) * this.width);
      const slots = new Int32Array(size).fill(-1);
      slots.set(this.slots);
      const scores = new Float32Array(size);
      scores.set(this.scores);
      this.slots = slots;
      this.scores = scores;
    }
    this.used = Math.max(this.used, slot + 1);
  }
}

/**
 * The best `k` papers by score, then by date key (both larger first): a bounded min-heap, so
 * a million candidates cost a comparison each and a page of them a sort.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly score: Float64Array;
  private readonly key: Float64Array;
  private n = 0;

  constructor(k: number) {
    const size = Math.max(0, Math.min(k, 1 << 24));
    this.ids = new Int32Array(size);
    this.score = new Float64Array(size);
    this.key = new Float64Array(size);
  }

  /** True when (s1, k1) ranks below (s2, k2). */
  private static below(s1: number, k1: number, s2: number, k2: number): boolean {
    return s1 < s2 || (s1 === s2 && k1 < k2);
  }

  offer(id: number, score: number, key: number): void {
    if (this.ids.length === 0) return;
    if (this.n < this.ids.length) {
      let i = this.n++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopK.below(score, key, this.score[parent]!, this.key[parent]!)) break;
        this.move(parent, i);
        i = parent;
      }
      this.place(i, id, score, key);
      return;
    }
    if (!TopK.below(this.score[0]!, this.key[0]!, score, key)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      let c = l;
      if (r < this.n && TopK.below(this.score[r]!, this.key[r]!, this.score[l]!, this.key[l]!)) c = r;
      if (!TopK.below(this.score[c]!, this.key[c]!, score, key)) break;
      this.move(c, i);
      i = c;
    }
    this.place(i, id, score, key);
  }

  private move(from: number, to: number): void {
    this.ids[to] = this.ids[from]!;
    this.score[to] = this.score[from]!;
    this.key[to] = this.key[from]!;
  }

  private place(i: number, id: number, score: number, key: number): void {
    this.ids[i] = id;
    this.score[i] = score;
    this.key[i] = key;
  }

  /** The kept ids and their scores, best first. */
  sortedWithScores(): { ids: number[]; scores: number[] } {
    const order = Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => this.score[b]! - this.score[a]! || this.key[b]! - this.key[a]!);
    return { ids: order.map((i) => this.ids[i]!), scores: order.map((i) => this.score[i]!) };
  }

  /** The kept ids, best first. */
  sorted(): number[] {
    const order = Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => this.score[b]! - this.score[a]! || this.key[b]! - this.key[a]!);
    return order.map((i) => this.ids[i]!);
  }
}

import type { Corpus } from './corpus.ts';
import { givenFromShape } from './names.ts';
import { AliasSampler, type Rng, ZipfSampler } from './prng.ts';

export interface Person {
  given: string;
  family: string;
}

/** People in a lab: co-authors are drawn near the first author in the pool, so teams recur. */
const TEAM_SPAN = 40;
const TEAM_SHARE = 0.6;

/**
 * A fixed pool of distinct synthetic people composed from real given and family names, in the
 * shapes the corpus shows (`Scott T.`, `J.`, `Jose Luis`). Authors are drawn from it with a
 * Zipf–Mandelbrot law, so a few people have thousands of papers and most have a handful,
 * and the same person is spelled the same way each time, as on arXiv.
 */
export class AuthorPool {
  readonly people: Person[] = [];
  private readonly byRank: ZipfSampler;
  /** Pool index of each Zipf rank: shuffled, so prolific people are not all neighbours. */
  private readonly rankToIndex: Uint32Array;

  constructor(corpus: Corpus, size: number, rng: Rng) {
    const families = AliasSampler.fromCounts(corpus.families);
    const givens = AliasSampler.fromCounts(corpus.givens);
    const shapes = AliasSampler.fromCounts(corpus.givenShapes);
    const initials = initialSampler(corpus.givens);
    const seen = new Set<string>();
    let attempts = 0;
    while (this.people.length < size) {
      if (++attempts > size * 50) throw new Error(`the corpus has too few names for ${size} distinct people`);
      const shape = shapes.draw(rng);
      const given = givenFromShape(
        shape,
        () => givens.draw(rng),
        () => initials.draw(rng),
      );
      const family = families.draw(rng);
      const key = `${given}|${family}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.people.push({ given, family });
    }
    this.byRank = new ZipfSampler(size, 1, Math.max(10, size / 500));
    this.rankToIndex = new Uint32Array(size);
    for (let i = 0; i < size; i++) this.rankToIndex[i] = i;
    for (let i = size - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = this.rankToIndex[i]!;
      this.rankToIndex[i] = this.rankToIndex[j]!;
      this.rankToIndex[j] = t;
    }
  }

  /** `count` distinct people for one paper; returns pool indexes. */
  draw(rng: Rng, count: number): number[] {
    const n = this.people.length;
    const wanted = Math.min(count, n);
    const first = this.rankToIndex[this.byRank.draw(rng)]!;
    const chosen = new Set<number>([first]);
    let guard = 0;
    while (chosen.size < wanted && guard++ < wanted * 20) {
      const idx = rng.chance(TEAM_SHARE)
        ? (first + rng.between(-TEAM_SPAN, TEAM_SPAN) + n) % n
        : this.rankToIndex[this.byRank.draw(rng)]!;
      chosen.add(idx);
    }
    while (chosen.size < wanted) chosen.add(rng.int(n));
    return [...chosen];
  }
}

/** Initials follow the first letters of real given names (many `J.`, few `Q.`). */
function initialSampler(givens: Map<string, number>): AliasSampler<string> {
  const counts = new Map<string, number>();
  for (const [g, n] of givens) {
    const ch = g[0];
    if (ch && /\p{Lu}/u.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + n);
  }
  if (counts.size === 0) counts.set('A', 1);
  return AliasSampler.fromCounts(counts);
}

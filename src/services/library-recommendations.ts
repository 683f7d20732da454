import type { SimilarityService } from '../discovery/similar/service.ts';
import type { Paper } from '../domain/paper.ts';
import type { LibraryService } from './library.service.ts';

export interface TagRecommendation {
  paper: Paper;
  score: number;
  /** Why, in words: the tagged papers it is like and what they share. */
  reasons: string[];
}

/**
 * The shape of the discovery part's recommender (`Paperscope#recommender`, trained on what
 * someone likes): when the instance has one, it ranks; otherwise nearest neighbours do.
 */
export interface LikesRecommender {
  recommend(options: {
    like: readonly number[];
    limit?: number;
  }): Promise<{ papers: { paper: Paper; score: number; reason: string }[] }>;
}

/** A tag of hundreds of papers would make hundreds of look-ups: the latest saved speak for it. */
const MAX_SEEDS = 25;

/**
 * Papers like those under one of someone's tags, less what they already saved. With a
 * recommender, its ranking; without, each tagged paper's nearest neighbours pooled (a paper
 * near several of them sums its scores), each with the tagged papers it is near as reasons.
 */
export async function recommendFromTag(
  source: {
    library: LibraryService;
    similarity: SimilarityService;
    recommender?: LikesRecommender | undefined;
  },
  userId: number,
  tag: string,
  k = 10,
): Promise<{ seeds: number; recommendations: TagRecommendation[] }> {
  const { library, similarity, recommender } = source;
  const seeds = library.paperIds(userId, tag).slice(0, MAX_SEEDS);
  const saved = new Set(library.paperIds(userId));
  if (seeds.length === 0) return { seeds: 0, recommendations: [] };
  if (recommender) {
    const found = await recommender.recommend({ like: seeds, limit: Math.min(500, k + saved.size) });
    const recommendations = found.papers
      .filter((r) => !saved.has(r.paper.id))
      .slice(0, k)
      .map((r) => ({ paper: r.paper, score: r.score, reasons: r.reason ? [r.reason] : [] }));
    return { seeds: seeds.length, recommendations };
  }
  const pooled = new Map<number, TagRecommendation>();
  for (const seedId of seeds) {
    const seed = library.item(userId, seedId)?.paper;
    for (const n of await similarity.neighbours(seedId, 20)) {
      if (saved.has(n.paperId) || n.score <= 0) continue;
      const entry = pooled.get(n.paperId) ?? { paper: n.paper, score: 0, reasons: [] };
      entry.score += n.score;
      if (seed) entry.reasons.push(`like “${seed.title ?? '(untitled)'}”${n.reason ? ` (${n.reason})` : ''}`);
      pooled.set(n.paperId, entry);
    }
  }
  const recommendations = [...pooled.values()]
    .sort((a, b) => b.score - a.score || a.paper.id - b.paper.id)
    .slice(0, k)
    .map((r) => ({ ...r, reasons: r.reasons.slice(0, 3) }));
  return { seeds: seeds.length, recommendations };
}

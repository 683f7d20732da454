import type { Recommender } from '../discovery/recommend/recommender.ts';
import type { Paper } from '../domain/paper.ts';
import type { LibraryService } from './library.service.ts';

export interface TagRecommendation {
  paper: Paper;
  score: number;
  /** Why, in words: what it shares with the tagged papers, and the one it is nearest to. */
  reason: string;
}

/** A tag of hundreds of papers says no more than its latest few hundred. */
const MAX_SEEDS = 200;

/**
 * Papers like those under one of someone's tags, ranked by the recommender with the tagged
 * papers as what they like, less everything they already saved.
 */
export async function recommendFromTag(
  source: { library: LibraryService; recommender: Pick<Recommender, 'recommend'> },
  userId: number,
  tag: string,
  k = 10,
): Promise<{ seeds: number; recommendations: TagRecommendation[] }> {
  const { library, recommender } = source;
  const seeds = library.paperIds(userId, tag).slice(0, MAX_SEEDS);
  if (seeds.length === 0) return { seeds: 0, recommendations: [] };
  const saved = new Set(library.paperIds(userId));
  const found = await recommender.recommend({ like: seeds, limit: Math.min(500, k + saved.size) });
  const recommendations = found.papers
    .filter((r) => !saved.has(r.paper.id))
    .slice(0, k)
    .map((r) => ({ paper: r.paper, score: r.score, reason: r.reason }));
  return { seeds: seeds.length, recommendations };
}

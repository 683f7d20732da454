import type { SimilarityService } from '../discovery/similar/service.ts';
import type { Paper } from '../domain/paper.ts';
import type { LibraryService } from './library.service.ts';

export interface TagRecommendation {
  paper: Paper;
  score: number;
  because: { title: string; reason: string }[];
}

/** A tag of hundreds of papers would make hundreds of look-ups: the latest saved speak for it. */
const MAX_SEEDS = 25;

/**
 * Papers like those under one of someone's tags: each tagged paper's nearest neighbours,
 * pooled (a paper near several of them sums its scores), less what the person already saved.
 * Each keeps the tagged papers it is near, with the terms they share, as its reason.
 */
export async function recommendFromTag(
  library: LibraryService,
  similarity: SimilarityService,
  userId: number,
  tag: string,
  k = 10,
): Promise<{ seeds: number; recommendations: TagRecommendation[] }> {
  const seeds = library.paperIds(userId, tag).slice(0, MAX_SEEDS);
  const saved = new Set(library.paperIds(userId));
  const pooled = new Map<number, TagRecommendation>();
  for (const seedId of seeds) {
    const seed = library.item(userId, seedId)?.paper;
    for (const n of await similarity.neighbours(seedId, 20)) {
      if (saved.has(n.paperId) || n.score <= 0) continue;
      const entry = pooled.get(n.paperId) ?? { paper: n.paper, score: 0, because: [] };
      entry.score += n.score;
      if (seed)
        entry.because.push({ title: seed.title ?? '(untitled)', reason: n.reason || 'close in meaning' });
      pooled.set(n.paperId, entry);
    }
  }
  const recommendations = [...pooled.values()]
    .sort((a, b) => b.score - a.score || a.paper.id - b.paper.id)
    .slice(0, k)
    .map((r) => ({ ...r, because: r.because.slice(0, 3) }));
  return { seeds: seeds.length, recommendations };
}

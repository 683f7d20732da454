import type { Paper } from '../../domain/paper.ts';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { SimilarityService } from '../similar/service.ts';
import { mulberry32 } from './linear-svm.ts';
import type { RecommendCorpus } from './recommender.ts';

/**
 * The knowledge base as the recommender reads it: the similarity service's index (built once
 * per process, kept up to date), papers by id, and random papers drawn by id — ids are dense
 * (papers are rarely deleted), so a draw costs a few primary-key look-ups, not a scan.
 */
export function storeCorpus(store: SqliteStore, similarity: SimilarityService): RecommendCorpus {
  const maxId = store.readDb.prepare('SELECT max(id) FROM papers').pluck();
  return {
    similarityIndex: () => similarity.index(),
    getPaper: (id) => store.getPaper(id),
    findPaper: (ref) => store.findPaper(ref),
    samplePapers: (n, seed) => {
      const max = (maxId.get() as number | null) ?? 0;
      const random = mulberry32(seed);
      const picked = new Map<number, Paper>();
      for (let tries = 0; picked.size < Math.min(n, max) && tries < 3 * n; tries++) {
        const id = 1 + Math.floor(random() * max);
        if (picked.has(id)) continue;
        const paper = store.getPaper(id);
        if (paper) picked.set(id, paper);
      }
      return [...picked.values()];
    },
  };
}

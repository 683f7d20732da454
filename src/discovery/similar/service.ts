import type { Paper } from '../../domain/paper.ts';
import type { PaperStore } from '../../store/port.ts';
import type { Neighbour } from './similarity-index.ts';
import { SimilarityIndex } from './similarity-index.ts';

export interface SimilarPaper extends Neighbour {
  paper: Paper;
}

const PAGE = 5000;

/**
 * Similar papers over the knowledge base, kept in memory by a long-lived process (the
 * server): the index is learned once from every paper, then papers that arrive later are
 * added one by one (one projection each, no rebuild) the next time someone asks.
 */
export class SimilarityService {
  private built: Promise<SimilarityIndex> | undefined;
  /** Highest paper id indexed: later ids are the papers that arrived since. */
  private seenUpTo = 0;

  constructor(private readonly store: PaperStore) {}

  /** The index, built on first use and brought up to date with the papers added since. */
  async index(): Promise<SimilarityIndex> {
    if (!this.built) {
      this.built = this.buildFromStore();
      this.built.catch(() => {
        this.built = undefined;
      });
    }
    const index = await this.built;
    await this.addArrivals(index);
    return index;
  }

  async neighbours(paperId: number, k = 10): Promise<SimilarPaper[]> {
    const index = await this.index();
    const found = index.neighbours(paperId, k);
    const papers = await Promise.all(found.map((n) => this.store.getPaper(n.paperId)));
    return found.flatMap((n, i) => (papers[i] ? [{ ...n, paper: papers[i] }] : []));
  }

  private async buildFromStore(): Promise<SimilarityIndex> {
    const papers = await this.readPapers(0);
    this.seenUpTo = papers.reduce((max, p) => Math.max(max, p.id), 0);
    return SimilarityIndex.build(papers);
  }

  private async addArrivals(index: SimilarityIndex): Promise<void> {
    const arrivals = await this.readPapers(this.seenUpTo);
    for (const paper of arrivals) {
      index.add(paper);
      this.seenUpTo = Math.max(this.seenUpTo, paper.id);
    }
  }

  private async readPapers(afterId: number): Promise<Paper[]> {
    const papers: Paper[] = [];
    for (;;) {
      const page = await this.store.listPapers({ afterId, limit: PAGE });
      papers.push(...page);
      if (page.length < PAGE) return papers;
      afterId = page[page.length - 1]!.id;
    }
  }
}

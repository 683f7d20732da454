/**
 * HAND-MADE: no Hugging Face `/api/daily_papers` response was captured anywhere public (see
 * ../shared/fixtures/README.md). These follow the published shape (`{paper: {id, title,
 * summary, authors, publishedAt, upvotes, githubRepo, …}, publishedAt, title, numComments,
 * submittedBy}`); the papers, ids and numbers are made up.
 */
export interface HandmadePaper {
  id: string;
  title: string;
  summary: string;
  authors: string[];
  upvotes: number;
  publishedAt: string;
}

export function dailyPapers(papers: readonly HandmadePaper[]): string {
  return JSON.stringify(
    papers.map((p, i) => ({
      paper: {
        id: p.id,
        authors: p.authors.map((name, j) => ({ _id: `hm${i}-${j}`, name, hidden: false })),
        publishedAt: p.publishedAt,
        submittedOnDailyAt: p.publishedAt,
        title: p.title,
        summary: p.summary,
        upvotes: p.upvotes,
        discussionId: `hm-discussion-${i}`,
      },
      publishedAt: p.publishedAt,
      title: p.title,
      numComments: 0,
      submittedBy: { user: 'handmade', fullname: 'Hand Made' },
    })),
  );
}

/** A new paper by Lechao Xiao (made up), one other, both with upvotes. */
export const DAY_ONE: HandmadePaper[] = [
  {
    id: '2611.01234',
    title: 'Scaling Laws for Infinitely Wide Kernel Machines',
    summary:
      'We study how the test error of kernel regression with neural tangent kernels scales with data and width. A second sentence about compute-optimal training.',
    authors: ['Lechao Xiao', 'Jeffrey Pennington'],
    upvotes: 42,
    publishedAt: '2026-11-23T18:00:00.000Z',
  },
  {
    id: '2611.05678',
    title: 'A Benchmark of Retrieval for Long Documents',
    summary:
      'We propose a benchmark of retrieval over long scientific documents and evaluate twelve systems on it.',
    authors: ['Ada Example', 'Grace Placeholder'],
    upvotes: 17,
    publishedAt: '2026-11-23T18:00:00.000Z',
  },
];

/** The next day: another new paper by Lechao Xiao (made up). */
export const DAY_TWO: HandmadePaper[] = [
  {
    id: '2611.09999',
    title: 'Eigenspace Restructuring Revisited for Transformers',
    summary: 'We extend eigenspace restructuring to attention and show how it predicts learning curves.',
    authors: ['Lechao Xiao'],
    upvotes: 8,
    publishedAt: '2026-11-24T18:00:00.000Z',
  },
];

import type { FormatAdapter } from '../format.ts';
import { adsAuthorPageAdapter } from './ads-author.ts';
import { arxivListingPageAdapter } from './arxiv-listing.ts';
import { catalyzexPageAdapter } from './catalyzex.ts';
import { hfPapersPageAdapter } from './hf-papers.ts';

export { adsAuthorPageAdapter, arxivListingPageAdapter, catalyzexPageAdapter, hfPapersPageAdapter };

/** The four pasted-page formats, for the format registry. */
export const pageTextAdapters: readonly FormatAdapter[] = [
  arxivListingPageAdapter,
  adsAuthorPageAdapter,
  hfPapersPageAdapter,
  catalyzexPageAdapter,
];

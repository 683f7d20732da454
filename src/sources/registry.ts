import { adsAdapter } from './ads/parse.ts';
import { arxivApiAdapter } from './arxiv-api/parse.ts';
import { arxivBulkAdapter } from './arxiv-bulk/parse.ts';
import { arxivOaiAdapter } from './arxiv-oai/parse.ts';
import { bibtexAdapter } from './bibtex/parse.ts';
import { cslJsonAdapter } from './csl-json/parse.ts';
import type { FormatAdapter, FormatName } from './format.ts';
import { huggingFaceAdapter } from './huggingface/parse.ts';
import { openAlexAdapter } from './openalex/parse.ts';
import { adsAuthorPageAdapter } from './page-text/ads-author.ts';
import { arxivListingPageAdapter } from './page-text/arxiv-listing.ts';
import { catalyzexPageAdapter } from './page-text/catalyzex.ts';
import { hfPapersPageAdapter } from './page-text/hf-papers.ts';
import { risAdapter } from './ris/parse.ts';
import { semanticScholarAdapter } from './semantic-scholar/parse.ts';

/** Every format Paperscope reads, one adapter each. */
export const ADAPTERS: readonly FormatAdapter[] = [
  arxivApiAdapter,
  arxivOaiAdapter,
  arxivBulkAdapter,
  semanticScholarAdapter,
  openAlexAdapter,
  adsAdapter,
  huggingFaceAdapter,
  bibtexAdapter,
  risAdapter,
  cslJsonAdapter,
  arxivListingPageAdapter,
  adsAuthorPageAdapter,
  hfPapersPageAdapter,
  catalyzexPageAdapter,
];

export const FORMAT_NAMES: readonly FormatName[] = ADAPTERS.map((a) => a.format);

export function adapterFor(format: string): FormatAdapter | undefined {
  return ADAPTERS.find((a) => a.format === format);
}

export interface Detection {
  adapter: FormatAdapter;
  score: number;
}

/** Sniff the format from the first bytes of the input: the adapter most sure of itself wins. */
export function detectFormat(sample: string, fileName?: string): Detection | undefined {
  let best: Detection | undefined;
  for (const adapter of ADAPTERS) {
    let score = 0;
    try {
      score = adapter.sniff(sample, fileName);
    } catch {
      score = 0;
    }
    if (score > 0 && (!best || score > best.score)) best = { adapter, score };
  }
  return best;
}

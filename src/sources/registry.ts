import { adsAdapter } from './ads/parse.ts';
import { arxivApiAdapter } from './arxiv-api/parse.ts';
import { arxivBulkAdapter } from './arxiv-bulk/parse.ts';
import { arxivOaiAdapter } from './arxiv-oai/parse.ts';
import { bibtexAdapter } from './bibtex/parse.ts';
import { cslJsonAdapter } from './csl-json/parse.ts';
import type { FormatAdapter, FormatName } from './format.ts';
import { FormatRegistry } from './format-registry.ts';
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

/** The registry of every format, used by the CLI, the server and the fetchers. */
export const defaultRegistry = new FormatRegistry(ADAPTERS);

export const FORMAT_NAMES: readonly FormatName[] = defaultRegistry.names;

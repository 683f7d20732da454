import type { SourceName } from '../domain/record.ts';
import { defaultRegistry } from '../sources/registry.ts';

/**
 * Sources as a reader names them. The format names (`page-catalyzex`, `arxiv-bulk`) are for
 * `--format` and the API; on a page "via page-catalyzex" reads like a leaked internal.
 */
const SOURCE_LABELS: Record<SourceName, string> = {
  'arxiv-api': 'arXiv API',
  'arxiv-oai': 'arXiv OAI-PMH',
  'arxiv-bulk': 'arXiv metadata snapshot',
  'semantic-scholar': 'Semantic Scholar',
  openalex: 'OpenAlex',
  ads: 'NASA ADS',
  huggingface: 'Hugging Face',
  bibtex: 'BibTeX',
  ris: 'RIS',
  'csl-json': 'CSL-JSON',
  'page-arxiv-listing': 'an arXiv listing (pasted)',
  'page-ads-author': 'an ADS author page (pasted)',
  'page-hf-papers': 'Hugging Face Papers (pasted)',
  'page-catalyzex': 'CatalyzeX (pasted)',
};

/** "via NASA ADS": a source's short name; an unknown one as it is. */
export function sourceLabel(source: string): string {
  return (SOURCE_LABELS as Record<string, string>)[source] ?? source;
}

/** "read as NASA ADS author page (pasted text)": a format's full name, from its adapter. */
export function formatLabel(format: string): string {
  return defaultRegistry.adapterFor(format)?.label ?? format;
}

/** Every format the importer detects, by its full name. */
export function formatLabels(): string[] {
  return defaultRegistry.adapters.map((a) => a.label);
}

/**
 * An origin as its reader knows it. An upload is kept under `DATA/uploads/<uuid>/NAME` so each
 * has a path of its own; the person who uploaded it knows it as NAME.
 */
export function shownOrigin(origin: string): string {
  const upload = /[\\/]uploads[\\/][0-9a-f-]{36}[\\/]([^\\/]+)$/.exec(origin);
  return upload ? upload[1]! : origin;
}

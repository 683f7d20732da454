import type { Paper } from '../domain/paper.ts';
import { formatBibtex } from './bibtex.ts';
import { formatCslJson } from './csl-json.ts';
import { formatRis } from './ris.ts';

/** Export formats for a list of merged papers (a library, a search, an author's papers). */

export const EXPORT_FORMATS = ['bibtex', 'ris', 'csl-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File extension and media type of each format, for downloads. */
export const EXPORT_FILE_TYPES: Record<ExportFormat, { extension: string; mediaType: string }> = {
  bibtex: { extension: 'bib', mediaType: 'application/x-bibtex; charset=utf-8' },
  ris: { extension: 'ris', mediaType: 'application/x-research-info-systems; charset=utf-8' },
  'csl-json': { extension: 'json', mediaType: 'application/vnd.citationstyles.csl+json; charset=utf-8' },
};

export function exportPapers(papers: Paper[], format: ExportFormat): string {
  switch (format) {
    case 'bibtex':
      return formatBibtex(papers);
    case 'ris':
      return formatRis(papers);
    case 'csl-json':
      return formatCslJson(papers);
  }
}

export { type CslItem, toCslItem } from './csl-json.ts';
export { formatBibtex, formatCslJson, formatRis };

import type { Paper } from '../domain/paper.ts';
import { abstractOf, baseCitationKey, citationKeys, dateParts, landingUrl, nameParts } from './common.ts';

/**
 * CSL-JSON for merged papers, as Zotero writes it: arXiv preprints are `article` with
 * `number: "arXiv:…"` and `publisher: "arXiv"`; papers with a venue are `article-journal`.
 */

export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

export interface CslItem {
  id: string;
  type: 'article' | 'article-journal' | 'document';
  title?: string;
  author?: CslName[];
  issued?: { 'date-parts': number[][] };
  'container-title'?: string;
  DOI?: string;
  URL?: string;
  number?: string;
  publisher?: string;
  abstract?: string;
  keyword?: string;
}

/** One paper as a CSL item; `id` is its citation key unless one is given. */
export function toCslItem(paper: Paper, id: string = baseCitationKey(paper)): CslItem {
  const venue = paper.venue ?? paper.journalRef;
  const item: CslItem = { id, type: venue ? 'article-journal' : paper.ids.arxiv ? 'article' : 'document' };
  if (paper.title) item.title = paper.title;
  if (paper.authors.length) {
    item.author = paper.authors.map((a) => {
      const { family, given } = nameParts(a.name);
      return given ? { family, given } : { literal: family };
    });
  }
  const parts = dateParts(paper);
  if (parts) item.issued = { 'date-parts': [parts] };
  if (venue) item['container-title'] = venue;
  if (paper.ids.doi) item.DOI = paper.ids.doi;
  const url = landingUrl(paper);
  if (url) item.URL = url;
  if (paper.ids.arxiv) {
    item.number = `arXiv:${paper.ids.arxiv}`;
    if (!venue) item.publisher = 'arXiv';
  }
  const abstract = abstractOf(paper);
  if (abstract) item.abstract = abstract;
  if (paper.categories.length) item.keyword = paper.categories.join(', ');
  return item;
}

export function formatCslJson(papers: Paper[]): string {
  const keys = citationKeys(papers);
  return `${JSON.stringify(
    papers.map((p, i) => toCslItem(p, keys[i])),
    null,
    2,
  )}\n`;
}

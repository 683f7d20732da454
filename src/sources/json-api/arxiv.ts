import { type ArxivId, parseArxivId } from '../arxiv-id.ts';

/**
 * arXiv ids as the JSON APIs write them: bare (`2101.00001v2`), prefixed (`arXiv:2101.00001`),
 * as an abs/pdf URL, or as the DataCite DOI arXiv mints (`10.48550/arXiv.2101.00001`).
 */

export function arxivIdOf(text: string | undefined): ArxivId | undefined {
  return text ? parseArxivId(text) : undefined;
}

/** The arXiv id a link (`arxiv.org/abs/…`, `/pdf/…`) or an arXiv DOI (bare or as URL) points at. */
export function arxivIdFromLink(link: string | undefined): ArxivId | undefined {
  if (!link) return undefined;
  const doi = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?10\.48550\/arxiv\.(.+)$/i.exec(link.trim());
  if (doi) return parseArxivId(doi[1]!);
  return /arxiv\.org\//i.test(link) ? parseArxivId(link) : undefined;
}

/**
 * arXiv ids as the JSON APIs write them: bare (`2101.00001v2`, `math/0601001`), with a
 * prefix (`arXiv:2101.00001`), as an abs/pdf URL, or as the DataCite DOI arXiv mints
 * (`10.48550/arXiv.2101.00001`). The id comes back without its version.
 */

const NEW_STYLE = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

export interface ArxivRef {
  id: string;
  version?: string;
}

/** A bare or prefixed arXiv id, or undefined when `text` is not one. */
export function arxivIdOf(text: string | undefined): ArxivRef | undefined {
  if (!text) return undefined;
  const bare = text.trim().replace(/^arxiv:\s*/i, '');
  const m = NEW_STYLE.exec(bare) ?? OLD_STYLE.exec(bare);
  if (!m) return undefined;
  return m[2] ? { id: m[1]!, version: m[2] } : { id: m[1]! };
}

/** The arXiv id an URL (`arxiv.org/abs/…`, `/pdf/…`) or an arXiv DOI points at. */
export function arxivIdFromLink(link: string | undefined): ArxivRef | undefined {
  if (!link) return undefined;
  const doi = /(?:^|doi\.org\/|doi:)10\.48550\/arxiv\.(.+)$/i.exec(link.trim());
  if (doi) return arxivIdOf(doi[1]);
  const url = /arxiv\.org\/(?:abs|pdf)\/(.+?)(?:\.pdf)?(?:[?#].*)?$/i.exec(link.trim());
  return url ? arxivIdOf(url[1]) : undefined;
}

import { createHash } from 'node:crypto';
import { parseArxivId } from '../arxiv-id.ts';

/**
 * Identifiers as citation files write them, shared by the BibTeX, RIS and CSL-JSON adapters.
 */

const ARXIV_IN_TEXT =
  /(?:arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*|10\.48550\/arxiv\.)(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[a-z]{2})?\/\d{7}(?:v\d+)?)/gi;

/** An arXiv id written bare (`2401.01234v2`, `arXiv:math/0601001`), without its version. */
export function bareArxivId(text: string | undefined): string | undefined {
  return text ? parseArxivId(text)?.id : undefined;
}

/** An arXiv id mentioned in a URL, note or DOI (`arxiv.org/abs/…`, `arXiv:…`, `10.48550/arXiv.…`). */
export function arxivIdInText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const m of text.matchAll(ARXIV_IN_TEXT)) {
    const id = parseArxivId(m[1]!)?.id;
    if (id) return id;
  }
  return undefined;
}

/** A DOI lower-cased, without `https://doi.org/` or `doi:`; undefined when it is not one. */
export function normalizeDoi(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /(10\.\d{4,9}\/\S+)/.exec(text.trim());
  return m ? m[1]!.replace(/[.,;]+$/, '').toLowerCase() : undefined;
}

/** A stable key for a record with no identifier: a hash of its title and year (or its text). */
export function contentKey(title: string | undefined, year: number | undefined, fallback: string): string {
  const basis = title ? `${title.toLowerCase().replace(/\s+/g, ' ').trim()}|${year ?? ''}` : fallback;
  return `sha1:${createHash('sha1').update(basis).digest('hex').slice(0, 16)}`;
}

/** The record key: DOI, else arXiv id, else the file's own key, else a content hash. */
export function recordKey(
  ids: { doi?: string; arxiv?: string },
  ownKey: string | undefined,
  title: string | undefined,
  year: number | undefined,
  text: string,
): string {
  return ids.doi ?? ids.arxiv ?? ownKey ?? contentKey(title, year, text);
}

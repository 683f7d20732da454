import type { PaperIds } from '../domain/record.ts';

/**
 * Where a paper can be read elsewhere: each identifier it has, linked to the service that
 * issued it, and the big indexes (Semantic Scholar, OpenAlex, ADS) looked up by arXiv id or
 * DOI when they gave no id of their own. Values are encoded into the URL, never trusted as URLs.
 */
export interface IdentifierLink {
  label: string;
  value: string;
  href: string;
}

const enc = encodeURIComponent;

export function identifierLinks(ids: PaperIds): IdentifierLink[] {
  const links: IdentifierLink[] = [];
  const add = (label: string, value: string | undefined, href: (v: string) => string) => {
    if (value) links.push({ label, value, href: href(value) });
  };
  add('arXiv', ids.arxiv, (v) => `https://arxiv.org/abs/${encodePath(v)}`);
  add('DOI', ids.doi, (v) => `https://doi.org/${encodePath(v)}`);
  add('Semantic Scholar', ids.s2, (v) => `https://www.semanticscholar.org/paper/${enc(v)}`);
  add('Semantic Scholar corpus', ids.s2Corpus, (v) => `https://api.semanticscholar.org/CorpusID:${enc(v)}`);
  add(
    'OpenAlex',
    ids.openalex,
    (v) => `https://openalex.org/${enc(v.replace(/^https?:\/\/openalex\.org\//, ''))}`,
  );
  add('ADS', ids.bibcode, (v) => `https://ui.adsabs.harvard.edu/abs/${enc(v)}/abstract`);
  add('PubMed', ids.pmid, (v) => `https://pubmed.ncbi.nlm.nih.gov/${enc(v)}/`);
  add('PubMed Central', ids.pmcid, (v) => `https://www.ncbi.nlm.nih.gov/pmc/articles/${enc(v)}/`);
  add('DBLP', ids.dblp, (v) => `https://dblp.org/rec/${encodePath(v)}`);

  const byArxiv = ids.arxiv ? `arXiv:${ids.arxiv}` : undefined;
  if (!ids.s2 && !ids.s2Corpus && (ids.arxiv || ids.doi)) {
    const key = ids.arxiv ? `arxiv/${encodePath(ids.arxiv)}` : `doi/${encodePath(ids.doi!)}`;
    links.push({
      label: 'Semantic Scholar',
      value: 'look up',
      href: `https://www.semanticscholar.org/${key}`,
    });
  }
  if (!ids.openalex && ids.doi) {
    links.push({
      label: 'OpenAlex',
      value: 'look up',
      href: `https://api.openalex.org/works/doi:${encodePath(ids.doi)}`,
    });
  }
  if (!ids.bibcode && (byArxiv || ids.doi)) {
    links.push({
      label: 'ADS',
      value: 'look up',
      href: `https://ui.adsabs.harvard.edu/abs/${enc(byArxiv ?? `doi:${ids.doi}`)}/abstract`,
    });
  }
  return links;
}

/** Encode each part of a value that legitimately holds slashes (`math/0601001`, DOIs). */
function encodePath(value: string): string {
  return value.split('/').map(enc).join('/');
}

/** A URL from a source, usable as a link only when it is http(s); anything else stays text. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

import type { CodeLinkKind, PaperIds, PaperVersion, PersonName, Provenance, SourceName } from './record.ts';

/**
 * The merged view of one real paper: what every source said about it, combined, with the
 * source of each field remembered ("via").
 */

/** Where a code link was found. */
export interface CodeLinkOrigin {
  source: SourceName;
  field: 'abstract' | 'comments' | 'source-field' | 'title';
}

export interface CodeLink {
  /** Canonical URL: `https://github.com/owner/repo` for repositories. */
  url: string;
  kind: CodeLinkKind;
  /**
   * `ok`: taken as written (up to case and scheme); `repaired`: rebuilt from a URL the text
   * broke (`https:// github. com/ Labbe ti/ SSLH`); `unrepairable`: kept as found, marked.
   */
  status: 'ok' | 'repaired' | 'unrepairable';
  /** The text as it stood in the source. */
  raw: string;
  foundIn: CodeLinkOrigin[];
}

export interface PaperAuthor {
  /** The name as the chosen source wrote it. */
  name: PersonName;
  /** The merged person this authorship belongs to, once resolved by the store. */
  authorId?: number;
}

/** Fields of a paper whose source is remembered. */
export type PaperField =
  | 'title'
  | 'abstract'
  | 'authors'
  | 'published'
  | 'year'
  | 'versions'
  | 'categories'
  | 'venue'
  | 'journalRef'
  | 'comments'
  | 'upvotes'
  | 'citationCount'
  | 'tldr';

export interface Paper {
  id: number;
  ids: PaperIds;
  title?: string;
  /** Abstract as the chosen source gave it. */
  abstract?: string;
  /** Clean plain text derived from the abstract, for search and display. */
  abstractText?: string;
  authors: PaperAuthor[];
  published?: string;
  updated?: string;
  year?: number;
  versions: PaperVersion[];
  categories: string[];
  venue?: string;
  journalRef?: string;
  comments?: string;
  license?: string;
  upvotes?: number;
  citationCount?: number;
  tldr?: string;
  codeLinks: CodeLink[];
  /** Every record that went into this paper. */
  sources: Provenance[];
  /** Which source gave each field shown. */
  via: Partial<Record<PaperField, SourceName>>;
}

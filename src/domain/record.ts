/**
 * What one source says about one paper or one person, before merging.
 *
 * Every parser turns bytes from a source into these records; merging never sees raw formats.
 * A record always carries its provenance: which source, which file or URL, which record in
 * it, and when it was read.
 */

/** Every format Paperscope reads. One adapter per format under `src/sources/`. */
export const SOURCE_NAMES = [
  'arxiv-api',
  'arxiv-oai',
  'arxiv-bulk',
  'semantic-scholar',
  'openalex',
  'ads',
  'huggingface',
  'bibtex',
  'ris',
  'csl-json',
  'page-arxiv-listing',
  'page-ads-author',
  'page-hf-papers',
  'page-catalyzex',
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface Provenance {
  source: SourceName;
  /** The file path or URL the record was read from (`-` for standard input). */
  origin: string;
  /** Where in the origin: `line 12`, `record 3`, `entry 5 (oai:arXiv.org:0806.4410)`. */
  locator: string;
  /** ISO 8601 timestamp of when the record was read or fetched. */
  fetchedAt: string;
}

/** A person's name as one source wrote it. */
export interface PersonName {
  /** The name as written, for display: `Lechao Xiao`, `Xiao, Lechao`, `L. Xiao`. */
  display: string;
  /** Family name when the source says it or it can be told (`Xiao`, `Sohl-Dickstein`, `van der Berg`). */
  family?: string;
  /** Given names and initials (`Lechao`, `John D.`, `C. Daniel`). */
  given?: string;
  /** Identifiers the source gives for the person. */
  ids?: PersonIds;
  /** Affiliation strings the source gives for this authorship. */
  affiliations?: string[];
}

export interface PersonIds {
  s2?: string;
  openalex?: string;
  orcid?: string;
}

/** Identifiers of a paper. arXiv ids are stored without version (`2401.01234`, `math/0601001`). */
export interface PaperIds {
  arxiv?: string;
  doi?: string;
  bibcode?: string;
  s2?: string;
  s2Corpus?: string;
  openalex?: string;
  pmid?: string;
  pmcid?: string;
  dblp?: string;
  mag?: string;
}
export type PaperIdKind = keyof PaperIds;
export const PAPER_ID_KINDS: readonly PaperIdKind[] = [
  'arxiv',
  'doi',
  'bibcode',
  's2',
  's2Corpus',
  'openalex',
  'pmid',
  'pmcid',
  'dblp',
  'mag',
];

export interface PaperVersion {
  /** `v1`, `v2`, … */
  version: string;
  /** ISO date or date-time of the version. */
  date: string;
}

export type CodeLinkKind = 'repository' | 'project-page' | 'short-link';

/** A code or project link exactly as a source gave it in a dedicated field (not mined from text). */
export interface SourceCodeLink {
  url: string;
  kind?: CodeLinkKind;
}

export interface PaperRecord {
  kind: 'paper';
  provenance: Provenance;
  /**
   * Stable key of this record within its source, used to recognise a repeated import:
   * the arXiv id, the S2 paper id, the DOI, or (for pasted pages) a hash of the text.
   */
  key: string;
  ids: PaperIds;
  title?: string;
  /** The abstract exactly as the source gave it (LaTeX, entities and line wraps kept). */
  abstract?: string;
  /** Authors in order; undefined when the source does not say. */
  authors?: PersonName[];
  /** ISO date (`2021-03-04`) of first publication / first version. */
  published?: string;
  /** ISO date of the latest update the source reports. */
  updated?: string;
  year?: number;
  versions?: PaperVersion[];
  /** Categories or subjects: arXiv categories (`cs.LG`) first, as given. */
  categories?: string[];
  venue?: string;
  journalRef?: string;
  /** arXiv "Comments:" or similar free-text notes. */
  comments?: string;
  license?: string;
  /** Links to code from dedicated fields (Hugging Face `githubRepo`, ...). */
  codeLinks?: SourceCodeLink[];
  /** Landing page and PDF links the source gives. */
  links?: { url: string; rel: 'abstract' | 'pdf' | 'other' }[];
  upvotes?: number;
  citationCount?: number;
  referenceCount?: number;
  /** A one-sentence summary where the source gives one (Semantic Scholar TLDR). */
  tldr?: string;
  keywords?: string[];
}

/** What a source says about a person on its own (OpenAlex `/authors`, Semantic Scholar `/author`). */
export interface AuthorRecord {
  kind: 'author';
  provenance: Provenance;
  key: string;
  name: PersonName;
  /** Other spellings the source lists. */
  alternatives?: string[];
  affiliations?: string[];
  homepage?: string;
  paperCount?: number;
  citationCount?: number;
  hIndex?: number;
}

export type SourceRecord = PaperRecord | AuthorRecord;

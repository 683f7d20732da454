import type { MatchKeys, MergedPaper, PaperSketch } from '../domain/merge.ts';
import type { CodeLink, Paper } from '../domain/paper.ts';
import type { AuthorRecord, PaperRecord, PersonName, Provenance, SourceName } from '../domain/record.ts';

/**
 * The storage port. The domain and the services talk to this; SQLite implements it
 * (the embedded default) and a PostgreSQL implementation can follow without touching them.
 *
 * Methods may answer synchronously or with a promise: callers always `await`.
 */
export type MaybePromise<T> = T | Promise<T>;

export interface StoredRecordRef {
  paperId: number | null;
  authorId: number | null;
  hash: string;
}

export interface AuthorCandidate {
  id: number;
  displayName: string;
  /** Every name variant seen for this person. */
  names: PersonName[];
}

/** On a paper, a name with this key belongs to this author, as an admin decided. */
export interface AuthorPin {
  nameKey: string;
  initialKey: string;
  /** The name the pin was made on (its key alone cannot tell a two-word family from a given name). */
  name: PersonName;
  authorId: number;
}

/** The write side used by ingestion, inside one transaction per batch. */
/** What a batch of records is about to look up, for a store that can answer it all at once. */
export interface BatchLookups {
  /** [source, record key] */
  sources: (readonly [string, string])[];
  /** [kind, value] of match keys */
  paperKeys: (readonly [string, string])[];
  nameKeys: string[];
  initialKeys: string[];
}

export interface IngestTx {
  /**
   * Optional: told before a batch what it will look up, a store may learn in a few queries
   * what is not there and answer those look-ups without asking again. Answers stay the same.
   */
  expect?(lookups: BatchLookups): MaybePromise<void>;
  findSourceRecord(source: SourceName, key: string): MaybePromise<StoredRecordRef | undefined>;
  /** The record a source gave earlier under this key, as stored. */
  sourceRecordData(source: SourceName, key: string): MaybePromise<PaperRecord | AuthorRecord | undefined>;
  findPapersByKey(kind: string, value: string): MaybePromise<number[]>;
  paperSketch(paperId: number): MaybePromise<PaperSketch | undefined>;
  /**
   * The first paper (by id) under an identifier key that a record with arXiv id `arxiv` may
   * join — any, when `arxiv` is null; else one with no arXiv id or this same one (preprints
   * sharing a journal's DOI stay apart). One question, not one a candidate: a DOI shared by many
   * preprints made that quadratic in its sharers.
   */
  firstJoinableByKey(kind: string, value: string, arxiv: string | null): MaybePromise<number | undefined>;
  paperRecords(paperId: number): MaybePromise<PaperRecord[]>;
  /** Keep a source record: `stored` is its content without provenance (kept apart) and that content's hash. */
  saveSourceRecord(
    record: PaperRecord | AuthorRecord,
    stored: { content: string; hash: string },
    owner: { paperId?: number; authorId?: number },
  ): MaybePromise<void>;
  /**
   * Write a paper's merged view, match keys, code links and search entry, replacing what it
   * had; without a `paperId` a new paper is made. Resolves to the paper's id. `view` is
   * `JSON.stringify(merged)` when the caller has it already.
   */
  writePaper(
    paperId: number | undefined,
    merged: MergedPaper,
    keys: MatchKeys[],
    view?: string,
  ): MaybePromise<number>;

  findAuthorsByNameKey(key: string): MaybePromise<AuthorCandidate[]>;
  /** The first person known under this exact name key (cheaper than the candidates). */
  findAuthorIdByNameKey(key: string): MaybePromise<number | undefined>;
  findAuthorsByInitialKey(key: string): MaybePromise<AuthorCandidate[]>;
  findAuthorByExternalId(kind: 'openalex' | 's2' | 'orcid', value: string): MaybePromise<number | undefined>;
  /** Those of `candidateIds` who wrote a paper (other than `exceptPaper`) with any of `coauthorIds`. */
  coauthorsOf(candidateIds: number[], coauthorIds: number[], exceptPaper: number): MaybePromise<number[]>;
  /** Authorships of this paper an admin's merge or split placed (they win over name matching). */
  authorPins(paperId: number): MaybePromise<AuthorPin[]>;
  createAuthor(name: PersonName): MaybePromise<number>;
  addAuthorName(authorId: number, name: PersonName): MaybePromise<void>;
  setAuthorIds(authorId: number, ids: Record<string, string>): MaybePromise<void>;
  setPaperAuthors(
    paperId: number,
    authors: { authorId: number; name: PersonName }[],
    isNew?: boolean,
  ): MaybePromise<void>;
  /** Keep a piece of state (a harvest's resumption token) in the same transaction as the records. */
  setState(name: string, value: string | undefined): MaybePromise<void>;
}

export interface AuthorSummary {
  id: number;
  displayName: string;
  paperCount: number;
}

export interface AuthorProfile extends AuthorSummary {
  names: { display: string; count: number }[];
  ids: Record<string, string>;
  coauthors: { id: number; displayName: string; count: number }[];
  papersPerYear: { year: number; count: number }[];
  codeLinks: CodeLink[];
  /** What sources said of this person on their own (OpenAlex / S2 author records). */
  sources: Provenance[];
}

export interface Stats {
  papers: number;
  authors: number;
  codeLinks: number;
  sourceRecords: number;
  bySource: Record<string, number>;
  partialPapers: { withoutTitle: number; withoutAuthors: number };
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  authorId?: number;
  /** Keyset paging in id order: only papers with a larger id (ignored with `authorId`). */
  afterId?: number;
}

export interface PaperStore {
  /** Run `fn` in one write transaction: all of it lands, or none of it. */
  transaction<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T>;
  /**
   * Optional: a mode for loading many new papers at once, which a store may make cheaper per
   * paper (deferring index and bookkeeping work to `endBulkLoad`). What is stored at the end is
   * the same; transactions stay whole. Every `beginBulkLoad` is followed by `endBulkLoad`.
   */
  beginBulkLoad?(): MaybePromise<void>;
  endBulkLoad?(): MaybePromise<void>;
  getPaper(id: number): MaybePromise<Paper | undefined>;
  /** A paper by Paperscope id, arXiv id (with or without version) or DOI. */
  findPaper(ref: string): MaybePromise<Paper | undefined>;
  listPapers(options?: ListOptions): MaybePromise<Paper[]>;
  countPapers(options?: ListOptions): MaybePromise<number>;
  getAuthor(id: number): MaybePromise<AuthorProfile | undefined>;
  /** People whose name (any variant, any spelling) matches `name`, most papers first. */
  findAuthors(name: string): MaybePromise<AuthorSummary[]>;
  listAuthors(options?: { limit?: number; offset?: number }): MaybePromise<AuthorSummary[]>;
  stats(): MaybePromise<Stats>;
  getState(name: string): MaybePromise<string | undefined>;
  setState(name: string, value: string | undefined): MaybePromise<void>;
  close(): MaybePromise<void>;
}

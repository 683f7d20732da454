import { SOURCE_NAMES, type SourceName } from '../../domain/record.ts';

/**
 * The syntax tree of a search query. Nodes carry no offsets, so two spellings of one query
 * (`title:(a OR b)` and `title:a OR title:b`) give equal trees, and `formatQuery` can print
 * a tree back in one canonical spelling.
 */

/** Fields whose value is searched as text. */
export type TextField = 'title' | 'abs';
/** Fields whose value is an exact attribute of the paper. */
export type FilterField = 'cat' | 'has' | 'source' | 'id' | 'doi';
export type FieldName = TextField | FilterField | 'author' | 'year';

export const FIELD_NAMES: readonly FieldName[] = [
  'title',
  'abs',
  'author',
  'year',
  'cat',
  'has',
  'source',
  'id',
  'doi',
];

/** The prefixes arXiv search and NASA ADS users type for the same fields. */
export const FIELD_ALIASES: Readonly<Record<string, FieldName>> = {
  ti: 'title',
  abstract: 'abs',
  au: 'author',
  category: 'cat',
  arxiv: 'id',
};

/** `has:` values. */
export const HAS_VALUES = ['code', 'abstract', 'doi'] as const;
export type HasValue = (typeof HAS_VALUES)[number];

/**
 * Short names for `source:`. An alias names every source of one provider, the API and the
 * pages alike; a full source name (`arxiv-oai`) names only itself.
 */
export const SOURCE_ALIASES: Readonly<Record<string, readonly SourceName[]>> = {
  arxiv: ['arxiv-api', 'arxiv-oai', 'arxiv-bulk', 'page-arxiv-listing'],
  ads: ['ads', 'page-ads-author'],
  s2: ['semantic-scholar'],
  openalex: ['openalex'],
  hf: ['huggingface', 'page-hf-papers'],
  catalyzex: ['page-catalyzex'],
  csl: ['csl-json'],
};

/** What `source:` accepts, for help and error messages: the aliases, then the full names. */
export const SOURCE_NAMES_FOR_HELP: readonly string[] = [
  ...Object.keys(SOURCE_ALIASES),
  ...SOURCE_NAMES.filter((s) => !(s in SOURCE_ALIASES)),
];

export function sourcesFor(value: string): readonly SourceName[] | undefined {
  const alias = SOURCE_ALIASES[value];
  if (alias) return alias;
  return (SOURCE_NAMES as readonly string[]).includes(value) ? [value as SourceName] : undefined;
}

/** A free word, or a word under `title:` / `abs:`. */
export interface TermNode {
  kind: 'term';
  field?: TextField;
  /** As typed. */
  text: string;
  /** Folded with `matchKey`: may hold several words (`state-of-the-art` → `state of the art`). */
  normalized: string;
}

/** Words in quotes, matched in order. */
export interface PhraseNode {
  kind: 'phrase';
  field?: TextField;
  /** As typed between the quotes (escapes removed). */
  text: string;
  /** Folded words, at least one. */
  words: string[];
}

/** `author:` — a person, folded with the names module so every spelling of one name meets. */
export interface AuthorNode {
  kind: 'author';
  /** As typed, without the `^` that marks a first author. */
  text: string;
  /** Folded family name: `xiao`, `sohl dickstein`. */
  family: string;
  /** Folded given-name words: `['lechao']`, `['l']`, `[]`. */
  given: string[];
  /** True when every given-name word is a single letter (`Xiao, L`). */
  initialsOnly: boolean;
  /** `nameKey` of the name: `lechao xiao`. */
  key: string;
  /** `initialKey` of the name: `l xiao` (just `xiao` without a given name). */
  initialKey: string;
  /** `author:"^Xiao, L"`: only papers where this person is the first author (as in ADS). */
  first?: true;
}

/** `year:` — inclusive bounds; a missing bound is open. */
export interface RangeNode {
  kind: 'range';
  field: 'year';
  from?: number;
  to?: number;
}

export type FilterNode =
  /** `cs.LG`, or an archive alone (`cs`, `hep-th`) for all its subjects. */
  | { kind: 'filter'; field: 'cat'; value: string }
  | { kind: 'filter'; field: 'has'; value: HasValue }
  /** `value` is what was typed (lower case); `sources` what it stands for. */
  | { kind: 'filter'; field: 'source'; value: string; sources: SourceName[] }
  /** arXiv ids without version, DOIs bare and lower case, anything else as typed. */
  | { kind: 'filter'; field: 'id'; value: string; scheme: 'arxiv' | 'doi' | 'other' }
  | { kind: 'filter'; field: 'doi'; value: string };

export interface AndNode {
  kind: 'and';
  /** Two or more; never an `and` directly inside an `and`. */
  children: QueryNode[];
}

export interface OrNode {
  kind: 'or';
  /** Two or more; never an `or` directly inside an `or`. */
  children: QueryNode[];
}

export interface NotNode {
  kind: 'not';
  /** Never a `not`: a double negation cancels. */
  child: QueryNode;
}

/** The empty query: every paper. */
export interface AllNode {
  kind: 'all';
}

export type LeafNode = TermNode | PhraseNode | AuthorNode | RangeNode | FilterNode;
export type QueryNode = LeafNode | AndNode | OrNode | NotNode | AllNode;

export interface QueryError {
  /** What is wrong and where, the place as a person counts it: `unclosed quote at column 15`. */
  message: string;
  /** Where, in UTF-16 code units from the start of the input: 0 ≤ offset ≤ input.length. */
  offset: number;
  /** How much of the input is at fault (0 at the end of the input). */
  length: number;
  /** The place as the message names it: characters (code points) from 1. */
  column: number;
  /** Two lines for a terminal: the query (an excerpt around the place if long) and a caret line under it. */
  pointer: string;
}

export type ParseResult = { ok: true; query: QueryNode } | { ok: false; error: QueryError };

import type { SourceName, SourceRecord } from '../domain/record.ts';

/**
 * The contract every format adapter fulfils. Parsing is pure: text in, records and problems
 * out, no IO, no clock (the time comes in through the context).
 */

/** Every import format; a format may produce records of one source. */
export type FormatName = SourceName;

export interface ParseContext {
  /** File path or URL the text came from (`-` for standard input). */
  origin: string;
  /** ISO timestamp to stamp on each record's provenance. */
  fetchedAt: string;
}

/** A record that could not be read. Names the source, the origin and the place in it. */
export interface ParseProblem {
  /** The format that could not read the record; `import` when no format could be chosen at all. */
  source: SourceName | 'import';
  origin: string;
  /** `line 12`, `record 3`, `entry 7 (key foo2020)`, or `file` when the whole input is at fault. */
  locator: string;
  message: string;
}

export interface ParseOutput {
  records: SourceRecord[];
  problems: ParseProblem[];
  /** For paged API responses: what the page says about more results (OAI resumptionToken, S2 `next`, cursor). */
  paging?: PagingInfo;
}

export interface PagingInfo {
  total?: number;
  /** OAI-PMH resumptionToken, OpenAlex cursor, S2 bulk `token`. */
  token?: string;
  /** Offset of the next page, where the API pages by offset. */
  nextOffset?: number;
}

export interface FormatAdapter {
  format: FormatName;
  /** Human name for messages: `arXiv OAI-PMH`. */
  label: string;
  /**
   * How sure this adapter is that `sample` (the first 64 KiB of the input) is its format:
   * 0 = not mine, 1 = certainly mine. The registry picks the highest score above 0.
   */
  sniff(sample: string, fileName?: string): number;
  /** Parse a whole text. Never throws on bad input: problems are returned, valid records kept. */
  parse(text: string, ctx: ParseContext): ParseOutput;
  /**
   * Line-oriented formats (JSON lines) also parse one line at a time, so that a file of
   * millions of records streams in constant memory. `lineNo` is 1-based.
   */
  parseLine?(line: string, lineNo: number, ctx: ParseContext): ParseOutput;
}

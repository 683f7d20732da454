import type { QueryError } from './ast.ts';

const WINDOW_BEFORE = 30;
const WINDOW_AFTER = 50;
const WHOLE_UP_TO = 80;

/** What is wrong, given how to name the place (`at column 8`): only `queryError` knows the input. */
export type DescribeError = (place: string) => string;

/** Thrown inside the parser only; `parseQuery` turns it into a result. */
export class QuerySyntaxError extends Error {
  constructor(
    readonly describe: DescribeError,
    readonly offset: number,
    readonly length: number,
  ) {
    super(describe(`at offset ${offset}`));
  }
}

/**
 * The column a person would name for a UTF-16 offset: counted from 1, in characters (code
 * points, as the caret line counts them), so `kernel "x` has its quote at column 8.
 */
export function columnOf(input: string, offset: number): number {
  return Array.from(input.slice(0, Math.max(0, Math.min(offset, input.length)))).length + 1;
}

/**
 * The message with the place as a column from 1, and the query (or a window of it around the
 * place) with a caret line under it. Control
 * characters become spaces so the caret stays aligned; columns count code points, so a
 * wide (CJK) character still shifts the caret by one.
 */
export function queryError(
  input: string,
  describe: DescribeError,
  offset: number,
  length: number,
): QueryError {
  const at = Math.max(0, Math.min(offset, input.length));
  const column = columnOf(input, at);
  const message = describe(`at column ${column}`);
  const len = Math.max(0, Math.min(length, input.length - at));
  let start = 0;
  let end = input.length;
  if (input.length > WHOLE_UP_TO) {
    start = Math.max(0, at - WINDOW_BEFORE);
    end = Math.min(input.length, at + WINDOW_AFTER);
  }
  const flat = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  const lead = start > 0 ? '…' : '';
  const before = flat(lead + input.slice(start, at));
  const excerpt = before + flat(input.slice(at, end)) + (end < input.length ? '…' : '');
  const marked = Array.from(input.slice(at, Math.min(at + len, end))).length;
  const caret = ' '.repeat(Array.from(before).length) + '^'.repeat(Math.max(1, marked));
  return { message, offset: at, length: len, column, pointer: `${excerpt}\n${caret}` };
}

import type { QueryError } from './ast.ts';

const WINDOW_BEFORE = 30;
const WINDOW_AFTER = 50;
const WHOLE_UP_TO = 80;

/** Thrown inside the parser only; `parseQuery` turns it into a result. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

/**
 * The query (or a window of it around the place) and a caret line under it. Control
 * characters become spaces so the caret stays aligned; columns count code points, so a
 * wide (CJK) character still shifts the caret by one.
 */
export function queryError(input: string, message: string, offset: number, length: number): QueryError {
  const at = Math.max(0, Math.min(offset, input.length));
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
  return { message, offset: at, length: len, pointer: `${excerpt}\n${caret}` };
}

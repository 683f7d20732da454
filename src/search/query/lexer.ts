import { FIELD_ALIASES, FIELD_NAMES, type FieldName } from './ast.ts';
import { QuerySyntaxError } from './error.ts';

/**
 * Tokens of a query. One pass, no backtracking: the time is linear in the input.
 *
 * A bare word runs to whitespace, a parenthesis or a double quote. `-` and `+` at the start
 * of a word are prefix operators; inside a word (`Sohl-Dickstein`) they are letters. `AND`,
 * `OR` and `NOT` are operators only in capitals: `and`/`or`/`not` are words, because
 * titles are full of them and nobody means a boolean when typing a title in lower case.
 */
export type Token =
  | { type: 'word' | 'value' | 'quoted'; text: string; start: number; end: number }
  | { type: 'field'; field: FieldName; written: string; start: number; end: number }
  | { type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus' | 'plus'; start: number; end: number };

const OPERATORS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not' };

function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Double quote or the left curly quote that word processors put in its place. */
function isQuote(ch: string): boolean {
  return ch === '"' || ch === '\u201c';
}

function isDelimiter(text: string, i: number): boolean {
  const ch = text[i]!;
  return ch === '(' || ch === ')' || isQuote(ch) || isSpace(text.charCodeAt(i));
}

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    const ch = input[i]!;
    if (isSpace(input.charCodeAt(i))) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', start: i, end: i + 1 });
      i++;
    } else if (isQuote(ch)) {
      const q = readQuoted(input, i);
      tokens.push({ type: 'quoted', text: q.text, start: i, end: q.end });
      i = q.end;
    } else if ((ch === '-' || ch === '+') && i + 1 < n && !isDelimiterOrClose(input, i + 1)) {
      tokens.push({ type: ch === '-' ? 'minus' : 'plus', start: i, end: i + 1 });
      i++;
    } else {
      let end = i + 1;
      while (end < n && !isDelimiter(input, end)) end++;
      lexWord(input, i, end, tokens);
      i = end;
    }
  }
  return tokens;
}

/** `-` before whitespace or `)` is a dash, not a negation: `Attention - a survey`. */
function isDelimiterOrClose(text: string, i: number): boolean {
  return text[i] === ')' || isSpace(text.charCodeAt(i));
}

const FIELD_PREFIX = /^([A-Za-z]+):/;

function lexWord(input: string, start: number, end: number, tokens: Token[]): void {
  const text = input.slice(start, end);
  const op = OPERATORS[text];
  if (op) {
    tokens.push({ type: op, start, end });
    return;
  }
  const m = FIELD_PREFIX.exec(text);
  // A pasted URL (`https://…`) is a word, not a field.
  if (!m || text.startsWith('//', m[0].length)) {
    tokens.push({ type: 'word', text, start, end });
    return;
  }
  const written = m[1]!;
  const lower = written.toLowerCase();
  const field = (FIELD_NAMES as readonly string[]).includes(lower)
    ? (lower as FieldName)
    : FIELD_ALIASES[lower];
  if (!field) throw unknownField(written, start);
  const colon = start + m[0].length;
  tokens.push({ type: 'field', field, written, start, end: colon });
  // Right after the colon the value is taken whole, so `year:-2019` and `doi:https://…` stay one value.
  if (colon < end) tokens.push({ type: 'value', text: input.slice(colon, end), start: colon, end });
}

/** `"…"` or `“…”`; `\"` and `\\` are escapes, any other backslash is itself (LaTeX: `"\alpha decay"`). */
function readQuoted(input: string, open: number): { text: string; end: number } {
  const curly = input[open] === '\u201c';
  let text = '';
  let i = open + 1;
  let from = i;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) {
      text += input.slice(from, i) + input[i + 1];
      i += 2;
      from = i;
    } else if (ch === '"' || (curly && ch === '\u201d')) {
      return { text: text + input.slice(from, i), end: i + 1 };
    } else {
      i++;
    }
  }
  throw new QuerySyntaxError((at) => `unclosed quote ${at}`, open, input.length - open);
}

function unknownField(written: string, start: number): QuerySyntaxError {
  const near = nearestField(written.toLowerCase());
  const hint = near
    ? ` — did you mean "${near}:"?`
    : ` — fields are ${FIELD_NAMES.map((f) => `${f}:`).join(' ')} (put the word in quotes to search for it)`;
  return new QuerySyntaxError((at) => `unknown field "${written}:" ${at}${hint}`, start, written.length + 1);
}

function nearestField(name: string): FieldName | undefined {
  let best: FieldName | undefined;
  let bestDistance = 3;
  for (const candidate of [...FIELD_NAMES, ...Object.keys(FIELD_ALIASES)]) {
    const d = editDistance(name, candidate, bestDistance);
    // Short names allow one edit, longer ones two: `foo` is not a misspelt `doi`.
    if (d < bestDistance && d <= (candidate.length >= 5 ? 2 : 1)) {
      bestDistance = d;
      best = FIELD_ALIASES[candidate] ?? (candidate as FieldName);
    }
  }
  return best;
}

/** Levenshtein distance with adjacent swaps counted as one edit; gives up above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit || a.length > 40) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

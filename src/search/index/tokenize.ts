import { porterStem } from './porter.ts';
import { FOLD, TOKEN_PART, TOKEN_START } from './unicode61-table.ts';

/**
 * Text into index terms exactly as `paper_search` (FTS5 `porter unicode61 remove_diacritics 2`)
 * makes them: a token is a run of token characters (ASCII letters and digits, and what SQLite's
 * own Unicode tables say, diacritics included, in `unicode61-table.ts`), each folded as SQLite
 * folds it (lower case, Latin diacritics removed), then Porter-stemmed as FTS5 stems.
 */

export const START = 1;
export const PART = 2;
/** Per code point: START when it can begin a token, PART when it can continue one. */
export const CLASS = new Uint8Array(0x110000);
for (let i = 0; i < TOKEN_START.length; i += 2)
  CLASS.fill(START | PART, TOKEN_START[i]!, TOKEN_START[i + 1]!);
for (let i = 0; i < TOKEN_PART.length; i += 2) {
  for (let cp = TOKEN_PART[i]!; cp < TOKEN_PART[i + 1]!; cp++) CLASS[cp]! |= PART;
}
for (let cp = 48; cp < 123; cp++) {
  if (cp <= 57 || (cp >= 65 && cp <= 90) || cp >= 97) CLASS[cp] = START | PART;
}
/** What a non-ASCII code point folds to, when it folds. */
export const FOLDED = new Map<number, string>();
for (let i = 0; i < FOLD.length; i += 2) FOLDED.set(FOLD[i] as number, FOLD[i + 1] as string);

/** Stems of the tokens seen most: papers repeat the same few thousand words. */
const stems = new Map<string, string>();
const STEM_CACHE = 200_000;

function stemOf(token: string): string {
  let stem = stems.get(token);
  if (stem === undefined) {
    stem = porterStem(token);
    if (stems.size >= STEM_CACHE) stems.clear();
    stems.set(token, stem);
  }
  return stem;
}

/** Where the token read by the last `tokenAt` ended. */
export let tokenEnd = 0;

/**
 * The folded (not yet stemmed) token that starts at `i`, which must hold a START code point;
 * sets `tokenEnd`. Empty when every code point folded away.
 */
export function tokenAt(text: string, from: number): string {
  const n = text.length;
  let i = from;
  let token = '';
  let start = i;
  while (i < n) {
    const c = text.codePointAt(i)!;
    if (c < 128) {
      if (!(CLASS[c]! & PART)) break;
      i++;
      continue;
    }
    if (!(CLASS[c]! & PART)) break;
    const w = c > 0xffff ? 2 : 1;
    const folded = FOLDED.get(c);
    token += text.slice(start, i).toLowerCase() + (folded ?? text.slice(i, i + w));
    i += w;
    start = i;
  }
  tokenEnd = i;
  return token + text.slice(start, i).toLowerCase();
}

/** Calls `emit` with each term of `text` and its position (0, 1, 2, … as FTS5 counts them). */
export function forEachTerm(text: string, emit: (term: string, position: number) => void): void {
  const n = text.length;
  let position = 0;
  let i = 0;
  while (i < n) {
    const cp = text.codePointAt(i)!;
    if (!(CLASS[cp]! & START)) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const token = tokenAt(text, i);
    i = tokenEnd;
    if (token.length > 0) emit(stemOf(token), position++);
  }
}

/** The terms of `text` in order. */
export function terms(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (t) => out.push(t));
  return out;
}

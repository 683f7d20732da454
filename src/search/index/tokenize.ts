import { porterStem } from './porter.ts';

/**
 * Text into index terms the way `paper_search` (FTS5 `porter unicode61 remove_diacritics 2`)
 * does: a token is a run of letters, digits and private-use characters (combining marks join
 * the token they follow), folded to lower case without diacritics, then Porter-stemmed.
 * Unicode tables are JavaScript's, not SQLite's: a few rare characters may be read apart.
 */

const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const MARK = /\p{M}/u;
const MARKS = /\p{M}/gu;
const foldCache = new Map<string, string>();

function isAsciiTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function foldChar(ch: string): string {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    const lower = ch.toLowerCase();
    // SQLite removes diacritics from Latin letters only (and drops combining marks).
    const cp = ch.codePointAt(0)!;
    const latin = cp < 0x250 || (cp >= 0x1e00 && cp < 0x1f00);
    folded = MARK.test(ch) ? '' : latin ? lower.normalize('NFD').replace(MARKS, '').normalize('NFC') : lower;
    if (foldCache.size < 65536) foldCache.set(ch, folded);
  }
  return folded;
}

/** Calls `emit` with each term of `text` and its position (0, 1, 2, … as FTS5 counts them). */
export function forEachTerm(text: string, emit: (term: string, position: number) => void): void {
  const n = text.length;
  let position = 0;
  let i = 0;
  while (i < n) {
    // Skip separators.
    let code = text.charCodeAt(i);
    if (code < 128) {
      if (!isAsciiTokenChar(code)) {
        i++;
        continue;
      }
    } else {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (!TOKEN_CHAR.test(ch)) {
        i += ch.length;
        continue;
      }
    }
    // One token.
    let token = '';
    let start = i;
    while (i < n) {
      code = text.charCodeAt(i);
      if (code < 128) {
        if (!isAsciiTokenChar(code)) break;
        i++;
        continue;
      }
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (!TOKEN_CHAR.test(ch) && !MARK.test(ch)) break;
      token += text.slice(start, i).toLowerCase() + foldChar(ch);
      i += ch.length;
      start = i;
    }
    token += text.slice(start, i).toLowerCase();
    if (token.length > 0) emit(porterStem(token), position++);
  }
}

/** The terms of `text` in order. */
export function terms(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (t) => out.push(t));
  return out;
}

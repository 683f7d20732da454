/**
 * The Porter stemmer exactly as SQLite FTS5's `porter` tokenizer applies it (fts5_tokenize.c),
 * so an index of our own finds what `paper_search` finds. FTS5 works on UTF-8 bytes: a token
 * shorter than 3 or longer than 64 bytes passes through, and any byte that is not a lower-case
 * ASCII vowel counts as a consonant. We work on a "binary" string (one char per UTF-8 byte).
 */

const MAX_TOKEN_BYTES = 64;

function isVowel(c: string, yIsVowel: boolean): boolean {
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y');
}

/** Past the first vowel-consonant sequence: the index after it, or 0 when there is none. */
function gobbleVC(s: string, start: number, end: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = start;
  for (; i < end; i++) {
    cons = !isVowel(s[i]!, cons);
    if (!cons) break;
  }
  for (i++; i < end; i++) {
    cons = !isVowel(s[i]!, cons);
    if (cons) return i + 1;
  }
  return 0;
}

const mGt0 = (s: string, n: number) => gobbleVC(s, 0, n, false) !== 0;
function mGt1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k !== 0 && gobbleVC(s, k, n, true) !== 0;
}
function mEq1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k !== 0 && gobbleVC(s, k, n, true) === 0;
}
function oStar(s: string, n: number): boolean {
  const last = s[n - 1];
  if (last === 'w' || last === 'x' || last === 'y') return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(s[i]!, cons);
    mask = ((mask << 1) + (cons ? 1 : 0)) & 0xffff;
  }
  return (mask & 7) === 5;
}
const mGt1SorT = (s: string, n: number) => (s[n - 1] === 's' || s[n - 1] === 't') && mGt1(s, n);
function hasVowel(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(s[i]!, i > 0)) return true;
  return false;
}

type Cond = (s: string, n: number) => boolean;
/** [suffix, condition on the stem, replacement], grouped by the suffix's second-last letter as in FTS5. */
type Rule = [string, Cond, string];

function applyFirst(s: string, rules: Rule[] | undefined): string {
  if (!rules) return s;
  for (const [suffix, cond, out] of rules) {
    // FTS5 demands the word be longer than the suffix, and stops at the first suffix that fits.
    if (s.length > suffix.length && s.endsWith(suffix)) {
      const stem = s.length - suffix.length;
      return cond(s, stem) ? s.slice(0, stem) + out : s;
    }
  }
  return s;
}

const STEP2: Record<string, Rule[]> = {
  a: [
    ['ational', mGt0, 'ate'],
    ['tional', mGt0, 'tion'],
  ],
  c: [
    ['enci', mGt0, 'ence'],
    ['anci', mGt0, 'ance'],
  ],
  e: [['izer', mGt0, 'ize']],
  g: [['logi', mGt0, 'log']],
  l: [
    ['bli', mGt0, 'ble'],
    ['alli', mGt0, 'al'],
    ['entli', mGt0, 'ent'],
    ['eli', mGt0, 'e'],
    ['ousli', mGt0, 'ous'],
  ],
  o: [
    ['ization', mGt0, 'ize'],
    ['ation', mGt0, 'ate'],
    ['ator', mGt0, 'ate'],
  ],
  s: [
    ['alism', mGt0, 'al'],
    ['iveness', mGt0, 'ive'],
    ['fulness', mGt0, 'ful'],
    ['ousness', mGt0, 'ous'],
  ],
  t: [
    ['aliti', mGt0, 'al'],
    ['iviti', mGt0, 'ive'],
    ['biliti', mGt0, 'ble'],
  ],
};

const STEP3: Record<string, Rule[]> = {
  a: [['ical', mGt0, 'ic']],
  s: [['ness', mGt0, '']],
  t: [
    ['icate', mGt0, 'ic'],
    ['iciti', mGt0, 'ic'],
  ],
  u: [['ful', mGt0, '']],
  v: [['ative', mGt0, '']],
  z: [['alize', mGt0, 'al']],
};

const STEP4: Record<string, Rule[]> = {
  a: [['al', mGt1, '']],
  c: [
    ['ance', mGt1, ''],
    ['ence', mGt1, ''],
  ],
  e: [['er', mGt1, '']],
  i: [['ic', mGt1, '']],
  l: [
    ['able', mGt1, ''],
    ['ible', mGt1, ''],
  ],
  n: [
    ['ant', mGt1, ''],
    ['ement', mGt1, ''],
    ['ment', mGt1, ''],
    ['ent', mGt1, ''],
  ],
  o: [
    ['ion', mGt1SorT, ''],
    ['ou', mGt1, ''],
  ],
  s: [['ism', mGt1, '']],
  t: [
    ['ate', mGt1, ''],
    ['iti', mGt1, ''],
  ],
  u: [['ous', mGt1, '']],
  v: [['ive', mGt1, '']],
  z: [['ize', mGt1, '']],
};

const step = (s: string, table: Record<string, Rule[]>) => applyFirst(s, table[s[s.length - 2] ?? '']);

function step1a(s: string): string {
  const n = s.length;
  if (s[n - 1] !== 's') return s;
  if (s[n - 2] === 'e') {
    if ((n > 4 && s[n - 4] === 's' && s[n - 3] === 's') || (n > 3 && s[n - 3] === 'i'))
      return s.slice(0, n - 2);
    return s.slice(0, n - 1);
  }
  return s[n - 2] !== 's' ? s.slice(0, n - 1) : s;
}

/** Step 1b: the stem and whether a suffix was taken (which triggers the clean-up). */
function step1b(s: string): [string, boolean] {
  const n = s.length;
  if (s[n - 2] === 'e') {
    if (n > 3 && s.endsWith('eed')) return [mGt0(s, n - 3) ? `${s.slice(0, n - 3)}ee` : s, false];
    if (n > 2 && s.endsWith('ed')) return hasVowel(s, n - 2) ? [s.slice(0, n - 2), true] : [s, false];
  } else if (s[n - 2] === 'n') {
    if (n > 3 && s.endsWith('ing')) return hasVowel(s, n - 3) ? [s.slice(0, n - 3), true] : [s, false];
  }
  return [s, false];
}

function step1b2(s: string): [string, boolean] {
  const n = s.length;
  if (n > 2) {
    const end = s.slice(n - 2);
    if (end === 'at') return [`${s.slice(0, n - 2)}ate`, true];
    if (end === 'bl') return [`${s.slice(0, n - 2)}ble`, true];
    if (end === 'iz') return [`${s.slice(0, n - 2)}ize`, true];
  }
  return [s, false];
}

/** Stem one token of "binary" characters (each a UTF-8 byte), already lower-cased. */
function stemBytes(token: string): string {
  if (token.length > MAX_TOKEN_BYTES || token.length < 3) return token;
  const [afterB, took] = step1b(step1a(token));
  let s = afterB;
  if (took) {
    let grown: boolean;
    [s, grown] = step1b2(s);
    if (!grown) {
      const c = s[s.length - 1]!;
      if (!isVowel(c, false) && c !== 'l' && c !== 's' && c !== 'z' && c === s[s.length - 2]) {
        s = s.slice(0, -1);
      } else if (mEq1(s, s.length) && oStar(s, s.length)) {
        s = `${s}e`;
      }
    }
  }
  if (s[s.length - 1] === 'y' && hasVowel(s, s.length - 1)) s = `${s.slice(0, -1)}i`;
  s = step(s, STEP2);
  s = step(s, STEP3);
  s = step(s, STEP4);
  const n = s.length;
  if (s[n - 1] === 'e' && (mGt1(s, n - 1) || (mEq1(s, n - 1) && !oStar(s, n - 1)))) s = s.slice(0, -1);
  const m = s.length;
  if (m > 1 && s[m - 1] === 'l' && s[m - 2] === 'l' && mGt1(s, m - 1)) s = s.slice(0, -1);
  return s;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The FTS5 porter stem of a folded token. */
export function porterStem(token: string): string {
  if (ASCII.test(token)) return stemBytes(token);
  return Buffer.from(stemBytes(Buffer.from(token, 'utf8').toString('latin1')), 'latin1').toString('utf8');
}

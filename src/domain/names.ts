import { decodeLatexAccents } from './latex.ts';
import type { PersonName } from './record.ts';

/**
 * Person names: reading them in the shapes sources use, and the keys that match variants.
 *
 * Display keeps what the source wrote. Matching folds case, diacritics, LaTeX accents,
 * hyphens and dots: `Sohl-Dickstein, Jascha` and `Jascha Sohl-dickstein` share a key, and so
 * do `Bileschi, Maxwell L.` and `Maxwell L Bileschi`.
 */

const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'dos',
  'das',
  'du',
  'la',
  'le',
  'ter',
  'ten',
  'bin',
  'ibn',
  'al',
  'el',
  'st',
  'st.',
]);
const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/** Words that make a name a group, not a person ("LIGO Scientific Collaboration"). */
const GROUP_WORDS = /\b(collaboration|consortium|team|group|project|collective|committee|initiative)\b/i;

export function isGroupName(text: string): boolean {
  return GROUP_WORDS.test(text);
}

function clean(text: string): string {
  return decodeLatexAccents(text).replace(/[{}]/g, '').replace(/\s+/g, ' ').trim();
}

/** A name from its parts, as a source with separate fields gives it. */
export function personFromParts(family: string, given: string | undefined, display?: string): PersonName {
  const f = clean(family);
  const g = given ? clean(given) : '';
  const person: PersonName = { display: display ? clean(display) : g ? `${g} ${f}` : f, family: f };
  if (g) person.given = g;
  return person;
}

/** `Last, First` (one comma) or `First Last`. A group name is kept whole as the family. */
export function personFromDisplay(text: string): PersonName {
  const display = clean(text);
  if (isGroupName(display)) return { display, family: display };
  const comma = display.split(',').map((p) => p.trim());
  if (comma.length === 2 && comma[0] && comma[1]) {
    return { display, family: comma[0], given: comma[1] };
  }
  if (comma.length === 3 && comma[0] && comma[2] && SUFFIXES.has(comma[1]!.toLowerCase())) {
    // `Smith, Jr., John`
    return { display, family: `${comma[0]} ${comma[1]}`, given: comma[2] };
  }
  return splitFirstLast(display);
}

function splitFirstLast(display: string): PersonName {
  const words = display.split(' ').filter(Boolean);
  if (words.length <= 1) return { display, family: display };
  let end = words.length;
  const suffix: string[] = [];
  while (end > 1 && SUFFIXES.has(words[end - 1]!.toLowerCase().replace(/,$/, ''))) {
    suffix.unshift(words[end - 1]!.replace(/,$/, ''));
    end--;
  }
  let start = end - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!.toLowerCase())) start--;
  const family = [...words.slice(start, end), ...suffix].join(' ');
  const given = words.slice(0, start).join(' ');
  return given ? { display, family, given } : { display, family };
}

/**
 * arXiv-style author strings: `A, B and C`, `A, B, and C`, `A and B`. Affiliations in
 * parentheses (`A (MIT), B`) are removed.
 */
export function splitAuthorList(text: string): string[] {
  const flat = clean(text.replace(/\([^()]*\)/g, ' '));
  return flat
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !SUFFIXES.has(s.toLowerCase()));
}

/**
 * NASA ADS lists authors as `Last, First, Last, First, …` in one comma-separated string.
 * Pairs are read two by two; a suffix (`Jr.`) joins the pair before it, and a group name
 * (`LIGO Scientific Collaboration`) stands alone.
 */
export function splitLastFirstList(text: string): PersonName[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const people: PersonName[] = [];
  let i = 0;
  while (i < parts.length) {
    const family = parts[i]!;
    if (isGroupName(family)) {
      people.push({ display: clean(family), family: clean(family) });
      i += 1;
      continue;
    }
    const given = parts[i + 1];
    if (given === undefined || isGroupName(given)) {
      people.push(personFromParts(family, undefined));
      i += 1;
      continue;
    }
    let familyFull = family;
    let next = i + 2;
    if (parts[next] && SUFFIXES.has(parts[next]!.toLowerCase())) {
      familyFull = `${family} ${parts[next]}`;
      next += 1;
    }
    const person = personFromParts(familyFull, given);
    person.display = `${person.given} ${person.family}`;
    people.push(person);
    i = next;
  }
  return people;
}

const PLAIN_ASCII = /^[\0-\x5b\x5d-\x7f]*$/;

/** Fold text for matching: no diacritics, no LaTeX accents, lower case, letters and digits only. */
export function foldName(text: string): string {
  // ASCII without a backslash has no accent to decode or mark to drop, and its letters and
  // digits are [a-z0-9] once lower-cased: the same result without Unicode normalization.
  if (PLAIN_ASCII.test(text))
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return decodeLatexAccents(text)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Given-name words, split at spaces, dots and glued initials (`JD` → `j d`, `C.Daniel` → `c daniel`). */
export function givenTokens(given: string | undefined): string[] {
  if (!given) return [];
  const raw = decodeLatexAccents(given).replace(/[{}]/g, '');
  const tokens: string[] = [];
  for (const word of raw.split(/[\s.]+/).filter(Boolean)) {
    // All-capital short words are glued initials: `JD`, `AB`.
    if (/^\p{Lu}{2,3}$/u.test(word)) {
      for (const ch of word) tokens.push(foldName(ch));
    } else {
      const f = foldName(word);
      if (f) tokens.push(...f.split(' '));
    }
  }
  return tokens.filter(Boolean);
}

export function familyOf(name: PersonName): string {
  return tokensOf(name).family;
}

interface NameTokens {
  family: string;
  given: string[];
}

/**
 * Folding is the hot path of ingestion (every author of every paper, several times): the
 * tokens of each spelling are remembered, in a table that starts over when it fills up.
 */
const tokenCache = new Map<string, NameTokens>();
const TOKEN_CACHE_SIZE = 200_000;

function tokensOf(name: PersonName): NameTokens {
  const cacheKey =
    name.family === undefined ? `\u0001${name.display}` : `${name.family}\u0000${name.given ?? ''}`;
  const cached = tokenCache.get(cacheKey);
  if (cached) return cached;
  let tokens: NameTokens;
  if (name.family !== undefined) tokens = { family: foldName(name.family), given: givenTokens(name.given) };
  else {
    const parsed = personFromDisplay(name.display);
    tokens = { family: foldName(parsed.family ?? parsed.display), given: givenTokens(parsed.given) };
  }
  if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
  tokenCache.set(cacheKey, tokens);
  return tokens;
}

/** True when every given-name word is a single letter (`L.`, `J. D.`, `JD`). */
export function hasOnlyInitials(name: PersonName): boolean {
  const { given } = tokensOf(name);
  return given.length > 0 && given.every((t) => t.length === 1);
}

/**
 * The key two spellings of one name share: given words then family, folded.
 * `Xiao, Lechao` and `Lechao Xiao` → `lechao xiao`.
 */
export function nameKey(name: PersonName): string {
  const { family, given } = tokensOf(name);
  return [...given, family].join(' ').trim();
}

/** First initial and family: `l xiao`. Shared by every form of a name, and by other people too. */
export function initialKey(name: PersonName): string {
  const { family, given } = tokensOf(name);
  const first = given[0]?.[0];
  return first ? `${first} ${family}` : family;
}

/**
 * Whether two names could be the same person: same family, and given names that agree
 * word by word where both have a word (a full word agrees with its initial).
 * `L. Xiao` ~ `Lechao Xiao`; `J. D. Co-Reyes` ~ `John D. Co-Reyes`; `Alex Alemi` ≁ `Alexander A. Alemi`.
 */
export function namesCompatible(a: PersonName, b: PersonName): boolean {
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  if (ta.family !== tb.family) return false;
  const n = Math.min(ta.given.length, tb.given.length);
  if (n === 0) return true;
  for (let i = 0; i < n; i++) {
    const x = ta.given[i]!;
    const y = tb.given[i]!;
    if (x.length === 1 || y.length === 1) {
      if (x[0] !== y[0]) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}

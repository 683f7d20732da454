/**
 * Name shapes as the corpus shows them. Deliberately independent of src/domain/names.ts: the
 * generator must not share the parser's assumptions, or the benchmark could not catch them.
 */
export interface NameSample {
  family: string;
  /** One letter per given token: F full (`Scott`, `Xuan-Truong`), I `T.`, i `T`, H `J.-P.`. */
  shape: string;
  fullGivens: string[];
}

/** Lower-case particles that belong to the family name: `Ernst de Mooij`, `Ludwig van der Berg`. */
const PARTICLES = new Set([
  'de',
  'del',
  'della',
  'der',
  'den',
  'di',
  'da',
  'das',
  'do',
  'dos',
  'du',
  'la',
  'le',
  'van',
  'von',
  'ten',
  'ter',
  'zu',
  'y',
  'e',
  'bin',
  'al',
]);
const SUFFIX = /^(Jr\.?|Sr\.?|II|III|IV)$/;

/** arXiv's author field: `A. Name, B. Other and C. Third`, wrapped with newlines and indents. */
export function splitAuthorString(s: string): string[] {
  return s
    .replace(/\s+/g, ' ')
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** `Given Middle Family` → parts; undefined for things that are not a person (affiliations, collaborations). */
export function nameFromDisplay(item: string): NameSample | undefined {
  if (/[\d()@:;]/.test(item) || /collaboration|team|group|consortium/i.test(item)) return undefined;
  const tokens = item.split(' ').filter((t) => t.length > 0);
  if (tokens.length > 0 && SUFFIX.test(tokens[tokens.length - 1]!)) tokens.pop();
  if (tokens.length < 2 || tokens.length > 6) return undefined;
  let f = tokens.length - 1;
  while (f > 1 && PARTICLES.has(tokens[f - 1]!)) f--;
  return nameFromParts(tokens.slice(f).join(' '), tokens.slice(0, f).join(' '));
}

export function nameFromParts(family: string, given: string): NameSample | undefined {
  const fam = family.trim();
  const tokens = given
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  if (!fam || tokens.length === 0 || /[\d()@]/.test(fam + given)) return undefined;
  if (!/^[\p{Lu}\\{]/u.test(tokens[0]!) || !/^[\p{L}\\{]/u.test(fam)) return undefined;
  const shape = tokens.map(tokenShape).join('');
  return { family: fam, shape, fullGivens: tokens.filter((t) => tokenShape(t) === 'F') };
}

function tokenShape(t: string): string {
  if (/^\p{Lu}\.$/u.test(t)) return 'I';
  if (/^\p{Lu}$/u.test(t)) return 'i';
  if (/^\p{Lu}\.-\p{Lu}\.$/u.test(t)) return 'H';
  return 'F';
}

/** Fill a shape with names: `FI` + [`Scott`] + initials → `Scott T.`. */
export function givenFromShape(shape: string, full: () => string, initial: () => string): string {
  const parts: string[] = [];
  for (const ch of shape) {
    if (ch === 'F') parts.push(full());
    else if (ch === 'I') parts.push(`${initial()}.`);
    else if (ch === 'i') parts.push(initial());
    else parts.push(`${initial()}.-${initial()}.`);
  }
  return parts.join(' ');
}

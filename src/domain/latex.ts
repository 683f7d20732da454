/**
 * LaTeX accent commands to Unicode. Authors and titles from arXiv and BibTeX write
 * `Schr{\"o}dinger`, `G\"odel`, `{\'E}cole`, `\v{S}koda`, `Garc\'{\i}a`; we keep what the source
 * wrote and derive the Unicode form for display and matching.
 */

const COMBINING: Record<string, string> = {
  '"': '\u0308', // diaeresis
  "'": '\u0301', // acute
  '`': '\u0300', // grave
  '^': '\u0302', // circumflex
  '~': '\u0303', // tilde
  '=': '\u0304', // macron
  '.': '\u0307', // dot above
  u: '\u0306', // breve
  v: '\u030C', // caron
  H: '\u030B', // double acute
  c: '\u0327', // cedilla
  k: '\u0328', // ogonek
  r: '\u030A', // ring above
  d: '\u0323', // dot below
  b: '\u0331', // macron below
};

const LETTERS: Record<string, string> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
};

// \"o  \"{o}  {\"o}  \'{\i}  \v{S}  \c c
const ACCENT_RE = /\\(["'`^~=.]|[uvHckrdb](?=[\s{]))\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij]|[A-Za-z]))/g;
const LETTER_RE = /\\(ss|aa|AA|ae|AE|oe|OE|[oOlLij])(?![A-Za-z])\s?/g;

/** Replace LaTeX accent and special-letter commands with Unicode; drop the braces that wrapped them. */
export function decodeLatexAccents(input: string): string {
  if (!input.includes('\\')) return input;
  let out = input.replace(ACCENT_RE, (_m, accent: string, braced?: string, bare?: string) => {
    let base = braced ?? bare ?? '';
    if (base === '\\i') base = 'i';
    if (base === '\\j') base = 'j';
    const mark = COMBINING[accent];
    return mark ? (base + mark).normalize('NFC') : base;
  });
  out = out.replace(LETTER_RE, (_m, name: string) => LETTERS[name] ?? name);
  // `{ö}` left behind by `{\"o}`: unwrap single characters in braces.
  return out.replace(/\{(\p{L}\p{M}*)\}/gu, '$1');
}

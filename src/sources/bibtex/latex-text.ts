import { decodeLatexAccents } from '../../domain/latex.ts';

/**
 * BibTeX field values (titles, venues, keywords) to plain text: accents to Unicode, escaped
 * specials (`\&`, `\%`, `\_`, `\textbackslash{}`) to characters, case-protecting and grouping
 * braces dropped, style commands (`\emph{…}`, `{\em …}`) reduced to their text.
 *
 * Inline math (`$\alpha$-stable`) is kept verbatim, as arXiv writes it in titles, so a title
 * read from BibTeX matches the same title read from the arXiv API. `src/export/bibtex.ts`
 * writes the inverse of this, and the round-trip tests hold the two together.
 */

/** Commands that stand for one character (written with a trailing `{}` by our exporter). */
const CHAR_COMMANDS: Record<string, string> = {
  textbackslash: '\\',
  textbraceleft: '{',
  textbraceright: '}',
  textasciitilde: '~',
  textasciicircum: '^',
  textunderscore: '_',
  textdollar: '$',
  textless: '<',
  textgreater: '>',
  textbar: '|',
  textendash: '–',
  textemdash: '—',
  ldots: '…',
  dots: '…',
  textellipsis: '…',
  LaTeX: 'LaTeX',
  TeX: 'TeX',
};

/** Commands whose argument is the text: the command goes, the text stays. */
const STYLE_COMMANDS = new Set([
  'emph',
  'textit',
  'textbf',
  'textsc',
  'textrm',
  'textsf',
  'texttt',
  'textup',
  'textsl',
  'textnormal',
  'text',
  'mbox',
  'em',
  'it',
  'bf',
  'sc',
  'rm',
  'sf',
  'tt',
  'sl',
  'itshape',
  'bfseries',
  'scshape',
  'protect',
  'relax',
]);

/** Accent commands, matched where they stand so that `\\emph{x}` is not mistaken for one. */
const ACCENT_AT =
  /\\(?:["'`^~=.]|[uvHckrdb](?=[\s{]))\s*(?:\{\s*(?:\\[ij]|[A-Za-z])\s*\}|\\[ij]|[A-Za-z])|\\(?:ss|aa|AA|ae|AE|oe|OE|[oOlLij])(?![A-Za-z])\s?/y;

const ESCAPED = new Set(['&', '%', '_', '#', '$', '{', '}']);

/** Splits at unescaped `$…$` pairs; odd segments are math (without the dollars). */
export function splitMath(text: string): { text: string; math: boolean }[] {
  const parts: { text: string; math: boolean }[] = [];
  let start = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] !== '$') continue;
    if (open < 0) {
      open = i;
    } else {
      if (open > start) parts.push({ text: text.slice(start, open), math: false });
      parts.push({ text: text.slice(open, i + 1), math: true });
      start = i + 1;
      open = -1;
    }
  }
  if (start < text.length) parts.push({ text: text.slice(start), math: false });
  return parts;
}

/** Plain text of a BibTeX value; whitespace runs become one space. */
export function latexToText(value: string): string {
  return splitMath(value)
    .map((p) => (p.math ? p.text : textPart(p.text)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function textPart(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\') {
      const next = s[i + 1];
      if (next === undefined) {
        out += '\\';
        break;
      }
      ACCENT_AT.lastIndex = i;
      const accent = ACCENT_AT.exec(s);
      if (accent) {
        out += decodeLatexAccents(accent[0].trimEnd());
        i += accent[0].length;
        continue;
      }
      if (/[A-Za-z]/.test(next)) {
        let j = i + 1;
        while (j < s.length && /[A-Za-z]/.test(s[j]!)) j++;
        const name = s.slice(i + 1, j);
        const char = CHAR_COMMANDS[name];
        if (char !== undefined) {
          out += char;
          if (s.startsWith('{}', j)) j += 2;
          else while (s[j] === ' ') j++;
        } else if (STYLE_COMMANDS.has(name)) {
          while (s[j] === ' ') j++;
        } else {
          out += `\\${name}`;
        }
        i = j;
        continue;
      }
      if (ESCAPED.has(next)) out += next;
      else if (next === '\\' || next === ' ') out += ' ';
      else out += `\\${next}`;
      i += 2;
      continue;
    }
    if (ch === '~') out += ' ';
    else if (ch !== '{' && ch !== '}') out += ch;
    i++;
  }
  return out;
}

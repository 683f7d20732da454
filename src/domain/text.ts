import { decodeLatexAccents } from './latex.ts';
import { latexCommandText, scriptText } from './latex-symbols.ts';
import { foldName } from './names.ts';

/**
 * Plain text derived from abstracts and titles as sources give them, and the keys that match
 * the same text across sources.
 *
 * Sources mix LaTeX (arXiv, unarXive: `ReST$^{EM}$`, `models~(LMs)`, `\emph{x}`), HTML
 * (Crossref/OpenAlex/S2: `<p>`, `&amp;`), hard wraps at ~80 columns (arXiv API and OAI) and
 * plain text (Hugging Face). Every step below is a single regex pass with no nested or
 * adjacent unbounded quantifiers, so the whole function stays linear on any input.
 */

const PRIVATE_DOLLAR = '\uE000';
const PRIVATE_OPEN = '\uE001';
const PRIVATE_CLOSE = '\uE002';
const PARAGRAPH = '\uE003';

// Only tags that carry attributes may have a space after the name, so `a<b and c>d` stays text.
const HTML_TAG =
  /<\/?(?:(?:p|i|b|em|strong|sub|sup|br|div|span|code|tt|u|li|ul|ol|h[1-6]|blockquote|pre|small|big|abstract|title|sec|section|math)|(?:a|span|div|p|font|sec|math|mml:[a-z]+|jats:[a-z]+)(?:\s[^<>]*)?)\/?>/gi;
const HTML_BREAK =
  /<\/?(?:p|br|li|h[1-6]|blockquote|section|(?:div|p|sec|jats:p|jats:sec)(?:\s[^<>]*)?)\/?>/gi;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  times: '×',
  le: '≤',
  ge: '≥',
  ne: '≠',
  plusmn: '±',
  deg: '°',
  micro: 'µ',
  middot: '·',
  minus: '−',
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  lambda: 'λ',
  mu: 'μ',
  pi: 'π',
  sigma: 'σ',
  theta: 'θ',
  omega: 'ω',
  copy: '©',
  reg: '®',
  trade: '™',
};

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,10});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return whole;
      return String.fromCodePoint(code);
    }
    return ENTITIES[body] ?? ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Wrapper commands whose argument is the text to keep. */
const WRAPPER =
  /\\(?:emph|textbf|textit|texttt|textsc|textrm|textsf|textup|textnormal|text|mbox|hbox|underline|mathrm|mathbf|mathit|mathcal|mathbb|mathsf|mathtt|mathfrak|operatorname|boldsymbol|bm|url|ensuremath|hat|tilde|bar|vec|widehat|widetilde|overline)\s?\{([^{}]*)\}/g;

function unwrapCommands(text: string): string {
  let out = text;
  // Three passes unwrap nesting such as `\textbf{\emph{x}}`; deeper nesting loses only the command names.
  for (let pass = 0; pass < 3 && out.includes('\\'); pass++) {
    const next = out
      .replace(/\\href\s?\{[^{}]*\}\s?\{([^{}]*)\}/g, '$1')
      .replace(/\\[dt]?frac\s?\{([^{}]*)\}\s?\{([^{}]*)\}/g, '$1/$2')
      .replace(/\\sqrt\s?\{([^{}]*)\}/g, '√$1')
      .replace(WRAPPER, '$1');
    if (next === out) break;
    out = next;
  }
  return out;
}

function renderMath(math: string): string {
  return unwrapCommands(math)
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/\\([A-Za-z]+)/g, (_m, name: string) => latexCommandText(name))
    .replace(/([\^_])\{([^{}]*)\}/g, (_m, kind: '^' | '_', content: string) => scriptText(content, kind))
    .replace(/([\^_])([\p{L}\p{N}\p{S}+\-*])/gu, (_m, kind: '^' | '_', ch: string) => scriptText(ch, kind));
}

/** Everything from a line that starts with `Comment:`/`Comments:` to the end (arXiv listings). */
function dropTrailingComment(text: string): string {
  const match = /\n[ \t]*Comments?:/.exec(text);
  if (!match) return text;
  const before = text.slice(0, match.index);
  return before.trim() ? before : text;
}

// Whitespace other than a plain space and a line break, and the paragraph mark itself: text
// without any of them takes the one-pass path below.
const UNUSUAL_SPACE = /[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000\uE003]/;

function normalizeWhitespace(text: string): string {
  if (!UNUSUAL_SPACE.test(text)) return normalizeSpacesAndBreaks(text);
  return text
    .replace(
      /[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]/g,
      ' ',
    )
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n\n+/g, PARAGRAPH)
    .replace(/\n/g, ' ')
    .replace(/ ?\uE003 ?/g, PARAGRAPH)
    .replace(/\uE003+/g, '\n\n')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** A run of spaces and line breaks that is not already a single space. */
const SPACE_RUN = /[ \n]{2,}|\n/g;

/**
 * What the passes above make of text whose only whitespace is spaces and line breaks, in one
 * pass: each run of them is a paragraph break when it holds two line breaks or more, else one
 * space. (Abstracts are mostly this: hard-wrapped lines of plain words.)
 */
function normalizeSpacesAndBreaks(text: string): string {
  return text
    .replace(SPACE_RUN, (run) =>
      run.length > 1 && run.indexOf('\n') !== run.lastIndexOf('\n') ? '\n\n' : ' ',
    )
    .trim();
}

const ABSTRACT_LABEL = /^\s*Abstract\s?[:.]\s?/i;

/**
 * Text that no step of `toPlainText` but the label and the whitespace acts on: ASCII without
 * control characters other than tab and line break, and none of the characters (or pairs) the
 * other steps look for. Most abstracts and titles; they take the short way.
 */
// Any character but tab, line break and printable ASCII other than < & $ { } ` ~ and backslash.
// (One character class: the pairs below are looked for apart, as an alternation would slow the
// scan of every position.)
const NOT_PLAIN_CHAR = /[^\t\n\x20-\x23\x25\x27-\x3b\x3d-\x5b\x5d-\x5f\x61-\x7a\x7c]/;

function isPlain(text: string): boolean {
  return (
    !NOT_PLAIN_CHAR.test(text) && !text.includes("''") && !text.includes('--') && !text.includes('Comment')
  );
}

/**
 * The folded words of plain text (see `isPlain`), at most `limit`: its runs of ASCII letters and
 * digits, lower-cased, once the label is dropped. That is what `foldName(toPlainText(text))`
 * splits into, since neither the whitespace nor anything else `toPlainText` changes in such
 * text is a letter or a digit.
 */
function plainWords(text: string, limit: number): string[] {
  const unlabelled = text.replace(ABSTRACT_LABEL, '');
  const words: string[] = [];
  PLAIN_WORD.lastIndex = 0;
  for (
    let m = PLAIN_WORD.exec(unlabelled);
    m !== null && words.length < limit;
    m = PLAIN_WORD.exec(unlabelled)
  ) {
    words.push(m[0].toLowerCase());
  }
  return words;
}
const PLAIN_WORD = /[A-Za-z0-9]+/g;

/**
 * Clean plain text for search and display from an abstract or title as a source gave it.
 * Never throws; linear in the length of the input.
 */
export function toPlainText(abstract: string): string {
  if (typeof abstract !== 'string' || abstract.length === 0) return '';
  if (isPlain(abstract)) return normalizeWhitespace(abstract.replace(ABSTRACT_LABEL, ''));
  let text = abstract.includes('\r') ? abstract.replace(/\r\n?/g, '\n') : abstract;
  text = text.replace(ABSTRACT_LABEL, '');
  if (text.includes('Comment')) text = dropTrailingComment(text);
  if (text.includes('<')) text = text.replace(HTML_BREAK, '\n\n').replace(HTML_TAG, '');
  text = decodeEntities(text);
  if (text.includes('\\')) {
    text = text
      .replace(/\\\$/g, PRIVATE_DOLLAR)
      .replace(/\\\{/g, PRIVATE_OPEN)
      .replace(/\\\}/g, PRIVATE_CLOSE)
      .replace(/\\([%&#_])/g, '$1');
    // A citation takes its tie or one space with it: `results~\cite{a}.` → `results.`
    text = text.replace(
      /[ ~]?\\(?:cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|label)\*?(?:\[[^\][]*\]){0,2}\{[^{}]*\}/g,
      '',
    );
    text = text.replace(/\\[()[\]]/g, '');
  }
  if (text.includes('$')) {
    text = text.replace(/\$\$([^$]*)\$\$|\$([^$]*)\$/g, (_m, display?: string, inline?: string) =>
      decodeLatexAccents(renderMath(display ?? inline ?? '')),
    );
  }
  if (text.includes('\\')) {
    // Accents after unwrapping: decodeLatexAccents also strips braces around single letters (`\frac{a}{b}`).
    text = decodeLatexAccents(unwrapCommands(text))
      .replace(/\\\\/g, ' ')
      .replace(/\\[,;:! ]/g, ' ')
      .replace(/\\([A-Za-z]+)/g, (_m, name: string) => latexCommandText(name));
  }
  // Each pass below runs only when its character is there: most abstracts have none of them.
  if (text.includes('{') || text.includes('}')) text = text.replace(/[{}]/g, '');
  if (text.includes(PRIVATE_DOLLAR)) text = text.replace(/\uE000/g, '$');
  if (text.includes(PRIVATE_OPEN)) text = text.replace(/\uE001/g, '{');
  if (text.includes(PRIVATE_CLOSE)) text = text.replace(/\uE002/g, '}');
  if (text.includes('`') || text.includes("''"))
    text = text.replace(/``/g, '“').replace(/''/g, '”').replace(/`/g, '‘');
  if (text.includes('--')) text = text.replace(/---/g, '—').replace(/--/g, '–');
  // A tie between two words (`models~(LMs)`) is a space; a `~` after a space means "about" (`~5%`).
  if (text.includes('~')) text = text.replace(/(?<=\S)~(?=\S)/g, ' ');
  return normalizeWhitespace(text);
}

/** Fold text for matching across sources: plain text, no diacritics, lower case, letters and digits. */
export function matchKey(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  if (isPlain(text)) return plainWords(text, Number.POSITIVE_INFINITY).join(' ');
  // foldName leaves no two spaces side by side; the collapse is kept for what it would ever miss.
  const folded = foldName(toPlainText(text));
  return folded.includes('  ') ? folded.replace(/ +/g, ' ') : folded;
}

export function titleKey(title: string): string {
  return matchKey(title);
}

const ABSTRACT_KEY_WORDS = 40;
const ABSTRACT_KEY_MIN_WORDS = 12;

/**
 * The first 40 words of the folded abstract: how a record without a title (arXiv listing,
 * CatalyzeX) is matched to the same paper elsewhere. Undefined when the abstract is too short
 * to tell papers apart.
 */
export function abstractKey(abstract: string): string | undefined {
  if (typeof abstract !== 'string') return undefined;
  if (isPlain(abstract)) {
    // The folding below keeps each whole word of plain text as it is, so its first words are
    // the text's first words.
    const words = plainWords(abstract, ABSTRACT_KEY_WORDS);
    return words.length < ABSTRACT_KEY_MIN_WORDS ? undefined : words.join(' ');
  }
  // Only the opening words count: fold a growing prefix until it holds one word more than
  // needed (so the last one kept is whole), instead of folding a whole, possibly huge, text.
  for (let size = 512; ; size *= 4) {
    const whole = size >= abstract.length;
    const words = matchKey(whole ? abstract : abstract.slice(0, size)).split(' ', ABSTRACT_KEY_WORDS + 1);
    if (whole || words.length > ABSTRACT_KEY_WORDS) {
      const kept = words.filter(Boolean).slice(0, ABSTRACT_KEY_WORDS);
      return kept.length < ABSTRACT_KEY_MIN_WORDS ? undefined : kept.join(' ');
    }
  }
}

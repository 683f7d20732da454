import { STOP_WORDS } from './stop-words.ts';

/**
 * Text to terms for the similarity vectors: lower-cased, diacritics folded, LaTeX and inline
 * mathematics dropped, stop words removed, plurals folded; optionally the bigrams of terms
 * that stand next to each other in one phrase ("neural tangent kernel" gives "neural tangent"
 * and "tangent kernel").
 */

export interface TokenizeOptions {
  /** 1: single words; 2: words and adjacent pairs. Default 1. */
  ngrams?: 1 | 2;
  /** Fold plurals ("networks" → "network"). Default true. */
  stem?: boolean;
  stopWords?: ReadonlySet<string>;
}

// Abstracts from arXiv carry raw TeX: `$P_n(z)=(z-X_1)\ldots$`, `\emph{word}`, `\cite{x}`.
// Mathematics says little about the topic in words and floods the vocabulary with `x_1`.
const DISPLAY_MATH =
  /\$\$[\s\S]*?\$\$|\\\[[\s\S]*?\\\]|\\begin\{(equation|align|eqnarray)\*?\}[\s\S]*?\\end\{\1\*?\}/g;
const INLINE_MATH = /\$[^$]{0,400}\$|\\\([\s\S]{0,400}?\\\)/g;
const REFERENCE_COMMAND = /\\(cite[a-z]*|ref|eqref|label|url|href)\{[^}]*\}/g;
const COMMAND = /\\[a-zA-Z]+\*?|\\./g;
const URL = /\b(?:https?:\/\/|www\.)\S+/g;
const DIACRITICS = /\p{M}+/gu;
// Phrase breaks: bigrams do not span them.
const BREAK = /[.,;:!?()[\]{}"“”|/\\<>=+*&^%#@~`]+|\s-\s|\s['’]|['’]\s/;
const WORD = /[a-z0-9]+/g;
const HAS_LETTER = /[a-z]/;

/** The text with LaTeX, mathematics and URLs taken out, lower-cased and folded to ASCII where it can be. */
export function cleanText(text: string): string {
  return text
    .replace(DISPLAY_MATH, ' . ')
    .replace(INLINE_MATH, ' . ')
    .replace(REFERENCE_COMMAND, ' ')
    .replace(URL, ' ')
    .replace(COMMAND, ' ')
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .toLowerCase();
}

// Words that end like plurals and are not ("series" is not the plural of "sery").
const INVARIANT = new Set([
  'series',
  'species',
  'means',
  'news',
  'lens',
  'alias',
  'canvas',
  'chaos',
  'ethos',
]);

/** Plural folding that keeps words readable in a reason: "kernels" → "kernel", "studies" → "study". */
export function stemWord(w: string): string {
  if (w.length <= 3 || !w.endsWith('s') || INVARIANT.has(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is') || w.endsWith('ics') || w.endsWith('as'))
    return w;
  return w.slice(0, -1);
}

/** The phrases of a text, each a list of kept words in order. */
export function phrases(text: string, options: TokenizeOptions = {}): string[][] {
  const stop = options.stopWords ?? STOP_WORDS;
  const stem = options.stem ?? true;
  const out: string[][] = [];
  for (const part of cleanText(text).split(BREAK)) {
    let run: string[] = [];
    for (const m of part.matchAll(WORD)) {
      const raw = m[0];
      // A stop word or a bare number ends the phrase, so "a model of the brain" gives no "model brain".
      if (raw.length < 2 || !HAS_LETTER.test(raw) || stop.has(raw)) {
        if (run.length > 0) out.push(run);
        run = [];
        continue;
      }
      const word = stem ? stemWord(raw) : raw;
      if (stop.has(word)) {
        if (run.length > 0) out.push(run);
        run = [];
        continue;
      }
      run.push(word);
    }
    if (run.length > 0) out.push(run);
  }
  return out;
}

/** Terms of a text: its words and, with `ngrams: 2`, the pairs of adjacent words joined by a space. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const terms: string[] = [];
  for (const run of phrases(text, options)) {
    for (let i = 0; i < run.length; i++) {
      terms.push(run[i]!);
      if (options.ngrams === 2 && i + 1 < run.length) terms.push(`${run[i]} ${run[i + 1]}`);
    }
  }
  return terms;
}

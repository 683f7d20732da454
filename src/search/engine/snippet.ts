import { foldName } from '../../domain/names.ts';
import type { PhraseNode, TermNode } from '../query/index.ts';

/**
 * Snippets and matched terms, worked out in JS: the full-text table is contentless, so FTS5's
 * own highlight() has no text to work on. Words are compared by a light stem, close enough to
 * the Porter stemmer the index uses for marking what it matched.
 */

export const SNIPPET_CHARS = 220;
const OPEN = '«';
const CLOSE = '»';

/** Crude English stem: enough that `kernels`, `kernel` and `kerneled` meet. */
export function lightStem(word: string): string {
  if (word.length <= 3) return word;
  for (const [suffix, keep] of [
    ['ies', 'y'],
    ['sses', 'ss'],
    ['ing', ''],
    ['ed', ''],
    ['es', ''],
    ['s', ''],
  ] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3 && !word.endsWith('ss')) {
      return word.slice(0, word.length - suffix.length) + keep;
    }
  }
  return word;
}

interface Token {
  start: number;
  end: number;
  stem: string;
}

/** Plain ASCII letters and digits fold to their lower case: most words skip `foldName`. */
const ASCII_WORD = /^[A-Za-z0-9]+$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const folded = ASCII_WORD.test(m[0]) ? m[0].toLowerCase() : foldName(m[0]);
    // A token folding to several words (rare ligatures) keeps its first for matching.
    tokens.push({ start: m.index, end: m.index + m[0].length, stem: lightStem(folded.split(' ')[0] ?? '') });
  }
  return tokens;
}

/** The words of each leaf, stemmed; a phrase matches only in sequence. */
function leafStems(leaf: TermNode | PhraseNode): string[] {
  const words = leaf.kind === 'term' ? leaf.normalized.split(' ') : leaf.words;
  return words.filter(Boolean).map(lightStem);
}

/** Token index ranges where a leaf's words occur in sequence. */
function occurrences(tokens: Token[], stems: string[]): [number, number][] {
  const found: [number, number][] = [];
  if (!stems.length) return found;
  for (let i = 0; i + stems.length <= tokens.length; i++) {
    let ok = true;
    for (let j = 0; j < stems.length; j++) {
      if (tokens[i + j]!.stem !== stems[j]) {
        ok = false;
        break;
      }
    }
    if (ok) found.push([i, i + stems.length - 1]);
  }
  return found;
}

/** The leaves (as typed) whose words occur in any of `texts`. */
export function matchedTerms(leaves: (TermNode | PhraseNode)[], texts: string[]): string[] {
  const tokenized = texts.map(tokenize);
  const out: string[] = [];
  for (const leaf of leaves) {
    const stems = leafStems(leaf);
    if (tokenized.some((t) => occurrences(t, stems).length > 0) && !out.includes(leaf.text)) {
      out.push(leaf.text);
    }
  }
  return out;
}

/**
 * An excerpt of `text` of about SNIPPET_CHARS around the place with the most matches, each
 * match wrapped in «…». Without a match: the opening of the text.
 */
export function makeSnippet(text: string | undefined, leaves: (TermNode | PhraseNode)[]): string {
  if (!text) return '';
  const tokens = tokenize(text);
  const spans: [number, number][] = [];
  for (const leaf of leaves) {
    for (const [a, b] of occurrences(tokens, leafStems(leaf))) {
      spans.push([tokens[a]!.start, tokens[b]!.end]);
    }
  }
  spans.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  let start = 0;
  if (merged.length) {
    // The window holding the most matches, starting a little before its first one.
    let best = 0;
    let bestCount = 0;
    for (let i = 0; i < merged.length; i++) {
      let count = 0;
      for (let j = i; j < merged.length && merged[j]![1] <= merged[i]![0] + SNIPPET_CHARS - 40; j++) count++;
      if (count > bestCount) {
        bestCount = count;
        best = i;
      }
    }
    start = Math.max(0, merged[best]![0] - 40);
    if (start > 0) {
      const space = text.indexOf(' ', start);
      start = space >= 0 && space < merged[best]![0] ? space + 1 : merged[best]![0];
    }
  }
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start) end = space;
    // Never cut a match in two.
    for (const [a, b] of merged) if (a < end && b > end) end = b;
  }
  let out = '';
  let at = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    out += text.slice(at, from) + OPEN + text.slice(from, b) + CLOSE;
    at = b;
  }
  out += text.slice(at, end);
  out = out.replace(/\s+/g, ' ').trim();
  return (start > 0 ? '…' : '') + out + (end < text.length ? '…' : '');
}

import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import katex from 'katex';
import { toPlainText } from '../domain/text.ts';

/**
 * Abstracts with their math typeset on the server. The abstract is cut into text and math
 * (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`); text goes through the same cleaning as search and is
 * escaped by JSX; math goes to KaTeX, which escapes what it prints and, with `trust` off, makes
 * no links, classes or images from the source. A formula KaTeX cannot read is shown as
 * written (in its error colour), never dropped and never thrown.
 */

export type AbstractPiece = { kind: 'text'; text: string } | { kind: 'math'; html: string };

const ESCAPED_DOLLAR = '\uE000';
/** Longer "math" is more likely two stray dollar signs around prose than a formula. */
const MAX_MATH_CHARS = 1500;
const MATH = /\$\$([^$]+)\$\$|\$([^$]+)\$|\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]/g;

const KATEX_OPTIONS = {
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  maxExpand: 200,
  maxSize: 20,
  output: 'htmlAndMathml',
} as const;

export function renderMath(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex.replaceAll(ESCAPED_DOLLAR, '\\$'), { ...KATEX_OPTIONS, displayMode });
}

/** Clean a run of prose, keeping the spaces at its ends that separate it from a formula. */
function proseText(segment: string, isFirst: boolean): string {
  const cleaned = toPlainText(isFirst ? segment : `x${segment}`);
  const text = isFirst ? cleaned : cleaned.slice(1);
  if (!text) return /\s/.test(segment) ? ' ' : '';
  const lead = !isFirst && /^\s/.test(segment) && !/^\s/.test(text) ? ' ' : '';
  const trail = /\s$/.test(segment) ? ' ' : '';
  return lead + text + trail;
}

export function abstractPieces(abstract: string): AbstractPiece[] {
  const source = abstract.replace(/\\\$/g, ESCAPED_DOLLAR);
  const pieces: AbstractPiece[] = [];
  let at = 0;
  const pushText = (segment: string) => {
    if (!segment) return;
    const text = proseText(segment, pieces.length === 0);
    if (!text) return;
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'text') last.text += text;
    else pieces.push({ kind: 'text', text });
  };
  for (const m of source.matchAll(MATH)) {
    const tex = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    if (!tex.trim() || tex.length > MAX_MATH_CHARS) continue;
    pushText(source.slice(at, m.index));
    pieces.push({ kind: 'math', html: renderMath(tex, m[1] !== undefined || m[4] !== undefined) });
    at = m.index + m[0].length;
  }
  pushText(source.slice(at));
  return pieces;
}

const cache = new Map<string, AbstractPiece[]>();
const CACHE_SIZE = 2000;

/** Typesetting is the costly part of a paper page; popular papers are asked for again and again. */
export function cachedAbstractPieces(abstract: string): AbstractPiece[] {
  const hit = cache.get(abstract);
  if (hit) return hit;
  const pieces = abstractPieces(abstract);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(abstract, pieces);
  return pieces;
}

export const Abstract: FC<{ abstract: string }> = ({ abstract }) => (
  <div class="abstract">
    {cachedAbstractPieces(abstract).map((p) => (p.kind === 'text' ? p.text : raw(p.html)))}
  </div>
);

/** KaTeX's stylesheet and fonts, served under /static/katex/ (read once at start). */
export const KATEX_CSS = '/static/katex/katex.min.css';

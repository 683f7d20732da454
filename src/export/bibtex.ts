import type { Paper } from '../domain/paper.ts';
import {
  abstractOf,
  arxivPrimaryClass,
  citationKeys,
  dateParts,
  landingUrl,
  type NameParts,
  nameParts,
  yearOf,
} from './common.ts';

/**
 * BibTeX for merged papers. arXiv preprints follow arxiv.org's own export (`@misc` with
 * `eprint`, `archivePrefix = {arXiv}`, `primaryClass`); papers with a venue are `@article`.
 * Text is UTF-8 with BibTeX's specials escaped; inline math (`$\alpha$`) is kept as math.
 * `src/sources/bibtex/latex-text.ts` reads this back to the same text.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Characters that stay characters only when written as commands. */
const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '&': '\\&',
  '%': '\\%',
  _: '\\_',
  '#': '\\#',
  $: '\\$',
};

function escapePlain(text: string): string {
  return text.replace(/[\\{}~^&%_#$]/g, (c) => SPECIAL[c]!);
}

/**
 * A `$…$` span is written as math when it looks like TeX (`\`, `^`, `_` or braces inside) and
 * is safe inside a BibTeX value: balanced braces, no `%`, `#`, `&`, no trailing backslash.
 */
function isSafeMath(inner: string): boolean {
  if (!/[\\^_{]/.test(inner) || /[%#&\n]|\\$|\\[{}$]/.test(inner)) return false;
  let depth = 0;
  for (const c of inner) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Text for a BibTeX value: whitespace collapsed, specials escaped, safe math kept. */
export function escapeBibtex(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let out = '';
  let i = 0;
  while (i < flat.length) {
    const open = flat.indexOf('$', i);
    if (open < 0) break;
    const close = flat.indexOf('$', open + 1);
    if (close > open + 1 && isSafeMath(flat.slice(open + 1, close))) {
      out += escapePlain(flat.slice(i, open)) + flat.slice(open, close + 1);
      i = close + 1;
    } else {
      out += `${escapePlain(flat.slice(i, open))}\\$`;
      i = open + 1;
    }
  }
  return out + escapePlain(flat.slice(i));
}

/**
 * `Family, Given`. A family of several words, or with a comma or `and`, is braced so BibTeX
 * keeps it whole (`{von Neumann}, John`, `{LIGO Collaboration}`), as arxiv.org writes it.
 */
function bibName(parts: NameParts): string {
  const risky = (s: string) => /[\s,]|\band\b/i.test(s);
  const family = escapeBibtex(parts.family);
  const fam = !parts.given || risky(parts.family) ? `{${family}}` : family;
  if (!parts.given) return fam;
  const given = escapeBibtex(parts.given);
  return `${fam}, ${/,|\band\b/i.test(parts.given) ? `{${given}}` : given}`;
}

function entryOf(paper: Paper, key: string): string {
  const fields: [string, string][] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') fields.push([name, value]);
  };
  const arxiv = paper.ids.arxiv;
  const venue = paper.venue ?? paper.journalRef;
  add('title', paper.title ? escapeBibtex(paper.title) : undefined);
  add('author', paper.authors.map((a) => bibName(nameParts(a.name))).join(' and '));
  const year = yearOf(paper);
  add('year', year !== undefined ? String(year) : undefined);
  const month = dateParts(paper)?.[1];
  add('month', month ? MONTHS[month - 1] : undefined);
  add('journal', venue ? escapeBibtex(venue) : undefined);
  add('doi', paper.ids.doi);
  if (arxiv) {
    add('eprint', arxiv);
    add('archivePrefix', 'arXiv');
    add('primaryClass', arxivPrimaryClass(paper));
  }
  add('url', landingUrl(paper));
  const abstract = abstractOf(paper);
  add('abstract', abstract ? escapeBibtex(abstract) : undefined);

  const type = venue ? 'article' : 'misc';
  // `month = jan` is a macro and goes unbraced; the rest are braced values.
  const body = fields.map(([k, v]) => (k === 'month' ? `  ${k} = ${v}` : `  ${k} = {${v}}`)).join(',\n');
  return `@${type}{${key},\n${body}${body ? '\n' : ''}}\n`;
}

export function formatBibtex(papers: Paper[]): string {
  const keys = citationKeys(papers);
  return papers.map((p, i) => entryOf(p, keys[i]!)).join('\n');
}

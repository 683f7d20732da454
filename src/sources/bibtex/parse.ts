import { decodeLatexAccents } from '../../domain/latex.ts';
import { isGroupName, personFromParts } from '../../domain/names.ts';
import type { PaperIds, PaperRecord, PersonName } from '../../domain/record.ts';
import type { FormatAdapter, ParseContext, ParseOutput, ParseProblem } from '../format.ts';
import { type CslNameParts, parseBibtexEntries, parseBibtexNames, type RawBibEntry } from './citation-js.ts';
import { arxivIdInText, bareArxivId, normalizeDoi, recordKey } from './ids.ts';
import { latexToText } from './latex-text.ts';
import { type BibBlock, splitBibtex } from './split.ts';

/**
 * BibTeX / BibLaTeX files (arXiv's "Export BibTeX citation", Google Scholar, DBLP, Zotero,
 * JabRef). The file is cut into blocks first (`split.ts`), each block is read by the
 * citation-js grammar on its own, so a broken entry costs only itself and is reported with
 * its number, key and line.
 */

const SOURCE = 'bibtex' as const;

/** Venues that only say "this is on arXiv": Google Scholar's `arXiv preprint arXiv:…`, DBLP's `CoRR`. */
const ARXIV_VENUE = /^(arxiv\b|corr$)/i;

export const bibtexAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'BibTeX',
  sniff(sample, fileName) {
    const byName = /\.(bib|bibtex)$/i.test(fileName ?? '');
    const entry =
      /^\s*@\s*(article|misc|inproceedings|incollection|book|inbook|phdthesis|mastersthesis|techreport|unpublished|online|report|thesis|proceedings|conference|manual|preamble|string|comment|software|dataset)\s*[{(]/im;
    if (entry.test(sample)) return byName ? 1 : 0.9;
    if (/^\s*@\s*[A-Za-z]+\s*\{\s*[^\s,{}]+\s*,\s*$/m.test(sample)) return byName ? 0.9 : 0.6;
    return byName ? 0.3 : 0;
  },
  parse: parseBibtex,
};

export function parseBibtex(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  const problems: ParseProblem[] = [];
  const problem = (locator: string, message: string) =>
    problems.push({ source: SOURCE, origin: ctx.origin, locator, message });

  let strings = '';
  let entryNo = 0;
  let sawBlock = false;
  for (const block of splitBibtex(text)) {
    sawBlock = true;
    if (block.type === 'comment') continue;
    if (block.type === 'preamble') continue;
    if (block.type === 'string') {
      if (!block.closed) problem(`line ${block.line}`, '@string is not closed');
      else if (tryEntries(block.text) instanceof Error) problem(`line ${block.line}`, 'malformed @string');
      // Macros are carried into later entries on one line, so line numbers stay right.
      else strings += `${block.text.replace(/\r?\n/g, ' ')} `;
      continue;
    }
    entryNo++;
    const locator = `entry ${entryNo}${block.key ? ` (key ${block.key})` : ''} at line ${block.line}`;
    if (!block.closed) {
      problem(locator, `@${block.type} entry has no closing brace`);
      continue;
    }
    const parsed = tryEntries(strings + block.text);
    if (parsed instanceof Error) {
      problem(locator, syntaxMessage(parsed, block, strings.length));
      continue;
    }
    for (const raw of parsed) {
      const out = toRecord(raw, block, locator, ctx);
      if (typeof out === 'string') problem(locator, out);
      else records.push(out);
    }
  }
  if (!sawBlock && text.trim()) problem('file', 'no BibTeX entries (`@type{key, …}`) found');
  return { records, problems };
}

function tryEntries(text: string): RawBibEntry[] | Error {
  try {
    return parseBibtexEntries(text);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** citation-js says `expected "comma", got "label" at line 1 col 12:` and a code frame. */
function syntaxMessage(err: Error, block: BibBlock, prefixLength: number): string {
  const first = err.message.split('\n')[0] ?? err.message;
  const m = /^(.*?) at line (\d+) col (\d+)/.exec(first);
  if (!m) return `malformed @${block.type} entry: ${first}`;
  const rel = Number(m[2]);
  const line = block.line + Math.max(rel, 1) - 1;
  const col = rel <= 1 ? Number(m[3]) - prefixLength : Number(m[3]);
  return `malformed @${block.type} entry at line ${line} col ${Math.max(col, 1)}: ${m[1]}`;
}

function field(raw: RawBibEntry, name: string): string | undefined {
  const v = raw.properties[name];
  if (v === undefined) return undefined;
  const s = String(v).trim();
  return s ? s : undefined;
}

function toRecord(
  raw: RawBibEntry,
  block: BibBlock,
  locator: string,
  ctx: ParseContext,
): PaperRecord | string {
  const title = field(raw, 'title') ? latexToText(field(raw, 'title')!) || undefined : undefined;
  let authors: PersonName[] | undefined;
  const authorField = field(raw, 'author');
  if (authorField) {
    try {
      authors = bibNames(authorField);
    } catch (err) {
      return `unreadable author list: ${(err as Error).message.split('\n')[0]}`;
    }
  }

  const ids: PaperIds = {};
  const doi = normalizeDoi(field(raw, 'doi'));
  if (doi) ids.doi = doi;
  const arxiv = arxivOf(raw, doi);
  if (arxiv) ids.arxiv = arxiv;

  const { year, published } = dateOf(raw);
  const record: PaperRecord = {
    kind: 'paper',
    provenance: { source: SOURCE, origin: ctx.origin, locator, fetchedAt: ctx.fetchedAt },
    key: recordKey(ids, raw.label || undefined, title, year, block.text),
    ids,
  };
  if (title) record.title = title;
  if (authors) record.authors = authors;
  const abstract = field(raw, 'abstract');
  if (abstract) record.abstract = String(raw.properties['abstract']);
  if (year !== undefined) record.year = year;
  if (published) record.published = published;

  const venueRaw = field(raw, 'journal') ?? field(raw, 'journaltitle') ?? field(raw, 'booktitle');
  const venue = venueRaw ? latexToText(venueRaw) : undefined;
  if (venue && !ARXIV_VENUE.test(venue)) record.venue = venue;
  const primaryClass = field(raw, 'primaryclass');
  if (primaryClass) record.categories = [primaryClass];
  const keywords = field(raw, 'keywords');
  if (keywords) {
    const list = keywords
      .split(/[,;]/)
      .map((k) => latexToText(k))
      .filter(Boolean);
    if (list.length) record.keywords = list;
  }
  const url = field(raw, 'url');
  if (url) record.links = [{ url, rel: /\.pdf$|\/pdf\//i.test(url) ? 'pdf' : 'abstract' }];
  return record;
}

/** BibTeX names: `and`-separated, `von Last, Jr, First` or `First von Last`; `and others` is et al. */
function bibNames(value: string): PersonName[] {
  // Accents are decoded here first: citation-js reads `Garc{\'\i}a` as `Garcı́a` and
  // `{\O}ystein` as a lower-case particle.
  const parts = parseBibtexNames(decodeLatexAccents(value));
  return parts.filter((p) => !(p.family === 'others' && !p.given)).map(toPerson);
}

function toPerson(p: CslNameParts): PersonName {
  if (p.literal) return { display: p.literal, family: p.literal };
  const family = [p.prefix, p.family].filter(Boolean).join(' ') + (p.suffix ? ` ${p.suffix}` : '');
  if (!p.given || isGroupName(family)) return { display: family, family };
  return personFromParts(family, p.given);
}

function arxivOf(raw: RawBibEntry, doi: string | undefined): string | undefined {
  const eprint = field(raw, 'eprint');
  const prefix = (field(raw, 'archiveprefix') ?? field(raw, 'eprinttype') ?? '').toLowerCase();
  if (eprint && (prefix === 'arxiv' || prefix === '')) {
    const id = bareArxivId(eprint);
    if (id) return id;
  }
  for (const f of [
    doi,
    field(raw, 'url'),
    field(raw, 'note'),
    field(raw, 'journal'),
    field(raw, 'howpublished'),
  ]) {
    const id = arxivIdInText(f);
    if (id) return id;
  }
  return undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `year`, `month` (macros already expanded to `01`…), `day`, or BibLaTeX `date = {2024-03-05}`. */
function dateOf(raw: RawBibEntry): { year?: number; published?: string } {
  const date = field(raw, 'date');
  const full = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  if (full) return { year: Number(full[1]), published: full[0] };
  const yearText = field(raw, 'year') ?? date;
  const y = yearText ? /\b(\d{4})\b/.exec(yearText) : null;
  if (!y) return {};
  const year = Number(y[1]);
  const monthText = (field(raw, 'month') ?? '').toLowerCase();
  const month = /^\d{1,2}$/.test(monthText) ? Number(monthText) : MONTHS.indexOf(monthText.slice(0, 3)) + 1;
  const day = Number(field(raw, 'day') ?? '');
  if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
    return { year, published: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
  }
  return { year };
}

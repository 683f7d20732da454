import type { PaperRecord, Provenance, SourceName } from '../domain/record.ts';
import type { ParseContext, ParseProblem } from './format.ts';

/** Small pieces the three arXiv adapters (API, OAI-PMH, bulk snapshot) share. */

export function problemAt(
  source: SourceName,
  ctx: ParseContext,
  locator: string,
  message: string,
): ParseProblem {
  return { source, origin: ctx.origin, locator, message };
}

export function provenanceAt(source: SourceName, ctx: ParseContext, locator: string): Provenance {
  return { source, origin: ctx.origin, locator, fetchedAt: ctx.fetchedAt };
}

/** Titles and comments arrive hard-wrapped at ~80 columns (`…Quantum Hall\n  Effect`). */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A non-empty, trimmed string or undefined. */
export function nonEmpty(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  return t ? t : undefined;
}

/** `10.1063/1.2779138`, `doi:10.…`, `https://doi.org/10.…` → lower-case bare DOI; undefined if none. */
export function normalizeDoi(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  // arXiv sometimes lists two DOIs in one field, separated by spaces or commas: keep the first.
  const m = /10\.\d{4,9}\/\S+/.exec(text.trim());
  if (!m) return undefined;
  return m[0].replace(/[.,;]+$/, '').toLowerCase();
}

const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};
const RFC2822_RE =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(?:GMT|UTC|Z|\+0000)?$/;

/**
 * arXiv version dates (`Sun, 01 Apr 2007 16:37:36 GMT`) → `2007-04-01T16:37:36Z`. Written by hand,
 * not with `Date`, because the bulk importer calls it for every version of millions of papers.
 */
export function arxivDateToIso(text: string): string | undefined {
  const m = RFC2822_RE.exec(text.trim());
  if (!m) return isoDateOrUndefined(text);
  const month = MONTHS[m[2]!.slice(0, 1).toUpperCase() + m[2]!.slice(1).toLowerCase()];
  if (!month) return undefined;
  const day = m[1]!.padStart(2, '0');
  return `${m[3]}-${month}-${day}T${m[4]}:${m[5]}:${m[6] ?? '00'}Z`;
}

/** Accepts `2021-04-20` or `2021-04-20T16:07:14Z` as they are; anything else is undefined. */
export function isoDateOrUndefined(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  return /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t) ? t : undefined;
}

/** `2021-04-20T16:07:14Z` → `2021-04-20`. */
export function dateOnly(iso: string | undefined): string | undefined {
  return iso ? iso.slice(0, 10) : undefined;
}

export function yearOf(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const y = Number(iso.slice(0, 4));
  return Number.isInteger(y) && y > 1000 ? y : undefined;
}

/** Keeps order, drops empties and repeats. */
export function uniqueStrings(values: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (v && !seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

/** Removes properties that are undefined or empty arrays, so records compare and serialise cleanly. */
export function compact(record: PaperRecord): PaperRecord {
  const r = record as unknown as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete r[k];
  }
  return record;
}

/** The start of a text for an error message, on one line. */
export function snippet(text: string, max = 80): string {
  const flat = collapseWhitespace(text.replace(/<[^>]*>/g, ' '));
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

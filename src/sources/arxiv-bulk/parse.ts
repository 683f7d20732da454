import { personFromDisplay, personFromParts, splitAuthorList } from '../../domain/names.ts';
import type { PaperRecord, PaperVersion, PersonName } from '../../domain/record.ts';
import {
  arxivDateToIso,
  collapseWhitespace,
  dateOnly,
  normalizeDoi,
  problemAt,
  provenanceAt,
  yearOf,
} from '../arxiv-common.ts';
import { parseArxivId } from '../arxiv-id.ts';
import type { FormatAdapter, ParseContext, ParseOutput } from '../format.ts';

/**
 * The arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json"): one JSON object per
 * line, ~2.9M lines. The importer streams the file through `parseLine`, so it does the least
 * work per line that gives a complete record.
 *
 * Quirks:
 * - `authors` is one arXiv-style string (`A, B and C`, affiliations in parentheses, sometimes
 *   nested: `A (1), B (2) ((1) MIT, (2) CERN)`); `authors_parsed` ([last, first, suffix], with
 *   accents already decoded) is better when present.
 * - Some derived copies escape backslashes twice (`Fr\\'ed\\'eric`); runs of backslashes in
 *   author strings are folded to one before reading LaTeX accents.
 * - Version dates are RFC 2822 (`Sun, 01 Apr 2007 16:37:36 GMT`); `update_date` is when the
 *   metadata last changed (a DOI added, …), not a version, so it is not used.
 */

const SOURCE = 'arxiv-bulk';
const EMPTY: ParseOutput = Object.freeze({ records: [], problems: [] }) as ParseOutput;

type Json = Record<string, unknown>;

export const arxivBulkAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'arXiv metadata snapshot (JSON lines)',
  sniff(sample: string): number {
    const first = sample.split('\n', 50).find((l) => l.trim());
    if (!first) return 0;
    try {
      const obj = JSON.parse(first) as unknown;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return 0;
      const o = obj as Json;
      return 'id' in o && ('abstract' in o || 'authors' in o) && 'categories' in o ? 0.95 : 0;
    } catch {
      // The first line may be longer than the sample: look at its start.
      return /^\s*\{\s*"id"\s*:\s*"[^"]+"/.test(first) && /"categories"\s*:/.test(first) ? 0.7 : 0;
    }
  },
  parse(text: string, ctx: ParseContext): ParseOutput {
    const out: ParseOutput = { records: [], problems: [] };
    let lineNo = 0;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      lineNo++;
      const one = parseBulkLine(text.slice(start, end), lineNo, ctx);
      if (one.records.length > 0) out.records.push(...one.records);
      if (one.problems.length > 0) out.problems.push(...one.problems);
      start = end + 1;
    }
    return out;
  },
  parseLine: parseBulkLine,
};

export function parseBulkLine(line: string, lineNo: number, ctx: ParseContext): ParseOutput {
  const where = `line ${lineNo}`;
  if (line.trim() === '') return EMPTY;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    return fail(ctx, where, `invalid JSON: ${(err as Error).message}`);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return fail(ctx, where, 'not a JSON object');
  const o = obj as Json;
  const rawId = typeof o['id'] === 'string' ? o['id'] : undefined;
  if (!rawId) return fail(ctx, where, 'no "id"');
  const arxiv = parseArxivId(rawId);
  if (!arxiv) return fail(ctx, where, `"id" is not an arXiv id: ${JSON.stringify(rawId.slice(0, 60))}`);
  const title = typeof o['title'] === 'string' ? collapseWhitespace(o['title']) : '';
  if (!title) return fail(ctx, `${where} (arXiv:${arxiv.id})`, 'no "title"');

  const versions = versionsOf(o['versions']);
  const first = versions[0]?.date;
  const last = versions[versions.length - 1]?.date;
  const doi = normalizeDoi(str(o['doi']));
  // Fields are added only when they hold something (what `compact` would leave), in its order:
  // deleting properties afterwards would turn the record into a slow dictionary-mode object
  // that every later step (JSON, merge, the transport) pays for.
  const record: PaperRecord = {
    kind: 'paper',
    provenance: provenanceAt(SOURCE, ctx, `${where} (arXiv:${arxiv.id})`),
    key: arxiv.id,
    ids: doi ? { arxiv: arxiv.id, doi } : { arxiv: arxiv.id },
    title,
  };
  const abstract = str(o['abstract']);
  if (abstract !== undefined) record.abstract = abstract;
  const authors = authorsOf(o['authors_parsed'], o['authors']);
  if (authors !== undefined && authors.length > 0) record.authors = authors;
  const published = dateOnly(first);
  if (published !== undefined) record.published = published;
  const updated = dateOnly(last);
  if (updated !== undefined) record.updated = updated;
  const year = yearOf(first);
  if (year !== undefined) record.year = year;
  if (versions.length > 0) record.versions = versions;
  const categories = typeof o['categories'] === 'string' ? o['categories'].split(' ').filter(Boolean) : [];
  if (categories.length > 0) record.categories = categories;
  const comments = oneLine(o['comments']);
  if (comments !== undefined) record.comments = comments;
  const journalRef = oneLine(o['journal-ref']);
  if (journalRef !== undefined) record.journalRef = journalRef;
  const license = oneLine(o['license']);
  if (license !== undefined) record.license = license;
  return { records: [record], problems: [] };
}

function fail(ctx: ParseContext, locator: string, message: string): ParseOutput {
  return { records: [], problems: [problemAt(SOURCE, ctx, locator, message)] };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function oneLine(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? collapseWhitespace(v) || undefined : undefined;
}

function versionsOf(v: unknown): PaperVersion[] {
  if (!Array.isArray(v)) return [];
  const out: PaperVersion[] = [];
  for (const item of v) {
    if (!item || typeof item !== 'object') continue;
    const version = (item as Json)['version'];
    const created = (item as Json)['created'];
    if (typeof version !== 'string' || typeof created !== 'string') continue;
    const date = arxivDateToIso(created);
    if (date) out.push({ version, date });
  }
  return out;
}

function authorsOf(parsed: unknown, text: unknown): PersonName[] | undefined {
  if (Array.isArray(parsed) && parsed.length > 0) {
    const people: PersonName[] = [];
    for (const p of parsed) {
      if (!Array.isArray(p) || typeof p[0] !== 'string' || !p[0].trim()) continue;
      const given = typeof p[1] === 'string' ? p[1] : undefined;
      const suffix = typeof p[2] === 'string' && p[2].trim() ? p[2].trim() : undefined;
      // Suffixes go with the family name, as personFromDisplay does with `Smith, Jr., John`.
      people.push(personFromParts(suffix ? `${p[0]} ${suffix}` : p[0], given));
    }
    if (people.length > 0) return people;
  }
  if (typeof text !== 'string' || !text.trim()) return undefined;
  return splitAuthorList(stripNestedParentheses(text.replace(/\\{2,}/g, '\\'))).map(personFromDisplay);
}

/** splitAuthorList removes one level of parentheses; affiliation blocks nest (`((1) MIT, (2) CERN)`). */
function stripNestedParentheses(text: string): string {
  if (!text.includes('(')) return text;
  let out = text;
  for (let i = 0; i < 5 && /\([^()]*\)/.test(out); i++) out = out.replace(/\([^()]*\)/g, ' ');
  return out;
}

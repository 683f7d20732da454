import { createHash } from 'node:crypto';
import { personFromDisplay } from '../../domain/names.ts';
import type { PaperRecord, PersonName, SourceName } from '../../domain/record.ts';
import { abstractKey, matchKey, titleKey } from '../../domain/text.ts';
import type { ParseContext, ParseProblem } from '../format.ts';

/**
 * What the four pasted-page adapters share: lines with their numbers, telling a line's role by
 * its shape (name list, prose, title), and building partial records.
 *
 * Pages are pasted by hand, so position alone is not trusted: a missing abstract or an extra
 * line must not shift every paper after it. Each adapter classifies lines by shape and uses
 * position only to group them.
 */

export interface PageLine {
  text: string;
  /** 1-based line number in the pasted text. */
  lineNo: number;
}

/** Non-empty lines, trimmed, with their line numbers. Blank lines are kept as `''` when asked. */
export function pageLines(text: string, keepBlank = false): PageLine[] {
  const out: PageLine[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!.trim();
    if (line || keepBlank) out.push({ text: line, lineNo: i + 1 });
  }
  return out;
}

/** JSON, XML, BibTeX, RIS and the like: never a pasted page. */
export function looksStructured(sample: string): boolean {
  const start = sample.replace(/^\uFEFF/, '').trimStart();
  return /^(?:[{[<@%]|TY {2}- |---\s*$)/m.test(start.slice(0, 16)) || start.includes('\0');
}

const WORD = /^[\p{L}\p{M}'’.-]+$/u;
const PARTICLE = /^(?:van|von|der|den|de|del|della|da|di|dos|das|du|la|le|ter|ten|bin|ibn|al|el|y|e|St\.?)$/;

/** One person's name, or one half of an ADS `Last, First` pair: capitalized words, no digits. */
function isNameWords(part: string, maxWords: number): boolean {
  if (part.length === 0 || part.length > 60) return false;
  const words = part.split(' ').filter(Boolean);
  if (words.length === 0 || words.length > maxWords) return false;
  let capitals = 0;
  for (const word of words) {
    if (!WORD.test(word)) return false;
    if (/^\p{Lu}/u.test(word)) capitals++;
    else if (!PARTICLE.test(word)) return false;
  }
  return capitals > 0;
}

function commaParts(line: string): string[] {
  return line.split(',').map((p) => p.trim().replace(/\s+/g, ' '));
}

/**
 * ADS author lists: `Everett, Katie, Xiao, Lechao, …` — an even number of parts where the
 * family-name parts are mostly single words (`Sohl-Dickstein`, `van der Berg`).
 */
export function looksLikeLastFirstList(line: string): boolean {
  if (line.length > 100_000 || !line.includes(',')) return false;
  const parts = commaParts(line).filter(Boolean);
  if (parts.length < 2 || parts.length % 2 !== 0) return false;
  let singleFamilies = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!isNameWords(part, 4)) return false;
    if (i % 2 === 0 && part.split(' ').filter((w) => !PARTICLE.test(w)).length === 1) singleFamilies++;
  }
  return singleFamilies / (parts.length / 2) >= 0.7;
}

/**
 * `First Last, First Last, …` (CatalyzeX): comma-separated names of two words or more. Very
 * long lists (BIG-bench has hundreds of authors) may hold a few odd entries; 90% must be names.
 */
export function looksLikeFirstLastList(line: string, minNames = 2): boolean {
  if (line.length > 200_000) return false;
  const parts = commaParts(line).filter(Boolean);
  if (parts.length < minNames) return false;
  let names = 0;
  let multiWord = 0;
  for (const part of parts) {
    if (isNameWords(part, 6)) {
      names++;
      if (part.includes(' ')) multiWord++;
    }
  }
  return names / parts.length >= 0.9 && multiWord / parts.length >= 0.7;
}

/** Authors from a `First Last, First Last` line. */
export function splitFirstLastList(line: string): PersonName[] {
  return commaParts(line)
    .filter(Boolean)
    .map((part) => personFromDisplay(part));
}

/** An abstract: long, or several sentences. A title has neither. */
export function looksLikeProse(line: string): boolean {
  let words = 1;
  let sentences = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === ' ') words++;
    else if ((ch === '.' || ch === '?' || ch === '!') && (i + 1 === line.length || line[i + 1] === ' ')) {
      if (i > 0 && /[\p{Ll}\p{N})\]%]/u.test(line[i - 1]!)) sentences++;
    }
  }
  if (line.length >= 300 && words >= 40) return true;
  return words >= 15 && sentences >= 2;
}

/** A stable key for a pasted record: a hash of its folded title, else of its abstract. */
export function pageRecordKey(fields: { title?: string; abstract?: string; authors?: PersonName[] }): string {
  let basis: string;
  if (fields.title && titleKey(fields.title)) basis = `title:${titleKey(fields.title)}`;
  else if (fields.abstract) basis = `abstract:${abstractKey(fields.abstract) ?? matchKey(fields.abstract)}`;
  else basis = `authors:${(fields.authors ?? []).map((a) => a.display).join(';')}`;
  return createHash('sha1').update(basis).digest('hex').slice(0, 20);
}

export interface PageFields {
  title?: string;
  authors?: PersonName[];
  abstract?: string;
}

export function pageRecord(
  source: SourceName,
  ctx: ParseContext,
  lineNo: number,
  fields: PageFields,
): PaperRecord {
  const record: PaperRecord = {
    kind: 'paper',
    provenance: { source, origin: ctx.origin, locator: `line ${lineNo}`, fetchedAt: ctx.fetchedAt },
    key: pageRecordKey(fields),
    ids: {},
  };
  if (fields.title) record.title = fields.title;
  if (fields.authors && fields.authors.length > 0) record.authors = fields.authors;
  if (fields.abstract) record.abstract = fields.abstract;
  return record;
}

export function pageProblem(
  source: SourceName,
  ctx: ParseContext,
  locator: string,
  message: string,
): ParseProblem {
  return { source, origin: ctx.origin, locator, message };
}

/** The problem every adapter reports when a text holds no paper at all. */
export function noPapers(source: SourceName, ctx: ParseContext, label: string): ParseProblem {
  return pageProblem(source, ctx, 'file', `no papers found: the text does not look like ${label}`);
}

/** Only the first lines decide a sniff; a 64 KiB sample of one-line abstracts has few hundred. */
export function sniffLines(sample: string): PageLine[] {
  return pageLines(sample.slice(0, 65_536)).slice(0, 300);
}

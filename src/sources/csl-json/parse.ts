import { personFromParts } from '../../domain/names.ts';
import type { PaperIds, PaperRecord, PersonName } from '../../domain/record.ts';
import { arxivIdInText, normalizeDoi, recordKey } from '../bibtex/ids.ts';
import type { FormatAdapter, ParseContext, ParseOutput, ParseProblem } from '../format.ts';

/**
 * CSL-JSON (Zotero "Export → CSL JSON", citation.js, pandoc): an array of items with `type`,
 * `title`, `author[]` ({family, given} or {literal}), `issued.date-parts`, `DOI`, `URL`,
 * `container-title`. JSON is parsed whole; each item is checked on its own.
 *
 * Quirks: Zotero puts an arXiv preprint's id in `number` (`arXiv:2409.15156`) and `note`;
 * `issued` is sometimes `{raw: "2024-03-05"}` or `{literal: …}`; numbers in `date-parts` may
 * be strings; `keyword` is one comma-separated string; `id` may be a Zotero item URI.
 */

const SOURCE = 'csl-json' as const;

/** CSL item types that no other JSON source we read uses (OpenAlex also says `article`). */
const CSL_ONLY_TYPE =
  /"type"\s*:\s*"(article-journal|paper-conference|article-newspaper|article-magazine|post-weblog|entry-encyclopedia|entry-dictionary|manuscript|chapter|thesis|webpage)"/;

export const cslJsonAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'CSL-JSON',
  sniff(sample, fileName) {
    const s = sample.replace(/^\uFEFF/, '').trimStart();
    if (!s.startsWith('[') && !s.startsWith('{')) return 0;
    const cslFields =
      /"issued"\s*:|"date-parts"\s*:|"container-title"\s*:|"author"\s*:\s*\[\s*\{\s*"(family|given|literal)"/.test(
        s,
      ) || CSL_ONLY_TYPE.test(s);
    if (cslFields && /"title"\s*:/.test(s)) return 0.9;
    return /\.csl\.json$/i.test(fileName ?? '') ? 0.5 : 0;
  },
  parse: parseCslJson,
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Item = { [k: string]: Json };

export function parseCslJson(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  const problems: ParseProblem[] = [];
  const problem = (locator: string, message: string) =>
    problems.push({ source: SOURCE, origin: ctx.origin, locator, message });

  let data: Json;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch (err) {
    problem('file', `not valid JSON: ${(err as Error).message}`);
    return { records, problems };
  }
  const items = Array.isArray(data)
    ? data
    : isObject(data) && Array.isArray(data['items'])
      ? data['items']
      : [data];
  items.forEach((item, i) => {
    const no = i + 1;
    if (!isObject(item)) {
      problem(
        `item ${no}`,
        `item is ${item === null ? 'null' : Array.isArray(item) ? 'an array' : `a ${typeof item}`}, not an object`,
      );
      return;
    }
    const ownId = str(item['citation-key']) ?? str(item['id']);
    const locator = `item ${no}${ownId ? ` (id ${ownId})` : ''}`;
    const title = str(item['title'])?.replace(/\s+/g, ' ');
    const record = toRecord(item, title, ownId, locator, ctx);
    // An untitled item is kept only when an identifier lets merging complete it.
    if (!title && !record.ids.doi && !record.ids.arxiv) {
      problem(locator, 'item has no title (and no DOI or arXiv id)');
      return;
    }
    records.push(record);
  });
  return { records, problems };
}

function isObject(v: Json | undefined): v is Item {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json | undefined): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function toRecord(
  item: Item,
  title: string | undefined,
  ownId: string | undefined,
  locator: string,
  ctx: ParseContext,
): PaperRecord {
  const ids: PaperIds = {};
  const doi = normalizeDoi(str(item['DOI']));
  if (doi) ids.doi = doi;
  for (const f of [
    doi,
    str(item['number']),
    str(item['URL']),
    str(item['note']),
    str(item['archive_location']),
  ]) {
    const id = arxivIdInText(f);
    if (id) {
      ids.arxiv = id;
      break;
    }
  }
  const { year, published } = dateOf(item['issued']);
  const record: PaperRecord = {
    kind: 'paper',
    provenance: { source: SOURCE, origin: ctx.origin, locator, fetchedAt: ctx.fetchedAt },
    key: recordKey(ids, ownId, title, year, JSON.stringify(item)),
    ids,
  };
  if (title) record.title = title;
  const authors = Array.isArray(item['author']) ? item['author'].flatMap(cslName) : undefined;
  if (authors) record.authors = authors;
  const abstract = item['abstract'];
  if (typeof abstract === 'string' && abstract.trim()) record.abstract = abstract;
  if (year !== undefined) record.year = year;
  if (published) record.published = published;
  const venue = str(item['container-title']);
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  const keywords = str(item['keyword'])
    ?.split(/[,;]/)
    .map((k) => k.trim())
    .filter(Boolean);
  if (keywords?.length) record.keywords = keywords;
  const url = str(item['URL']);
  if (url) record.links = [{ url, rel: 'abstract' }];
  return record;
}

/** `{family, given, non-dropping-particle, suffix}` or `{literal}`; anything else is skipped. */
function cslName(v: Json): PersonName[] {
  if (!isObject(v)) return [];
  const literal = str(v['literal']);
  // A literal name is not to be split ("LIGO Scientific Collaboration", "Xiao Lechao").
  if (literal) return [{ display: literal, family: literal }];
  const family = str(v['family']);
  if (!family) return [];
  const particle = [str(v['dropping-particle']), str(v['non-dropping-particle'])].filter(Boolean).join(' ');
  const suffix = str(v['suffix']);
  const full = [particle, family].filter(Boolean).join(' ') + (suffix ? ` ${suffix}` : '');
  return [personFromParts(full, str(v['given']))];
}

function dateOf(issued: Json | undefined): { year?: number; published?: string } {
  if (!isObject(issued)) return {};
  const parts = issued['date-parts'];
  const first = Array.isArray(parts) && Array.isArray(parts[0]) ? parts[0].map((p) => Number(p)) : [];
  let [y, m, d] = first;
  if (y === undefined || !Number.isInteger(y)) {
    const raw = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(str(issued['raw']) ?? str(issued['literal']) ?? '');
    if (!raw) return {};
    [y, m, d] = [Number(raw[1]), raw[2] ? Number(raw[2]) : undefined, raw[3] ? Number(raw[3]) : undefined];
  }
  if (!Number.isInteger(y) || y! < 1000 || y! > 9999) return {};
  if (m && d && Number.isInteger(m) && Number.isInteger(d) && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
    return { year: y, published: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
  }
  return { year: y };
}

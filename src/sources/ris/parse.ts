import { personFromDisplay, personFromParts } from '../../domain/names.ts';
import type { PaperIds, PaperRecord, PersonName } from '../../domain/record.ts';
import { arxivIdInText, normalizeDoi, recordKey } from '../bibtex/ids.ts';
import type { FormatAdapter, ParseContext, ParseOutput, ParseProblem } from '../format.ts';

/**
 * RIS (Zotero, Mendeley, EndNote, publisher "Download citation" buttons). One `TAG  - value`
 * per line, a record from `TY  -` to `ER  -`. RIS is a line format with no nesting, so it is
 * read here directly rather than through citation-js, which takes a file whole and stops at
 * the first bad record.
 *
 * Quirks: some exporters wrap long abstracts onto untagged lines (they continue the value
 * above); Zotero writes dates as `2024/09/23/` and `PY  - 2024`; authors are `Last, First`
 * or `Last, First, Suffix`; arXiv preprints carry the id only in `UR`, `DO` or a note.
 */

const SOURCE = 'ris' as const;

const TAG_LINE = /^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$/;

/** Tags of the RIS specification and the ones Zotero and EndNote add. */
const KNOWN_TAGS = new Set(
  (
    'TY ER ID T1 TI CT BT T2 T3 TT ST A1 AU A2 A3 A4 ED AD AB N2 N1 KW PY Y1 Y2 DA JO JF JA J1 J2 ' +
    'VL IS SP EP CP PB CY SN UR L1 L2 L3 L4 LK DO M1 M2 M3 AN CN DB DP ET LA LB NV OP RI RN RP SE ' +
    'U1 U2 U3 U4 U5 C1 C2 C3 C4 C5 C6 C7 C8 CA H1 H2 AV'
  ).split(' '),
);

export const risAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'RIS',
  sniff(sample, fileName) {
    const byName = /\.ris$/i.test(fileName ?? '');
    const first =
      sample
        .replace(/^\uFEFF/, '')
        .trimStart()
        .split(/\r?\n/, 1)[0] ?? '';
    if (/^TY {1,2}- ?\S/.test(first)) return byName ? 1 : 0.95;
    return byName ? 0.3 : 0;
  },
  parse: parseRis,
};

interface RawRecord {
  no: number;
  line: number;
  fields: Map<string, string[]>;
  unknown: Set<string>;
  lastTag?: string;
  text: string[];
}

export function parseRis(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  const problems: ParseProblem[] = [];
  const problem = (locator: string, message: string) =>
    problems.push({ source: SOURCE, origin: ctx.origin, locator, message });

  let current: RawRecord | undefined;
  let count = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trimEnd();
    const m = TAG_LINE.exec(line);
    if (m?.[1] === 'TY') {
      if (current)
        problem(locatorOf(current), `record has no \`ER  -\` before the next \`TY  -\` at line ${lineNo}`);
      current = { no: ++count, line: lineNo, fields: new Map(), unknown: new Set(), text: [] };
      current.fields.set('TY', [(m[2] ?? '').trim()]);
      return;
    }
    if (!current) {
      if (line.trim() && count > 0) problem(`line ${lineNo}`, 'text outside a record (expected `TY  - `)');
      return;
    }
    current.text.push(line);
    if (m) {
      const [, tag, value = ''] = m;
      if (tag === 'ER') {
        finish(current, records, problem, ctx);
        current = undefined;
        return;
      }
      if (!KNOWN_TAGS.has(tag!)) current.unknown.add(tag!);
      const list = current.fields.get(tag!) ?? [];
      list.push(value.trim());
      current.fields.set(tag!, list);
      current.lastTag = tag;
    } else if (line.trim() && current.lastTag) {
      // An untagged line continues the value above (wrapped abstracts).
      const list = current.fields.get(current.lastTag)!;
      const sep = current.lastTag === 'AB' || current.lastTag === 'N2' ? '\n' : ' ';
      list[list.length - 1] = `${list[list.length - 1]}${sep}${line.trim()}`;
    }
  });
  if (current) problem(locatorOf(current), 'record has no `ER  -` before the end of the file');
  if (count === 0 && text.trim()) {
    return {
      records,
      problems: [
        {
          source: SOURCE,
          origin: ctx.origin,
          locator: 'file',
          message: 'no RIS records (`TY  - ` lines) found',
        },
      ],
    };
  }
  return { records, problems };
}

function locatorOf(rec: RawRecord): string {
  const id = rec.fields.get('ID')?.[0];
  return `record ${rec.no}${id ? ` (id ${id})` : ''} at line ${rec.line}`;
}

function first(rec: RawRecord, ...tags: string[]): string | undefined {
  for (const t of tags) {
    const v = rec.fields.get(t)?.find((x) => x !== '');
    if (v !== undefined) return v;
  }
  return undefined;
}

function all(rec: RawRecord, ...tags: string[]): string[] {
  return tags.flatMap((t) => rec.fields.get(t) ?? []).filter((x) => x !== '');
}

function finish(
  rec: RawRecord,
  records: PaperRecord[],
  problem: (locator: string, message: string) => void,
  ctx: ParseContext,
): void {
  const locator = locatorOf(rec);
  if (rec.unknown.size) problem(locator, `unknown RIS tags ${[...rec.unknown].join(', ')} (ignored)`);
  const title = first(rec, 'TI', 'T1', 'CT')?.replace(/\s+/g, ' ');
  const ids: PaperIds = {};
  const doi = normalizeDoi(first(rec, 'DO'));
  if (doi) ids.doi = doi;
  for (const v of [doi, ...all(rec, 'UR', 'L1', 'AN', 'M3', 'N1', 'JO', 'T2')]) {
    const id = arxivIdInText(v);
    if (id) {
      ids.arxiv = id;
      break;
    }
  }
  const { year, published } = dateOf(first(rec, 'DA', 'PY', 'Y1'), first(rec, 'PY', 'Y1'));
  const record: PaperRecord = {
    kind: 'paper',
    provenance: { source: SOURCE, origin: ctx.origin, locator, fetchedAt: ctx.fetchedAt },
    key: recordKey(ids, first(rec, 'ID'), title, year, rec.text.join('\n')),
    ids,
  };
  if (title) record.title = title;
  const authors = all(rec, 'AU', 'A1').map(risName);
  if (authors.length) record.authors = authors;
  const abstract = first(rec, 'AB', 'N2');
  if (abstract) record.abstract = abstract;
  if (year !== undefined) record.year = year;
  if (published) record.published = published;
  const venue = first(rec, 'T2', 'JO', 'JF', 'JA', 'J2');
  if (venue && !/^arxiv\b/i.test(venue)) record.venue = venue;
  const keywords = all(rec, 'KW');
  if (keywords.length) record.keywords = keywords;
  const links = [
    ...all(rec, 'UR').map((url) => ({ url, rel: 'abstract' as const })),
    ...all(rec, 'L1').map((url) => ({ url, rel: 'pdf' as const })),
  ];
  if (links.length) record.links = links;
  records.push(record);
}

/**
 * `Last, First` or `Last, First, Suffix`; `Last,` is a family name alone; a name without a
 * comma is read as written (`LIGO Scientific Collaboration`, `Lechao Xiao`).
 */
function risName(text: string): PersonName {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length >= 2 && parts[0]) {
    const family = parts[2] ? `${parts[0]} ${parts[2]}` : parts[0];
    return personFromParts(family, parts[1] || undefined);
  }
  return personFromDisplay(text);
}

/** `2024/09/23/`, `2024///`, `2024-09-23`, `2024`. */
function dateOf(
  date: string | undefined,
  yearText: string | undefined,
): { year?: number; published?: string } {
  const m = date ? /^(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2}))?)?/.exec(date) : null;
  const y = m ?? (yearText ? /^(\d{4})/.exec(yearText) : null);
  if (!y) return {};
  const year = Number(y[1]);
  if (m?.[2] && m[3]) {
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
      return { year, published: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
    }
  }
  return { year };
}

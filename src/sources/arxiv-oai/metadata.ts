import { arxivAliasOf, arxivArchiveOf, arxivCodeOfSubject } from '../../domain/arxiv-taxonomy.ts';
import { personFromDisplay, personFromParts, splitAuthorList } from '../../domain/names.ts';
import type { PaperRecord, PaperVersion, PersonName } from '../../domain/record.ts';
import {
  arxivDateToIso,
  collapseWhitespace,
  dateOnly,
  isoDateOrUndefined,
  nonEmpty,
  normalizeDoi,
  uniqueStrings,
  yearOf,
} from '../arxiv-common.ts';
import { parseArxivId } from '../arxiv-id.ts';
import { attrOf, listOf, textOf, type XmlNode } from '../arxiv-xml.ts';

/**
 * The three metadata formats arXiv's OAI-PMH service offers, each read into the fields of a
 * PaperRecord (without provenance and key, which the envelope adds).
 */

export type PaperFields = Omit<PaperRecord, 'kind' | 'provenance' | 'key'>;

/** Elements that repeat in any of the three formats (or in the OAI header). */
export const REPEATED = [
  'setSpec',
  'creator',
  'subject',
  'description',
  'date',
  'identifier',
  'rights',
  'author',
  'affiliation',
  'version',
];

const texts = (value: unknown): string[] =>
  listOf(value)
    .map((v) => nonEmpty(textOf(v)))
    .filter((v): v is string => v !== undefined);
const oneLine = (value: unknown): string | undefined => {
  const t = textOf(value);
  return t === undefined ? undefined : nonEmpty(collapseWhitespace(t));
};

/**
 * oai_dc gives subject names (`Computer Science - Machine Learning`), not category codes; the
 * header's setSpec is the only code. Sets are `cs`, `math`, `physics:cond-mat` (group:archive) → the
 * archive; a three-part spec (group:archive:CATEGORY, `physics:astro-ph:HE`), should arXiv send one,
 * → `astro-ph.HE`.
 */
export function categoryOfSetSpec(spec: string): string | undefined {
  const parts = spec.trim().split(':').filter(Boolean);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) return parts[1];
  return `${parts[1]}.${parts[2]}`;
}

/**
 * oai_dc's subjects as arXiv category codes, so a paper harvested as oai_dc carries the same
 * categories as in the arXiv and arXivRaw formats (`Computer Science - Machine Learning` →
 * `cs.LG`, with the alias arXiv also lists: `Mathematics - Statistics Theory` → `math.ST`,
 * `stat.TH`). A subject that is no arXiv name (MSC `05C15, 05C35`, ACM `I.2.6`) is a keyword, as
 * those formats keep such classes apart from categories. A set's archive (`cs`) is kept only when
 * no subject already places the paper in it: `cat:cs` finds `cs.LG` anyway, and the archive
 * alone is not one of the paper's categories in the other formats.
 */
function subjectsOf(subjects: string[], setSpecs: string[]): Pick<PaperFields, 'categories' | 'keywords'> {
  const codes: string[] = [];
  const keywords: string[] = [];
  for (const subject of subjects) {
    const code = arxivCodeOfSubject(subject);
    if (code === undefined) {
      keywords.push(collapseWhitespace(subject));
      continue;
    }
    codes.push(code);
    const alias = arxivAliasOf(code);
    if (alias) codes.push(alias);
  }
  const archives = new Set(codes.map(arxivArchiveOf));
  const uncovered = setSpecs
    .map(categoryOfSetSpec)
    .filter((c): c is string => c !== undefined && !archives.has(arxivArchiveOf(c)));
  const uniqueKeywords = uniqueStrings(keywords);
  return {
    categories: uniqueStrings([...codes, ...uncovered]),
    ...(uniqueKeywords.length ? { keywords: uniqueKeywords } : {}),
  };
}

/** Simple Dublin Core. Quirks: the first `dc:description` is the abstract and one starting `Comment:`
 * holds the comments; `dc:date` has the v1 date and, if revised, the latest version's date (not
 * one per version); `dc:identifier` mixes the abs URL, `doi:…` and the journal reference. */
export function readOaiDc(dc: XmlNode, setSpecs: string[]): PaperFields & { arxivId?: string } {
  let arxivId: string | undefined;
  let doi: string | undefined;
  let journalRef: string | undefined;
  for (const ident of texts(dc['identifier'])) {
    if (/^https?:\/\/arxiv\.org\/abs\//i.test(ident)) arxivId ??= parseArxivId(ident)?.id;
    else if (/^doi:/i.test(ident) || /^https?:\/\/(dx\.)?doi\.org\//i.test(ident))
      doi ??= normalizeDoi(ident);
    else if (!/^https?:/i.test(ident)) journalRef ??= collapseWhitespace(ident);
  }
  let abstract: string | undefined;
  let comments: string | undefined;
  for (const d of listOf(dc['description'])) {
    const t = textOf(d);
    if (t === undefined || !t.trim()) continue;
    if (/^\s*Comment:/.test(t)) comments ??= collapseWhitespace(t.replace(/^\s*Comment:/, ''));
    else abstract ??= t;
  }
  const dates = texts(dc['date'])
    .map((d) => isoDateOrUndefined(d))
    .filter((d): d is string => d !== undefined);
  const first = dates[0];
  const last = dates.length > 1 ? dates[dates.length - 1] : undefined;
  return {
    arxivId,
    ids: doi ? { doi } : {},
    title: oneLine(dc['title']),
    abstract,
    authors: texts(dc['creator']).map(personFromDisplay),
    published: dateOnly(first),
    updated: dateOnly(last),
    year: yearOf(first),
    versions: first ? [{ version: 'v1', date: first }] : undefined,
    ...subjectsOf(texts(dc['subject']), setSpecs),
    comments,
    journalRef,
    license: texts(dc['rights'])[0],
  };
}

/** The `arXiv` format: structured authors (keyname, forenames, suffix, affiliation), created/updated dates. */
export function readArxiv(m: XmlNode): PaperFields & { arxivId?: string } {
  const created = isoDateOrUndefined(textOf(m['created']));
  const updated = isoDateOrUndefined(textOf(m['updated']));
  const authorsNode = m['authors'] as XmlNode | undefined;
  const authors = listOf(authorsNode?.['author'])
    .map((a) => structuredAuthor(a as XmlNode))
    .filter((a): a is PersonName => a !== undefined);
  return {
    ...common(m),
    authors,
    published: dateOnly(created),
    updated: dateOnly(updated),
    year: yearOf(created),
    versions: created ? [{ version: 'v1', date: created }] : undefined,
  };
}

function structuredAuthor(a: XmlNode): PersonName | undefined {
  const keyname = nonEmpty(textOf(a['keyname']));
  if (!keyname) return undefined;
  const suffix = nonEmpty(textOf(a['suffix']));
  // Suffixes go with the family name, as personFromDisplay does with `Smith, Jr., John`.
  const person = personFromParts(suffix ? `${keyname} ${suffix}` : keyname, nonEmpty(textOf(a['forenames'])));
  const affiliations = texts(a['affiliation']);
  if (affiliations.length > 0) person.affiliations = affiliations;
  return person;
}

/** `arXivRaw`: every version with its RFC 2822 date, authors as one arXiv-style string. */
export function readArxivRaw(m: XmlNode): PaperFields & { arxivId?: string } {
  const versions: PaperVersion[] = [];
  for (const v of listOf(m['version'])) {
    const version = attrOf(v, 'version');
    const date = arxivDateToIso(textOf((v as XmlNode)['date']) ?? '');
    if (version && date) versions.push({ version, date });
  }
  const first = versions[0]?.date;
  const last = versions.length > 1 ? versions[versions.length - 1]?.date : undefined;
  const authorText = textOf(m['authors']);
  return {
    ...common(m),
    authors: authorText ? splitAuthorList(authorText).map(personFromDisplay) : undefined,
    published: dateOnly(first),
    updated: dateOnly(last),
    year: yearOf(first),
    versions,
  };
}

/** Fields `arXiv` and `arXivRaw` share. */
function common(m: XmlNode): PaperFields & { arxivId?: string } {
  const doi = normalizeDoi(textOf(m['doi']));
  return {
    arxivId: parseArxivId(textOf(m['id']) ?? '')?.id,
    ids: doi ? { doi } : {},
    title: oneLine(m['title']),
    abstract: textOf(m['abstract']),
    categories: uniqueStrings((textOf(m['categories']) ?? '').split(/\s+/)),
    comments: oneLine(m['comments']),
    journalRef: oneLine(m['journal-ref']),
    license: nonEmpty(textOf(m['license'])),
  };
}

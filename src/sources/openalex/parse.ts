import { personFromDisplay } from '../../domain/names.ts';
import type {
  AuthorRecord,
  PaperIds,
  PaperRecord,
  PersonIds,
  PersonName,
  SourceRecord,
} from '../../domain/record.ts';
import type { FormatAdapter, PagingInfo, ParseContext, ParseOutput } from '../format.ts';
import { arxivIdFromLink } from '../json-api/arxiv.ts';
import {
  array,
  cleanDoi,
  count,
  errorMessage,
  isObject,
  isoDate,
  type JsonObject,
  looksLikeJson,
  parseJson,
  SourceErrors,
  str,
  strings,
  typeName,
  uniq,
} from '../json-api/read.ts';

/**
 * OpenAlex API responses: a work (`/works/W…`), an author (`/authors/A…`), or a list
 * (`{meta: {count, next_cursor, …}, results: [...]}`) of either.
 *
 * Format quirks: every id is a URL (`https://openalex.org/W2741809807`,
 * `https://doi.org/10.…`, `https://orcid.org/…`); the abstract comes only as an inverted
 * index `{word: [positions]}`; older responses name the venue `host_venue`, newer ones
 * `primary_location.source`; `title` and `display_name` are the same for works and older
 * responses carry only `display_name`.
 */

const SOURCE = 'openalex';
const OPENALEX_ID = /^(?:https?:\/\/openalex\.org\/)?([WA]\d+)$/i;

export const openAlexAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'OpenAlex',
  sniff,
  parse,
};

function sniff(sample: string, fileName?: string): number {
  if (!looksLikeJson(sample)) return 0;
  if (/"abstract_inverted_index"\s*:/.test(sample)) return 0.95;
  if (/"id"\s*:\s*"https:\/\/openalex\.org\/[WA]\d+"/.test(sample)) return 0.95;
  if (/"authorships"\s*:/.test(sample) || /"display_name_alternatives"\s*:/.test(sample)) return 0.85;
  if (/openalex\.org\//.test(sample)) return 0.6;
  if (fileName && /openalex/i.test(fileName)) return 0.3;
  return 0;
}

function parse(input: string, ctx: ParseContext): ParseOutput {
  const errors = new SourceErrors(SOURCE, ctx);
  const records: SourceRecord[] = [];
  const json = parseJson(input, errors);
  if (!json.ok) return { records, problems: errors.problems };
  const body = json.value;

  if (Array.isArray(body)) {
    body.forEach((entry, i) => {
      pushEntity(entry, `record ${i + 1}`, records, errors);
    });
    return { records, problems: errors.problems };
  }
  if (!isObject(body)) {
    errors.add('file', `expected an OpenAlex JSON object, got ${typeName(body)}`);
    return { records, problems: errors.problems };
  }
  const results = array(body['results']);
  if (results) {
    results.forEach((entry, i) => {
      pushEntity(entry, `results[${i}]`, records, errors);
    });
    const paging = pagingOf(body['meta']);
    return paging ? { records, problems: errors.problems, paging } : { records, problems: errors.problems };
  }
  if (body['id'] !== undefined || body['display_name'] !== undefined) {
    pushEntity(body, 'record 1', records, errors);
    return { records, problems: errors.problems };
  }
  errors.add('file', errorMessageOf(body) ?? 'not an OpenAlex response: no id, display_name or results');
  return { records, problems: errors.problems };
}

/** OpenAlex errors say `{"error": "Invalid query parameters error.", "message": "…details…"}`. */
function errorMessageOf(body: JsonObject): string | undefined {
  const error = str(body['error']);
  const message = str(body['message']);
  return error && message ? `${error} ${message}` : errorMessage(body);
}

function pagingOf(meta: unknown): PagingInfo | undefined {
  if (!isObject(meta)) return undefined;
  const paging: PagingInfo = {};
  const total = count(meta['count']);
  const cursor = str(meta['next_cursor']);
  if (total !== undefined) paging.total = total;
  if (cursor !== undefined) paging.token = cursor;
  return Object.keys(paging).length ? paging : undefined;
}

function shortId(value: unknown): string | undefined {
  const s = str(value);
  const m = s ? OPENALEX_ID.exec(s) : null;
  return m ? m[1]!.toUpperCase() : undefined;
}

function pushEntity(entry: unknown, locator: string, records: SourceRecord[], errors: SourceErrors): void {
  if (!isObject(entry)) {
    errors.add(locator, `expected a work or author object, got ${typeName(entry)}`);
    return;
  }
  const id = shortId(entry['id']) ?? shortId(isObject(entry['ids']) ? entry['ids']['openalex'] : undefined);
  const isAuthor = id ? id.startsWith('A') : entry['works_count'] !== undefined;
  if (!id) {
    errors.add(locator, `${isAuthor ? 'author' : 'work'} has no OpenAlex id (W… or A…)`);
    return;
  }
  if (isAuthor) {
    const author = readAuthor(entry, id, locator, errors);
    if (author) records.push(author);
  } else {
    records.push(readWork(entry, id, locator, errors));
  }
}

function readAuthor(
  a: JsonObject,
  id: string,
  locator: string,
  errors: SourceErrors,
): AuthorRecord | undefined {
  const display = str(a['display_name']);
  if (!display) {
    errors.add(`${locator} (id ${id})`, 'author has no display_name');
    return undefined;
  }
  const ids: PersonIds = { openalex: id };
  const orcid = orcidOf(a['orcid']) ?? orcidOf(isObject(a['ids']) ? a['ids']['orcid'] : undefined);
  if (orcid) ids.orcid = orcid;
  const record: AuthorRecord = {
    kind: 'author',
    provenance: errors.provenance(locator),
    key: id,
    name: { ...personFromDisplay(display), ids },
  };
  const alternatives = strings(a['display_name_alternatives'])?.filter((n) => n !== display);
  const affiliations = authorAffiliations(a);
  const works = count(a['works_count']);
  const cited = count(a['cited_by_count']);
  const hIndex = isObject(a['summary_stats']) ? count(a['summary_stats']['h_index']) : undefined;
  if (alternatives?.length) record.alternatives = alternatives;
  if (affiliations.length) record.affiliations = affiliations;
  if (works !== undefined) record.paperCount = works;
  if (cited !== undefined) record.citationCount = cited;
  if (hIndex !== undefined) record.hIndex = hIndex;
  return record;
}

/** Last known institutions first (`last_known_institution` in older responses), then the history. */
function authorAffiliations(a: JsonObject): string[] {
  const names: string[] = [];
  const lastKnown = [...(array(a['last_known_institutions']) ?? []), a['last_known_institution']];
  for (const inst of lastKnown) if (isObject(inst)) names.push(str(inst['display_name']) ?? '');
  for (const aff of array(a['affiliations']) ?? []) {
    if (isObject(aff) && isObject(aff['institution']))
      names.push(str(aff['institution']['display_name']) ?? '');
  }
  return uniq(names.filter(Boolean));
}

function orcidOf(value: unknown): string | undefined {
  const s = str(value);
  const m = s ? /(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i.exec(s) : null;
  return m ? m[1]!.toUpperCase() : undefined;
}

function readWork(w: JsonObject, id: string, locator: string, errors: SourceErrors): PaperRecord {
  const record: PaperRecord = {
    kind: 'paper',
    provenance: errors.provenance(locator),
    key: id,
    ids: idsOf(w, id),
  };
  const title = str(w['title']) ?? str(w['display_name']);
  const abstract = rebuildAbstract(w['abstract_inverted_index']);
  const authors = authorsOf(w['authorships']);
  const published = isoDate(w['publication_date']);
  const year = count(w['publication_year']) ?? (published ? Number(published.slice(0, 4)) : undefined);
  const primary = isObject(w['primary_location']) ? w['primary_location'] : {};
  const source = isObject(primary['source']) ? primary['source'] : {};
  const hostVenue = isObject(w['host_venue']) ? w['host_venue'] : {};
  const venue = str(source['display_name']) ?? str(hostVenue['display_name']);
  const keywords = keywordsOf(w);
  const citationCount = count(w['cited_by_count']);
  const referenceCount = count(w['referenced_works_count']) ?? array(w['referenced_works'])?.length;
  const links = linksOf(w, primary);

  if (title) record.title = title;
  if (abstract) record.abstract = abstract;
  if (authors) record.authors = authors;
  if (published) record.published = published;
  if (year !== undefined) record.year = year;
  if (venue) record.venue = venue;
  if (links.length) record.links = links;
  if (citationCount !== undefined) record.citationCount = citationCount;
  if (referenceCount !== undefined) record.referenceCount = referenceCount;
  if (keywords.length) record.keywords = keywords;
  return record;
}

function idsOf(w: JsonObject, id: string): PaperIds {
  const given = isObject(w['ids']) ? w['ids'] : {};
  const ids: PaperIds = { openalex: id };
  const doi = cleanDoi(given['doi']) ?? cleanDoi(w['doi']);
  const pmid = str(given['pmid'])?.replace(/^.*\//, '');
  const pmcid = str(given['pmcid'])
    ?.replace(/^.*\//, '')
    .replace(/^(?:pmc)?(\d+)$/i, 'PMC$1');
  const mag = str(given['mag']);
  const arxiv = arxivOf(w, doi);
  if (doi) ids.doi = doi;
  if (arxiv) ids.arxiv = arxiv;
  if (pmid) ids.pmid = pmid;
  if (pmcid) ids.pmcid = pmcid;
  if (mag) ids.mag = mag;
  return ids;
}

/** arXiv copies show up as a location on arxiv.org, or the work itself is the arXiv DataCite DOI. */
function arxivOf(w: JsonObject, doi: string | undefined): string | undefined {
  const fromDoi = arxivIdFromLink(doi);
  if (fromDoi) return fromDoi.id;
  const locations = [w['primary_location'], w['best_oa_location'], ...(array(w['locations']) ?? [])];
  for (const loc of locations) {
    if (!isObject(loc)) continue;
    const hit = arxivIdFromLink(str(loc['landing_page_url'])) ?? arxivIdFromLink(str(loc['pdf_url']));
    if (hit) return hit.id;
  }
  return undefined;
}

/** `{word: [positions]}` back to text: words in position order, one space apart (gaps skipped). */
function rebuildAbstract(index: unknown): string | undefined {
  if (!isObject(index)) return undefined;
  const words: string[] = [];
  for (const [word, positions] of Object.entries(index)) {
    if (!Array.isArray(positions)) continue;
    for (const pos of positions) {
      // Positions beyond any real abstract length are junk; they would make a huge sparse array.
      if (Number.isInteger(pos) && pos >= 0 && pos < 100_000) words[pos] = word;
    }
  }
  const text = words.filter((w) => w !== undefined).join(' ');
  return text.trim() ? text : undefined;
}

function authorsOf(value: unknown): PersonName[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const authors: PersonName[] = [];
  for (const a of value) {
    if (!isObject(a)) continue;
    const author = isObject(a['author']) ? a['author'] : {};
    const display = str(a['raw_author_name']) ?? str(author['display_name']);
    if (!display) continue;
    const person = personFromDisplay(display);
    const ids: PersonIds = {};
    const openalex = shortId(author['id']);
    const orcid = orcidOf(author['orcid']);
    if (openalex) ids.openalex = openalex;
    if (orcid) ids.orcid = orcid;
    if (Object.keys(ids).length) person.ids = ids;
    const institutions = array(a['institutions'])
      ?.map((i) => (isObject(i) ? str(i['display_name']) : undefined))
      .filter((n): n is string => n !== undefined);
    const affiliations =
      strings(a['raw_affiliation_strings']) ?? (institutions?.length ? uniq(institutions) : undefined);
    if (affiliations) person.affiliations = affiliations;
    authors.push(person);
  }
  return authors;
}

/**
 * Keywords, then topics, then concepts. Concepts are scored by a classifier and the low
 * scores are noise (`Operating system` on a bibliometrics paper): only those ≥ 0.3 are kept.
 */
function keywordsOf(w: JsonObject): string[] {
  const out: string[] = [];
  const names = (list: unknown, minScore = -1) => {
    for (const item of array(list) ?? []) {
      if (typeof item === 'string') out.push(item);
      else if (isObject(item) && (typeof item['score'] !== 'number' || item['score'] >= minScore)) {
        const name = str(item['display_name']) ?? str(item['keyword']);
        if (name) out.push(name);
      }
    }
  };
  names(w['keywords']);
  names(w['topics']);
  names(w['concepts'], 0.3);
  return uniq(out.filter((k) => k.trim()));
}

function linksOf(w: JsonObject, primary: JsonObject): NonNullable<PaperRecord['links']> {
  const links: NonNullable<PaperRecord['links']> = [];
  const landing = str(primary['landing_page_url']);
  const best = isObject(w['best_oa_location']) ? w['best_oa_location'] : {};
  const pdf = str(primary['pdf_url']) ?? str(best['pdf_url']);
  if (landing) links.push({ url: landing, rel: 'abstract' });
  if (pdf) links.push({ url: pdf, rel: 'pdf' });
  return links;
}

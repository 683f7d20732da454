import { personFromDisplay } from '../../domain/names.ts';
import type { PaperIds, PaperRecord, PersonName, SourceRecord } from '../../domain/record.ts';
import type { FormatAdapter, PagingInfo, ParseContext, ParseOutput } from '../format.ts';
import { arxivIdFromLink, arxivIdOf } from '../json-api/arxiv.ts';
import {
  array,
  cleanDoi,
  count,
  errorMessage,
  isObject,
  type JsonObject,
  looksLikeJson,
  parseJson,
  SourceErrors,
  str,
  strings,
  text,
  typeName,
} from '../json-api/read.ts';

/**
 * NASA ADS `/v1/search/query` responses (Solr underneath):
 * `{responseHeader: {status, QTime, params}, response: {numFound, start, docs: [...]}}`.
 *
 * Format quirks: `title`, `doi`, `identifier`, `page` are arrays even when single; authors are
 * `Last, First M.` strings with `aff` and `orcid_pub` as parallel arrays that use `-` for
 * "none"; `year` is a string; `pubdate` is `YYYY-MM-DD` with `00` for an unknown month or day;
 * the arXiv id hides in `identifier` (`arXiv:2101.00001`) or `eid`. Which fields a doc has
 * depends on `fl=` (the default is only `id`), so any field may be missing.
 * Errors come as `{"error": "..."}` or Solr's `{"error": {"msg": "...", "code": 400}}`.
 */

const SOURCE = 'ads';

export const adsAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'NASA ADS',
  sniff,
  parse,
};

function sniff(sample: string, fileName?: string): number {
  if (!looksLikeJson(sample)) return 0;
  const solr = /"responseHeader"\s*:/.test(sample) && /"docs"\s*:/.test(sample);
  const bibcode = /"bibcode"\s*:/.test(sample);
  if (solr && bibcode) return 0.95;
  if (bibcode) return 0.8;
  if (solr) return 0.6;
  if (fileName && /\bads\b|adsabs/i.test(fileName)) return 0.3;
  return 0;
}

function parse(input: string, ctx: ParseContext): ParseOutput {
  const errors = new SourceErrors(SOURCE, ctx);
  const records: SourceRecord[] = [];
  const json = parseJson(input, errors);
  if (!json.ok) return { records, problems: errors.problems };
  const body = json.value;
  if (!isObject(body)) {
    errors.add('file', `expected an ADS search response object, got ${typeName(body)}`);
    return { records, problems: errors.problems };
  }
  const response = isObject(body['response']) ? body['response'] : undefined;
  const docs = array(response?.['docs']);
  if (!response || !docs) {
    errors.add('file', errorMessage(body) ?? 'not an ADS search response: no response.docs');
    return { records, problems: errors.problems };
  }
  docs.forEach((doc, i) => {
    const locator = `docs[${i}]`;
    if (!isObject(doc)) {
      errors.add(locator, `expected a document object, got ${typeName(doc)}`);
      return;
    }
    const record = readDoc(doc, locator, errors);
    if (record) records.push(record);
  });
  return { records, problems: errors.problems, paging: pagingOf(response, docs.length) };
}

function pagingOf(response: JsonObject, returned: number): PagingInfo {
  const paging: PagingInfo = {};
  const total = count(response['numFound']);
  const start = count(response['start']) ?? 0;
  if (total !== undefined) paging.total = total;
  if (total !== undefined && returned > 0 && start + returned < total) paging.nextOffset = start + returned;
  return paging;
}

function readDoc(doc: JsonObject, locator: string, errors: SourceErrors): PaperRecord | undefined {
  const ids = idsOf(doc);
  // The bibcode is ADS's own key; without it (fl= left it out) fall back to other ids.
  const key =
    ids.bibcode ??
    (ids.doi
      ? `doi:${ids.doi}`
      : ids.arxiv
        ? `arxiv:${ids.arxiv}`
        : str(doc['id'])
          ? `ads:${str(doc['id'])}`
          : undefined);
  if (!key) {
    errors.add(locator, 'document has no bibcode, DOI, arXiv id or ADS id');
    return undefined;
  }
  const record: PaperRecord = { kind: 'paper', provenance: errors.provenance(locator), key, ids };
  const title = strings(doc['title'])?.[0] ?? str(doc['title']);
  const abstract = text(doc['abstract']);
  const authors = authorsOf(doc);
  const { published, year } = datesOf(doc);
  const categories = strings(doc['arxiv_class']);
  const venue = str(doc['pub']);
  const journalRef = str(doc['pub_raw']);
  const keywords = strings(doc['keyword']);
  const citationCount = count(doc['citation_count']);
  const referenceCount = array(doc['reference'])?.length;

  if (title) record.title = title;
  if (abstract) record.abstract = abstract;
  if (authors) record.authors = authors;
  if (published) record.published = published;
  if (year !== undefined) record.year = year;
  if (categories) record.categories = categories;
  if (venue) record.venue = venue;
  if (journalRef && journalRef !== venue) record.journalRef = journalRef;
  if (ids.bibcode) {
    record.links = [
      {
        url: `https://ui.adsabs.harvard.edu/abs/${encodeURIComponent(ids.bibcode)}/abstract`,
        rel: 'abstract',
      },
    ];
  }
  if (citationCount !== undefined) record.citationCount = citationCount;
  if (referenceCount !== undefined) record.referenceCount = referenceCount;
  if (keywords) record.keywords = keywords;
  return record;
}

function idsOf(doc: JsonObject): PaperIds {
  const ids: PaperIds = {};
  const bibcode = str(doc['bibcode']);
  const identifiers = [...(strings(doc['identifier']) ?? []), str(doc['eid']) ?? ''];
  const doi = (strings(doc['doi']) ?? []).map(cleanDoi).find(Boolean);
  let arxiv: string | undefined;
  for (const id of identifiers) {
    // `identifier` mixes bibcodes, DOIs and `arXiv:…`; bare `2101.00001` is also an arXiv id there.
    const hit =
      /^arxiv:/i.test(id) || /^\d{4}\.\d{4,5}(v\d+)?$/.test(id) ? arxivIdOf(id) : arxivIdFromLink(id);
    if (hit) {
      arxiv = hit.id;
      break;
    }
  }
  if (bibcode) ids.bibcode = bibcode;
  if (doi) ids.doi = doi;
  else {
    const fromIdentifier = identifiers.map(cleanDoi).find(Boolean);
    if (fromIdentifier) ids.doi = fromIdentifier;
  }
  if (arxiv) ids.arxiv = arxiv;
  else if (ids.doi) {
    const fromDoi = arxivIdFromLink(ids.doi);
    if (fromDoi) ids.arxiv = fromDoi.id;
  }
  return ids;
}

/** `-` is ADS's placeholder in the per-author arrays `aff` and `orcid_pub`. */
function perAuthor(value: unknown, i: number): string | undefined {
  const list = array(value);
  const v = list ? str(list[i]) : undefined;
  return v && v !== '-' ? v : undefined;
}

function authorsOf(doc: JsonObject): PersonName[] | undefined {
  const list = array(doc['author']);
  if (!list) return undefined;
  const authors: PersonName[] = [];
  list.forEach((raw, i) => {
    const name = str(raw);
    if (!name) return;
    const person = personFromDisplay(name);
    const aff = perAuthor(doc['aff'], i);
    // One author's affiliations are joined with `; ` in a single `aff` entry.
    if (aff) person.affiliations = aff.split(/\s*;\s*/).filter(Boolean);
    const orcid =
      perAuthor(doc['orcid_pub'], i) ?? perAuthor(doc['orcid_user'], i) ?? perAuthor(doc['orcid_other'], i);
    if (orcid && /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/i.test(orcid)) person.ids = { orcid: orcid.toUpperCase() };
    authors.push(person);
  });
  return authors;
}

/** `pubdate` `2021-03-00` → `2021-03` (day unknown); `2021-00-00` → year only. */
function datesOf(doc: JsonObject): { published?: string; year?: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(doc['pubdate']) ?? '');
  const year = count(doc['year']) ?? (m ? Number(m[1]) : undefined);
  if (!m) return year !== undefined ? { year } : {};
  const [, y, mo, d] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return { year: year ?? Number(y) };
  const published = day >= 1 && day <= 31 ? `${y}-${mo}-${d}` : `${y}-${mo}`;
  return { published, year: year ?? Number(y) };
}

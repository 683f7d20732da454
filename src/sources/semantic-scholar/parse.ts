import { personFromDisplay } from '../../domain/names.ts';
import type { AuthorRecord, PaperIds, PaperRecord, PersonName, SourceRecord } from '../../domain/record.ts';
import type { FormatAdapter, PagingInfo, ParseContext, ParseOutput } from '../format.ts';
import { arxivIdOf } from '../json-api/arxiv.ts';
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
  text,
  typeName,
  uniq,
} from '../json-api/read.ts';

/**
 * Semantic Scholar Graph API and Recommendations API responses, in every shape they come:
 *
 * - `/paper/{id}`: one paper object; `/author/{id}`: one author object with `papers`.
 * - `/paper/batch`: a JSON array of papers where an id S2 does not know comes back as
 *   `null` in its place. Those nulls are skipped without a problem: they are an answer
 *   ("not found"), not a broken record, and the caller knows which ids it asked for.
 * - `/paper/search`: `{total, offset, next, data}`; `/paper/search/bulk`: `{total, token, data}`;
 *   `/author/{id}/papers`: `{offset, next, data}`.
 * - `/paper/{id}/citations` and `/references`: `data` entries wrap the paper as
 *   `{citingPaper: {...}}` or `{citedPaper: {...}}` next to `contexts`/`intents`.
 * - `/recommendations/v1/papers`: `{recommendedPapers: [...]}`.
 * - errors: `{"error": "..."}` or `{"message": "..."}`.
 *
 * Which fields a paper has depends on the request's `fields=`: `{paperId, title}` alone is a
 * valid partial record, and any requested field may be `null`. A paper's embedded
 * `citations`/`references` lists are not emitted as records of their own.
 */

const SOURCE = 'semantic-scholar';
const WRAPPERS = ['citingPaper', 'citedPaper', 'paper'] as const;

export const semanticScholarAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'Semantic Scholar',
  sniff,
  parse,
};

function sniff(sample: string, fileName?: string): number {
  if (!looksLikeJson(sample)) return 0;
  if (/"recommendedPapers"\s*:/.test(sample)) return 0.95;
  const paperId = /"paperId"\s*:/.test(sample);
  if (paperId && /"(?:externalIds|corpusId|citingPaper|citedPaper)"\s*:/.test(sample)) return 0.95;
  if (paperId) return 0.85;
  if (/"authorId"\s*:/.test(sample) && /"hIndex"\s*:/.test(sample)) return 0.85;
  if (fileName && /semantic-?scholar|\bs2\b/i.test(fileName)) return 0.3;
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
      if (entry !== null) pushEntry(entry, `record ${i + 1}`, records, errors);
    });
    return { records, problems: errors.problems };
  }
  if (!isObject(body)) {
    errors.add('file', `expected a Semantic Scholar JSON object or array, got ${typeName(body)}`);
    return { records, problems: errors.problems };
  }

  const list = array(body['data']) ?? array(body['recommendedPapers']);
  if (list) {
    const field = Array.isArray(body['data']) ? 'data' : 'recommendedPapers';
    list.forEach((entry, i) => {
      if (entry !== null) pushEntry(entry, `${field}[${i}]`, records, errors);
    });
    const paging = pagingOf(body);
    return paging ? { records, problems: errors.problems, paging } : { records, problems: errors.problems };
  }
  if (isAuthor(body) || body['paperId'] !== undefined || WRAPPERS.some((w) => isObject(body[w]))) {
    // A lone author's papers are `papers[i]`; inside a list they are `data[3].papers[i]`.
    pushEntry(body, 'record 1', records, errors, '');
    return { records, problems: errors.problems };
  }
  const message = errorMessage(body);
  errors.add(
    'file',
    message ?? 'not a Semantic Scholar response: no paperId, authorId, data or recommendedPapers',
  );
  return { records, problems: errors.problems };
}

function pagingOf(body: JsonObject): PagingInfo | undefined {
  const paging: PagingInfo = {};
  const total = count(body['total']);
  const next = count(body['next']);
  const token = str(body['token']);
  if (total !== undefined) paging.total = total;
  if (next !== undefined) paging.nextOffset = next;
  if (token !== undefined) paging.token = token;
  return Object.keys(paging).length ? paging : undefined;
}

/** Author objects (`/author/{id}`, `/author/batch`, `/author/search`, `/paper/{id}/authors`) have no paperId. */
function isAuthor(entry: JsonObject): boolean {
  return entry['authorId'] !== undefined && entry['paperId'] === undefined;
}

function pushEntry(
  entry: unknown,
  locator: string,
  records: SourceRecord[],
  errors: SourceErrors,
  papersPrefix = `${locator} `,
): void {
  if (isObject(entry) && isAuthor(entry)) readAuthorWithPapers(entry, locator, papersPrefix, records, errors);
  else pushPaper(entry, locator, records, errors);
}

function readAuthorWithPapers(
  body: JsonObject,
  locator: string,
  prefix: string,
  records: SourceRecord[],
  errors: SourceErrors,
): void {
  const author = readAuthor(body, locator, errors);
  if (author) records.push(author);
  const papers = body['papers'];
  if (Array.isArray(papers)) {
    papers.forEach((entry, i) => {
      if (entry !== null) pushPaper(entry, `${prefix}papers[${i}]`, records, errors);
    });
  }
}

function readAuthor(body: JsonObject, locator: string, errors: SourceErrors): AuthorRecord | undefined {
  const authorId = str(body['authorId']);
  const display = str(body['name']);
  if (!authorId || !display) {
    errors.add(locator, authorId ? `author ${authorId} has no name` : 'author has no authorId');
    return undefined;
  }
  const name: PersonName = { ...personFromDisplay(display), ids: { s2: authorId } };
  const record: AuthorRecord = {
    kind: 'author',
    provenance: errors.provenance(locator),
    key: authorId,
    name,
  };
  const alternatives = strings(body['aliases']);
  const affiliations = strings(body['affiliations']);
  const homepage = str(body['homepage']);
  const paperCount = count(body['paperCount']);
  const citationCount = count(body['citationCount']);
  const hIndex = count(body['hIndex']);
  if (alternatives) record.alternatives = alternatives;
  if (affiliations) record.affiliations = affiliations;
  if (homepage) record.homepage = homepage;
  if (paperCount !== undefined) record.paperCount = paperCount;
  if (citationCount !== undefined) record.citationCount = citationCount;
  if (hIndex !== undefined) record.hIndex = hIndex;
  return record;
}

function pushPaper(entry: unknown, locator: string, records: SourceRecord[], errors: SourceErrors): void {
  if (!isObject(entry)) {
    errors.add(locator, `expected a paper object, got ${typeName(entry)}`);
    return;
  }
  // Citation and reference lists wrap the paper next to the citation contexts.
  const wrapper = entry['paperId'] === undefined ? WRAPPERS.find((w) => w in entry) : undefined;
  const paper = wrapper ? entry[wrapper] : entry;
  const where = !wrapper
    ? locator
    : locator.startsWith('record ')
      ? `${locator} (${wrapper})`
      : `${locator}.${wrapper}`;
  if (!isObject(paper)) {
    errors.add(where, `expected a paper object, got ${typeName(paper)}`);
    return;
  }
  const paperId = str(paper['paperId']);
  if (!paperId) {
    const title = str(paper['title']);
    // References S2 could not match to a paper of its own come with `paperId: null`.
    errors.add(where, `paper has no paperId${title ? ` (title "${title.slice(0, 80)}")` : ''}`);
    return;
  }
  records.push(readPaper(paper, paperId, where, errors));
}

function readPaper(p: JsonObject, paperId: string, locator: string, errors: SourceErrors): PaperRecord {
  const record: PaperRecord = {
    kind: 'paper',
    provenance: errors.provenance(locator),
    key: paperId,
    ids: idsOf(p, paperId),
  };
  const title = str(p['title']);
  const abstract = text(p['abstract']);
  const authors = authorsOf(p['authors']);
  const year = count(p['year']);
  const published = isoDate(p['publicationDate']);
  const journal = isObject(p['journal']) ? p['journal'] : undefined;
  const venueObj = isObject(p['publicationVenue']) ? p['publicationVenue'] : undefined;
  const venue = str(p['venue']) ?? str(journal?.['name']) ?? str(venueObj?.['name']);
  const journalRef = journalRefOf(journal);
  const categories = categoriesOf(p);
  const tldr = isObject(p['tldr']) ? str(p['tldr']['text']) : undefined;
  const citationCount = count(p['citationCount']);
  const referenceCount = count(p['referenceCount']);
  const links: NonNullable<PaperRecord['links']> = [];
  const url = str(p['url']);
  const pdf = isObject(p['openAccessPdf']) ? str(p['openAccessPdf']['url']) : undefined;
  if (url) links.push({ url, rel: 'abstract' });
  if (pdf) links.push({ url: pdf, rel: 'pdf' });

  if (title) record.title = title;
  if (abstract) record.abstract = abstract;
  if (authors) record.authors = authors;
  if (published) record.published = published;
  if (year !== undefined) record.year = year;
  else if (published) record.year = Number(published.slice(0, 4));
  if (categories) record.categories = categories;
  if (venue) record.venue = venue;
  if (journalRef) record.journalRef = journalRef;
  if (links.length) record.links = links;
  if (citationCount !== undefined) record.citationCount = citationCount;
  if (referenceCount !== undefined) record.referenceCount = referenceCount;
  if (tldr) record.tldr = tldr;
  return record;
}

function idsOf(p: JsonObject, paperId: string): PaperIds {
  const ext = isObject(p['externalIds']) ? p['externalIds'] : {};
  const ids: PaperIds = { s2: paperId };
  const corpus = str(p['corpusId']) ?? str(ext['CorpusId']);
  const arxiv = arxivIdOf(str(ext['ArXiv']));
  const doi = cleanDoi(ext['DOI']);
  const pmid = str(ext['PubMed']);
  const pmcid = str(ext['PubMedCentral']);
  const dblp = str(ext['DBLP']);
  const mag = str(ext['MAG']);
  if (corpus) ids.s2Corpus = corpus;
  if (arxiv) ids.arxiv = arxiv.id;
  if (doi) ids.doi = doi;
  if (pmid) ids.pmid = pmid;
  // S2 gives PubMed Central ids as bare digits; the canonical PMCID carries `PMC`.
  if (pmcid) ids.pmcid = /^\d+$/.test(pmcid) ? `PMC${pmcid}` : pmcid.toUpperCase();
  if (dblp) ids.dblp = dblp;
  if (mag) ids.mag = mag;
  return ids;
}

function authorsOf(value: unknown): PersonName[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const authors: PersonName[] = [];
  for (const a of value) {
    if (!isObject(a)) continue;
    const name = str(a['name']);
    if (!name) continue;
    const person = personFromDisplay(name);
    const id = str(a['authorId']);
    if (id) person.ids = { s2: id };
    const affiliations = strings(a['affiliations']);
    if (affiliations) person.affiliations = affiliations;
    authors.push(person);
  }
  return authors;
}

/** `fieldsOfStudy` when given, else the categories of `s2FieldsOfStudy` (which repeats them per model). */
function categoriesOf(p: JsonObject): string[] | undefined {
  const fields = strings(p['fieldsOfStudy']);
  if (fields) return fields;
  const s2 = array(p['s2FieldsOfStudy'])
    ?.map((f) => (isObject(f) ? str(f['category']) : undefined))
    .filter((c): c is string => c !== undefined);
  return s2?.length ? uniq(s2) : undefined;
}

/** `Mind, LIX, 433-460`: only when the journal object says more than its name. */
function journalRefOf(journal: JsonObject | undefined): string | undefined {
  if (!journal) return undefined;
  const volume = str(journal['volume']);
  const pages = str(journal['pages']);
  if (!volume && !pages) return undefined;
  return [str(journal['name']), volume, pages].filter(Boolean).join(', ');
}

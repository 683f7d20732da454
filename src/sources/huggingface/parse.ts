import { personFromDisplay } from '../../domain/names.ts';
import type { PaperRecord, PersonName, SourceCodeLink, SourceRecord } from '../../domain/record.ts';
import type { FormatAdapter, ParseContext, ParseOutput } from '../format.ts';
import { arxivIdOf } from '../json-api/arxiv.ts';
import {
  array,
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
} from '../json-api/read.ts';

/**
 * Hugging Face Papers API responses:
 *
 * - `/api/daily_papers`: an array of items `{paper: {...}, publishedAt, title, thumbnail,
 *   numComments, submittedBy, …}`; the item's `publishedAt` is when it was put on the daily
 *   list, the paper's own `publishedAt` is the arXiv date.
 * - `/api/papers/search` and similar: an array of bare paper objects (also accepted wrapped).
 * - `/api/papers/{id}`: one paper object.
 *
 * A paper's `id` is its arXiv id (no version). `authors[].hidden` only hides the linked HF
 * user, the name is still the author's, so hidden authors are kept.
 */

const SOURCE = 'huggingface';

export const huggingFaceAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'Hugging Face Papers',
  sniff,
  parse,
};

function sniff(sample: string, fileName?: string): number {
  if (!looksLikeJson(sample)) return 0;
  const upvotes = /"upvotes"\s*:/.test(sample);
  const summary = /"summary"\s*:/.test(sample);
  if (/"paper"\s*:\s*\{/.test(sample) && (upvotes || summary)) return 0.95;
  if (upvotes && summary) return 0.95;
  if (/"(?:ai_keywords|ai_summary|githubRepo|numComments|submittedOnDailyAt)"\s*:/.test(sample)) return 0.9;
  if (summary && /"publishedAt"\s*:/.test(sample)) return 0.6;
  if (fileName && /daily_papers|hugging-?face/i.test(fileName)) return 0.3;
  return 0;
}

function parse(input: string, ctx: ParseContext): ParseOutput {
  const errors = new SourceErrors(SOURCE, ctx);
  const records: SourceRecord[] = [];
  const json = parseJson(input, errors);
  if (!json.ok) return { records, problems: errors.problems };
  const body = json.value;

  if (Array.isArray(body)) {
    body.forEach((item, i) => {
      pushItem(item, `record ${i + 1}`, records, errors);
    });
  } else if (isObject(body) && (isObject(body['paper']) || body['id'] !== undefined)) {
    pushItem(body, 'record 1', records, errors);
  } else if (isObject(body)) {
    errors.add('file', errorMessage(body) ?? 'not a Hugging Face papers response: no paper or id');
  } else {
    errors.add('file', `expected a Hugging Face papers array, got ${typeName(body)}`);
  }
  return { records, problems: errors.problems };
}

function pushItem(item: unknown, locator: string, records: SourceRecord[], errors: SourceErrors): void {
  if (!isObject(item)) {
    errors.add(locator, `expected a daily-papers item or paper object, got ${typeName(item)}`);
    return;
  }
  const paper = isObject(item['paper']) ? item['paper'] : item;
  const rawId = str(paper['id']);
  const arxiv = arxivIdOf(rawId);
  if (!arxiv) {
    const title = str(paper['title']) ?? str(item['title']);
    const about = title ? ` (title "${title.slice(0, 80)}")` : '';
    errors.add(
      rawId ? `${locator} (id ${rawId.slice(0, 40)})` : locator,
      rawId ? `paper id "${rawId.slice(0, 40)}" is not an arXiv id${about}` : `paper has no id${about}`,
    );
    return;
  }
  records.push(readPaper(paper, item, arxiv.id, locator, errors));
}

function readPaper(
  p: JsonObject,
  item: JsonObject,
  id: string,
  locator: string,
  errors: SourceErrors,
): PaperRecord {
  const record: PaperRecord = {
    kind: 'paper',
    provenance: errors.provenance(locator),
    key: id,
    ids: { arxiv: id },
  };
  const title = str(p['title']) ?? str(item['title']);
  const abstract = text(p['summary']);
  const authors = authorsOf(p['authors']);
  const published = isoDate(p['publishedAt']);
  const upvotes = count(p['upvotes']);
  const codeLinks = codeLinksOf(p);
  const keywords = strings(p['ai_keywords']);
  const tldr = str(p['ai_summary']);

  if (title) record.title = title;
  if (abstract) record.abstract = abstract;
  if (authors) record.authors = authors;
  if (published) {
    record.published = published;
    record.year = Number(published.slice(0, 4));
  }
  record.links = [{ url: `https://huggingface.co/papers/${id}`, rel: 'abstract' }];
  if (codeLinks.length) record.codeLinks = codeLinks;
  if (upvotes !== undefined) record.upvotes = upvotes;
  if (tldr) record.tldr = tldr;
  if (keywords) record.keywords = keywords;
  return record;
}

function authorsOf(value: unknown): PersonName[] | undefined {
  const list = array(value);
  if (!list) return undefined;
  const authors: PersonName[] = [];
  for (const a of list) {
    const name = isObject(a) ? str(a['name']) : str(a);
    if (name) authors.push(personFromDisplay(name));
  }
  return authors;
}

function codeLinksOf(p: JsonObject): SourceCodeLink[] {
  const links: SourceCodeLink[] = [];
  const repo = httpUrl(p['githubRepo']);
  const page = httpUrl(p['projectPage']);
  if (repo) links.push({ url: repo, kind: 'repository' });
  if (page) links.push({ url: page, kind: 'project-page' });
  return links;
}

/** Only http(s) links: these fields are user-submitted free text. */
function httpUrl(value: unknown): string | undefined {
  const s = str(value);
  return s && /^https?:\/\/\S+$/i.test(s) ? s : undefined;
}

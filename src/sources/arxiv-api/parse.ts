import { personFromDisplay } from '../../domain/names.ts';
import type { PaperRecord, PaperVersion, PersonName, SourceRecord } from '../../domain/record.ts';
import {
  collapseWhitespace,
  compact,
  dateOnly,
  isoDateOrUndefined,
  nonEmpty,
  normalizeDoi,
  problemAt,
  provenanceAt,
  snippet,
  uniqueStrings,
  yearOf,
} from '../arxiv-common.ts';
import { parseArxivId } from '../arxiv-id.ts';
import {
  attrOf,
  elementChunks,
  listOf,
  makeXmlParser,
  parseElement,
  repairDoubleDecodedUtf8,
  textOf,
  type XmlNode,
} from '../arxiv-xml.ts';
import type { FormatAdapter, PagingInfo, ParseContext, ParseOutput, ParseProblem } from '../format.ts';

/**
 * The arXiv API (`export.arxiv.org/api/query`): an Atom feed, one `<entry>` per paper, with
 * `arxiv:` elements (comment, journal_ref, doi, primary_category, affiliation) and OpenSearch
 * paging counters in the feed head.
 *
 * Quirks: errors come back as a feed with a single entry whose id is
 * `https://arxiv.org/api/errors#…` and whose title is `Error`; an unknown but well-formed id
 * (`0808.05394`) gives an empty feed, not an error. The entry `<id>` carries the version
 * (`…/abs/2005.14124v2`); `published` is the v1 date and `updated` the latest version's.
 */

const SOURCE = 'arxiv-api';
const parser = makeXmlParser(['author', 'category', 'link', 'affiliation']);

export const arxivApiAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'arXiv API (Atom)',
  sniff(sample: string): number {
    if (!sample.includes('http://www.w3.org/2005/Atom')) return 0;
    if (/^\s*\{/.test(sample)) return /"body"\s*:/.test(sample) && sample.includes('arxiv.org') ? 0.8 : 0;
    if (sample.includes('arxiv.org/schemas/atom')) return 0.95;
    if (/<id>https?:\/\/arxiv\.org\/(?:abs|api)\//.test(sample)) return 0.9;
    return 0;
  },
  parse: parseArxivApi,
};

export function parseArxivApi(input: string, ctx: ParseContext): ParseOutput {
  const text = repairDoubleDecodedUtf8(unwrapRecording(input));
  const records: SourceRecord[] = [];
  const problems: ParseProblem[] = [];
  if (!/<(?:[\w.-]+:)?feed[\s>]/.test(text)) {
    problems.push(problemAt(SOURCE, ctx, 'file', `not an arXiv API Atom feed: "${snippet(text)}"`));
    return { records, problems };
  }
  const entries = elementChunks(text, 'entry');
  const head = text.slice(0, entries[0] ? text.indexOf(entries[0].xml) : text.length);
  for (const chunk of entries) {
    const where = `entry ${chunk.index} (line ${chunk.line})`;
    if (!chunk.closed) {
      problems.push(problemAt(SOURCE, ctx, where, 'entry is cut off: the input ends before </entry>'));
      continue;
    }
    const parsed = parseElement(parser, chunk.xml, 'entry');
    if ('error' in parsed) {
      problems.push(problemAt(SOURCE, ctx, where, parsed.error));
      continue;
    }
    const result = entryToRecord(parsed.node, ctx, chunk.index);
    if ('problem' in result) problems.push(problemAt(SOURCE, ctx, result.locator, result.problem));
    else records.push(result);
  }
  if (!/<\/(?:[\w.-]+:)?feed\s*>/.test(text)) {
    problems.push(problemAt(SOURCE, ctx, 'file', 'the feed is cut off: the input ends before </feed>'));
  }
  return { records, problems, paging: pagingOf(head, entries.length) };
}

/**
 * Recorded exchanges (`{url, status_code, body}`, the shape of the shared fixtures and of
 * HTTP cassettes) are read through to their body, so a saved response can be imported as is.
 */
function unwrapRecording(input: string): string {
  if (!/^\s*\{/.test(input)) return input;
  try {
    const obj = JSON.parse(input) as { body?: unknown };
    return typeof obj?.body === 'string' ? obj.body : input;
  } catch {
    return input;
  }
}

function counter(head: string, name: string): number | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}[^>]*>\\s*(\\d+)\\s*<`).exec(head);
  return m ? Number(m[1]) : undefined;
}

function pagingOf(head: string, entryCount: number): PagingInfo | undefined {
  const total = counter(head, 'totalResults');
  const start = counter(head, 'startIndex') ?? 0;
  if (total === undefined) return undefined;
  const paging: PagingInfo = { total };
  if (entryCount > 0 && start + entryCount < total) paging.nextOffset = start + entryCount;
  return paging;
}

type EntryResult = PaperRecord | { problem: string; locator: string };

function entryToRecord(entry: XmlNode, ctx: ParseContext, index: number): EntryResult {
  const rawId = nonEmpty(textOf(entry['id'])) ?? '';
  if (/arxiv\.org\/api\/errors/i.test(rawId)) {
    const message = collapseWhitespace(textOf(entry['summary']) ?? textOf(entry['title']) ?? 'unknown error');
    return { problem: `arXiv API error: ${message} (${rawId})`, locator: `entry ${index}` };
  }
  const arxiv = parseArxivId(rawId);
  if (!arxiv) {
    return { problem: `entry id is not an arXiv id: "${snippet(rawId)}"`, locator: `entry ${index}` };
  }
  const locator = `entry ${index} (arXiv:${arxiv.id})`;
  const publishedAt = isoDateOrUndefined(textOf(entry['published']));
  const updatedAt = isoDateOrUndefined(textOf(entry['updated']));
  const doi = normalizeDoi(textOf(entry['doi']));
  const title = textOf(entry['title']);
  const record: PaperRecord = {
    kind: 'paper',
    provenance: provenanceAt(SOURCE, ctx, locator),
    key: arxiv.id,
    ids: doi ? { arxiv: arxiv.id, doi } : { arxiv: arxiv.id },
    title: title === undefined ? undefined : nonEmpty(collapseWhitespace(title)),
    abstract: textOf(entry['summary']),
    authors: listOf(entry['author'])
      .map(authorOf)
      .filter((a): a is PersonName => a !== undefined),
    published: dateOnly(publishedAt),
    updated: dateOnly(updatedAt),
    year: yearOf(publishedAt),
    versions: versionsOf(arxiv.version, publishedAt, updatedAt),
    categories: uniqueStrings([
      attrOf(entry['primary_category'], 'term'),
      ...listOf(entry['category']).map((c) => attrOf(c, 'term')),
    ]),
    comments: nonEmpty(collapseWhitespace(textOf(entry['comment']) ?? '')),
    journalRef: nonEmpty(collapseWhitespace(textOf(entry['journal_ref']) ?? '')),
    links: linksOf(entry['link']),
  };
  return compact(record);
}

function authorOf(node: unknown): PersonName | undefined {
  const name = nonEmpty(textOf((node as XmlNode | undefined)?.['name']));
  if (!name) return undefined;
  const person = personFromDisplay(name);
  const affiliations = listOf((node as XmlNode)['affiliation'])
    .map((a) => nonEmpty(textOf(a)))
    .filter((a): a is string => a !== undefined);
  if (affiliations.length > 0) person.affiliations = affiliations;
  return person;
}

/** The API names only the current version; v1's date is `published`, the current one's `updated`. */
function versionsOf(
  version: string | undefined,
  published: string | undefined,
  updated: string | undefined,
): PaperVersion[] | undefined {
  const versions: PaperVersion[] = [];
  if (published) versions.push({ version: 'v1', date: published });
  if (version && version !== 'v1' && updated) versions.push({ version, date: updated });
  return versions;
}

function linksOf(value: unknown): PaperRecord['links'] {
  const links: NonNullable<PaperRecord['links']> = [];
  for (const link of listOf(value)) {
    const url = attrOf(link, 'href');
    if (!url) continue;
    const rel = attrOf(link, 'rel');
    const title = attrOf(link, 'title');
    if (title === 'pdf' || attrOf(link, 'type') === 'application/pdf') links.push({ url, rel: 'pdf' });
    else if (rel === 'alternate') links.push({ url, rel: 'abstract' });
    else links.push({ url, rel: 'other' });
  }
  return links;
}

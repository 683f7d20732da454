import type { PaperRecord, SourceRecord } from '../../domain/record.ts';
import { compact, problemAt, provenanceAt, snippet } from '../arxiv-common.ts';
import { parseArxivId } from '../arxiv-id.ts';
import { elementChunks, listOf, makeXmlParser, parseElement, textOf, type XmlNode } from '../arxiv-xml.ts';
import type { FormatAdapter, PagingInfo, ParseContext, ParseOutput, ParseProblem } from '../format.ts';
import { type PaperFields, REPEATED, readArxiv, readArxivRaw, readOaiDc } from './metadata.ts';

/**
 * arXiv's OAI-PMH service (`export.arxiv.org/oai2`): `ListRecords` and `GetRecord` responses in
 * the `oai_dc`, `arXiv` and `arXivRaw` metadata formats.
 *
 * - Deleted records (`<header status="deleted">`) are skipped without a problem.
 * - `ListIdentifiers` responses carry headers only: they give zero papers and no problem (the
 *   resumptionToken is still reported, so a harvester can page through them).
 * - `noRecordsMatch` is an empty result, not a problem; every other `<error>` is a file problem.
 * - An empty `<resumptionToken/>` marks the last page: paging then has no token.
 */

const SOURCE = 'arxiv-oai';
const parser = makeXmlParser(REPEATED);

export const arxivOaiAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'arXiv OAI-PMH',
  sniff(sample: string): number {
    if (!/<OAI-PMH[\s>]/.test(sample)) return 0;
    return /arXiv|arxiv\.org/.test(sample) ? 0.95 : 0.6;
  },
  parse: parseArxivOai,
};

export function parseArxivOai(text: string, ctx: ParseContext): ParseOutput {
  const records: SourceRecord[] = [];
  const problems: ParseProblem[] = [];
  if (!/<(?:[\w.-]+:)?OAI-PMH[\s>]/.test(text)) {
    problems.push(problemAt(SOURCE, ctx, 'file', `not an OAI-PMH response: "${snippet(text)}"`));
    return { records, problems };
  }
  for (const err of oaiErrors(text)) {
    if (err.code !== 'noRecordsMatch') {
      problems.push(problemAt(SOURCE, ctx, 'file', `OAI-PMH error ${err.code}: ${err.message}`));
    }
  }
  for (const chunk of elementChunks(text, 'record')) {
    const oaiId = /<(?:[\w.-]+:)?identifier>\s*([^<\s]+)\s*</.exec(chunk.xml)?.[1];
    const where = `record ${chunk.index}${oaiId ? ` (${oaiId})` : ` (line ${chunk.line})`}`;
    if (!chunk.closed) {
      problems.push(problemAt(SOURCE, ctx, where, 'record is cut off: the input ends before </record>'));
      continue;
    }
    const parsed = parseElement(parser, chunk.xml, 'record');
    if ('error' in parsed) {
      problems.push(problemAt(SOURCE, ctx, where, parsed.error));
      continue;
    }
    const result = readRecord(parsed.node, ctx, where);
    if (typeof result === 'string') problems.push(problemAt(SOURCE, ctx, where, result));
    else if (result) records.push(result);
  }
  if (!/<\/(?:[\w.-]+:)?OAI-PMH\s*>/.test(text)) {
    problems.push(
      problemAt(SOURCE, ctx, 'file', 'the response is cut off: the input ends before </OAI-PMH>'),
    );
  }
  const paging = pagingOf(text);
  return paging ? { records, problems, paging } : { records, problems };
}

/** A paper, undefined for a deleted record, or a problem message. */
function readRecord(record: XmlNode, ctx: ParseContext, where: string): PaperRecord | string | undefined {
  const header = (record['header'] ?? {}) as XmlNode;
  if ((header['@_status'] as string | undefined) === 'deleted') return undefined;
  const metadata = record['metadata'];
  if (!metadata || typeof metadata !== 'object') return 'record has no metadata';
  const m = metadata as XmlNode;
  const setSpecs = listOf(header['setSpec'])
    .map(textOf)
    .filter((s): s is string => s !== undefined);
  let fields: PaperFields & { arxivId?: string };
  if (m['dc'] && typeof m['dc'] === 'object') fields = readOaiDc(m['dc'] as XmlNode, setSpecs);
  else if (m['arXiv'] && typeof m['arXiv'] === 'object') fields = readArxiv(m['arXiv'] as XmlNode);
  else if (m['arXivRaw'] && typeof m['arXivRaw'] === 'object')
    fields = readArxivRaw(m['arXivRaw'] as XmlNode);
  else {
    const names = Object.keys(m).filter((k) => !k.startsWith('#') && !k.startsWith('@_'));
    return `unsupported metadata format <${names[0] ?? '?'}> (expected oai_dc, arXiv or arXivRaw)`;
  }
  const { arxivId: fromMetadata, ...rest } = fields;
  const arxivId = fromMetadata ?? parseArxivId(textOf(header['identifier']) ?? '')?.id;
  if (!arxivId) return 'record has no arXiv id (neither in the metadata nor in the header identifier)';
  const paper: PaperRecord = {
    kind: 'paper',
    provenance: provenanceAt(SOURCE, ctx, where),
    key: arxivId,
    ...rest,
    ids: { arxiv: arxivId, ...rest.ids },
  };
  return compact(paper);
}

function oaiErrors(text: string): { code: string; message: string }[] {
  const errors: { code: string; message: string }[] = [];
  const re = /<(?:[\w.-]+:)?error\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?error\s*>)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = /\bcode\s*=\s*["']([^"']*)["']/.exec(m[1] ?? '')?.[1] ?? 'unknown';
    errors.push({ code, message: snippet(m[2] ?? '', 200) || '(no message)' });
  }
  return errors;
}

function pagingOf(text: string): PagingInfo | undefined {
  const m = /<(?:[\w.-]+:)?resumptionToken\b([^>]*?)(?:\/>|>([^<]*)<\/(?:[\w.-]+:)?resumptionToken\s*>)/.exec(
    text,
  );
  if (!m) return undefined;
  const paging: PagingInfo = {};
  const size = /\bcompleteListSize\s*=\s*["'](\d+)["']/.exec(m[1] ?? '')?.[1];
  if (size !== undefined) paging.total = Number(size);
  const token = (m[2] ?? '').trim();
  if (token) paging.token = decodeXmlText(token);
  return paging;
}

/** Tokens are opaque, but the XML may escape them (`&amp;`). */
function decodeXmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

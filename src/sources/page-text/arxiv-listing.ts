import { personFromDisplay, splitAuthorList } from '../../domain/names.ts';
import type { PaperRecord } from '../../domain/record.ts';
import type { FormatAdapter, ParseContext, ParseOutput, ParseProblem } from '../format.ts';
import { looksStructured, noPapers, type PageFields, pageLines, pageRecord, sniffLines } from './lines.ts';

/**
 * Text copied from an arXiv author or search listing. The seed page has one `Abstract:` line
 * per paper and nothing else (no titles, no authors). Fuller copies of arXiv listings carry
 * `arXiv:2310.00001`, `Title:` and `Authors:` lines before the abstract; those are read when
 * present. arXiv search results show a cut abstract, `▽ More`, the whole abstract, `△ Less`.
 */

const SOURCE = 'page-arxiv-listing';
const LABEL = 'an arXiv listing (one "Abstract:" line per paper)';
const ABSTRACT = /^Abstract\s?:\s?/;
const LABELLED =
  /^(?:Title|Authors?|Comments?|Subjects?|Journal[- ]ref|Submitted|Report[- ]no|DOI|MSC[- ]class|ACM[- ]class)\s?:?\s/i;
const ARXIV_ID = /^(?:\[\d+\]\s*)?arXiv:(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?\b/;

function cleanAbstract(text: string): string {
  let abstract = text;
  const more = abstract.indexOf('▽ More');
  if (more >= 0) abstract = abstract.slice(more + '▽ More'.length);
  return abstract.replace(/\s*△ Less\s*$/, '').trim();
}

export function parseArxivListing(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  const problems: ParseProblem[] = [];
  const lines = pageLines(text, true);
  let pending: PageFields & { arxiv?: string } = {};
  let current: { lineNo: number; parts: string[]; fields: typeof pending } | undefined;

  const flush = () => {
    if (!current) return;
    const abstract = cleanAbstract(current.parts.join('\n'));
    if (abstract || current.fields.title) {
      const record = pageRecord(SOURCE, ctx, current.lineNo, { ...current.fields, abstract });
      if (current.fields.arxiv) {
        record.ids.arxiv = current.fields.arxiv;
        record.key = current.fields.arxiv;
      }
      records.push(record);
    } else {
      problems.push({
        source: SOURCE,
        origin: ctx.origin,
        locator: `line ${current.lineNo}`,
        message: 'empty abstract',
      });
    }
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const { text: line, lineNo } = lines[i]!;
    if (ABSTRACT.test(line)) {
      flush();
      current = { lineNo, parts: [line.replace(ABSTRACT, '')], fields: pending };
      pending = {};
      continue;
    }
    const id = ARXIV_ID.exec(line);
    if (id) {
      flush();
      pending = { arxiv: id[1]! };
      continue;
    }
    if (/^Title\s?:/i.test(line)) {
      flush();
      pending.title = line.replace(/^Title\s?:\s*/i, '');
      continue;
    }
    if (/^Authors?\s?:/i.test(line)) {
      flush();
      pending.authors = splitAuthorList(line.replace(/^Authors?\s?:\s*/i, '')).map((name) =>
        personFromDisplay(name),
      );
      continue;
    }
    // A hard-wrapped abstract continues until a blank line or a labelled line.
    if (current && line && !LABELLED.test(line) && !ABSTRACT.test(lines[i + 1]?.text ?? '')) {
      current.parts.push(line);
      continue;
    }
    flush();
  }
  flush();
  if (records.length === 0 && problems.length === 0) problems.push(noPapers(SOURCE, ctx, LABEL));
  return { records, problems };
}

export function sniffArxivListing(sample: string): number {
  if (looksStructured(sample)) return 0;
  const lines = sniffLines(sample);
  if (lines.length === 0) return 0;
  const abstracts = lines.filter((l) => ABSTRACT.test(l.text)).length;
  if (abstracts === 0) return 0;
  return Math.min(0.95, 0.6 + 0.35 * (abstracts / lines.length) + 0.02 * abstracts);
}

export const arxivListingPageAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'arXiv listing page (pasted text)',
  sniff: (sample) => sniffArxivListing(sample),
  parse: (text, ctx) => parseArxivListing(text, ctx),
};

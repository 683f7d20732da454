import type { PaperRecord } from '../../domain/record.ts';
import type { FormatAdapter, ParseContext, ParseOutput, ParseProblem } from '../format.ts';
import {
  looksLikeFirstLastList,
  looksLikeProse,
  looksStructured,
  noPapers,
  type PageFields,
  type PageLine,
  pageLines,
  pageProblem,
  pageRecord,
  sniffLines,
  splitFirstLastList,
} from './lines.ts';

/**
 * Text copied from a CatalyzeX author page: a banner about the browser extension, then per
 * paper an author line (`First Last, First Last, …`, with `C. Daniel Freeman`, `JD Co-Reyes`,
 * `Abu Awal Md Shoeb`), the abstract and a `Via` line (the source-link button), separated by
 * blank lines. No titles. Papers are cut at `Via`; inside a paper the lines are told apart by
 * shape, so a missing author line or abstract stays within its own paper.
 */

const SOURCE = 'page-catalyzex';
const LABEL = 'a CatalyzeX author page (authors / abstract / "Via")';
const BANNER = /free (?:extension|add-on)|code for papers (?:anywhere|everywhere)/i;

function isVia(line: string): boolean {
  return /^Via$/i.test(line);
}

/** A single author has no comma: a short line of capitalized words directly before an abstract. */
function isSingleAuthor(line: string): boolean {
  return looksLikeFirstLastList(line, 1) && line.split(' ').length <= 5;
}

function readBlock(
  block: PageLine[],
  ctx: ParseContext,
  records: PaperRecord[],
  problems: ParseProblem[],
): void {
  if (block.length === 0) return;
  const fields: PageFields = {};
  const abstracts: string[] = [];
  const extra: PageLine[] = [];
  for (let i = 0; i < block.length; i++) {
    const line = block[i]!.text;
    const beforeProse = i + 1 < block.length && looksLikeProse(block[i + 1]!.text);
    if (!fields.authors && (looksLikeFirstLastList(line) || (beforeProse && isSingleAuthor(line)))) {
      fields.authors = splitFirstLastList(line);
    } else if (looksLikeProse(line)) {
      abstracts.push(line);
    } else {
      extra.push(block[i]!);
    }
  }
  if (abstracts.length > 0) fields.abstract = abstracts.join('\n\n');
  // A short non-name line ahead of the abstract is a title where the page shows one.
  const title = extra.find((l) => l.lineNo < block[block.length - 1]!.lineNo || !fields.abstract);
  if (title && !fields.abstract && !fields.authors) {
    problems.push(
      pageProblem(SOURCE, ctx, `line ${title.lineNo}`, `not a CatalyzeX paper: "${title.text.slice(0, 80)}"`),
    );
    return;
  }
  if (title) fields.title = title.text;
  if (!fields.abstract && !fields.title) {
    problems.push(pageProblem(SOURCE, ctx, `line ${block[0]!.lineNo}`, 'author line with no abstract'));
    return;
  }
  records.push(pageRecord(SOURCE, ctx, block[0]!.lineNo, fields));
}

export function parseCatalyzexPage(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  const problems: ParseProblem[] = [];
  let block: PageLine[] = [];
  for (const line of pageLines(text)) {
    if (BANNER.test(line.text) && line.text.length < 400) continue;
    if (isVia(line.text)) {
      readBlock(block, ctx, records, problems);
      block = [];
    } else {
      block.push(line);
    }
  }
  readBlock(block, ctx, records, problems);
  if (records.length === 0) problems.push(noPapers(SOURCE, ctx, LABEL));
  return { records, problems };
}

export function sniffCatalyzexPage(sample: string): number {
  if (looksStructured(sample)) return 0;
  const lines = sniffLines(sample);
  const banner = lines.some((l) => BANNER.test(l.text) && l.text.length < 400);
  let via = 0;
  let pairs = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.text;
    if (isVia(line)) via++;
    else if (looksLikeFirstLastList(line) && looksLikeProse(lines[i + 1]?.text ?? '')) pairs++;
  }
  if (via === 0 && pairs === 0) return banner ? 0.3 : 0;
  if (via === 0 && !banner) return Math.min(0.5, 0.2 + 0.1 * pairs);
  return Math.min(0.95, 0.55 + 0.05 * (via + pairs) + (banner ? 0.1 : 0));
}

export const catalyzexPageAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'CatalyzeX author page (pasted text)',
  sniff: (sample) => sniffCatalyzexPage(sample),
  parse: (text, ctx) => parseCatalyzexPage(text, ctx),
};

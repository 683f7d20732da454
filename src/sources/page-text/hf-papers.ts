import type { PaperRecord } from '../../domain/record.ts';
import type { FormatAdapter, ParseContext, ParseOutput } from '../format.ts';
import {
  looksLikeFirstLastList,
  looksLikeLastFirstList,
  looksLikeProse,
  looksStructured,
  noPapers,
  type PageFields,
  pageLines,
  pageRecord,
  sniffLines,
} from './lines.ts';

/**
 * Text copied from a Hugging Face Papers list: the subscribe banner ("Get trending papers in
 * your email inbox once a day!", "… inbox!", a `Subscribe` button whose text runs into the
 * first title: `SubscribeLearning from Imperfect Data…`), then a title line and an abstract
 * line per paper; no authors. The list may be cut after a title. Two papers may share a
 * title prefix ("RegMix: …"): every title line is its own paper.
 */

const SOURCE = 'page-hf-papers';
const LABEL = 'a Hugging Face Papers list (title / abstract lines)';
const BANNER = /^Get trending papers in your email inbox(?: once a day)?!$/i;
const SUBSCRIBE = /^Subscribe(?=[\p{Lu}\p{N}])/u;

function isBanner(line: string): boolean {
  return BANNER.test(line) || line === 'Subscribe';
}

/** A line too short to be prose can still be an abstract when it follows a title and reads as a sentence. */
function isShortAbstract(line: string, current: PageFields | undefined): boolean {
  return !!current?.title && !current.abstract && /[.!?]$/.test(line) && line.split(' ').length >= 12;
}

export function parseHfPapersPage(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  let current: (PageFields & { lineNo: number }) | undefined;
  const flush = () => {
    if (current) records.push(pageRecord(SOURCE, ctx, current.lineNo, current));
    current = undefined;
  };
  let first = true;
  for (const { text: raw, lineNo } of pageLines(text)) {
    if (isBanner(raw)) continue;
    const line = first ? raw.replace(SUBSCRIBE, '') : raw;
    first = false;
    if (looksLikeProse(line) || isShortAbstract(line, current)) {
      if (current?.abstract) flush();
      current ??= { lineNo };
      current.abstract = line;
    } else {
      flush();
      current = { lineNo, title: line };
    }
  }
  flush();
  const problems = records.length === 0 ? [noPapers(SOURCE, ctx, LABEL)] : [];
  return { records, problems };
}

export function sniffHfPapersPage(sample: string): number {
  if (looksStructured(sample)) return 0;
  const lines = sniffLines(sample);
  const banner = lines.some((l) => BANNER.test(l.text));
  const content = lines.filter((l) => !isBanner(l.text));
  let pairs = 0;
  let names = 0;
  for (let i = 0; i < content.length; i++) {
    const line = content[i]!.text;
    if (
      looksLikeLastFirstList(line) ||
      looksLikeFirstLastList(line) ||
      line === 'Via' ||
      /^Abstract\s?:/.test(line)
    ) {
      names++;
      continue;
    }
    const next = content[i + 1]?.text;
    if (next !== undefined && !looksLikeProse(line) && looksLikeProse(next)) pairs++;
  }
  if (names > pairs) return banner ? 0.3 : 0;
  // A page of papers is nearly all title/abstract pairs; an ordinary document is not.
  const coverage = (pairs * 2) / Math.max(1, content.length);
  if (pairs === 0 || (pairs < 2 && !banner) || coverage < 0.6) return banner ? 0.4 : 0;
  return Math.min(0.9, 0.5 + 0.05 * pairs + (banner ? 0.2 : 0));
}

export const hfPapersPageAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'Hugging Face Papers list (pasted text)',
  sniff: (sample) => sniffHfPapersPage(sample),
  parse: (text, ctx) => parseHfPapersPage(text, ctx),
};

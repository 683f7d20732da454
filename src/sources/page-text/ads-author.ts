import { splitLastFirstList } from '../../domain/names.ts';
import type { PaperRecord } from '../../domain/record.ts';
import type { FormatAdapter, ParseContext, ParseOutput, ParseProblem } from '../format.ts';
import {
  looksLikeLastFirstList,
  looksLikeProse,
  looksStructured,
  noPapers,
  type PageFields,
  type PageLine,
  pageLines,
  pageProblem,
  pageRecord,
  sniffLines,
} from './lines.ts';

/**
 * Text copied from a NASA ADS author page: a few lines of page furniture (the empty metrics
 * plot, the author's own name as `Xiao, Lechao`), then per paper a title line, an author line
 * in ADS form (`Last, First, Last, First, …`) and an abstract line. Lines are told apart by
 * shape, so a paper with no abstract or no author line does not shift the papers after it.
 */

const SOURCE = 'page-ads-author';
const LABEL = 'a NASA ADS author page (title / "Last, First" authors / abstract)';
const FURNITURE = new Set(['not enough data to create a plot.', 'try a different view from the menu above.']);

type Role = 'title' | 'authors' | 'abstract';

function roleOf(line: string): Role {
  if (looksLikeLastFirstList(line)) return 'authors';
  if (looksLikeProse(line)) return 'abstract';
  return 'title';
}

function isFurniture(line: string): boolean {
  return FURNITURE.has(line.toLowerCase());
}

interface Group extends PageFields {
  lineNo: number;
}

export function parseAdsAuthorPage(text: string, ctx: ParseContext): ParseOutput {
  const records: PaperRecord[] = [];
  const problems: ParseProblem[] = [];
  let current: Group | undefined;
  let seenTitle = false;

  const flush = () => {
    const group = current;
    current = undefined;
    if (!group) return;
    if (group.title || group.abstract) {
      records.push(pageRecord(SOURCE, ctx, group.lineNo, group));
    } else if (seenTitle) {
      problems.push(
        pageProblem(SOURCE, ctx, `line ${group.lineNo}`, 'author line with no title or abstract'),
      );
    }
    // Before the first title, a lone author line is the page's own heading (the author's name).
  };

  for (const { text: line, lineNo } of pageLines(text) as PageLine[]) {
    if (isFurniture(line)) continue;
    const role = roleOf(line);
    if (role === 'title') {
      flush();
      current = { lineNo, title: line };
      seenTitle = true;
    } else if (role === 'authors') {
      if (current?.authors || current?.abstract) flush();
      current ??= { lineNo };
      current.authors = splitLastFirstList(line);
    } else {
      if (current?.abstract) flush();
      current ??= { lineNo };
      current.abstract = line;
    }
  }
  flush();
  if (records.length === 0) problems.push(noPapers(SOURCE, ctx, LABEL));
  return { records, problems };
}

export function sniffAdsAuthorPage(sample: string): number {
  if (looksStructured(sample)) return 0;
  const lines = sniffLines(sample);
  const furniture = lines.some((l) => isFurniture(l.text));
  const roles = lines.filter((l) => !isFurniture(l.text)).map((l) => roleOf(l.text));
  let pairs = 0;
  for (let i = 0; i + 1 < roles.length; i++) {
    if (roles[i] === 'authors' && roles[i + 1] === 'abstract') pairs++;
  }
  if (pairs === 0) return furniture ? 0.3 : 0;
  return Math.min(0.95, 0.55 + 0.1 * pairs + (furniture ? 0.1 : 0));
}

export const adsAuthorPageAdapter: FormatAdapter = {
  format: SOURCE,
  label: 'NASA ADS author page (pasted text)',
  sniff: (sample) => sniffAdsAuthorPage(sample),
  parse: (text, ctx) => parseAdsAuthorPage(text, ctx),
};

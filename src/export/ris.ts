import { isGroupName } from '../domain/names.ts';
import type { Paper } from '../domain/paper.ts';
import { abstractOf, citationKeys, dateParts, landingUrl, nameParts, yearOf } from './common.ts';

/**
 * RIS for merged papers, in the shape Zotero writes and reads: `TY` first, `ER` last, one
 * value per line, authors `Family, Given`. arXiv preprints are `UNPB` with the id in `UR` and `AN`.
 */

/** RIS values are one line each. */
function one(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function recordOf(paper: Paper, key: string): string {
  const lines: string[] = [];
  const add = (tag: string, value: string | undefined) => {
    if (value !== undefined && one(value) !== '') lines.push(`${tag}  - ${one(value)}`);
  };
  const venue = paper.venue ?? paper.journalRef;
  add('TY', venue ? 'JOUR' : paper.ids.arxiv ? 'UNPB' : 'GEN');
  add('ID', key);
  add('TI', paper.title);
  for (const a of paper.authors) {
    const { family, given } = nameParts(a.name);
    // RIS has no escape for a comma inside a name part. A family name of several words
    // written alone gets a trailing comma (`Xiao Lechao,`) so it is not split into given + family.
    const fam = family.replace(/,/g, ' ');
    if (given) add('AU', `${fam}, ${given.replace(/,/g, ' ')}`);
    else add('AU', /\s/.test(fam.trim()) && !isGroupName(fam) ? `${fam},` : fam);
  }
  const year = yearOf(paper);
  add('PY', year !== undefined ? String(year) : undefined);
  const parts = dateParts(paper);
  if (parts && parts.length === 3) add('DA', parts.map((p) => String(p).padStart(2, '0')).join('/'));
  add('T2', venue);
  add('DO', paper.ids.doi);
  if (paper.ids.arxiv) add('AN', `arXiv:${paper.ids.arxiv}`);
  add('UR', landingUrl(paper));
  add('AB', abstractOf(paper));
  for (const c of paper.categories) add('KW', c);
  lines.push('ER  - ');
  return lines.join('\n');
}

export function formatRis(papers: Paper[]): string {
  const keys = citationKeys(papers);
  return papers.map((p, i) => `${recordOf(p, keys[i]!)}\n`).join('\n');
}

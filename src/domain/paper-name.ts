import type { Paper } from './paper.ts';

const OPENING_CHARS = 90;

/**
 * The first words of a paper's abstract, cut at a word and ended with "…": how a paper that no
 * source has titled yet is named. Pasted pages such as an arXiv author listing carry abstracts
 * only; "paper 274" or ten "(untitled)" in a row tell a reader nothing.
 */
export function abstractOpening(
  paper: Pick<Paper, 'abstractText'>,
  maxChars = OPENING_CHARS,
): string | undefined {
  const text = paper.abstractText?.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > maxChars / 2 ? cut.slice(0, atWord) : cut).replace(/[,;:.]$/, '')}…`;
}

/**
 * A paper's name in a list (pages, feeds): its title, or until a source gives one
 * `(untitled) “the opening of its abstract…”`, so that untitled papers can be told apart.
 */
export function listedTitle(paper: Pick<Paper, 'title' | 'abstractText'>): string {
  if (paper.title) return paper.title;
  const opening = abstractOpening(paper);
  return opening ? `(untitled) “${opening}”` : '(untitled)';
}

/** `“Title”`, or for an untitled paper `the paper that begins “…”`: for reasons such as "like …". */
export function quotedPaperName(paper: Pick<Paper, 'id' | 'title' | 'abstractText'>): string {
  if (paper.title) return `“${paper.title}”`;
  const opening = abstractOpening(paper);
  return opening ? `the paper that begins “${opening}”` : `paper ${paper.id}`;
}

import { cleanText, type TokenizeOptions, tokenize } from './tokenize.ts';

/** What similarity reads of a paper: a `Paper` fits. */
export interface SimilarityInput {
  id: number;
  title?: string;
  abstractText?: string;
  authors?: readonly { name: { display: string } }[];
}

export interface DocumentOptions extends TokenizeOptions {
  /** Title terms count this many times (a title is the author's own summary). Default 2. */
  titleWeight?: number;
  /** Add each author as one whole-name term (`author:lechao xiao`). Default true. */
  authorTerms?: boolean;
}

export const AUTHOR_PREFIX = 'author:';

/** The weighted terms of a paper's title, abstract and authors. */
export function documentTerms(
  paper: SimilarityInput,
  options: DocumentOptions = {},
): {
  terms: string[];
  weights: number[];
} {
  const terms: string[] = [];
  const weights: number[] = [];
  const titleWeight = options.titleWeight ?? 2;
  for (const t of tokenize(paper.title ?? '', options)) {
    terms.push(t);
    weights.push(titleWeight);
  }
  for (const t of tokenize(paper.abstractText ?? '', options)) {
    terms.push(t);
    weights.push(1);
  }
  if (options.authorTerms ?? true) {
    for (const a of paper.authors ?? []) {
      const key = authorKey(a.name.display);
      if (key) {
        terms.push(AUTHOR_PREFIX + key);
        weights.push(1);
      }
    }
  }
  return { terms, weights };
}

/** "Xiao, Lechao" and "Lechao Xiao" give the same key: folded words, family name last. */
export function authorKey(display: string): string {
  const comma = display.indexOf(',');
  const ordered = comma >= 0 ? `${display.slice(comma + 1)} ${display.slice(0, comma)}` : display;
  return cleanText(ordered)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .join(' ');
}

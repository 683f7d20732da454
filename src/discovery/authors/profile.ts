import type { Paper } from '../../domain/paper.ts';
import { tokenize } from '../similar/tokenize.ts';

/**
 * The parts of an author's profile computed from their papers: pure functions, no IO.
 * The store gives the papers, and the document frequencies of the whole corpus.
 */

export const PAPER_SORTS = ['date', 'title', 'coauthors'] as const;
export type PaperSort = (typeof PAPER_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** What papers are sorted on: read from the store's columns, without parsing each paper. */
export interface SortablePaper {
  id: number;
  title?: string | undefined;
  published?: string | undefined;
  year?: number | undefined;
  /** How many people wrote it with the author. */
  coauthors: number;
}

/**
 * `localeCompare(…, 'en', { sensitivity: 'base', numeric: true })`, made once: called with
 * options, localeCompare builds a collator on every comparison (a tenth of a second to sort a
 * prolific author's two thousand papers).
 */
export const TEXT_ORDER = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Undated papers and untitled ones go last whichever the direction: they are the least useful to scan. */
export function sortPapers<P extends SortablePaper>(
  papers: readonly P[],
  sort: PaperSort,
  direction: SortDirection,
): P[] {
  const sign = direction === 'asc' ? 1 : -1;
  const keyed = papers.map((paper) => ({ paper, key: sortKey(paper, sort) }));
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.paper.id - b.paper.id;
      return a.key === undefined ? 1 : -1;
    }
    const order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : TEXT_ORDER.compare(String(a.key), String(b.key));
    return order !== 0 ? sign * order : a.paper.id - b.paper.id;
  });
  return keyed.map((k) => k.paper);
}

function sortKey(paper: SortablePaper, sort: PaperSort): string | number | undefined {
  switch (sort) {
    case 'date':
      return (
        paper.published ?? (paper.year === undefined || paper.year === null ? undefined : String(paper.year))
      );
    case 'title':
      return paper.title?.trim() || undefined;
    case 'coauthors':
      return paper.coauthors;
  }
}

export interface CategoryCount {
  category: string;
  count: number;
}

/** arXiv's own names (`cs.LG`, `math`, `hep-th`), not MSC codes or the long names OAI `dc:subject` adds. */
const ARXIV_CATEGORY = /^[a-z][a-z-]*(\.[A-Za-z-]+)?$/;

/** Categories with the number of the person's papers in each, best first: arXiv's when there are any. */
export function rankCategories(paperCounts: ReadonlyMap<string, number>, limit = 10): CategoryCount[] {
  const counts = new Map(paperCounts);
  const arxiv = [...counts.keys()].filter((c) => ARXIV_CATEGORY.test(c));
  if (arxiv.length > 0) for (const c of [...counts.keys()]) if (!ARXIV_CATEGORY.test(c)) counts.delete(c);
  return [...counts]
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, limit);
}

export interface TermUse {
  /** Occurrences across the person's titles and abstracts. */
  count: number;
  /** How many of their papers use it. */
  papers: number;
}

/** Words of the person's titles and abstracts (stop words, mathematics and LaTeX left out). */
export function termUses(papers: readonly Pick<Paper, 'title' | 'abstractText'>[]): Map<string, TermUse> {
  const uses = new Map<string, TermUse>();
  for (const p of papers) {
    const terms = tokenize(`${p.title ?? ''} . ${p.abstractText ?? ''}`);
    const seen = new Set<string>();
    for (const t of terms) {
      const u = uses.get(t) ?? { count: 0, papers: 0 };
      u.count++;
      if (!seen.has(t)) {
        u.papers++;
        seen.add(t);
      }
      uses.set(t, u);
    }
  }
  return uses;
}

/** A number glued to a word, left where TeX was flattened to text (`$1\over 2$` → `1over`). */
const LATEX_RESIDUE = /^\d+[a-z]{3,}$/;

/**
 * The terms worth asking the corpus about: with three papers or more, a word in only one of
 * them says more about that paper than about the person.
 */
export function candidateTerms(uses: ReadonlyMap<string, TermUse>, paperCount: number, max = 400): string[] {
  const minPapers = paperCount >= 3 ? 2 : 1;
  return [...uses]
    .filter(([t, u]) => u.papers >= minPapers && !LATEX_RESIDUE.test(t))
    .sort((a, b) => b[1].papers - a[1].papers || b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([t]) => t);
}

export interface DistinctiveTerm {
  term: string;
  /** tf-idf: (1 + ln count) × (ln((1 + N) / (1 + df)) + 1), the weighting of the similar-papers model. */
  score: number;
  papers: number;
}

/**
 * Terms that set this person apart from the corpus: sublinear frequency in their own titles
 * and abstracts, times the smoothed inverse document frequency over all papers. A term the
 * corpus does not know counts as in one document (the person's).
 */
export function distinctiveTerms(
  uses: ReadonlyMap<string, TermUse>,
  terms: readonly string[],
  documentFrequency: ReadonlyMap<string, number>,
  corpusSize: number,
  limit = 15,
): DistinctiveTerm[] {
  const n = Math.max(1, corpusSize);
  const scored: DistinctiveTerm[] = [];
  for (const term of terms) {
    const use = uses.get(term);
    if (!use) continue;
    const df = Math.min(n, Math.max(1, documentFrequency.get(term) ?? 1));
    const idf = Math.log((1 + n) / (1 + df)) + 1;
    scored.push({ term, score: (1 + Math.log(use.count)) * idf, papers: use.papers });
  }
  return scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1)).slice(0, limit);
}

export interface SourceCount {
  source: string;
  papers: number;
}

export interface CoauthorNetwork {
  /** The closest co-authors, most papers together first. */
  nodes: { id: number; name: string; papers: number }[];
  /** Pairs of those co-authors who are on the same papers of this person, and on how many. */
  links: { a: number; b: number; papers: number }[];
}

/**
 * The person's closest co-authors and which of them work together (on this person's papers):
 * enough to draw who collaborates with whom without reading anyone else's papers.
 */
export function coauthorNetwork(
  papers: readonly Pick<Paper, 'authors'>[],
  self: number,
  top = 12,
): CoauthorNetwork {
  const counts = new Map<number, { name: string; papers: number }>();
  for (const p of papers) {
    const seen = new Set<number>();
    for (const a of p.authors) {
      if (a.authorId === undefined || a.authorId === self || seen.has(a.authorId)) continue;
      seen.add(a.authorId);
      const c = counts.get(a.authorId) ?? { name: a.name.display, papers: 0 };
      c.papers++;
      counts.set(a.authorId, c);
    }
  }
  const nodes = [...counts]
    .map(([id, c]) => ({ id, name: c.name, papers: c.papers }))
    .sort((a, b) => b.papers - a.papers || a.name.localeCompare(b.name) || a.id - b.id)
    .slice(0, top);
  const chosen = new Set(nodes.map((n) => n.id));
  const pairs = new Map<string, { a: number; b: number; papers: number }>();
  for (const p of papers) {
    const ids = [
      ...new Set(
        p.authors.flatMap((a) => (a.authorId !== undefined && chosen.has(a.authorId) ? [a.authorId] : [])),
      ),
    ].sort((x, y) => x - y);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const key = `${ids[i]}:${ids[j]}`;
        const link = pairs.get(key) ?? { a: ids[i]!, b: ids[j]!, papers: 0 };
        link.papers++;
        pairs.set(key, link);
      }
    }
  }
  let links = [...pairs.values()].sort((x, y) => x.a - y.a || x.b - y.b);
  // One paper with forty authors joins everyone to everyone: then only repeated work counts.
  if (links.length > 2 * nodes.length) links = links.filter((l) => l.papers >= 2);
  return { nodes, links };
}

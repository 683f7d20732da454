/**
 * Search addresses built from a query: facet links add one filter to what was typed, sort and
 * paging links keep it. Pure, so the page and its tests agree on what a link asks for.
 */

export type SearchSortParam = 'relevance' | 'date';

export interface SearchParams {
  q: string;
  sort?: SearchSortParam;
  page?: number;
}

export function searchHref({ q, sort, page }: SearchParams): string {
  const params = new URLSearchParams({ q });
  if (sort && sort !== 'relevance') params.set('sort', sort);
  if (page && page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

/** A value as a quoted phrase of the query language (`\"` and `\\` escaped). */
export function quoteValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `query` narrowed by `filter`. A query with a top-level OR is put in parentheses first, or the
 * filter would bind to its last alternative only (`a OR b year:2020` is `a OR (b year:2020)`).
 * A filter already present is not added twice.
 */
export function addFilter(query: string, filter: string): string {
  const q = query.trim();
  if (!q) return filter;
  if (hasTerm(q, filter)) return q;
  const base = /(^|\s)OR(\s|$)/.test(q) ? `(${q})` : q;
  return `${base} ${filter}`;
}

/** Whether `filter` stands in `query` as a term of its own (not inside another word). */
export function hasTerm(query: string, filter: string): boolean {
  let from = 0;
  for (;;) {
    const at = query.indexOf(filter, from);
    if (at < 0) return false;
    const before = at === 0 ? ' ' : query[at - 1]!;
    const after = query[at + filter.length] ?? ' ';
    if (/[\s(]/.test(before) && /[\s)]/.test(after)) return true;
    from = at + 1;
  }
}

export const facetFilters = {
  year: (year: number) => `year:${year}`,
  category: (category: string) => `cat:${category}`,
  author: (name: string) => `author:${quoteValue(name)}`,
  hasCode: () => 'has:code',
};

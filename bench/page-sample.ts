import type Database from 'better-sqlite3';

/**
 * What the page benchmarks (bench:pages, bench:server-memory) ask a server for: addresses of
 * each page kind drawn from the store with a seeded generator, so that two runs on one store
 * ask the same pages in the same order. Shared so that both measure the same traffic.
 */

/** xorshift32: the same numbers for the same seed, on every machine. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export const round = (ms: number) => Math.round(ms * 10) / 10;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `n` of `items` in a random order (a partial Fisher–Yates shuffle of a copy). */
export function pick<T>(items: readonly T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Queries from the store's own words: a rare and a common title word, a phrase, author + year, NOT. */
export function searchQueries(db: Database.Database, random: () => number, n: number): string[] {
  const rows = db
    .prepare('SELECT title, year FROM papers WHERE title IS NOT NULL AND id % 997 = 0 LIMIT 2000')
    .all() as { title: string; year: number | null }[];
  const authors = db
    .prepare('SELECT display_name FROM authors WHERE id % 991 = 0 LIMIT 500')
    .pluck()
    .all() as string[];
  const words = rows.flatMap((r) => r.title.toLowerCase().match(/[a-z]{5,}/g) ?? []);
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const common = byFrequency.slice(0, 20);
  const rare = byFrequency.slice(-200);
  const queries: string[] = [];
  for (let i = 0; queries.length < n; i++) {
    const row = rows[Math.floor(random() * rows.length)]!;
    const titleWords = row.title.split(/\s+/).filter((w) => /^[A-Za-z]{4,}$/.test(w));
    switch (i % 5) {
      case 0:
        queries.push(rare[Math.floor(random() * rare.length)]!);
        break;
      case 1:
        queries.push(common[Math.floor(random() * common.length)]!);
        break;
      case 2:
        if (titleWords.length >= 2) queries.push(`"${titleWords.slice(0, 2).join(' ')}"`);
        break;
      case 3:
        queries.push(`author:"${authors[Math.floor(random() * authors.length)]}" year:2015-`);
        break;
      case 4:
        queries.push(
          `${common[Math.floor(random() * common.length)]} -${common[Math.floor(random() * common.length)]}`,
        );
        break;
    }
  }
  return queries;
}

export interface PageKind {
  kind: 'home' | 'paper' | 'author' | 'search';
  paths: string[];
}

/**
 * `sample` addresses of each kind: home (the latest listing, categories' listings and a
 * category on its latest day), papers by arXiv id, authors with papers, and searches.
 */
export function samplePages(db: Database.Database, random: () => number, sample: number): PageKind[] {
  const arxivIds = db
    .prepare("SELECT value FROM paper_keys WHERE kind = 'arxiv' AND paper_id % 97 = 0 LIMIT 20000")
    .pluck()
    .all() as string[];
  const authorIds = db
    .prepare('SELECT DISTINCT author_id FROM paper_authors WHERE paper_id % 89 = 0 LIMIT 20000')
    .pluck()
    .all() as number[];
  const homePaths = (
    db
      .prepare(
        `SELECT category, max(published) AS latest FROM paper_categories
         WHERE category IN (SELECT category FROM paper_categories WHERE paper_id % 101 = 0 LIMIT 5000)
         GROUP BY category`,
      )
      .all() as { category: string; latest: string }[]
  ).flatMap((r) => [
    `/?cat=${encodeURIComponent(r.category)}`,
    `/?cat=${encodeURIComponent(r.category)}&day=${r.latest.slice(0, 10)}`,
  ]);
  return [
    { kind: 'home', paths: ['/', ...pick(homePaths, sample - 1, random)] },
    { kind: 'paper', paths: pick(arxivIds, sample, random).map((id) => `/paper/${encodeURIComponent(id)}`) },
    { kind: 'author', paths: pick(authorIds, sample, random).map((id) => `/author/${id}`) },
    {
      kind: 'search',
      paths: searchQueries(db, random, sample).map((q) => `/search?q=${encodeURIComponent(q)}`),
    },
  ];
}

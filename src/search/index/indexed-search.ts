import { ftsOf } from '../engine/compile.ts';
import {
  FACET_SIZE,
  readRequest,
  type SearchFacets,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
  type SearchSort,
} from '../engine/search.ts';
import type { PhraseNode, QueryNode, TermNode } from '../query/index.ts';
import { type Bits, countBits, forEachBit, hasBit } from './bitset.ts';
import { FLAG_CODE, NO_YEAR } from './doc-table.ts';
import { type Directory, Evaluator, rankingLeaves } from './evaluate.ts';
import type { SearchIndex } from './search-index.ts';
import { TopK } from './top-k.ts';

/** What a search needs from the store beyond the index: whole papers for the page, names for facets. */
export interface HitSource {
  hit(id: number, score: number, textLeaves: (TermNode | PhraseNode)[]): SearchHit;
  /** Display names of these authors. */
  authorNames(ids: number[]): Map<number, string>;
}

/** A search before the papers are read: ids, scores, total and facets. */
export interface RankedResult {
  total: number;
  ids: number[];
  scores: number[];
  facets: SearchFacets;
  query: QueryNode;
  textLeaves: (TermNode | PhraseNode)[];
}

const K1 = 1.2;
const B = 0.75;

/**
 * The query language answered from our own index: sets of papers as bit arrays, BM25 over
 * title, abstract and authors with FTS5's formula and weights (so scores and order equal the
 * SQLite engine's), facets counted from flat arrays. Only the page's papers are read from
 * the store. `beforeSearch` lets the owner bring the index up to date first.
 */
export class IndexedSearch {
  private scores = new Float64Array(0);
  private authorCounts = new Int32Array(0);

  constructor(
    readonly index: SearchIndex,
    private readonly directory: Directory,
    private readonly source: HitSource,
    private readonly beforeSearch: () => void = () => {},
    /** Rows and tokens BM25 divides by; the index's own live counts unless told otherwise. */
    private readonly statistics?: () => { rows: number; tokens: number } | undefined,
  ) {}

  private totals(): { rows: number; avgdl: number } {
    const given = this.statistics?.();
    const rows = given?.rows ?? this.index.docs.live;
    const tokens = given?.tokens ?? this.index.text.tokens;
    return { rows, avgdl: tokens / Math.max(rows, 1) };
  }

  search(req: SearchRequest): SearchResult {
    const ranked = this.rank(req);
    return {
      total: ranked.total,
      hits: ranked.ids.map((id, i) => this.source.hit(id, ranked.scores[i]!, ranked.textLeaves)),
      facets: ranked.facets,
      query: ranked.query,
    };
  }

  /** Everything but reading the papers: what the benchmark times against other engines. */
  rank(req: SearchRequest): RankedResult {
    const { limit, offset, sort, parsed } = readRequest(req);
    this.beforeSearch();
    const evaluator = new Evaluator(this.index.docs, this.index.text, this.directory);
    const matched = evaluator.evaluate(parsed);
    const total = countBits(matched);
    const textLeaves = rankingLeaves(parsed);
    const { ids, scores } =
      total > offset
        ? this.page(matched, evaluator, textLeaves, sort, Math.min(offset + limit, total))
        : { ids: [], scores: [] };
    return {
      total,
      ids: ids.slice(offset),
      scores: scores.slice(offset),
      facets: this.facets(matched, total),
      query: parsed,
      textLeaves,
    };
  }

  private page(
    matched: Bits,
    evaluator: Evaluator,
    textLeaves: (TermNode | PhraseNode)[],
    sort: SearchSort,
    k: number,
  ): { ids: number[]; scores: number[] } {
    const { docs } = this.index;
    const sortKey = docs.sortKey;
    if (textLeaves.length === 0 || sort === 'date') {
      // Without text, or by date: newest first, scores as the SQLite engine gives them.
      const top = new TopK(k);
      forEachBit(matched, (d) => top.offer(d, 0, sortKey[d]!));
      const ids = top.sorted();
      const scores =
        textLeaves.length === 0 ? ids.map(() => 0) : ids.map((d) => this.scoreOf(d, evaluator, textLeaves));
      return { ids, scores };
    }
    if (this.scores.length < docs.size) this.scores = new Float64Array(docs.size);
    const acc = this.scores;
    const touched: number[] = [];
    const { rows, avgdl } = this.totals();
    for (const key of new Set(textLeaves.map(ftsOf))) {
      const m = evaluator.textMatches.get(key)!;
      const idf = idfOf(rows, m.docs.length);
      const length = docs.length;
      for (let i = 0; i < m.docs.length; i++) {
        const d = m.docs[i]!;
        if (!hasBit(matched, d)) continue;
        const f = m.freq[i]!;
        if (acc[d] === 0) touched.push(d);
        acc[d]! += idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * length[d]!) / avgdl)));
      }
    }
    const top = new TopK(k);
    for (const d of touched) top.offer(d, acc[d]!, sortKey[d]!);
    const ids = top.sorted();
    const scores = ids.map((d) => acc[d]!);
    if (ids.length < k) {
      // Papers that matched through filters alone come after the ranked ones, newest first.
      const rest = new TopK(k - ids.length);
      forEachBit(matched, (d) => {
        if (acc[d] === 0) rest.offer(d, 0, sortKey[d]!);
      });
      for (const d of rest.sorted()) {
        ids.push(d);
        scores.push(0);
      }
    }
    for (const d of touched) acc[d] = 0;
    return { ids, scores };
  }

  /** One paper's BM25 score (for a page sorted by date). */
  private scoreOf(d: number, evaluator: Evaluator, textLeaves: (TermNode | PhraseNode)[]): number {
    const { docs } = this.index;
    const { rows, avgdl } = this.totals();
    let score = 0;
    for (const key of new Set(textLeaves.map(ftsOf))) {
      const m = evaluator.textMatches.get(key)!;
      const i = indexOf(m.docs, d);
      if (i < 0) continue;
      const f = m.freq[i]!;
      score +=
        idfOf(rows, m.docs.length) * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * docs.length[d]!) / avgdl)));
    }
    return score;
  }

  private facets(matched: Bits, total: number): SearchFacets {
    const { docs } = this.index;
    const years = new Map<number, number>();
    const cats = new Int32Array(docs.categories.length);
    let hasCode = 0;
    const touchedAuthors: number[] = [];
    let counts = this.authorCounts;
    const year = docs.year;
    const flags = docs.flags;
    forEachBit(matched, (d) => {
      const y = year[d]!;
      if (y !== NO_YEAR) years.set(y, (years.get(y) ?? 0) + 1);
      if (flags[d]! & FLAG_CODE) hasCode++;
      for (const c of docs.categoryIdsOf(d)) cats[c]!++;
      const authors = docs.authorIdsOf(d);
      for (let i = 0; i < authors.length; i++) {
        const a = authors[i]!;
        // A person twice on one paper counts once.
        if (authors.indexOf(a) !== i) continue;
        if (a >= counts.length) {
          const bigger = new Int32Array(Math.max(a + 1, counts.length * 2, 1024));
          bigger.set(counts);
          this.authorCounts = counts = bigger;
        }
        if (counts[a] === 0) touchedAuthors.push(a);
        counts[a]!++;
      }
    });
    const categories = [...cats.keys()]
      .filter((c) => cats[c]! > 0)
      .map((c) => ({ value: docs.categories[c]!, count: cats[c]! }))
      .sort((a, b) => b.count - a.count || compareText(a.value, b.value))
      .slice(0, FACET_SIZE);
    const authors = this.topAuthors(touchedAuthors, counts);
    for (const a of touchedAuthors) counts[a] = 0;
    void total;
    return {
      years: [...years].map(([value, count]) => ({ value, count })).sort((a, b) => b.value - a.value),
      categories,
      authors,
      hasCode,
    };
  }

  /** The 20 most frequent people, ties by name then id, reading names only for those in reach. */
  private topAuthors(touched: number[], counts: Int32Array): SearchFacets['authors'] {
    if (touched.length === 0) return [];
    const byCount = touched.slice().sort((a, b) => counts[b]! - counts[a]!);
    const cut = counts[byCount[Math.min(FACET_SIZE, byCount.length) - 1]!]!;
    const inReach = byCount.filter((a) => counts[a]! >= cut);
    const names = this.source.authorNames(inReach);
    return inReach
      .map((id) => ({ id, name: names.get(id) ?? '', count: counts[id]! }))
      .sort((a, b) => b.count - a.count || compareText(a.name, b.name) || a.id - b.id)
      .slice(0, FACET_SIZE);
  }
}

/** FTS5's IDF: never below a tiny positive number, so every match adds something. */
function idfOf(rows: number, hits: number): number {
  const idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

function indexOf(sorted: Int32Array, d: number): number {
  for (let i = 0; i < sorted.length; i++) if (sorted[i] === d) return i;
  return -1;
}

/** SQLite's BINARY collation: UTF-8 bytes, which for these strings is code point order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

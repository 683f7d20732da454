import { ftsOf } from '../engine/compile.ts';
import {
  FACET_SAMPLE,
  FACET_SIZE,
  readRequest,
  type SearchFacets,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
  type SearchSort,
} from '../engine/search.ts';
import { formatQuery, type PhraseNode, type QueryNode, type TermNode } from '../query/index.ts';
import { type Bits, countBits, forEachBit, hasBit, popcount32 } from './bitset.ts';
import { FLAG_CODE, NO_YEAR } from './doc-table.ts';
import { type Directory, Evaluator, HOT, leafKey, rankingLeaves, type TextMatches } from './evaluate.ts';
import type { SearchIndex } from './search-index.ts';
import { spellingAlternatives } from './spelling.ts';
import { terms } from './tokenize.ts';
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
  corrected?: string;
}

/** How many of a common leaf's best papers are kept in order. */
const HEAD = 1000;
/**
 * Common words and phrases whose best papers and facets are kept (about 20 KB each, so 20 MB
 * at most): a search for one of them alone is then answered without decoding it.
 */
const KEPT_ANSWERS = 1024;
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
  /** Per person, the stamp (stampBase + sample number) of the last paper counted for them. */
  private authorLastSeen = new Int32Array(0);
  private stampBase = 0;
  private readonly heads = new Map<
    string,
    { ids: number[]; scores: number[]; total: number; generation: number; rows: number; avgdl: number }
  >();

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
    const result: SearchResult = {
      total: ranked.total,
      hits: ranked.ids.map((id, i) => this.source.hit(id, ranked.scores[i]!, ranked.textLeaves)),
      facets: ranked.facets,
      query: ranked.query,
    };
    if (ranked.corrected !== undefined) result.corrected = ranked.corrected;
    return result;
  }

  /** Everything but reading the papers: what the benchmark times against other engines. */
  rank(req: SearchRequest): RankedResult {
    const { limit, offset, sort, parsed } = readRequest(req);
    this.beforeSearch();
    const asTyped = this.rankTree(parsed, limit, offset, sort);
    if (asTyped.total > 0 || req.correct === false) return asTyped;
    for (const fixed of spellingAlternatives(parsed, this.index.text)) {
      const ranked = this.rankTree(fixed, limit, offset, sort);
      if (ranked.total > 0) return { ...ranked, query: parsed, corrected: formatQuery(fixed) };
    }
    return asTyped;
  }

  /**
   * Keep one indexed word decoded, with its best papers and its facets, as a search for the
   * word alone leaves them (a warm-up's step, ahead of the first search). Returns how many
   * papers it matches.
   */
  warmWord(term: string): number {
    this.beforeSearch();
    const spelt = terms(term);
    if (spelt.length !== 1 || spelt[0] !== term) {
      // A stem no query spells as itself: its postings only (a search for any word with this
      // stem finds them kept).
      return new Evaluator(this.index.docs, this.index.text, this.directory).keepWord(term).docs.length;
    }
    return this.rankTree({ kind: 'term', text: term, normalized: term }, 20, 0, 'relevance').total;
  }

  /**
   * Keep what a search for one indexed word alone answers (its count, best papers and facets,
   * about 20 KB) without keeping its decoded postings: a warm-up's step for the words past its
   * budget for whole leaves. False when the word is not one a query spells as itself.
   */
  warmAnswer(term: string): boolean {
    this.beforeSearch();
    const spelt = terms(term);
    if (spelt.length !== 1 || spelt[0] !== term) return false;
    this.rankTree({ kind: 'term', text: term, normalized: term }, 20, 0, 'relevance', false);
    return true;
  }

  /** How many more answers of one common word or phrase can be kept. */
  get answerRoom(): number {
    return KEPT_ANSWERS - this.heads.size;
  }

  /**
   * A query that is one common word or phrase whose count, best papers and facets are kept (an
   * earlier search for it, or the warm-up): the page from them, nothing decoded.
   */
  private keptAnswer(
    parsed: QueryNode,
    limit: number,
    offset: number,
    sort: SearchSort,
  ): RankedResult | undefined {
    if ((parsed.kind !== 'term' && parsed.kind !== 'phrase') || sort !== 'relevance') return undefined;
    const key = leafKey(parsed);
    const head = this.heads.get(key);
    const facets = this.leafFacets.get(key);
    const generation = this.index.docs.generation;
    if (!head || !facets || head.generation !== generation || facets.generation !== generation)
      return undefined;
    const { rows, avgdl } = this.totals();
    if (head.rows !== rows || head.avgdl !== avgdl) return undefined;
    const end = Math.min(offset + limit, head.total);
    if (end > head.ids.length) return undefined;
    const f = facets.facets;
    return {
      total: head.total,
      ids: head.ids.slice(offset, end),
      scores: head.scores.slice(offset, end),
      facets: { ...f, years: [...f.years], categories: [...f.categories], authors: [...f.authors] },
      query: parsed,
      textLeaves: rankingLeaves(parsed),
    };
  }

  /** One indexed word's set as a phrase reads it, kept when it matches many papers. */
  warmPhraseWord(term: string): number {
    this.beforeSearch();
    return new Evaluator(this.index.docs, this.index.text, this.directory).keepWordSet(term);
  }

  private rankTree(
    parsed: QueryNode,
    limit: number,
    offset: number,
    sort: SearchSort,
    keepLeaves = true,
  ): RankedResult {
    const kept = this.keptAnswer(parsed, limit, offset, sort);
    if (kept) return kept;
    const evaluator = new Evaluator(this.index.docs, this.index.text, this.directory, keepLeaves);
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
      facets: this.facetsOf(parsed, matched, total),
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
    const keys = [...new Set(textLeaves.map(ftsOf))];
    if (keys.length === 1 && k <= HEAD) {
      // One ranking leaf that matches many papers: its best papers, kept in order, filtered
      // by the query's set, give the page without scoring every match.
      const m = evaluator.textMatches.get(keys[0]!)!;
      if (m.docs.length >= HOT.matches) {
        // By the words as indexed: `model` and `models` share their best papers.
        const head = this.headOf(leafKey(textLeaves[0]!), m);
        const ids: number[] = [];
        const scores: number[] = [];
        for (let i = 0; i < head.ids.length && ids.length < k; i++) {
          if (hasBit(matched, head.ids[i]!)) {
            ids.push(head.ids[i]!);
            scores.push(head.scores[i]!);
          }
        }
        if (ids.length === k) return { ids, scores };
      }
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

  /** The HEAD best papers of one leaf by its BM25 score alone, kept while the index is unchanged. */
  private headOf(key: string, m: TextMatches): { ids: number[]; scores: number[] } {
    const { docs } = this.index;
    const { rows, avgdl } = this.totals();
    const known = this.heads.get(key);
    if (known && known.generation === docs.generation && known.rows === rows && known.avgdl === avgdl) {
      return known;
    }
    const idf = idfOf(rows, m.docs.length);
    const top = new TopK(HEAD);
    const length = docs.length;
    const sortKey = docs.sortKey;
    for (let i = 0; i < m.docs.length; i++) {
      const d = m.docs[i]!;
      const f = m.freq[i]!;
      top.offer(d, idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * length[d]!) / avgdl))), sortKey[d]!);
    }
    const head = {
      ...top.sortedWithScores(),
      total: m.docs.length,
      generation: docs.generation,
      rows,
      avgdl,
    };
    if (this.heads.size >= KEPT_ANSWERS) this.heads.delete(this.heads.keys().next().value!);
    this.heads.set(key, head);
    return head;
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

  /**
   * The facets, kept for a query that is one common word or phrase (its set is the leaf's,
   * kept decoded while the index is unchanged): the commonest searches then skip a sample of
   * 10,000 papers read from all over memory.
   */
  private facetsOf(parsed: QueryNode, matched: Bits, total: number): SearchFacets {
    if ((parsed.kind !== 'term' && parsed.kind !== 'phrase') || total < HOT.matches) {
      return this.facets(matched, total);
    }
    const key = leafKey(parsed);
    const generation = this.index.docs.generation;
    let kept = this.leafFacets.get(key);
    if (!kept || kept.generation !== generation) {
      kept = { generation, facets: this.facets(matched, total) };
      if (this.leafFacets.size >= KEPT_ANSWERS) this.leafFacets.delete(this.leafFacets.keys().next().value!);
      this.leafFacets.set(key, kept);
    }
    const f = kept.facets;
    return { ...f, years: [...f.years], categories: [...f.categories], authors: [...f.authors] };
  }

  private readonly leafFacets = new Map<string, { generation: number; facets: SearchFacets }>();

  private facets(matched: Bits, total: number): SearchFacets {
    const { docs } = this.index;
    // Every stride-th matching paper: all of them up to FACET_SAMPLE.
    const stride = Math.ceil(total / FACET_SAMPLE);
    const years = new Int32Array(YEAR_SPAN);
    const otherYears = new Map<number, number>();
    const cats = new Int32Array(docs.categories.length);
    let hasCode = 0;
    const touchedAuthors: number[] = [];
    let counts = this.authorCounts;
    let lastSeen = this.authorLastSeen;
    const stampBase = this.stampBase;
    const year = docs.year;
    const flags = docs.flags;
    const { attrStart, catCount, authorCount } = docs;
    const pool = docs.attrPool;
    let skip = 0;
    let counted = 0;
    // The loops read the flat arrays directly: a view or a closure per paper is what made
    // this slow (and fed the garbage collector) when a million papers match.
    for (let w = 0; w < matched.length; w++) {
      let bits = matched[w]!;
      if (bits === 0) continue;
      if (skip > 0) {
        // A sample of a large set: whole words of papers passed over are only counted.
        const here = popcount32(bits);
        if (skip >= here) {
          skip -= here;
          continue;
        }
      }
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        if (skip > 0) {
          skip--;
          continue;
        }
        skip = stride - 1;
        const d = (w << 5) + 31 - Math.clz32(low);
        counted++;
        const y = year[d]!;
        if (y >= YEAR_BASE && y < YEAR_BASE + YEAR_SPAN) years[y - YEAR_BASE]!++;
        else if (y !== NO_YEAR) otherYears.set(y, (otherYears.get(y) ?? 0) + 1);
        if (flags[d]! & FLAG_CODE) hasCode++;
        const from = attrStart[d]!;
        const mid = from + catCount[d]!;
        const to = mid + authorCount[d]!;
        for (let i = from; i < mid; i++) cats[pool[i]!]!++;
        for (let i = mid; i < to; i++) {
          const a = pool[i]!;
          if (a >= counts.length) {
            const n = Math.max(a + 1, counts.length * 2, 1024);
            const bigger = new Int32Array(n);
            bigger.set(counts);
            this.authorCounts = counts = bigger;
            const seen = new Int32Array(n);
            seen.set(lastSeen);
            this.authorLastSeen = lastSeen = seen;
          }
          // A person twice on one paper counts once: a look back along a short list (in the
          // cache already), a stamp per person for a long one (hundreds of authors).
          if (to - mid <= 16) {
            let repeated = false;
            for (let j = mid; j < i; j++) {
              if (pool[j] === a) {
                repeated = true;
                break;
              }
            }
            if (repeated) continue;
          } else {
            if (lastSeen[a] === stampBase + counted) continue;
            lastSeen[a] = stampBase + counted;
          }
          if (counts[a] === 0) touchedAuthors.push(a);
          counts[a]!++;
        }
      }
    }
    const yearList = [...otherYears].map(([value, count]) => ({ value, count }));
    for (let i = 0; i < YEAR_SPAN; i++)
      if (years[i]) yearList.push({ value: YEAR_BASE + i, count: years[i]! });
    const categories = topBy(
      [...cats.keys()].filter((c) => cats[c]! > 0),
      (c) => cats[c]!,
    )
      .map((c) => ({ value: docs.categories[c]!, count: cats[c]! }))
      .sort((a, b) => b.count - a.count || compareText(a.value, b.value))
      .slice(0, FACET_SIZE);
    const authors = this.topAuthors(touchedAuthors, counts, stride === 1);
    for (const a of touchedAuthors) counts[a] = 0;
    // Stamps only grow, so the last query's never match and need no clearing.
    this.stampBase += counted + 1;
    if (this.stampBase > 2 ** 30) {
      this.authorLastSeen.fill(0);
      this.stampBase = 0;
    }
    const facets: SearchFacets = {
      years: yearList.sort((a, b) => b.value - a.value),
      categories,
      authors,
      hasCode,
    };
    if (stride > 1) facets.sampled = counted;
    return facets;
  }

  /**
   * The 20 most frequent people, ties by name then id (as the SQLite engine orders them),
   * reading names only for those in reach.
   */
  private topAuthors(touched: number[], counts: Int32Array, exactTies: boolean): SearchFacets['authors'] {
    if (touched.length === 0) return [];
    let inReach: number[];
    if (exactTies) {
      inReach = topBy(touched, (a) => counts[a]!);
    } else {
      // Sampled counts are approximate anyway: ties at the edge go to the lower id, and only
      // the 20 names shown are read.
      const best = new TopK(FACET_SIZE);
      for (const a of touched) best.offer(a, counts[a]!, -a);
      inReach = best.sorted();
    }
    const names = this.source.authorNames(inReach);
    // The best 20 by insertion into a short list: thousands of people can tie at the edge,
    // and sorting them all (by name) cost more than the rest of the facets.
    const best: { id: number; name: string; count: number }[] = [];
    const before = (a: { id: number; name: string; count: number }, b: typeof a) =>
      b.count - a.count || compareText(a.name, b.name) || a.id - b.id;
    for (const id of inReach) {
      const entry = { id, name: names.get(id) ?? '', count: counts[id]! };
      if (best.length === FACET_SIZE && before(entry, best[FACET_SIZE - 1]!) >= 0) continue;
      let i = best.length === FACET_SIZE ? FACET_SIZE - 1 : best.length;
      while (i > 0 && before(entry, best[i - 1]!) < 0) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = entry;
    }
    return best;
  }
}

/** At most this many people tied at the edge of the author facet are ordered by name. */
const NAMED_TIES = 1_000;

const YEAR_BASE = 1000;
const YEAR_SPAN = 2000;

/**
 * The items whose count is at least the FACET_SIZE-th largest (ties at the edge included, for
 * the caller to order by name), in one pass and a small sort: result sets can touch millions.
 */
function topBy(items: number[], count: (item: number) => number): number[] {
  if (items.length <= FACET_SIZE) return items;
  const best = new TopK(FACET_SIZE);
  for (const it of items) best.offer(it, count(it), 0);
  const ids = best.sorted();
  const cut = count(ids[ids.length - 1]!);
  const above = items.filter((it) => count(it) > cut);
  // Names order the ties at the edge; past NAMED_TIES of them, the lowest ids stand in (a
  // rare word's thousands of one-paper authors meant reading thousands of names from the
  // store for the few shown).
  const tied = items.filter((it) => count(it) === cut).sort((a, b) => a - b);
  return [...above, ...tied.slice(0, Math.max(FACET_SIZE, NAMED_TIES - above.length))];
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

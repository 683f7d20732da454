import { PAPER_ID_KINDS, SOURCE_NAMES } from '../../domain/record.ts';
import { categoryName } from '../engine/category-names.ts';
import { ftsOf } from '../engine/compile.ts';
import { FIELD_WEIGHTS } from '../engine/search.ts';
import type { AuthorNode, FilterNode, PhraseNode, QueryNode, TermNode } from '../query/index.ts';
import {
  andInto,
  andNotInto,
  type Bits,
  bitsFor,
  clearBit,
  countBits,
  forEachBit,
  orInto,
  setBit,
} from './bitset.ts';
import { type DocTable, FLAG_ABSTRACT, FLAG_CODE, FLAG_DOI, NO_YEAR } from './doc-table.ts';
import type { SlotPositions, TextIndex } from './text-index.ts';
import { terms } from './tokenize.ts';

/** What the index asks of the knowledge base: people and identifiers live there. */
export interface Directory {
  /** The merged people an `author:` leaf names. */
  authorIds(node: AuthorNode): number[];
  /** Papers by any of these people (as first author only, with `firstOnly`). */
  papersOfAuthors(ids: number[], firstOnly: boolean): number[];
  /** Papers with an identifier of one of these kinds equal to `value`. */
  papersWithKey(kinds: readonly string[], value: string): number[];
}

/** The text leaves not under a NOT, in the order `compile` finds them: they rank the hits. */
export function rankingLeaves(node: QueryNode): (TermNode | PhraseNode)[] {
  const out: (TermNode | PhraseNode)[] = [];
  const walk = (n: QueryNode, negated: boolean): void => {
    if (n.kind === 'term' || n.kind === 'phrase') {
      if (!negated) out.push(n);
    } else if (n.kind === 'and' || n.kind === 'or') {
      for (const c of n.children) walk(c, negated);
    } else if (n.kind === 'not') {
      walk(n.child, !negated);
    }
  };
  walk(node, false);
  return out;
}

/** A text leaf's matches: which papers, and the weighted phrase frequency of each. */
export interface TextMatches {
  bits: Bits;
  docs: Int32Array;
  /** Whole numbers (weights times counts), so 32-bit floats hold them exactly at half the memory. */
  freq: Float32Array;
  /** How many papers, when `docs` and `freq` are not kept (a word inside a phrase). */
  count?: number;
}

const NO_DOCS = new Int32Array(0);
const NO_FREQ = new Float32Array(0);

/**
 * Leaves that match many papers, kept decoded while the index does not change: a common word
 * costs a pass over a million postings to decode, and the same few common words come back in
 * query after query. Bounded by bytes; the least recently used goes first.
 */
export const HOT = {
  /** Leaves with at least this many matches are kept decoded (tests lower it). */
  matches: 20_000,
  /** Phrases whose positional check read at least this many postings are kept too. */
  phraseCost: 100_000,
  /** 256 MiB: a dozen of the commonest words at full scale, while the whole process stays under 2.5 GB. */
  bytes: 256 * 2 ** 20,
};
const hotLeaves = new WeakMap<DocTable, Map<string, { generation: number; matches: TextMatches }>>();

/**
 * What a text leaf's matches depend on: its column and its words as indexed (stemmed), so
 * `models`, `model` and `modeling` share one kept leaf, and a warm-up can keep a word by its
 * indexed form.
 */
export function leafKey(node: TermNode | PhraseNode): string {
  const words = terms(node.kind === 'term' ? node.normalized : node.words.join(' '));
  return wordsKey(words, columnOf(node));
}

function wordsKey(words: readonly string[], column: number): string {
  return `${column}\u0001${words.join(' ')}`;
}

function columnOf(node: TermNode | PhraseNode): number {
  return node.field === 'title' ? 0 : node.field === 'abs' ? 1 : -1;
}

/** Bytes held by the kept leaves of this table (at most 256 MiB, see HOT.bytes). */
export function keptBytes(docs: DocTable): number {
  let total = 0;
  for (const e of hotLeaves.get(docs)?.values() ?? []) total += sizeOf(e.matches);
  return total;
}

function sizeOf(m: TextMatches): number {
  return m.bits.byteLength + m.docs.byteLength + m.freq.byteLength;
}

/** Whether the leaf of one word (in every column) is kept decoded now. */
export function isKept(docs: DocTable, word: string): boolean {
  const e = hotLeaves.get(docs)?.get(wordsKey([word], -1));
  return e !== undefined && e.generation === docs.generation;
}

function remember(docs: DocTable, key: string, matches: TextMatches): void {
  let cache = hotLeaves.get(docs);
  if (!cache) {
    cache = new Map();
    hotLeaves.set(docs, cache);
  }
  cache.delete(key);
  cache.set(key, { generation: docs.generation, matches });
  let total = 0;
  for (const e of cache.values()) total += sizeOf(e.matches);
  for (const [k, e] of cache) {
    if (total <= HOT.bytes) break;
    if (e.generation === docs.generation && k === key) continue;
    total -= sizeOf(e.matches);
    cache.delete(k);
  }
}

/** The set of every paper, kept while the table does not change. */
const allBitsCache = new WeakMap<DocTable, { generation: number; bits: Bits }>();

const WEIGHTS = [FIELD_WEIGHTS.title, FIELD_WEIGHTS.abstract, FIELD_WEIGHTS.authors];

/**
 * A query tree to the set of matching papers, and each text leaf to its matches (kept by
 * its FTS5 spelling, so the ranker can use them). Mirrors `compile.ts` leaf by leaf.
 */
export class Evaluator {
  readonly textMatches = new Map<string, TextMatches>();
  private allBits: Bits | undefined;
  /** Postings the last phrase read for its positions. */
  private phraseCost = 0;

  constructor(
    private readonly docs: DocTable,
    private readonly text: TextIndex,
    private readonly directory: Directory,
    /** Keep common leaves decoded for later searches (a warm-up that keeps only answers says no). */
    private readonly keepLeaves = true,
  ) {}

  private empty(): Bits {
    return bitsFor(this.docs.size);
  }

  private all(): Bits {
    if (!this.allBits) {
      const cached = allBitsCache.get(this.docs);
      if (cached && cached.generation === this.docs.generation) {
        this.allBits = cached.bits;
      } else {
        const b = this.empty();
        const exists = this.docs.exists;
        for (let d = 1; d < this.docs.size; d++) if (exists[d]) setBit(b, d);
        allBitsCache.set(this.docs, { generation: this.docs.generation, bits: b });
        this.allBits = b;
      }
    }
    return this.allBits;
  }

  /**
   * A test of one paper for the leaves that are otherwise a scan of every paper (year, has:,
   * source:), used to narrow a set already small instead.
   */
  private predicate(node: QueryNode): ((d: number) => boolean) | undefined {
    if (node.kind === 'range') {
      const from = node.from ?? -Infinity;
      const to = node.to ?? Infinity;
      const year = this.docs.year;
      return (d) => year[d] !== NO_YEAR && year[d]! >= from && year[d]! <= to;
    }
    if (node.kind === 'filter' && node.field === 'has') {
      const flag = node.value === 'code' ? FLAG_CODE : node.value === 'doi' ? FLAG_DOI : FLAG_ABSTRACT;
      const flags = this.docs.flags;
      return (d) => (flags[d]! & flag) !== 0;
    }
    if (node.kind === 'filter' && node.field === 'source') {
      let mask = 0;
      for (const s of node.sources) {
        const i = SOURCE_NAMES.indexOf(s);
        if (i >= 0) mask |= 1 << i;
      }
      const sources = this.docs.sources;
      return (d) => (sources[d]! & mask) !== 0;
    }
    return undefined;
  }

  private fromIds(ids: Iterable<number>): Bits {
    const b = this.empty();
    const exists = this.docs.exists;
    for (const d of ids) if (d < this.docs.size && exists[d]) setBit(b, d);
    return b;
  }

  private where(test: (d: number) => boolean): Bits {
    const b = this.empty();
    const exists = this.docs.exists;
    for (let d = 1; d < this.docs.size; d++) if (exists[d] && test(d)) setBit(b, d);
    return b;
  }

  evaluate(node: QueryNode, negated = false): Bits {
    switch (node.kind) {
      case 'all':
        return this.all().slice();
      case 'term':
      case 'phrase':
        return this.textLeaf(node).bits.slice();
      case 'author': {
        const ids = this.directory.authorIds(node);
        return this.fromIds(ids.length ? this.directory.papersOfAuthors(ids, node.first === true) : []);
      }
      case 'range':
        return this.where(this.predicate(node)!);
      case 'filter':
        return this.filter(node);
      case 'and': {
        // Lookups first; scans (year, has:, source:) last, and as a test of each paper left
        // when few are; negated children are subtracted rather than complemented.
        const scans = node.children.filter((c) => this.predicate(c) !== undefined);
        const rest = node.children.filter((c) => !scans.includes(c));
        const positive = rest.filter((c) => c.kind !== 'not');
        const first = positive[0];
        const acc = first ? this.evaluate(first, negated) : this.all().slice();
        for (const c of rest) {
          if (c === first) continue;
          if (c.kind === 'not') andNotInto(acc, this.evaluate(c.child, !negated));
          else andInto(acc, this.evaluate(c, negated));
        }
        for (const c of scans) {
          if (countBits(acc) * 64 < this.docs.size) {
            const test = this.predicate(c)!;
            forEachBit(acc, (d) => {
              if (!test(d)) clearBit(acc, d);
            });
          } else {
            andInto(acc, this.evaluate(c, negated));
          }
        }
        return acc;
      }
      case 'or': {
        const acc = this.evaluate(node.children[0]!, negated);
        for (const c of node.children.slice(1)) orInto(acc, this.evaluate(c, negated));
        return acc;
      }
      case 'not': {
        const acc = this.all().slice();
        andNotInto(acc, this.evaluate(node.child, !negated));
        return acc;
      }
    }
  }

  private filter(n: FilterNode): Bits {
    switch (n.field) {
      case 'cat': {
        const name = categoryName(n.value) ?? n.value;
        const prefix = `${n.value}.`;
        const b = this.empty();
        for (const c of this.docs.categoriesWhere(
          (v) => v === n.value || v === name || v.startsWith(prefix),
        )) {
          this.docs.forEachDocOfCategory(c, (d) => setBit(b, d));
        }
        return b;
      }
      case 'has':
      case 'source':
        return this.where(this.predicate(n)!);
      case 'doi':
        return this.fromIds(this.directory.papersWithKey(['doi'], n.value));
      case 'id': {
        const kinds = n.scheme === 'other' ? PAPER_ID_KINDS : [n.scheme];
        return this.fromIds(this.directory.papersWithKey(kinds, n.value));
      }
    }
  }

  /** The matches of a word or phrase, as FTS5 would find them (column filter included). */
  textLeaf(node: TermNode | PhraseNode): TextMatches {
    const key = ftsOf(node);
    const known = this.textMatches.get(key);
    if (known) return known;
    const words = terms(node.kind === 'term' ? node.normalized : node.words.join(' '));
    const found = this.leafOf(words, columnOf(node));
    this.textMatches.set(key, found);
    return found;
  }

  /**
   * The matches of one indexed word in every column, kept decoded when it matches many papers,
   * as a search for the word would leave it: what a warm-up calls ahead of the first search.
   */
  keepWord(term: string): TextMatches {
    return this.leafOf([term], -1);
  }

  /** One indexed word's set as a phrase reads it (kept when it matches many papers). */
  keepWordSet(term: string): number {
    return this.phraseWord(term, -1).count;
  }

  private leafOf(words: string[], column: number): TextMatches {
    const hotKey = wordsKey(words, column);
    const hot = hotLeaves.get(this.docs)?.get(hotKey);
    if (hot && hot.generation === this.docs.generation) {
      remember(this.docs, hotKey, hot.matches);
      return hot.matches;
    }
    this.phraseCost = 0;
    const found = words.length === 1 ? this.word(words[0]!, column) : this.phrase(words, column);
    // A phrase costs the postings read to check its candidates, not what it matches.
    if (this.keepLeaves && (found.docs.length >= HOT.matches || this.phraseCost >= HOT.phraseCost))
      remember(this.docs, hotKey, found);
    return found;
  }

  private word(term: string, column: number): TextMatches {
    const bits = this.empty();
    const { docs, freq } = this.text.weighted(term, this.docs.version, WEIGHTS, column, bits);
    return { bits, docs, freq };
  }

  /** One word's matches inside a phrase (kept like a leaf's when it matches many papers). */
  private phraseWord(term: string, column: number): { bits: Bits; count: number } {
    // Not an FTS5 spelling, so never mistaken for a leaf of the query.
    const key = `\u0000${column}\u0000${term}`;
    const local = this.textMatches.get(key);
    if (local) return { bits: local.bits, count: local.count ?? local.docs.length };
    // The word's own leaf, when a search or a warm-up kept it decoded, has the same set.
    for (const hotKey of [wordsKey([term], column), key]) {
      const hot = hotLeaves.get(this.docs)?.get(hotKey);
      if (hot && hot.generation === this.docs.generation) {
        remember(this.docs, hotKey, hot.matches);
        this.textMatches.set(key, hot.matches);
        return { bits: hot.matches.bits, count: hot.matches.count ?? hot.matches.docs.length };
      }
    }
    const found = this.word(term, column);
    // Only the set is needed (the phrase's own counts come from positions): the papers and
    // frequencies of a common word are not kept for it, a third of the memory at full scale.
    const kept: TextMatches = { bits: found.bits, docs: NO_DOCS, freq: NO_FREQ, count: found.docs.length };
    this.textMatches.set(key, kept);
    if (this.keepLeaves && found.docs.length >= HOT.matches) remember(this.docs, key, kept);
    return { bits: kept.bits, count: found.docs.length };
  }

  /**
   * Papers where the words stand next to each other in order, and how often (weighted by
   * column). The papers with every word come first, as bit sets (the rarest word leads); then
   * positions are read only for those, and of a common word only the stretches that hold one.
   */
  private phrase(words: string[], column: number): TextMatches {
    const none = () => ({ bits: this.empty(), docs: new Int32Array(0), freq: new Float32Array(0) });
    if (words.length === 0) return none();
    const parts = words.map((w) => this.phraseWord(w, column));
    const byRarity = [...parts].sort((a, b) => a.count - b.count);
    if (byRarity[0]!.count === 0) return none();
    const candidates = byRarity[0]!.bits.slice();
    for (const p of byRarity.slice(1)) andInto(candidates, p.bits);
    const m = countBits(candidates);
    if (m === 0) return none();
    const slot = slotsFor(this.docs.size);
    const cand = new Int32Array(m);
    let k = 0;
    forEachBit(candidates, (d) => {
      slot[d] = k;
      cand[k++] = d;
    });
    const byWord = new Map<string, SlotPositions>();
    for (const w of words) {
      if (byWord.has(w)) continue;
      const out = { start: new Uint32Array(m * 4), pos: new Uint32Array(1024), read: 0 };
      const gathered = this.text.gatherPositions(w, this.docs.version, candidates, slot, out);
      this.phraseCost += gathered.read;
      byWord.set(w, gathered);
    }
    const lists = words.map((w) => byWord.get(w)!);
    const at = new Uint32Array(words.length);
    const docs = new Int32Array(m);
    const freq = new Float32Array(m);
    const bits = this.empty();
    let found = 0;
    for (let s = 0; s < m; s++) {
      let f = 0;
      for (let c = 0; c < 3; c++) {
        if (column >= 0 && c !== column) continue;
        const first = lists[0]!;
        const from = first.start[s * 4 + c]!;
        const to = first.start[s * 4 + c + 1]!;
        if (from === to) continue;
        for (let j = 1; j < lists.length; j++) at[j] = lists[j]!.start[s * 4 + c]!;
        let count = 0;
        for (let i = from; i < to; i++) {
          const p = first.pos[i]!;
          let all = true;
          for (let j = 1; j < lists.length && all; j++) {
            const list = lists[j]!;
            const end = list.start[s * 4 + c + 1]!;
            let q = at[j]!;
            // Positions in a column rise, and so does p: each list is walked once.
            while (q < end && list.pos[q]! < p + j) q++;
            at[j] = q;
            all = q < end && list.pos[q] === p + j;
          }
          if (all) count++;
        }
        f += WEIGHTS[c]! * count;
      }
      if (f > 0) {
        const d = cand[s]!;
        docs[found] = d;
        freq[found++] = f;
        setBit(bits, d);
      }
    }
    return { bits, docs: docs.slice(0, found), freq: freq.slice(0, found) };
  }
}

/** Paper id → candidate number, reused by every phrase (only candidates' entries are read). */
let slotScratch = new Int32Array(0);
function slotsFor(size: number): Int32Array {
  if (slotScratch.length < size) slotScratch = new Int32Array(size);
  return slotScratch;
}

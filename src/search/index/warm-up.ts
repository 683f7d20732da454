import { bitsFor } from './bitset.ts';
import { HOT } from './evaluate.ts';
import type { IndexedSearch } from './indexed-search.ts';

/**
 * Make a freshly loaded index answer as a server that has run a while does: the first search
 * for a common word decodes its postings (a million and more at full scale) and the first
 * phrase with one builds its skip table, hundreds of ms that a user would wait for. Off the
 * request path, one word a step, the commonest words are done ahead, within a byte budget:
 *
 * 1. a few searches of every kind over words of middling frequency, so the code is compiled
 *    before a user's first query (cheap: they read little);
 * 2. the commonest words, commonest first: decoded and kept with their best papers and facets
 *    while the leaf budget lasts (a search for the word, or with it, then reads them kept);
 *    past it, what a search for the word alone answers (count, best papers, facets: ~20 KB)
 *    and the set a phrase reads (one bit a paper); and the skip table a phrase reads a
 *    common word through.
 *
 * Memory: what it keeps goes into the kept-leaf cache (256 MiB, least recently used first out,
 * so users' searches push it out), and the skip tables are those a phrase would build on its
 * first use; the whole stays within `bytes`.
 */

export interface WarmUpOptions {
  /** Everything the warm-up may keep: decoded leaves, phrase sets and skip tables. */
  bytes?: number;
  /** Of `bytes`, what may go to words decoded whole (with their frequencies, 8 bytes a match). */
  leafBytes?: number;
  /** Of `bytes`, what is kept for answers of one-word searches (~20 KB a word). */
  answerBytes?: number;
  /** Let requests in between steps (a server passes a macrotask wait; the default). */
  pause?: () => Promise<void>;
  /** Checked before each step: true stops the warm-up (the server closing). */
  stopped?: () => boolean;
}

export interface WarmUpReport {
  /** Words decoded and kept whole, commonest first. */
  leaves: string[];
  /** Words past the leaf budget whose answer alone (count, best papers, facets) was kept. */
  answers: number;
  /** Words whose phrase set alone was kept. */
  sets: number;
  skipTables: number;
  /** What it estimates it added (cache entries and skip tables). */
  bytes: number;
  ms: number;
  stoppedEarly: boolean;
}

/** 128 MiB: half the kept-leaf cache, so the first users' own searches still find room. */
export const WARM_UP_BYTES = 128 * 2 ** 20;

/** Terms with fewer postings get no skip table (text-index.ts reads them whole). */
const SKIP_TABLE_FROM = 4096;
/** A skip table holds 26 bytes for every stretch of 32 postings (see `SkipTable`). */
const skipTableBytes = (postings: number) =>
  postings < SKIP_TABLE_FROM ? 0 : (Math.ceil(postings / 32) + 16) * 26;

/** A kept answer: 1,000 ids and scores in JS arrays and the facets (see `warmAnswer`). */
const ANSWER_BYTES = 20_000;
/** 16 MiB: answers for the 800 commonest words past the leaf budget. */
const ANSWERS_BYTES = 16 * 2 ** 20;

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function warmUp(search: IndexedSearch, options: WarmUpOptions = {}): Promise<WarmUpReport> {
  const started = performance.now();
  const budget = options.bytes ?? WARM_UP_BYTES;
  const leafBudget = Math.min(options.leafBytes ?? budget / 2, budget);
  const pause = options.pause ?? nextMacrotask;
  const stopped = options.stopped ?? (() => false);
  const report: WarmUpReport = {
    leaves: [],
    answers: 0,
    sets: 0,
    skipTables: 0,
    bytes: 0,
    ms: 0,
    stoppedEarly: false,
  };
  const { text, docs } = search.index;
  const setBytes = bitsFor(docs.size).byteLength;
  const { terms, postings } = text.state;
  const floor = Math.min(HOT.matches, SKIP_TABLE_FROM);
  const common: number[] = [];
  for (let i = 0; i < terms.length; i++) if (postings[i]! >= floor) common.push(i);
  common.sort((a, b) => postings[b]! - postings[a]! || a - b);

  // 1. Every kind of search once, over words a few thousand papers have.
  const middling = pickMiddling(terms, postings);
  if (middling.length >= 2) {
    const [a, b] = middling as [string, string];
    for (const query of [a, `"${a} ${b}"`, `${a} ${b}`, `${a} -${b}`, `title:${a}`, `${a} year:2000-2030`]) {
      if (stopped()) return done(true);
      search.rank({ query, limit: 20, correct: false });
      await pause();
    }
  }

  // 2. The commonest words. Room is kept for answers (cheap, and what a one-word search
  // wants) while sets and skip tables (large at full scale) use the rest.
  const answerBudget = Math.min(options.answerBytes ?? ANSWERS_BYTES, budget - leafBudget);
  let leafSpent = 0;
  let answerSpent = 0;
  let otherSpent = 0;
  // Words are decoded whole from the commonest on, until one does not fit; what the leaves
  // leave of their budget then goes to sets and skip tables.
  let leavesOpen = true;
  const otherRoom = () => budget - (leavesOpen ? leafBudget : leafSpent) - answerBudget - otherSpent;
  for (const id of common) {
    if (stopped()) return done(true);
    const term = terms[id]!;
    const n = postings[id]!;
    if (n >= HOT.matches) {
      const whole = setBytes + 8 * n;
      if (leavesOpen && leafSpent + whole <= leafBudget) {
        search.warmWord(term);
        report.leaves.push(term);
        leafSpent += whole;
      } else {
        leavesOpen = false;
        // A search for the word alone: its count, best papers and facets, not its postings.
        if (search.answerRoom > 0 && answerSpent + ANSWER_BYTES <= answerBudget && search.warmAnswer(term)) {
          report.answers++;
          answerSpent += ANSWER_BYTES;
        }
        if (setBytes <= otherRoom()) {
          search.warmPhraseWord(term);
          report.sets++;
          otherSpent += setBytes;
        }
      }
    }
    const skips = skipTableBytes(n);
    if (skips > 0 && skips <= otherRoom()) {
      buildSkipTable(search, term);
      report.skipTables++;
      otherSpent += skips;
    }
    report.bytes = leafSpent + answerSpent + otherSpent;
    // Words further down cost less; stop when neither an answer nor a set or table fits.
    const answersLeft = search.answerRoom > 0 && answerSpent + ANSWER_BYTES <= answerBudget;
    if (!answersLeft && otherRoom() < Math.min(setBytes, skipTableBytes(SKIP_TABLE_FROM))) break;
    await pause();
  }
  return done(false);

  function done(stoppedEarly: boolean): WarmUpReport {
    report.stoppedEarly = stoppedEarly;
    report.ms = performance.now() - started;
    return report;
  }
}

/**
 * A phrase builds a common word's skip table on its first use; asking for the word's positions
 * in no paper builds it (and reads nothing else).
 */
function buildSkipTable(search: IndexedSearch, term: string): void {
  const { text, docs } = search.index;
  const none = bitsFor(docs.size);
  text.gatherPositions(term, docs.version, none, new Int32Array(0), {
    start: new Uint32Array(0),
    pos: new Uint32Array(0),
    read: 0,
  });
}

/**
 * Two plain words (letters only) whose postings are nearest 1,000: cheap to search, yet loops
 * run long enough to be compiled; below the kept-leaf threshold, so these searches keep nothing.
 */
function pickMiddling(terms: readonly string[], postings: Uint32Array): string[] {
  const plain = /^[a-z]{4,}$/;
  const target = Math.min(1000, HOT.matches >>> 1);
  let best = -1;
  let second = -1;
  const off = (i: number) => Math.abs(postings[i]! - target);
  for (let i = 0; i < terms.length; i++) {
    if (postings[i] === 0 || !plain.test(terms[i]!)) continue;
    if (best < 0 || off(i) < off(best)) {
      second = best;
      best = i;
    } else if (second < 0 || off(i) < off(second)) {
      second = i;
    }
  }
  return [best, second].filter((i) => i >= 0).map((i) => terms[i]!);
}

import type { AndNode, QueryNode, TermNode } from '../query/index.ts';
import type { TextIndex } from './text-index.ts';
import { terms } from './tokenize.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** How many spellings of each unknown word are tried, most frequent first. */
const CHOICES = 3;

/** Every string one edit (delete, swap of neighbours, replace, insert) away from `word`. */
function oneEditAway(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return out;
}

/** Indexed terms one edit from `term`, found in the most papers first. */
function closeTerms(term: string, text: TextIndex): string[] {
  const found: [string, number][] = [];
  for (const candidate of oneEditAway(term)) {
    const count = text.postingsOf(candidate);
    // A candidate must read back as itself, or the corrected query would ask for another word.
    if (count > 0 && terms(candidate).join(' ') === candidate) found.push([candidate, count]);
  }
  return found
    .sort((a, b) => b[1] - a[1])
    .slice(0, CHOICES)
    .map(([t]) => t);
}

/**
 * The reader's word spelt so that it reads as `stem`. The index holds Porter stems
 * ("infinit"), which look misspelt themselves when shown back as the correction. The ending the
 * reader typed goes back onto the corrected stem ("infinte" stems to "infint"; "infinit" + "e"),
 * else a word one edit from theirs that stems to it, else the stem as it is.
 */
function spelledLike(typed: string, stem: string): string {
  const readsAs = (word: string) => {
    const t = terms(word);
    return t.length === 1 && t[0] === stem;
  };
  const own = terms(typed)[0] ?? typed;
  if (typed.startsWith(own)) {
    const word = stem + typed.slice(own.length);
    if (readsAs(word)) return word;
  }
  let best: string | undefined;
  for (const word of oneEditAway(typed)) {
    if (!readsAs(word)) continue;
    // Nearest the reader's length first, then alphabetical: the same answer every time.
    const better =
      best === undefined ||
      Math.abs(word.length - typed.length) < Math.abs(best.length - typed.length) ||
      (word.length === best.length && word < best);
    if (better) best = word;
  }
  return best ?? stem;
}

/** A free or fielded word of four letters or more that no paper has. */
function unknownWord(n: QueryNode, text: TextIndex): string | undefined {
  if (n.kind !== 'term') return undefined;
  const words = terms(n.normalized);
  return words.length === 1 && words[0]!.length >= 4 && text.postingsOf(words[0]!) === 0
    ? words[0]
    : undefined;
}

/**
 * Other readings of a query whose unknown words (see `unknownWord`) are misspelt, best first:
 * each unknown word replaced by its most frequent indexed neighbour one edit away (spelt as a
 * word, see `spelledLike`, so the query shown back reads as the reader's own), then by the
 * second, the third; last, the query without the unknown words (when something is left). The
 * caller takes the first that matches something.
 */
export function spellingAlternatives(query: QueryNode, text: TextIndex): QueryNode[] {
  const choices = new Map<TermNode, string[]>();
  const visit = (n: QueryNode): void => {
    const word = unknownWord(n, text);
    if (word !== undefined) {
      const typed = (n as TermNode).normalized;
      choices.set(
        n as TermNode,
        closeTerms(word, text).map((stem) => spelledLike(typed, stem)),
      );
    }
    if (n.kind === 'and' || n.kind === 'or') n.children.forEach(visit);
  };
  visit(query);
  if (choices.size === 0) return [];
  const rewrite = (n: QueryNode, pick: (t: TermNode) => string | null): QueryNode | null => {
    if (n.kind === 'term' && choices.has(n)) {
      const better = pick(n);
      return better === null ? null : { ...n, text: better, normalized: better };
    }
    if (n.kind === 'and' || n.kind === 'or') {
      const children = n.children.map((c) => rewrite(c, pick)).filter((c): c is QueryNode => c !== null);
      if (children.length === 0) return null;
      return children.length === 1 ? children[0]! : ({ ...n, children } as AndNode);
    }
    return n;
  };
  const out: QueryNode[] = [];
  for (let k = 0; k < CHOICES; k++) {
    const tree = rewrite(query, (t) => choices.get(t)![k] ?? choices.get(t)![0] ?? null);
    if (tree && !out.some((o) => JSON.stringify(o) === JSON.stringify(tree))) out.push(tree);
  }
  const without = rewrite(query, () => null);
  if (without && without.kind !== 'all' && !out.some((o) => JSON.stringify(o) === JSON.stringify(without)))
    out.push(without);
  return out;
}

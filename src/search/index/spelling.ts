import type { QueryNode, TermNode } from '../query/index.ts';
import type { TextIndex } from './text-index.ts';
import { terms } from './tokenize.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

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

/** The indexed term one edit from `term` found in the most papers, if any. */
function closestTerm(term: string, text: TextIndex): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const candidate of oneEditAway(term)) {
    const count = text.postingsOf(candidate);
    // A candidate must read back as itself, or the corrected query would ask for another word.
    if (count > bestCount && terms(candidate).join(' ') === candidate) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The query with each unknown word (a free or fielded word of four letters or more that no
 * paper has) replaced by the closest known one; undefined when nothing could be replaced.
 */
export function correctSpelling(query: QueryNode, text: TextIndex): QueryNode | undefined {
  let changed = false;
  const fix = (n: QueryNode): QueryNode => {
    switch (n.kind) {
      case 'term': {
        const words = terms(n.normalized);
        if (words.length !== 1 || words[0]!.length < 4 || text.postingsOf(words[0]!) > 0) return n;
        const better = closestTerm(words[0]!, text);
        if (!better) return n;
        changed = true;
        const fixed: TermNode = { ...n, text: better, normalized: better };
        return fixed;
      }
      case 'and':
      case 'or':
        return { ...n, children: n.children.map(fix) };
      case 'not':
        return n;
      default:
        return n;
    }
  };
  const fixed = fix(query);
  return changed ? fixed : undefined;
}

import { AUTHOR_PREFIX } from './document.ts';
import type { SparseVector } from './sparse.ts';

/** Why two papers are similar, in a few words: the shared terms that weigh most. */

const REASON_TERMS = 4;

/**
 * The shared terms with the largest share of the lexical cosine. A pair is preferred to its
 * words, and overlapping pairs are joined: "neural tangent" + "tangent kernel" → "neural tangent kernel".
 */
export function sharedTerms(a: SparseVector, b: SparseVector, terms: readonly string[]): string[] {
  const contributions: { term: string; weight: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) contributions.push({ term: terms[x]!, weight: a.values[i++]! * b.values[j++]! });
    else if (x < y) i++;
    else j++;
  }
  contributions.sort((p, q) => q.weight - p.weight || (p.term < q.term ? -1 : 1));
  const picked: string[] = [];
  for (const { term } of contributions) {
    if (picked.length >= REASON_TERMS * 2) break;
    if (term.includes(' ') && !term.startsWith(AUTHOR_PREFIX)) {
      picked.push(term);
    } else if (!picked.some((p) => p.split(' ').includes(term))) {
      picked.push(term);
    }
  }
  return joinOverlaps(picked.filter((t, n) => !isWordOfLaterPair(t, picked, n)))
    .slice(0, REASON_TERMS)
    .map((t) => (t.startsWith(AUTHOR_PREFIX) ? `same author ${t.slice(AUTHOR_PREFIX.length)}` : t));
}

/** A single word picked before a pair that contains it adds nothing. */
function isWordOfLaterPair(term: string, picked: string[], at: number): boolean {
  return (
    !term.includes(' ') &&
    picked.some((p, n) => n > at && !p.startsWith(AUTHOR_PREFIX) && p.split(' ').includes(term))
  );
}

function joinOverlaps(terms: string[]): string[] {
  const out = [...terms];
  for (let changed = true; changed; ) {
    changed = false;
    for (let x = 0; x < out.length && !changed; x++) {
      for (let y = 0; y < out.length && !changed; y++) {
        const a = out[x]!;
        const b = out[y]!;
        if (x === y || a.startsWith(AUTHOR_PREFIX) || b.startsWith(AUTHOR_PREFIX)) continue;
        const aw = a.split(' ');
        const bw = b.split(' ');
        if (aw.length === 2 && bw.length === 2 && aw[1] === bw[0]) {
          out[x] = `${a} ${bw[1]}`;
          out.splice(y, 1);
          changed = true;
        }
      }
    }
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { formatQuery, parseQuery, type QueryNode } from '../query/index.ts';
import { spellingAlternatives } from './spelling.ts';
import type { TextIndex } from './text-index.ts';
import { terms } from './tokenize.ts';

/** An index that knows these words (by their stems, as the real one does), each in `count` papers. */
function indexOf(words: Record<string, number>): TextIndex {
  const counts = new Map<string, number>();
  for (const [word, count] of Object.entries(words)) counts.set(terms(word)[0]!, count);
  return { postingsOf: (term: string) => counts.get(term) ?? 0 } as unknown as TextIndex;
}

function parsed(query: string): QueryNode {
  const result = parseQuery(query);
  if (!result.ok) throw new Error(result.error.message);
  return result.query;
}

const corrections = (query: string, index: TextIndex) =>
  spellingAlternatives(parsed(query), index).map((q) => formatQuery(q));

describe('spelling corrections', () => {
  const index = indexOf({ infinite: 40, width: 30, kernels: 50, neural: 60, tangent: 20 });

  it('shows the corrected query in words, not in the stems the index keeps', () => {
    // "infinite" is kept as "infinit": the reader typed a word and reads one back.
    expect(corrections('infinte widht', index)[0]).toBe('infinite width');
    expect(corrections('kernals', index)[0]).toBe('kernels');
    expect(corrections('nueral tangent kernel', index)[0]).toBe('neural tangent kernel');
  });

  it('asks the index for the same terms as the stem would', () => {
    const [fixed] = spellingAlternatives(parsed('infinte'), index);
    expect(fixed).toMatchObject({ kind: 'term', text: 'infinite' });
    expect(terms((fixed as { normalized: string }).normalized)).toEqual(['infinit']);
  });

  it('keeps fields and the words it knows, and drops a word with nothing close as the last resort', () => {
    expect(corrections('title:infinte width', index)[0]).toBe('title:infinite width');
    expect(corrections('width qqqqxz', index)).toEqual(['width']);
  });
});

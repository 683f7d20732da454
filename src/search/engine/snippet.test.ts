import { describe, expect, it } from 'vitest';
import type { PhraseNode, TermNode } from '../query/index.ts';
import { makeSnippet, matchedTerms } from './snippet.ts';

const term = (text: string): TermNode => ({ kind: 'term', text, normalized: text.toLowerCase() });
const phrase = (words: string[]): PhraseNode => ({ kind: 'phrase', text: words.join(' '), words });

describe('snippets', () => {
  it('marks words whatever their case, plain ASCII or accented', () => {
    expect(
      makeSnippet('Gaussian KERNELS for the Schrödinger equation', [term('kernel'), term('schrodinger')]),
    ).toBe('Gaussian «KERNELS» for the «Schrödinger» equation');
    expect(makeSnippet('Ångström-scale Kernel2 maps', [term('angstrom'), term('kernel2')])).toBe(
      '«Ångström»-scale «Kernel2» maps',
    );
  });

  it('marks a phrase only in sequence, and says which leaves matched', () => {
    expect(makeSnippet('tangent kernel; Neural Tangent Kernel', [phrase(['neural', 'tangent'])])).toBe(
      'tangent kernel; «Neural Tangent» Kernel',
    );
    expect(
      matchedTerms(
        [term('Kernel'), term('absent'), phrase(['neural', 'tangent'])],
        ['NEURAL tangent kernels'],
      ),
    ).toEqual(['Kernel', 'neural tangent']);
  });
});

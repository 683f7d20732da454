import { describe, expect, it } from 'vitest';
import { cleanText, phrases, stemWord, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('gives words and the pairs inside one phrase, with math dropped and plurals folded', () => {
    expect(
      tokenize('Neural Tangent Kernels at Infinite-Width: the $\\mathcal{O}(n^2)$ limit', { ngrams: 2 }),
    ).toEqual([
      'neural',
      'neural tangent',
      'tangent',
      'tangent kernel',
      'kernel',
      'infinite',
      'infinite width',
      'width',
      'limit',
    ]);
  });

  it('gives single words by default', () => {
    expect(tokenize('Neural Tangent Kernels')).toEqual(['neural', 'tangent', 'kernel']);
  });

  it('folds diacritics and case', () => {
    expect(tokenize('Schrödinger ÉQUATION')).toEqual(['schrodinger', 'equation']);
  });

  it('drops stop words, abstract boilerplate and bare numbers, keeping words with digits', () => {
    expect(tokenize('We propose a novel method for 3 2D graphs in 2024')).toEqual(['2d', 'graph']);
  });

  it('drops LaTeX commands and citations but keeps the words they wrap', () => {
    expect(
      tokenize('Let $X_1,\\ldots$ be \\emph{random} variables \\cite{smith2020}, at https://x.org/a'),
    ).toEqual(['let', 'random', 'variable']);
    expect(tokenize('$$E = mc^2$$ and \\[ \\int f \\] energy')).toEqual(['energy']);
  });

  it('does not pair words across a stop word or punctuation', () => {
    expect(phrases('deep learning of protein structure. graph networks')).toEqual([
      ['deep', 'learning'],
      ['protein', 'structure'],
      ['graph', 'network'],
    ]);
  });

  it('gives nothing for empty or symbol-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('$x$ … ∑ 42 !!', { ngrams: 2 })).toEqual([]);
    expect(cleanText('Á\\alpha b').split(/\s+/)).toEqual(['a', 'b']);
  });
});

describe('stemWord', () => {
  it('folds plurals and leaves other endings alone', () => {
    expect(
      [
        'kernels',
        'studies',
        'classes',
        'bias',
        'physics',
        'corpus',
        'gas',
        'analysis',
        'model',
        'series',
        'queries',
      ].map(stemWord),
    ).toEqual([
      'kernel',
      'study',
      'class',
      'bias',
      'physics',
      'corpus',
      'gas',
      'analysis',
      'model',
      'series',
      'query',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { abstractOpening, listedTitle, quotedPaperName } from './paper-name.ts';

const LONG =
  'While many capabilities of language models (LMs) improve with increased training budget, the influence of scale on hallucinations is not yet fully understood.';

describe('naming a paper', () => {
  it('opens an abstract at a word boundary, without a dangling comma', () => {
    expect(abstractOpening({ abstractText: LONG })).toBe(
      'While many capabilities of language models (LMs) improve with increased training budget…',
    );
    expect(abstractOpening({ abstractText: '  A short\n abstract. ' })).toBe('A short abstract.');
    expect(abstractOpening({})).toBeUndefined();
  });

  it('quotes a title, names an untitled paper by how it begins, and falls back to its id', () => {
    expect(quotedPaperName({ id: 3, title: 'Wide networks' })).toBe('“Wide networks”');
    expect(quotedPaperName({ id: 274, abstractText: LONG })).toBe(
      'the paper that begins “While many capabilities of language models (LMs) improve with increased training budget…”',
    );
    expect(quotedPaperName({ id: 274 })).toBe('paper 274');
  });

  it('lists a paper by its title, or an untitled one as "(untitled)" and how it begins', () => {
    expect(listedTitle({ title: 'Wide networks', abstractText: LONG })).toBe('Wide networks');
    expect(listedTitle({ abstractText: LONG })).toBe(
      '(untitled) “While many capabilities of language models (LMs) improve with increased training budget…”',
    );
    expect(listedTitle({})).toBe('(untitled)');
  });
});

import { describe, expect, it } from 'vitest';
import { arxivAliasOf, arxivArchiveOf, arxivCodeOfSubject, arxivSubjectName } from './arxiv-taxonomy.ts';

describe("arXiv's taxonomy", () => {
  it.each([
    ['Computer Science - Machine Learning', 'cs.LG'],
    ['Statistics - Machine Learning', 'stat.ML'],
    ['Electrical Engineering and Systems Science - Systems and Control', 'eess.SY'],
    ['Condensed Matter - Mesoscale and Nanoscale Physics', 'cond-mat.mes-hall'],
    ['Quantum Physics', 'quant-ph'],
    ['Quantitative Biology', 'q-bio'],
    ['  Computer Science -  Machine Learning ', 'cs.LG'],
  ])('names %j by %j', (name, code) => {
    expect(arxivCodeOfSubject(name)).toBe(code);
    expect(arxivSubjectName(code)).toBe(name.trim().replace(/\s+/g, ' '));
  });

  it('maps only exact names: a different case, a bare subject or a class code is no category', () => {
    for (const name of ['computer science - machine learning', 'Machine Learning', '68T07', 'I.2.6', ''])
      expect(arxivCodeOfSubject(name)).toBeUndefined();
  });

  it('knows the aliases arXiv lists a paper under both of, one way only', () => {
    expect(arxivAliasOf('math.ST')).toBe('stat.TH');
    expect(arxivAliasOf('cs.IT')).toBe('math.IT');
    expect(arxivAliasOf('cs.LG')).toBeUndefined();
  });

  it('gives the archive of a code', () => {
    expect(arxivArchiveOf('cs.LG')).toBe('cs');
    expect(arxivArchiveOf('astro-ph.HE')).toBe('astro-ph');
    expect(arxivArchiveOf('quant-ph')).toBe('quant-ph');
  });
});

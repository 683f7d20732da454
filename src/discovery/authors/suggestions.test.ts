import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personFromDisplay } from '../../domain/names.ts';
import {
  couldBeSamePerson,
  evidenceBetween,
  evidenceScore,
  MIN_SCORE,
  type PersonSketch,
  rankSuggestions,
} from './suggestions.ts';

const names = (...displays: string[]) => displays.map(personFromDisplay);

function sketch(id: number, fields: Partial<PersonSketch> & { names: PersonSketch['names'] }): PersonSketch {
  return {
    id,
    displayName: fields.names[0]?.display ?? `#${id}`,
    paperCount: 1,
    paperIds: new Set([id * 100]),
    coauthors: new Map(),
    categories: [],
    terms: [],
    years: [],
    ...fields,
  };
}

describe('couldBeSamePerson', () => {
  it('joins initials to a full name, never two different given names', () => {
    expect(couldBeSamePerson(names('Lechao Xiao'), names('Xiao, L.'))).toBe(true);
    expect(couldBeSamePerson(names('Lechao Xiao', 'Xiao, Lechao'), names('L. Xiao'))).toBe(true);
    expect(couldBeSamePerson(names('Lechao Xiao'), names('Lei Xiao'))).toBe(false);
    // Someone known as both `L. Xiao` and `Lei Xiao` cannot be Lechao, though `L. Xiao` alone could.
    expect(couldBeSamePerson(names('Lechao Xiao'), names('L. Xiao', 'Lei Xiao'))).toBe(false);
    expect(couldBeSamePerson(names('Lechao Xiao'), names('Lechao Xu'))).toBe(false);
    expect(couldBeSamePerson(names('Lechao Xiao'), [])).toBe(false);
  });

  it('is symmetric, for any names', () => {
    const name = fc
      .tuple(
        fc.constantFrom('Xiao', 'Li', 'Co-Reyes', 'van der Berg'),
        fc.constantFrom('L.', 'Lechao', 'Lei', 'J. D.', 'John', ''),
      )
      .map(([family, given]) => personFromDisplay(given ? `${family}, ${given}` : family));
    fc.assert(
      fc.property(fc.array(name, { maxLength: 3 }), fc.array(name, { maxLength: 3 }), (a, b) => {
        expect(couldBeSamePerson(a, b)).toBe(couldBeSamePerson(b, a));
      }),
    );
  });
});

describe('rankSuggestions', () => {
  const lechao = sketch(1, {
    names: names('Lechao Xiao'),
    paperIds: new Set([10, 11, 12]),
    coauthors: new Map([
      [5, 'Jaehoon Lee'],
      [6, 'Roman Novak'],
      [7, 'Jane Doe'],
    ]),
    categories: ['cs.LG', 'stat.ML'],
    terms: ['kernel', 'width', 'nngp'],
    years: [2019, 2020, 2021],
  });

  it('names the co-authors in common and the other evidence, best first', () => {
    const withCoauthor = sketch(2, {
      names: names('Xiao, L.'),
      coauthors: new Map([
        [7, 'Jane Doe'],
        [9, 'Someone Else'],
      ]),
      years: [2020],
    });
    const withTerms = sketch(3, {
      names: names('L. Xiao'),
      terms: ['kernel', 'width', 'optics'],
      categories: ['cs.LG'],
    });
    const [first, second] = rankSuggestions(lechao, [withTerms, withCoauthor], new Set());
    expect(first!.id).toBe(2);
    expect(first!.evidence.coauthors).toEqual([{ id: 7, displayName: 'Jane Doe' }]);
    expect(first!.evidence.years).toEqual([2020]);
    expect(first!.summary).toContain('Jane Doe');
    expect(second!.id).toBe(3);
    expect(second!.evidence.terms).toEqual(['kernel', 'width']);
    expect(second!.evidence.categories).toEqual(['cs.LG']);
  });

  it('leaves out incompatible names, people found not the same, co-authors of one paper, and names alone', () => {
    const evidence = { coauthors: new Map([[7, 'Jane Doe']]) };
    const lei = sketch(2, { names: names('Lei Xiao'), ...evidence });
    const rejected = sketch(3, { names: names('L. Xiao'), ...evidence });
    const sameList = sketch(4, { names: names('L. Xiao'), paperIds: new Set([11]), ...evidence });
    const nothing = sketch(5, { names: names('L. Xiao'), years: [1990] });
    expect(rankSuggestions(lechao, [lei, rejected, sameList, nothing], new Set([3]))).toEqual([]);
  });

  it('a shared year alone is not evidence; a co-author alone is', () => {
    const year = evidenceBetween(lechao, sketch(2, { names: names('L. Xiao'), years: [2020] }));
    expect(evidenceScore(year)).toBeLessThan(MIN_SCORE);
    const coauthor = evidenceBetween(
      lechao,
      sketch(2, { names: names('L. Xiao'), coauthors: new Map([[5, 'Jaehoon Lee']]) }),
    );
    expect(evidenceScore(coauthor)).toBeGreaterThanOrEqual(MIN_SCORE);
  });
});

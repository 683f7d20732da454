import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oaiSetFor } from './oai-sets.ts';

describe('arXiv categories as OAI-PMH sets', () => {
  it('files categories under their group', () => {
    expect(oaiSetFor('cs.LG')).toEqual({ set: 'cs:cs:LG' });
    expect(oaiSetFor('cs')).toEqual({ set: 'cs' });
    expect(oaiSetFor('stat.ML')).toEqual({ set: 'stat:stat:ML' });
    expect(oaiSetFor('hep-th')).toEqual({ set: 'physics:hep-th' });
    expect(oaiSetFor('astro-ph.CO')).toEqual({ set: 'physics:astro-ph:CO' });
    expect(oaiSetFor('physics.optics')).toEqual({ set: 'physics:physics:optics' });
    expect(oaiSetFor('physics')).toEqual({ set: 'physics' });
    expect(oaiSetFor('q-bio.NC')).toEqual({ set: 'q-bio:q-bio:NC' });
  });

  it('names what it cannot place', () => {
    expect(oaiSetFor('biology.XY')).toEqual({ error: 'arXiv has no archive "biology" (in "biology.XY")' });
    expect(oaiSetFor('cs LG')).toEqual({
      error: '"cs LG" is not an arXiv category (such as cs.LG or hep-th)',
    });
  });

  it('answers a set or an error for any text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const answer = oaiSetFor(text);
        expect('set' in answer !== 'error' in answer).toBe(true);
        if ('set' in answer) expect(answer.set).toMatch(/^[a-z-]+(:[a-z-]+(:[A-Za-z-]+)?)?$/);
      }),
    );
  });
});

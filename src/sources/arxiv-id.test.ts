import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArxivId } from './arxiv-id.ts';

describe('parseArxivId', () => {
  it.each([
    ['2401.01234v2', { id: '2401.01234', version: 'v2' }],
    ['arXiv:2401.01234', { id: '2401.01234' }],
    ['ARXIV:2401.01234V3', { id: '2401.01234', version: 'v3' }],
    ['https://arxiv.org/abs/2401.01234v1', { id: '2401.01234', version: 'v1' }],
    ['http://arxiv.org/pdf/2401.01234v1.pdf', { id: '2401.01234', version: 'v1' }],
    ['http://export.arxiv.org/abs/1707.08567', { id: '1707.08567' }],
    ['oai:arXiv.org:nlin/0202021', { id: 'nlin/0202021' }],
    ['math.GT/0309136', { id: 'math/0309136' }],
    ['hep-th/9901001v3', { id: 'hep-th/9901001', version: 'v3' }],
    ['http://arxiv.org/abs/astro-ph/0601001v1', { id: 'astro-ph/0601001', version: 'v1' }],
    ['0704.0046', { id: '0704.0046' }],
    ['  1412.9999 ', { id: '1412.9999' }],
  ])('reads %s', (text, expected) => {
    expect(parseArxivId(text)).toEqual(expected);
  });

  it.each([
    'abc',
    '0000.0000',
    '',
    '2401.0123', // a 2024 id has five digits
    '0808.05394', // five digits before 2015 (the arXiv API finds nothing for it)
    '0703.0001', // new-style ids began in April 2007
    '2413.01234', // month 13
    '2401.00000',
    'math/0313001',
    'math/2001001', // old style ended in 2007
    '10.1063/1.2779138',
    'arXiv:',
    'https://arxiv.org/abs/',
  ])('rejects %j', (text) => {
    expect(parseArxivId(text)).toBeUndefined();
  });

  it('never throws and only returns canonical ids', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const r = parseArxivId(text);
        if (r) expect(r.id).toMatch(/^(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})$/);
      }),
    );
  });
});

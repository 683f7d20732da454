import { describe, expect, it } from 'vitest';
import { arxivDateToIso, normalizeDoi } from './arxiv-common.ts';
import { repairDoubleDecodedUtf8 } from './arxiv-xml.ts';

describe('arxivDateToIso', () => {
  it.each([
    ['Sun, 01 Apr 2007 16:37:36 GMT', '2007-04-01T16:37:36Z'],
    ['Fri, 1 Jan 1999 10:00:00 GMT', '1999-01-01T10:00:00Z'],
    ['Wed, 22 Oct 2014 15:07:42 GMT', '2014-10-22T15:07:42Z'],
    ['2021-04-20', '2021-04-20'],
    ['2021-04-20T16:07:14Z', '2021-04-20T16:07:14Z'],
  ])('%s → %s', (text, iso) => {
    expect(arxivDateToIso(text)).toBe(iso);
  });

  it.each(['', 'yesterday', 'Sun, 01 Foo 2007 16:37:36 GMT'])('rejects %j', (text) => {
    expect(arxivDateToIso(text)).toBeUndefined();
  });
});

describe('normalizeDoi', () => {
  it.each([
    ['10.1063/1.2779138', '10.1063/1.2779138'],
    ['doi:10.1038/S41535-022-00470-6', '10.1038/s41535-022-00470-6'],
    ['https://doi.org/10.1109/ICSTW55395.2022.00035', '10.1109/icstw55395.2022.00035'],
    ['10.1103/PhysRevD.76.013009 10.1000/second', '10.1103/physrevd.76.013009'],
    ['not a doi', undefined],
    [null, undefined],
  ])('%j → %j', (text, doi) => {
    expect(normalizeDoi(text)).toBe(doi);
  });
});

describe('repairDoubleDecodedUtf8', () => {
  it('repairs UTF-8 read as Latin-1 and leaves real text alone', () => {
    expect(repairDoubleDecodedUtf8('Dirk WÃ¼bben')).toBe('Dirk Wübben');
    expect(repairDoubleDecodedUtf8('Dirk Wübben')).toBe('Dirk Wübben');
    expect(repairDoubleDecodedUtf8('Ã¼ and Ł')).toBe('Ã¼ and Ł');
    expect(repairDoubleDecodedUtf8('Ã©t\u00e9')).toBe('Ã©t\u00e9');
  });
});

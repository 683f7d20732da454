import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../domain/record.ts';
import { risAdapter } from './parse.ts';

// Hand-made, shaped like a Zotero 6 "Export Collection… → RIS" (there are no RIS fixtures in ../shared).
const ctx = { origin: 'zotero.ris', fetchedAt: '2024-06-01T00:00:00.000Z' };

const ZOTERO = `TY  - GEN
TI  - Attention Is All You Need
AU  - Vaswani, Ashish
AU  - Shazeer, Noam
AU  - Parmar, Niki
AB  - The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration.
DA  - 2023/08/01/
PY  - 2023
DO  - 10.48550/arXiv.1706.03762
DP  - arXiv.org
PB  - arXiv
UR  - http://arxiv.org/abs/1706.03762
Y2  - 2024/05/14/08:31:00
N1  - arXiv:1706.03762 [cs]
KW  - Computer Science - Computation and Language
KW  - Computer Science - Machine Learning
ER  - 

TY  - JOUR
TI  - Observation of Gravitational Waves from a Binary Black Hole Merger
AU  - Abbott, B. P.
AU  - LIGO Scientific Collaboration
AU  - Smith, John, Jr.
T2  - Physical Review Letters
AB  - On September 14, 2015 at 09:50:45 UTC the two detectors of the Laser Interferometer
Gravitational-Wave Observatory simultaneously observed a transient gravitational-wave signal.
DA  - 2016/02/11/
PY  - 2016
DO  - 10.1103/PhysRevLett.116.061102
VL  - 116
IS  - 6
SP  - 061102
J2  - Phys. Rev. Lett.
SN  - 0031-9007
UR  - https://link.aps.org/doi/10.1103/PhysRevLett.116.061102
Y2  - 2024/05/14/08:35:12
ER  - 

TY  - CHAP
ID  - kingma2014
TI  - Adam: A Method for Stochastic Optimization
AU  - Kingma, Diederik P.
PY  - 2015///
T2  - International Conference on Learning Representations
ER  - 
`;

describe('risAdapter.parse', () => {
  it('reads a Zotero export: titles, authors in order, dates, DOI, arXiv id, venue, keywords', () => {
    const out = risAdapter.parse(ZOTERO, ctx);
    expect(out.problems).toEqual([]);
    const [attention, ligo, adam] = out.records as PaperRecord[];
    expect(out.records).toHaveLength(3);

    expect(attention).toMatchObject({
      key: '10.48550/arxiv.1706.03762',
      ids: { doi: '10.48550/arxiv.1706.03762', arxiv: '1706.03762' },
      title: 'Attention Is All You Need',
      year: 2023,
      published: '2023-08-01',
      keywords: ['Computer Science - Computation and Language', 'Computer Science - Machine Learning'],
      links: [{ url: 'http://arxiv.org/abs/1706.03762', rel: 'abstract' }],
      provenance: { source: 'ris', origin: 'zotero.ris', locator: 'record 1 at line 1' },
    });
    expect(attention!.venue).toBeUndefined();
    expect(attention!.authors!.map((a) => a.display)).toEqual([
      'Ashish Vaswani',
      'Noam Shazeer',
      'Niki Parmar',
    ]);

    expect(ligo!.venue).toBe('Physical Review Letters');
    expect(ligo!.ids).toEqual({ doi: '10.1103/physrevlett.116.061102' });
    expect(ligo!.authors).toEqual([
      { display: 'B. P. Abbott', family: 'Abbott', given: 'B. P.' },
      { display: 'LIGO Scientific Collaboration', family: 'LIGO Scientific Collaboration' },
      { display: 'John Smith Jr.', family: 'Smith Jr.', given: 'John' },
    ]);
    // A wrapped abstract line continues the value, line break kept.
    expect(ligo!.abstract).toBe(
      'On September 14, 2015 at 09:50:45 UTC the two detectors of the Laser Interferometer\n' +
        'Gravitational-Wave Observatory simultaneously observed a transient gravitational-wave signal.',
    );

    expect(adam).toMatchObject({
      key: 'kingma2014',
      year: 2015,
      venue: 'International Conference on Learning Representations',
    });
    expect(adam!.published).toBeUndefined();
    expect(adam!.provenance.locator).toBe('record 3 (id kingma2014) at line 39');
  });

  it('drops a record without ER, keeps its neighbours, and reports unknown tags', () => {
    const text = `TY  - JOUR\nTI  - First\nPY  - 2020\nER  - \nTY  - JOUR\nID  - cut2021\nTI  - Unfinished\nTY  - JOUR\nTI  - Third\nZZ  - vendor field\nER  - \n`;
    const out = risAdapter.parse(text, ctx);
    expect((out.records as PaperRecord[]).map((r) => r.title)).toEqual(['First', 'Third']);
    expect(out.problems).toEqual([
      {
        source: 'ris',
        origin: 'zotero.ris',
        locator: 'record 2 (id cut2021) at line 5',
        message: 'record has no `ER  -` before the next `TY  -` at line 8',
      },
      {
        source: 'ris',
        origin: 'zotero.ris',
        locator: 'record 3 at line 8',
        message: 'unknown RIS tags ZZ (ignored)',
      },
    ]);
  });

  it('keys a record without DOI, arXiv id or ID by a hash of title and year', () => {
    const a = risAdapter.parse('TY  - JOUR\nTI  - Same  Title\nPY  - 2020\nER  - \n', ctx)
      .records[0] as PaperRecord;
    const b = risAdapter.parse('TY  - GEN\nT1  - same title\nY1  - 2020///\nER  -\n', ctx)
      .records[0] as PaperRecord;
    expect(a.key).toMatch(/^sha1:[0-9a-f]{16}$/);
    expect(b.key).toBe(a.key);
  });

  it('reports an unterminated last record and a file with no records', () => {
    expect(risAdapter.parse('TY  - JOUR\nTI  - x\n', ctx).problems).toEqual([
      {
        source: 'ris',
        origin: 'zotero.ris',
        locator: 'record 1 at line 1',
        message: 'record has no `ER  -` before the end of the file',
      },
    ]);
    expect(risAdapter.parse('hello\nworld', ctx).problems).toEqual([
      {
        source: 'ris',
        origin: 'zotero.ris',
        locator: 'file',
        message: 'no RIS records (`TY  - ` lines) found',
      },
    ]);
  });

  it('sniffs RIS by its first tag', () => {
    expect(risAdapter.sniff(`\uFEFF\n${ZOTERO}`)).toBe(0.95);
    expect(risAdapter.sniff(ZOTERO, 'export.ris')).toBe(1);
    expect(risAdapter.sniff('@article{a, title={x}}')).toBe(0);
    expect(risAdapter.sniff('[{"title":"x"}]')).toBe(0);
  });
});

describe('risAdapter garbage', () => {
  const check = (text: string) => {
    const out = risAdapter.parse(text, ctx);
    for (const p of out.problems) {
      expect(p).toMatchObject({ source: 'ris', origin: 'zotero.ris' });
      expect(p.locator).toMatch(/^(file|line \d+|record \d+( \(id [^)]*\))? at line \d+)$/);
    }
    return out;
  };

  it('never throws on random strings, tag soup or binary', () => {
    const tagLine = fc
      .tuple(
        fc.constantFrom('TY', 'ER', 'TI', 'AU', 'PY', 'DA', 'DO', 'XX', 'ab', ''),
        fc.constantFrom('  - ', ' - ', '  -', '-'),
        fc.string(),
      )
      .map(([t, s, v]) => t + s + v);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(tagLine).map((l) => l.join('\n')),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        (text) => {
          check(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps the complete records of a truncated export', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ZOTERO.length }), (cut) => {
        const out = check(ZOTERO.slice(0, cut));
        const complete = ZOTERO.slice(0, cut).split('\nER  -').length - 1;
        expect(out.records.length).toBe(complete);
      }),
      { numRuns: 200 },
    );
  });
});

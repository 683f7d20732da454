import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import type { AuthorRecord, PaperRecord } from '../../domain/record.ts';
import { openAlexAdapter as oa } from './parse.ts';

const ctx = { origin: 'openalex.json', fetchedAt: '2024-05-01T00:00:00.000Z' };

/**
 * HAND-MADE list responses: no OpenAlex list page was captured, so these follow the shape of
 * `/works?filter=…&cursor=*` and `/authors?search=…` from the OpenAlex docs (`meta` with
 * `count` and `next_cursor`, `results`), trimmed to the fields the adapter reads.
 */
const HANDMADE_WORKS_PAGE = {
  meta: {
    count: 1234,
    db_response_time_ms: 31,
    page: null,
    per_page: 25,
    next_cursor: 'IlsxNjA5MzcyODAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzI0ODg0OTk3NjQnXSI=',
  },
  results: [
    {
      id: 'https://openalex.org/W4390000001',
      doi: 'https://doi.org/10.48550/arxiv.2401.01234',
      title: 'A preprint with a DataCite DOI',
      publication_year: 2024,
      publication_date: '2024-01-03',
      ids: { openalex: 'https://openalex.org/W4390000001', doi: 'https://doi.org/10.48550/arxiv.2401.01234' },
      authorships: [
        {
          author: { id: 'https://openalex.org/A5000000001', display_name: 'Lechao Xiao', orcid: null },
          raw_author_name: 'L. Xiao',
        },
        { author: { display_name: 'Jeffrey Pennington' }, institutions: [{ display_name: 'Google' }] },
      ],
      primary_location: {
        landing_page_url: 'https://arxiv.org/abs/2401.01234',
        source: { display_name: 'arXiv (Cornell University)' },
      },
      abstract_inverted_index: { wide: [1], Very: [0], networks: [2] },
      cited_by_count: 3,
    },
    {
      id: 'https://openalex.org/W4390000002',
      display_name: 'Published version, arXiv copy in a secondary location',
      doi: 'https://doi.org/10.1000/XYZ.123',
      locations: [
        { landing_page_url: 'https://doi.org/10.1000/xyz.123' },
        {
          landing_page_url: 'http://arxiv.org/abs/1912.00001v3',
          pdf_url: 'http://arxiv.org/pdf/1912.00001v3',
        },
      ],
      host_venue: { display_name: 'Journal of Old Responses' },
    },
    'not a work',
    { display_name: 'A work without an id' },
  ],
};

const HANDMADE_AUTHORS_PAGE = {
  meta: { count: 2, next_cursor: null },
  results: [
    {
      id: 'https://openalex.org/A5000000001',
      display_name: 'Lechao Xiao',
      works_count: 40,
      display_name_alternatives: ['L. Xiao'],
    },
    { id: 'https://openalex.org/A5000000002', display_name: '' },
  ],
};

describe('openAlexAdapter on the captured responses', () => {
  it('reads W2741809807.json with every id, the rebuilt abstract, authors with ORCIDs and keywords', () => {
    const out = oa.parse(readFixture('openalex', 'W2741809807.json'), ctx);
    expect(out.problems).toEqual([]);
    expect(out.records).toHaveLength(1);
    const w = out.records[0] as PaperRecord;
    expect(w.key).toBe('W2741809807');
    expect(w.ids).toEqual({
      openalex: 'W2741809807',
      doi: '10.7717/peerj.4375',
      pmid: '29456894',
      pmcid: 'PMC5815332',
      mag: '2741809807',
    });
    expect(w.title).toBe(
      'The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles',
    );
    expect(w.abstract).toHaveLength(1630);
    expect(
      w.abstract?.startsWith('Despite growing interest in Open Access (OA) to scholarly literature, there'),
    ).toBe(true);
    expect(w.abstract?.endsWith('as a way to inform OA policy and practice.')).toBe(true);
    expect(w.authors?.map((a) => a.display)).toEqual([
      'Heather Piwowar',
      'Jason Priem',
      'Vincent Larivière',
      'Juan Pablo Alperin',
      'Lisa Matthias',
      'Bree Norlander',
      'Ashley Farley',
      'Jevin West',
      'Stefanie Haustein',
    ]);
    expect(w.authors?.[1]).toMatchObject({
      family: 'Priem',
      ids: { openalex: 'A5023888391', orcid: '0000-0001-6187-6610' },
      affiliations: ['Impactstory, Sanford, NC, USA'],
    });
    expect(w.published).toBe('2018-02-13');
    expect(w.year).toBe(2018);
    expect(w.venue).toBe('PeerJ');
    expect(w.citationCount).toBe(962);
    expect(w.referenceCount).toBe(45);
    expect(w.links).toEqual([
      { url: 'https://doi.org/10.7717/peerj.4375', rel: 'abstract' },
      { url: 'https://peerj.com/articles/4375.pdf', rel: 'pdf' },
    ]);
    // keywords, topics, then concepts scored >= 0.3 (case-insensitive repeats dropped)
    expect(w.keywords).toEqual([
      'Scholarly Communication',
      'Web of science',
      'Open Science',
      'Citation analysis',
      'scientometrics and bibliometrics research',
      'Academic Publishing and Open Access',
      'Research Data Management Practices',
      'Citation',
      'License',
      'Bibliometrics',
      'Computer science',
      'World Wide Web',
      'Medicine',
      'Library science',
    ]);
  });

  it('reads the older W-api-response.json (display_name only, host_venue, a gap in the inverted index)', () => {
    const out = oa.parse(readFixture('openalex', 'W-api-response.json'), ctx);
    expect(out.problems).toEqual([]);
    const w = out.records[0] as PaperRecord;
    expect(w.key).toBe('W2755950973');
    expect(w.ids).toEqual({ openalex: 'W2755950973', doi: '10.1103/physrevlett.118.091101' });
    expect(w.title).toBe(
      'GW170104: Observation of a 50-Solar-Mass Binary Black Hole Coalescence at Redshift 0.2',
    );
    expect(w.abstract?.split(' ')).toHaveLength(67);
    expect(w.abstract?.startsWith('We present the observation of GW170104 a gravitational wave signal')).toBe(
      true,
    );
    expect(w.authors).toEqual([
      {
        display: 'B. P. Abbott',
        family: 'Abbott',
        given: 'B. P.',
        ids: { openalex: 'A2150889177' },
        affiliations: ['LIGO Laboratory, California Institute of Technology, Pasadena, CA 91125, USA'],
      },
    ]);
    expect(w.venue).toBe('Physical Review Letters');
    expect(w.referenceCount).toBe(5);
    expect(w.keywords?.slice(0, 3)).toEqual(['Gravitational Waves', 'Black Holes', 'LIGO']);
  });

  it('reads authors with alternatives, ORCID, institutions and h-index', () => {
    const priem = oa.parse(readFixture('openalex', 'A5023888391.json'), ctx).records as AuthorRecord[];
    expect(priem).toHaveLength(1);
    expect(priem[0]).toMatchObject({
      kind: 'author',
      key: 'A5023888391',
      name: { display: 'Jason Priem', ids: { openalex: 'A5023888391', orcid: '0000-0001-6187-6610' } },
      alternatives: ['Priem Jason'],
      paperCount: 62,
      citationCount: 3890,
      hIndex: 17,
    });
    expect(priem[0]!.affiliations?.slice(0, 2)).toEqual(['OurResearch', 'Johns Hopkins University']);
    expect(priem[0]!.affiliations).toHaveLength(8);
    const abbott = oa.parse(readFixture('openalex', 'A-api-response.json'), ctx).records as AuthorRecord[];
    expect(abbott).toEqual([
      {
        kind: 'author',
        provenance: {
          source: 'openalex',
          origin: 'openalex.json',
          locator: 'record 1',
          fetchedAt: ctx.fetchedAt,
        },
        key: 'A2150889177',
        name: {
          display: 'B. P. Abbott',
          family: 'Abbott',
          given: 'B. P.',
          ids: { openalex: 'A2150889177', orcid: '0000-0002-3666-1234' },
        },
        alternatives: ['Barry P. Abbott', 'B.P. Abbott', 'Abbott, B.P.'],
        affiliations: ['California Institute of Technology'],
        paperCount: 523,
        citationCount: 28451,
      },
    ]);
  });
});

describe('openAlexAdapter on hand-made list pages', () => {
  it('reads a works page: cursor paging, arXiv ids from DOI and locations, problems for bad entries', () => {
    const out = oa.parse(JSON.stringify(HANDMADE_WORKS_PAGE), ctx);
    expect(out.paging).toEqual({ total: 1234, token: HANDMADE_WORKS_PAGE.meta.next_cursor });
    const [a, b] = out.records as PaperRecord[];
    expect(out.records).toHaveLength(2);
    expect(a!.ids).toEqual({
      openalex: 'W4390000001',
      doi: '10.48550/arxiv.2401.01234',
      arxiv: '2401.01234',
    });
    expect(a!.abstract).toBe('Very wide networks');
    expect(a!.authors).toEqual([
      { display: 'L. Xiao', family: 'Xiao', given: 'L.', ids: { openalex: 'A5000000001' } },
      { display: 'Jeffrey Pennington', family: 'Pennington', given: 'Jeffrey', affiliations: ['Google'] },
    ]);
    expect(a!.venue).toBe('arXiv (Cornell University)');
    expect(a!.provenance.locator).toBe('results[0]');
    expect(b!.ids).toEqual({ openalex: 'W4390000002', doi: '10.1000/xyz.123', arxiv: '1912.00001' });
    expect(b!.title).toBe('Published version, arXiv copy in a secondary location');
    expect(b!.venue).toBe('Journal of Old Responses');
    expect(out.problems).toEqual([
      {
        source: 'openalex',
        origin: 'openalex.json',
        locator: 'results[2]',
        message: 'expected a work or author object, got string',
      },
      {
        source: 'openalex',
        origin: 'openalex.json',
        locator: 'results[3]',
        message: 'work has no OpenAlex id (W… or A…)',
      },
    ]);
  });

  it('reads an authors page (last page: no cursor)', () => {
    const out = oa.parse(JSON.stringify(HANDMADE_AUTHORS_PAGE), ctx);
    expect(out.paging).toEqual({ total: 2 });
    expect(out.records.map((r) => [r.kind, r.key])).toEqual([['author', 'A5000000001']]);
    expect((out.records[0] as AuthorRecord).alternatives).toEqual(['L. Xiao']);
    expect(out.problems.map((p) => [p.locator, p.message])).toEqual([
      ['results[1] (id A5000000002)', 'author has no display_name'],
    ]);
  });

  it('turns an error body into a file problem', () => {
    const out = oa.parse(
      '{"error":"Invalid query parameters error.","message":"filter is not a valid field"}',
      ctx,
    );
    expect(out.records).toEqual([]);
    expect(out.problems).toEqual([
      {
        source: 'openalex',
        origin: 'openalex.json',
        locator: 'file',
        message: 'Invalid query parameters error. filter is not a valid field',
      },
    ]);
  });
});

describe('openAlexAdapter.sniff', () => {
  it('claims OpenAlex bodies and leaves other JSON alone', () => {
    for (const f of ['W2741809807.json', 'W-api-response.json', 'A5023888391.json', 'A-api-response.json']) {
      expect(oa.sniff(readFixture('openalex', f))).toBeGreaterThanOrEqual(0.9);
    }
    expect(oa.sniff(JSON.stringify(HANDMADE_AUTHORS_PAGE))).toBeGreaterThanOrEqual(0.9);
    expect(oa.sniff(readFixture('semantic-scholar', 'Reference.json'))).toBe(0);
    expect(oa.sniff(readFixture('arxiv-bulk', 'arxiv-browse-sample.jsonl').slice(0, 65536))).toBe(0);
    expect(oa.sniff('[{"type":"article","issued":{"date-parts":[[2020]]},"author":[{"family":"X"}]}]')).toBe(
      0,
    );
  });
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

describe('openAlexAdapter on garbage', () => {
  const work = readFixture('openalex', 'W-api-response.json');
  const named = (o: ReturnType<typeof oa.parse>) =>
    o.problems.every((p) => p.source === 'openalex' && p.origin === ctx.origin && p.locator.length > 0);

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = oa.parse(s, ctx);
        expect(named(out)).toBe(true);
        if (!isJson(s)) expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });

  it('never throws on random JSON values, also inside results and the inverted index', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (v, w) => {
        expect(named(oa.parse(JSON.stringify(v), ctx))).toBe(true);
        const page = {
          meta: v,
          results: [w, { id: 'W1', abstract_inverted_index: w, authorships: w, locations: w }],
        };
        const out = oa.parse(JSON.stringify(page), ctx);
        expect(out.records.map((r) => r.key)).toContain('W1');
        expect(named(out)).toBe(true);
      }),
    );
  });

  it('survives binary bytes decoded as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const out = oa.parse(Buffer.from(bytes).toString('latin1'), ctx);
        expect(named(out)).toBe(true);
        expect(out.records).toEqual([]);
      }),
    );
  });

  it('reports a truncated body as a file problem', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: work.length - 2 }), (n) => {
        const out = oa.parse(work.slice(0, n), ctx);
        expect(out.records).toEqual([]);
        expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });
});

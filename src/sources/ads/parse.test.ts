import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { adsAdapter as ads } from './parse.ts';

const ctx = { origin: 'ads-search.json', fetchedAt: '2024-05-01T00:00:00.000Z' };

/**
 * HAND-MADE: no NASA ADS response was captured anywhere public. This page follows the
 * published `/v1/search/query` shape and field list (bibcode, title[], author[], aff[],
 * orcid_pub[], abstract, year as a string, pubdate with `00` for unknown parts, doi[],
 * identifier[], eid, arxiv_class[], pub, pub_raw, keyword[], citation_count, property[]).
 * The values are made up to exercise the quirks; they are not real ADS records.
 */
const HANDMADE_PAGE = {
  responseHeader: {
    status: 0,
    QTime: 12,
    params: {
      q: 'author:"Xiao, Lechao"',
      fl: 'bibcode,title,author,aff,abstract,year,pubdate',
      start: '0',
      rows: '5',
    },
  },
  response: {
    numFound: 57,
    start: 0,
    docs: [
      {
        bibcode: '2019arXiv191213053X',
        title: ['Disentangling Trainability and Generalization in Deep Neural Networks'],
        author: ['Xiao, Lechao', 'Pennington, Jeffrey', 'Schoenholz, Samuel S.'],
        aff: ['Google Brain; Google Research', '-', '-'],
        orcid_pub: ['-', '0000-0002-1825-009x', '-'],
        abstract:
          'A long-standing goal in the theory of deep learning is to characterize the conditions $\\alpha > 0$.',
        year: '2019',
        pubdate: '2019-12-00',
        doi: ['10.48550/arXiv.1912.13053'],
        identifier: ['2019arXiv191213053X', 'arXiv:1912.13053', '10.48550/arXiv.1912.13053'],
        arxiv_class: ['cs.LG', 'stat.ML'],
        pub: 'arXiv e-prints',
        pub_raw: 'eprint arXiv:1912.13053',
        keyword: ['Computer Science - Machine Learning', 'Statistics - Machine Learning'],
        citation_count: 31,
        property: ['ARTICLE', 'EPRINT_OPENACCESS', 'NOT REFEREED', 'OPENACCESS'],
      },
      {
        bibcode: '2021PhRvD.103d4001A',
        title: ['A refereed paper with an unknown month'],
        author: ['van der Berg, Anna', 'LIGO Scientific Collaboration'],
        year: '2021',
        pubdate: '2021-00-00',
        doi: ['10.1103/PhysRevD.103.044001'],
        eid: '044001',
        pub: 'Physical Review D',
        citation_count: 0,
      },
      { doi: ['10.1000/NO-BIBCODE'], title: ['Only a DOI (fl left bibcode out)'], pubdate: '2020-05-17' },
      'not a doc',
      { abstract: 'Nothing to key this on' },
    ],
  },
};

const LAST_PAGE = {
  responseHeader: { status: 0 },
  response: { numFound: 57, start: 55, docs: [{ bibcode: 'a' }, { bibcode: 'b' }] },
};

describe('adsAdapter on a hand-made search page', () => {
  const out = ads.parse(JSON.stringify(HANDMADE_PAGE), ctx);
  const [a, b, c] = out.records as PaperRecord[];

  it('returns the three keyed docs and a problem for each bad one, with paging', () => {
    expect(out.records.map((r) => r.key)).toEqual([
      '2019arXiv191213053X',
      '2021PhRvD.103d4001A',
      'doi:10.1000/no-bibcode',
    ]);
    expect(out.problems).toEqual([
      {
        source: 'ads',
        origin: 'ads-search.json',
        locator: 'docs[3]',
        message: 'expected a document object, got string',
      },
      {
        source: 'ads',
        origin: 'ads-search.json',
        locator: 'docs[4]',
        message: 'document has no bibcode, DOI, arXiv id or ADS id',
      },
    ]);
    expect(out.paging).toEqual({ total: 57, nextOffset: 5 });
  });

  it('reads ids, names, affiliations, ORCIDs and the partial pubdate', () => {
    expect(a!.ids).toEqual({
      bibcode: '2019arXiv191213053X',
      doi: '10.48550/arxiv.1912.13053',
      arxiv: '1912.13053',
    });
    expect(a!.title).toBe('Disentangling Trainability and Generalization in Deep Neural Networks');
    expect(a!.abstract).toBe(
      'A long-standing goal in the theory of deep learning is to characterize the conditions $\\alpha > 0$.',
    );
    expect(a!.authors).toEqual([
      {
        display: 'Xiao, Lechao',
        family: 'Xiao',
        given: 'Lechao',
        affiliations: ['Google Brain', 'Google Research'],
      },
      {
        display: 'Pennington, Jeffrey',
        family: 'Pennington',
        given: 'Jeffrey',
        ids: { orcid: '0000-0002-1825-009X' },
      },
      { display: 'Schoenholz, Samuel S.', family: 'Schoenholz', given: 'Samuel S.' },
    ]);
    expect(a!.published).toBe('2019-12');
    expect(a!.year).toBe(2019);
    expect(a!.categories).toEqual(['cs.LG', 'stat.ML']);
    expect(a!.venue).toBe('arXiv e-prints');
    expect(a!.journalRef).toBe('eprint arXiv:1912.13053');
    expect(a!.keywords).toEqual(['Computer Science - Machine Learning', 'Statistics - Machine Learning']);
    expect(a!.citationCount).toBe(31);
    expect(a!.links).toEqual([
      { url: 'https://ui.adsabs.harvard.edu/abs/2019arXiv191213053X/abstract', rel: 'abstract' },
    ]);
    expect(a!.provenance).toEqual({
      source: 'ads',
      origin: 'ads-search.json',
      locator: 'docs[0]',
      fetchedAt: ctx.fetchedAt,
    });
  });

  it('keeps a group author whole and drops an unknown month', () => {
    expect(b!.authors?.map((p) => [p.family, p.given])).toEqual([
      ['van der Berg', 'Anna'],
      ['LIGO Scientific Collaboration', undefined],
    ]);
    expect(b!.published).toBeUndefined();
    expect(b!.year).toBe(2021);
    expect(b!.ids).toEqual({ bibcode: '2021PhRvD.103d4001A', doi: '10.1103/physrevd.103.044001' });
    expect(b!.citationCount).toBe(0);
    expect(c!.published).toBe('2020-05-17');
    expect(c!.year).toBe(2020);
  });

  it('gives no next offset on the last page', () => {
    expect(ads.parse(JSON.stringify(LAST_PAGE), ctx).paging).toEqual({ total: 57 });
  });

  it('turns error bodies into one file problem', () => {
    const plain = ads.parse('{"error": "Unauthorized"}', ctx);
    expect(plain.problems).toEqual([
      { source: 'ads', origin: 'ads-search.json', locator: 'file', message: 'Unauthorized' },
    ]);
    const solr = ads.parse(
      '{"responseHeader":{"status":400,"QTime":1},"error":{"msg":"org.apache.solr.search.SyntaxError: Cannot parse \'author:(\'","code":400}}',
      ctx,
    );
    expect(solr.records).toEqual([]);
    expect(solr.problems.map((p) => p.message)).toEqual([
      "org.apache.solr.search.SyntaxError: Cannot parse 'author:('",
    ]);
  });
});

describe('adsAdapter.sniff', () => {
  it('claims ADS pages and leaves other JSON alone', () => {
    expect(ads.sniff(JSON.stringify(HANDMADE_PAGE))).toBeGreaterThanOrEqual(0.9);
    expect(ads.sniff(readFixture('semantic-scholar', 'Citation.json'))).toBe(0);
    expect(ads.sniff(readFixture('openalex', 'W2741809807.json'))).toBe(0);
    expect(ads.sniff(readFixture('arxiv-bulk', 'unarxive-sample-metadata.jsonl').slice(0, 65536))).toBe(0);
    expect(ads.sniff('[{"type":"article","issued":{"date-parts":[[2020]]},"author":[{"family":"X"}]}]')).toBe(
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

describe('adsAdapter on garbage', () => {
  const page = JSON.stringify(HANDMADE_PAGE, null, 1);
  const named = (o: ReturnType<typeof ads.parse>) =>
    o.problems.every((p) => p.source === 'ads' && p.origin === ctx.origin && p.locator.length > 0);

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = ads.parse(s, ctx);
        expect(named(out)).toBe(true);
        if (!isJson(s)) expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });

  it('never throws on random JSON values as the body or as any doc field', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(
          fc.constantFrom('title', 'author', 'aff', 'pubdate', 'doi', 'identifier', 'year', 'eid'),
          fc.jsonValue(),
        ),
        (v, fields) => {
          expect(named(ads.parse(JSON.stringify(v), ctx))).toBe(true);
          const body = { response: { numFound: v, start: v, docs: [{ ...fields, bibcode: 'X' }, v] } };
          const out = ads.parse(JSON.stringify(body), ctx);
          expect(out.records[0]!.key).toBe('X');
          expect(named(out)).toBe(true);
        },
      ),
    );
  });

  it('survives binary bytes decoded as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const out = ads.parse(Buffer.from(bytes).toString('latin1'), ctx);
        expect(named(out)).toBe(true);
        expect(out.records).toEqual([]);
      }),
    );
  });

  it('reports a truncated page as a file problem', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: page.length - 2 }), (n) => {
        const out = ads.parse(page.slice(0, n), ctx);
        expect(out.records).toEqual([]);
        expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });
});

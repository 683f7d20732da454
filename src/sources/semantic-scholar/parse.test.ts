import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFixture } from '../../../test/shared.ts';
import type { AuthorRecord, PaperRecord } from '../../domain/record.ts';
import { semanticScholarAdapter as s2 } from './parse.ts';

const ctx = { origin: 'fixture.json', fetchedAt: '2024-05-01T00:00:00.000Z' };

/**
 * The response bodies of a VCR cassette. Older cassettes keep the body in
 * `response.content`, newer ones in `response.body.string`.
 */
function cassette(name: string): { uri: string; status: number; body: string }[] {
  const doc = parseYaml(readFixture('semantic-scholar', name)) as {
    interactions: {
      request: { uri: string };
      response: {
        content?: string;
        body?: { string: string };
        status_code?: number;
        status?: { code: number };
      };
    }[];
  };
  return doc.interactions.map(({ request, response }) => ({
    uri: request.uri,
    status: response.status_code ?? response.status?.code ?? 0,
    body: response.content ?? response.body?.string ?? '',
  }));
}

const papers = (records: unknown[]) => records as PaperRecord[];

describe('semanticScholarAdapter on the captured objects', () => {
  it('reads Paper.json as one paper with ids, tldr, journal and counts (embedded citations are not records)', () => {
    const out = s2.parse(readFixture('semantic-scholar', 'Paper.json'), ctx);
    expect(out.problems).toEqual([]);
    expect(out.records).toHaveLength(1);
    const p = out.records[0] as PaperRecord;
    expect(p.key).toBe('2d5673caa9e6af3a7b82a43f19ee920992db07ad');
    expect(p.ids).toEqual({
      s2: '2d5673caa9e6af3a7b82a43f19ee920992db07ad',
      s2Corpus: '14636783',
      doi: '10.1093/mind/lix.236.433',
      dblp: 'journals/x/Turing50',
      mag: '2145482038',
    });
    expect(p.title).toBe('Computing Machinery and Intelligence');
    expect(
      p.abstract?.startsWith('I propose to consider the question, \u201cCan machines think?\u201d\u2663'),
    ).toBe(true);
    expect(p.authors).toEqual([
      { display: 'A. Turing', family: 'Turing', given: 'A.', ids: { s2: '2262347' } },
    ]);
    expect(p.year).toBe(1950);
    expect(p.published).toBe('1950-10-01');
    expect(p.venue).toBe('The Philosophy of Artificial Intelligence');
    expect(p.journalRef).toBe('Mind, LIX, 433-460');
    expect(p.categories).toEqual(['Computer Science', 'Sociology']);
    expect(p.citationCount).toBe(10059);
    expect(p.referenceCount).toBe(14);
    expect(p.tldr?.startsWith('If the meaning of the words')).toBe(true);
    expect(p.provenance).toEqual({
      source: 'semantic-scholar',
      origin: 'fixture.json',
      locator: 'record 1',
      fetchedAt: ctx.fetchedAt,
    });
  });

  it('reads Author.json as one author then its 60 papers', () => {
    const out = s2.parse(readFixture('semantic-scholar', 'Author.json'), ctx);
    expect(out.problems).toEqual([]);
    expect(out.records).toHaveLength(61);
    const a = out.records[0] as AuthorRecord;
    expect(a).toMatchObject({
      kind: 'author',
      key: '2262347',
      name: { display: 'A. Turing', family: 'Turing', ids: { s2: '2262347' } },
      paperCount: 60,
      citationCount: 12415,
      hIndex: 23,
    });
    const ps = papers(out.records.slice(1));
    expect(ps.every((p) => p.kind === 'paper')).toBe(true);
    expect(ps[0]!.title).toBe('Dystopian or Utopian? Two Images of Alan Turing');
    expect(ps[0]!.provenance.locator).toBe('papers[0]');
    expect(ps[59]!.key).toBe('4d81ff79406cd02e064285e5f61e5b6bde68f5e7');
    expect(ps.filter((p) => p.abstract).length).toBe(34);
    expect(ps.filter((p) => p.ids.doi).length).toBe(32);
    expect(ps[1]!.ids.doi).toBe('10.1016/b978-044450423-4/50007-3');
    expect(ps[1]!.links).toEqual([
      {
        url: 'https://www.semanticscholar.org/paper/947efa54175145240c1a33f62321f23db43571e7',
        rel: 'abstract',
      },
      {
        url: 'https://pure.mpg.de/pubman/item/item_2403325_2/component/file_2403324/Turing_1939_Sysyems.pdf',
        rel: 'pdf',
      },
    ]);
  });

  it('unwraps Citation.json (citingPaper) and Reference.json (citedPaper, with an arXiv id)', () => {
    const citing = s2.parse(readFixture('semantic-scholar', 'Citation.json'), ctx);
    expect(citing.problems).toEqual([]);
    expect(papers(citing.records).map((p) => [p.key, p.title, p.ids.doi])).toEqual([
      [
        'bdcbc589c8d1e4dd0c6572630f8511557406ad2f',
        'Learning to Throw With a Handful of Samples Using Decision Transformers',
        '10.1109/lra.2022.3229266',
      ],
    ]);
    expect(citing.records[0]!.provenance.locator).toBe('record 1 (citingPaper)');
    const cited = s2.parse(readFixture('semantic-scholar', 'Reference.json'), ctx);
    const p = cited.records[0] as PaperRecord;
    expect(cited.records).toHaveLength(1);
    expect(p.ids.arxiv).toBe('1402.0030');
    expect(p.ids.mag).toBe('2122262818');
    expect(p.authors?.map((a) => a.display)).toEqual(['A. Mnih', 'Karol Gregor']);
    expect(p.venue).toBe('International Conference on Machine Learning');
    expect(p.journalRef).toBe('1791-1799');
  });

  it('reads PaperWithNullValues.json (authors null) as a partial record', () => {
    const out = s2.parse(readFixture('semantic-scholar', 'PaperWithNullValues.json'), ctx);
    expect(out.problems).toEqual([]);
    expect(out.records).toEqual([
      {
        kind: 'paper',
        provenance: {
          source: 'semantic-scholar',
          origin: 'fixture.json',
          locator: 'record 1',
          fetchedAt: ctx.fetchedAt,
        },
        key: '2d5673caa9e6af3a7b82a43f19ee920992db07ad',
        ids: { s2: '2d5673caa9e6af3a7b82a43f19ee920992db07ad' },
      },
    ]);
  });
});

describe('semanticScholarAdapter on the recorded HTTP exchanges', () => {
  it('pages through the author papers by offset: 9 pages, 875 distinct papers', () => {
    const pages = cassette('test_get_author_papers.yaml').map((x) => s2.parse(x.body, ctx));
    expect(pages.map((p) => p.records.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 75]);
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    expect(pages.map((p) => p.paging?.nextOffset)).toEqual([
      100,
      200,
      300,
      400,
      500,
      600,
      700,
      800,
      undefined,
    ]);
    const keys = new Set(pages.flatMap((p) => p.records.map((r) => r.key)));
    expect(keys.size).toBe(875);
    const first = pages[0]!.records[0] as PaperRecord;
    expect(first).toMatchObject({
      key: '01063e45d9fc9635d29d8d78aa24ed8de351f36a',
      title: 'SARS-CoV-2 hijacks p38\u03b2/MAPK11 to promote virus replication',
      provenance: { locator: 'data[0]' },
    });
    expect(first.authors).toBeUndefined();
  });

  it('reads the search page with total and next offset', () => {
    const [x] = cassette('test_search_paper.yaml');
    const out = s2.parse(x!.body, ctx);
    expect(out.records).toHaveLength(100);
    expect(out.paging).toEqual({ total: 70499, nextOffset: 100 });
    expect((out.records[4] as PaperRecord).title).toBe('Neural Turing Machines');
    expect(out.records[99]!.key).toBe('f4aaf0a780cd02138aade2a51f99989cc2c962fd');
  });

  it('reads the bulk search page with its continuation token', () => {
    const [x] = cassette('test_search_paper_bulk_retrieval.yaml');
    const out = s2.parse(x!.body, ctx);
    expect(out.records).toHaveLength(1000);
    expect(out.problems).toEqual([]);
    expect(out.paging?.total).toBe(2674);
    expect(out.paging?.token).toMatch(/^PCOKWVSKJJGM4TWNJNI3EUSQ/);
    expect(out.paging?.nextOffset).toBeUndefined();
    expect((out.records[0] as PaperRecord).title).toBe(
      'Kubernetes Cluster for Automating Software Production Environment',
    );
  });

  it('reads the batch answer (a bare array) with authors only', () => {
    const [x] = cassette('test_get_papers.yaml');
    const out = s2.parse(x!.body, ctx);
    expect(papers(out.records).map((p) => p.key)).toEqual([
      'c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce',
      'cb1ebd913c3724c599f6b276b14b5c6253da68f3',
      '0f40b1f08821e22e859c6050916cec3667778613',
    ]);
    expect(papers(out.records)[1]!.authors?.map((a) => [a.display, a.ids?.s2])).toEqual([
      ['E. Duflo', '2259683'],
      ['A. Banerjee', '2237651454'],
      ['R. Glennerster', '4249203'],
      ['Cynthia Kinnan', '31549526'],
    ]);
    expect(out.records[2]!.provenance.locator).toBe('record 3');
  });

  it('reads the recommendations', () => {
    const [x] = cassette('test_get_recommended_papers.yaml');
    const out = s2.parse(x!.body, ctx);
    expect(out.records).toHaveLength(100);
    expect(out.paging).toBeUndefined();
    expect(out.records[99]!.provenance.locator).toBe('recommendedPapers[99]');
    expect((out.records[99] as PaperRecord).title).toBe(
      'The Multiracial Complication: The 2020 Census and the Fictitious Multiracial Boom',
    );
  });

  it('turns error bodies (404 not found, 400 bad fields) into one file problem', () => {
    const bodies = [...cassette('test_not_found.yaml'), ...cassette('test_bad_query_parameters.yaml')];
    expect(bodies.map((b) => b.status)).toEqual([404, 404, 400]);
    const out = bodies.map((b) => s2.parse(b.body, ctx));
    expect(out.map((o) => o.records.length)).toEqual([0, 0, 0]);
    expect(out.map((o) => o.problems)).toEqual(
      [
        'Paper with id 0 not found',
        'Author with id 0 not found',
        'Unrecognized or unsupported fields: [unknown]',
      ].map((message) => [{ source: 'semantic-scholar', origin: 'fixture.json', locator: 'file', message }]),
    );
    expect(s2.parse('{"message": "Too Many Requests"}', ctx).problems[0]!.message).toBe('Too Many Requests');
  });
});

describe('semanticScholarAdapter on hand-made edge cases', () => {
  it('skips batch nulls silently but reports entries that are not papers', () => {
    const body = JSON.stringify([
      { paperId: 'a1', title: 'One', externalIds: { ArXiv: '2101.00001', DOI: '10.48550/ARXIV.2101.00001' } },
      null,
      'junk',
      { title: 'no id' },
      { paperId: 'b2', corpusId: 42, externalIds: { PubMedCentral: '123', PubMed: '999' } },
    ]);
    const out = s2.parse(body, ctx);
    expect(papers(out.records).map((p) => p.ids)).toEqual([
      { s2: 'a1', arxiv: '2101.00001', doi: '10.48550/arxiv.2101.00001' },
      { s2: 'b2', s2Corpus: '42', pmid: '999', pmcid: 'PMC123' },
    ]);
    expect(out.problems.map((p) => [p.locator, p.message])).toEqual([
      ['record 3', 'expected a paper object, got string'],
      ['record 4', 'paper has no paperId (title "no id")'],
    ]);
  });

  it('reads citation pages with wrapped papers and author lists', () => {
    const citations = s2.parse(
      JSON.stringify({
        offset: 0,
        data: [
          { contexts: [], citedPaper: { paperId: null, title: 'Unresolved' } },
          { citedPaper: { paperId: 'c3' } },
        ],
      }),
      ctx,
    );
    expect(citations.records.map((r) => [r.key, r.provenance.locator])).toEqual([
      ['c3', 'data[1].citedPaper'],
    ]);
    expect(citations.problems.map((p) => p.locator)).toEqual(['data[0].citedPaper']);
    const authors = s2.parse(
      JSON.stringify({
        data: [{ authorId: '7', name: 'Lechao Xiao', aliases: ['L. Xiao'], papers: [{ paperId: 'p1' }] }],
      }),
      ctx,
    );
    expect(authors.records.map((r) => [r.kind, r.key, r.provenance.locator])).toEqual([
      ['author', '7', 'data[0]'],
      ['paper', 'p1', 'data[0] papers[0]'],
    ]);
    expect((authors.records[0] as AuthorRecord).alternatives).toEqual(['L. Xiao']);
  });
});

describe('semanticScholarAdapter.sniff', () => {
  it('claims S2 bodies and leaves other JSON alone', () => {
    expect(s2.sniff(readFixture('semantic-scholar', 'Paper.json').slice(0, 65536))).toBeGreaterThanOrEqual(
      0.9,
    );
    expect(s2.sniff(readFixture('semantic-scholar', 'Author.json').slice(0, 65536))).toBeGreaterThanOrEqual(
      0.9,
    );
    expect(s2.sniff(cassette('test_get_recommended_papers.yaml')[0]!.body)).toBeGreaterThanOrEqual(0.9);
    expect(s2.sniff(readFixture('openalex', 'W2741809807.json'))).toBe(0);
    expect(s2.sniff(readFixture('arxiv-bulk', 'arxiv-browse-sample.jsonl').slice(0, 65536))).toBe(0);
    expect(
      s2.sniff('[{"type":"article-journal","issued":{"date-parts":[[2020]]},"author":[{"family":"X"}]}]'),
    ).toBe(0);
    expect(s2.sniff('paperId: not json')).toBe(0);
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

describe('semanticScholarAdapter on garbage', () => {
  const paper = readFixture('semantic-scholar', 'Reference.json');
  const named = (o: ReturnType<typeof s2.parse>) =>
    o.problems.every(
      (p) => p.source === 'semantic-scholar' && p.origin === ctx.origin && p.locator.length > 0,
    );

  it('never throws on random strings and names every problem', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = s2.parse(s, ctx);
        expect(named(out)).toBe(true);
        if (!isJson(s)) expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });

  it('never throws on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(named(s2.parse(JSON.stringify(v), ctx))).toBe(true);
      }),
    );
  });

  it('survives binary bytes decoded as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const out = s2.parse(Buffer.from(bytes).toString('latin1'), ctx);
        expect(named(out)).toBe(true);
        expect(out.records).toEqual([]);
      }),
    );
  });

  it('reports a truncated body as a file problem', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paper.length - 2 }), (n) => {
        const out = s2.parse(paper.slice(0, n), ctx);
        expect(out.records).toEqual([]);
        expect(out.problems).toHaveLength(1);
        expect(out.problems[0]!.locator).toBe('file');
      }),
    );
  });

  it('keeps the good entries of a list when others are random values', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), (junk) => {
        const data = [{ paperId: 'good1' }, ...junk, { paperId: 'good2' }];
        const out = s2.parse(JSON.stringify({ data }), ctx);
        expect(out.records.filter((r) => r.key === 'good1' || r.key === 'good2')).toHaveLength(2);
        expect(named(out)).toBe(true);
      }),
    );
  });
});

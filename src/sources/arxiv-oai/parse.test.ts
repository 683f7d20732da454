import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { arxivOaiAdapter } from './parse.ts';

const ctx = { origin: 'oai-test', fetchedAt: '2026-01-02T03:04:05Z' };
const PAGES = ['ListRecords_data_0.xml', 'ListRecords_data_1.xml', 'ListRecords_data_2.xml'];
const text = (name: string) => readFixture('arxiv-oai', name);
const parse = (name: string) => arxivOaiAdapter.parse(text(name), ctx);

describe('arxivOaiAdapter on a real oai_dc harvest', () => {
  const pages = PAGES.map(parse);
  const all = pages.flatMap((p) => p.records) as PaperRecord[];
  const byId = new Map(all.map((r) => [r.key, r]));

  it('reads 1,000 + 1,000 + 265 = 2,265 distinct records joined by resumptionToken', () => {
    expect(pages.map((p) => p.records.length)).toEqual([1000, 1000, 265]);
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
    expect(byId.size).toBe(2265);
    expect(pages.map((p) => p.paging)).toEqual([
      { total: 2265, token: '6511260|1001' },
      { total: 2265, token: '6511260|2001' },
      { total: 2265 },
    ]);
    expect(pages[1]?.records[0]?.key).toBe('2303.00907');
  });

  it('counts DOIs, comments, revised papers and old-style ids (checked with Python ElementTree)', () => {
    expect(all.filter((r) => r.ids.doi).length).toBe(366);
    expect(all.filter((r) => r.comments).length).toBe(1449);
    expect(all.filter((r) => r.updated).length).toBe(925);
    expect(all.filter((r) => r.ids.arxiv?.includes('/')).map((r) => r.key)).toEqual([
      'gr-qc/9910050',
      'nlin/0202021',
    ]);
    expect(byId.get('2209.11175')?.authors).toHaveLength(578);
  });

  it('reads the first record completely (0806.4410)', () => {
    const r = all[0]!;
    expect(r.key).toBe('0806.4410');
    expect(r.ids).toEqual({ arxiv: '0806.4410' });
    expect(r.title).toBe('Summing the curious series of Kempner and Irwin');
    expect(r.authors).toEqual([{ display: 'Baillie, Robert', family: 'Baillie', given: 'Robert' }]);
    expect(
      r.abstract?.startsWith(
        '  In 1914, Kempner proved that the series 1/1 + 1/2 + ... + 1/8 + 1/10 + 1/11 +\n',
      ),
    ).toBe(true);
    expect(r.abstract?.endsWith('whose summation algorithm has not yet been developed.\n')).toBe(true);
    expect(r.comments).toBe(
      '29 pages, 2 figures, 10 tables. Several new sections. Expanded Mathematica code, which is now in the ancillary files',
    );
    expect(r.published).toBe('2008-06-27');
    expect(r.updated).toBe('2023-03-04');
    expect(r.year).toBe(2008);
    expect(r.versions).toEqual([{ version: 'v1', date: '2008-06-27' }]);
    expect(r.categories).toEqual(['math.CA', 'math.NT']);
    expect(r.keywords).toEqual(['40-01, 65B10']);
    expect(r.provenance).toEqual({
      source: 'arxiv-oai',
      origin: 'oai-test',
      locator: 'record 1 (oai:arXiv.org:0806.4410)',
      fetchedAt: '2026-01-02T03:04:05Z',
    });
  });

  it('splits dc:identifier into DOI and journal reference, and subjects into codes with their aliases (1401.4788)', () => {
    const r = byId.get('1401.4788')!;
    expect(r.ids).toEqual({ arxiv: '1401.4788', doi: '10.1016/j.patrec.2014.01.002' });
    expect(r.journalRef).toBe('Pattern Recognition Letters 42 (2014): 25-34');
    expect(r.title).toBe(
      'Generalized Bhattacharyya and Chernoff upper bounds on Bayes error using quasi-arithmetic means',
    );
    // `Computer Science - Information Theory` is cs.IT, which arXiv also lists as math.IT (the `math` set).
    expect(r.categories).toEqual(['cs.CV', 'cs.IT', 'math.IT']);
    expect(r.updated).toBeUndefined();
  });

  it('stores arXiv codes as categories, never subject names; other subjects (MSC, ACM classes) as keywords', () => {
    const categories = new Set(all.flatMap((r) => r.categories ?? []));
    expect([...categories].filter((c) => !/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c))).toEqual([]);
    expect(categories.has('cs.LG')).toBe(true);
    expect(categories.has('Computer Science - Machine Learning')).toBe(false);
    // Every paper has a category, and a set's archive appears only where no subject covers it.
    expect(all.filter((r) => !r.categories?.length)).toEqual([]);
    expect(all.filter((r) => r.categories?.includes('cs'))).toEqual([]);
    const keywords = all.flatMap((r) => r.keywords ?? []);
    expect(all.filter((r) => r.keywords?.length).length).toBe(314);
    expect(keywords).toContain('I.2.6');
    expect(keywords.filter((k) => / - /.test(k))).toEqual([]);
  });

  it('decodes character references in names (Klüppelholz) and names nlin subjects by code', () => {
    expect(byId.get('1701.05389')?.authors?.[2]).toEqual({
      display: 'Klüppelholz, Sascha',
      family: 'Klüppelholz',
      given: 'Sascha',
    });
    const last = all[all.length - 1]!;
    expect(last.key).toBe('nlin/0202021');
    expect(last.categories).toEqual(['nlin.SI', 'nlin.PS']);
    expect(last.authors?.map((a) => a.display)).toEqual(['Holm, Darryl D.', 'Qiao, Zhijun']);
  });

  it('reads a GetRecord response (2107.10460)', () => {
    const out = parse('GetRecord_data.xml');
    expect(out.problems).toEqual([]);
    expect(out.paging).toBeUndefined();
    const [r] = out.records as PaperRecord[];
    expect(r?.ids).toEqual({ arxiv: '2107.10460', doi: '10.1038/s41535-022-00470-6' });
    expect(r?.title).toBe('Anomalous High-Field Magnetotransport in CaFeAsF due to the Quantum Hall Effect');
    expect(r?.authors).toHaveLength(8);
    expect(r?.categories).toEqual(['cond-mat.supr-con', 'cond-mat.mtrl-sci', 'cond-mat.str-el']);
    expect(r?.journalRef).toBe('npj Quantum Materials 7, 62 (2022)');
    expect(r?.abstract).toContain('Schr\\"odinger-hole');
  });

  it('gives zero papers and no problem for ListIdentifiers (headers only)', () => {
    expect(parse('ListIdentifiers_data.xml')).toEqual({ records: [], problems: [] });
  });

  it('gives one clean file problem for the 503 "Retry after" page', () => {
    expect(parse('retry_after_503.html')).toEqual({
      records: [],
      problems: [
        {
          source: 'arxiv-oai',
          origin: 'oai-test',
          locator: 'file',
          message: 'not an OAI-PMH response: "Retry after 1 seconds"',
        },
      ],
    });
  });

  it('sniffs OAI-PMH and nothing else', () => {
    expect(arxivOaiAdapter.sniff(text('GetRecord_data.xml'))).toBeGreaterThan(0.9);
    expect(arxivOaiAdapter.sniff(text('retry_after_503.html'))).toBe(0);
    expect(arxivOaiAdapter.sniff('{"id":"0704.0046"}')).toBe(0);
  });
});

describe('arxivOaiAdapter on errors and garbage', () => {
  const envelope = (inner: string) =>
    `<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2023-03-07T18:54:05Z</responseDate>${inner}</OAI-PMH>`;

  it('treats noRecordsMatch as an empty result and other OAI errors as problems', () => {
    expect(
      arxivOaiAdapter.parse(envelope('<error code="noRecordsMatch">No records match</error>'), ctx),
    ).toEqual({ records: [], problems: [] });
    const bad = arxivOaiAdapter.parse(
      envelope('<error code="badResumptionToken">Token 6511260|9 is gone</error>'),
      ctx,
    );
    expect(bad.problems).toEqual([
      {
        source: 'arxiv-oai',
        origin: 'oai-test',
        locator: 'file',
        message: 'OAI-PMH error badResumptionToken: Token 6511260|9 is gone',
      },
    ]);
  });

  it('skips deleted records', () => {
    const out = arxivOaiAdapter.parse(
      envelope(
        '<ListRecords><record><header status="deleted"><identifier>oai:arXiv.org:0704.0002</identifier><datestamp>2020-01-01</datestamp></header></record></ListRecords>',
      ),
      ctx,
    );
    expect(out).toEqual({ records: [], problems: [] });
  });

  const real = text('ListRecords_data_2.xml');

  it('keeps the records before a truncation and names the cut record', () => {
    const starts = [...real.matchAll(/<record>/g)].map((m) => m.index!);
    const out = arxivOaiAdapter.parse(real.slice(0, starts[10]! + 500), ctx);
    expect(out.records).toHaveLength(10);
    expect(out.problems.map((p) => p.locator)).toEqual([
      expect.stringMatching(/^record 11 \(oai:arXiv\.org:/),
      'file',
    ]);
    expect(out.problems[0]?.message).toContain('cut off');
  });

  it('keeps the other records when one is malformed', () => {
    const broken = real.replace('<dc:title>', '<dc:title><oops>');
    const out = arxivOaiAdapter.parse(broken, ctx);
    expect(out.records).toHaveLength(264);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]?.locator).toMatch(/^record 1 \(oai:arXiv\.org:/);
    expect(out.problems[0]?.message).toMatch(/^malformed XML/);
  });

  it('never throws on random strings, random bytes or truncated real input', () => {
    const head = real.slice(0, 40_000);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ maxLength: 400 }).map(envelope),
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
          fc.nat({ max: head.length }).map((n) => head.slice(0, n)),
          fc
            .tuple(fc.nat({ max: head.length }), fc.string({ maxLength: 20 }))
            .map(([n, s]) => head.slice(0, n) + s + head.slice(n)),
        ),
        (input) => {
          const out = arxivOaiAdapter.parse(input, ctx);
          for (const p of out.problems) {
            expect(p.source).toBe('arxiv-oai');
            expect(p.origin).toBe('oai-test');
            expect(p.locator).toMatch(/^(file|record \d+ \()/);
          }
          for (const r of out.records) expect(r.provenance.locator).toMatch(/^record \d+ \(/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

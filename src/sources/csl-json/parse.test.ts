import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../domain/record.ts';
import { cslJsonAdapter } from './parse.ts';

// Hand-made, shaped like Zotero 6 "Export Collection… → CSL JSON" (tab-indented, year as a
// string in date-parts, arXiv id in `number`); there are no CSL fixtures in ../shared.
const ctx = { origin: 'zotero.json', fetchedAt: '2024-06-01T00:00:00.000Z' };

const ZOTERO = `[
\t{
\t\t"id": "http://zotero.org/users/1234567/items/ABCD2345",
\t\t"type": "article",
\t\t"abstract": "The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.",
\t\t"DOI": "10.48550/arXiv.1706.03762",
\t\t"note": "arXiv:1706.03762 [cs]",
\t\t"number": "arXiv:1706.03762",
\t\t"publisher": "arXiv",
\t\t"source": "arXiv.org",
\t\t"title": "Attention Is All You Need",
\t\t"URL": "http://arxiv.org/abs/1706.03762",
\t\t"author": [
\t\t\t{ "family": "Vaswani", "given": "Ashish" },
\t\t\t{ "family": "Shazeer", "given": "Noam" }
\t\t],
\t\t"accessed": { "date-parts": [["2024", 5, 14]] },
\t\t"issued": { "date-parts": [["2023", 8, 1]] }
\t},
\t{
\t\t"id": "abbott2016observation",
\t\t"type": "article-journal",
\t\t"container-title": "Physical Review Letters",
\t\t"DOI": "10.1103/PhysRevLett.116.061102",
\t\t"ISSN": "0031-9007",
\t\t"issue": "6",
\t\t"page": "061102",
\t\t"title": "Observation of Gravitational Waves from a Binary Black Hole Merger",
\t\t"volume": "116",
\t\t"author": [
\t\t\t{ "family": "Abbott", "given": "B. P." },
\t\t\t{ "literal": "LIGO Scientific Collaboration" },
\t\t\t{ "family": "Berg", "given": "Jan", "non-dropping-particle": "van den" }
\t\t],
\t\t"issued": { "date-parts": [["2016", 2]] },
\t\t"keyword": "gravitational waves, black holes"
\t},
\t{
\t\t"id": "kingma2014",
\t\t"type": "paper-conference",
\t\t"title": "Adam: A Method for Stochastic Optimization",
\t\t"container-title": "International Conference on Learning Representations",
\t\t"author": [{ "family": "Kingma", "given": "Diederik P." }],
\t\t"issued": { "raw": "2015-05-07" }
\t}
]`;

describe('cslJsonAdapter.parse', () => {
  it('reads a Zotero CSL-JSON export', () => {
    const out = cslJsonAdapter.parse(ZOTERO, ctx);
    expect(out.problems).toEqual([]);
    const [attention, ligo, adam] = out.records as PaperRecord[];
    expect(out.records).toHaveLength(3);
    expect(attention).toMatchObject({
      key: '10.48550/arxiv.1706.03762',
      ids: { doi: '10.48550/arxiv.1706.03762', arxiv: '1706.03762' },
      title: 'Attention Is All You Need',
      year: 2023,
      published: '2023-08-01',
      abstract:
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
      provenance: {
        source: 'csl-json',
        origin: 'zotero.json',
        locator: 'item 1 (id http://zotero.org/users/1234567/items/ABCD2345)',
      },
    });
    expect(attention!.authors!.map((a) => a.display)).toEqual(['Ashish Vaswani', 'Noam Shazeer']);

    expect(ligo).toMatchObject({
      key: '10.1103/physrevlett.116.061102',
      year: 2016,
      venue: 'Physical Review Letters',
    });
    expect(ligo!.published).toBeUndefined();
    expect(ligo!.keywords).toEqual(['gravitational waves', 'black holes']);
    expect(ligo!.authors).toEqual([
      { display: 'B. P. Abbott', family: 'Abbott', given: 'B. P.' },
      { display: 'LIGO Scientific Collaboration', family: 'LIGO Scientific Collaboration' },
      { display: 'Jan van den Berg', family: 'van den Berg', given: 'Jan' },
    ]);

    expect(adam).toMatchObject({ key: 'kingma2014', ids: {}, year: 2015, published: '2015-05-07' });
  });

  it('reports bad items by number and keeps the good ones', () => {
    const text = JSON.stringify([
      { id: 'a', type: 'article-journal', title: 'Good one', issued: { 'date-parts': [[2020]] } },
      'not an item',
      { id: 'notitle', type: 'article-journal', author: [{ family: 'X' }] },
      null,
      { type: 'article-journal', title: 'Good two' },
    ]);
    const out = cslJsonAdapter.parse(text, ctx);
    expect((out.records as PaperRecord[]).map((r) => r.title)).toEqual(['Good one', 'Good two']);
    expect(out.problems).toEqual([
      {
        source: 'csl-json',
        origin: 'zotero.json',
        locator: 'item 2',
        message: 'item is a string, not an object',
      },
      {
        source: 'csl-json',
        origin: 'zotero.json',
        locator: 'item 3 (id notitle)',
        message: 'item has no title (and no DOI or arXiv id)',
      },
      {
        source: 'csl-json',
        origin: 'zotero.json',
        locator: 'item 4',
        message: 'item is null, not an object',
      },
    ]);
    expect((out.records[1] as PaperRecord).key).toMatch(/^sha1:[0-9a-f]{16}$/);
  });

  it('reports invalid JSON as a file problem', () => {
    const out = cslJsonAdapter.parse(ZOTERO.slice(0, 200), ctx);
    expect(out.records).toEqual([]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ source: 'csl-json', origin: 'zotero.json', locator: 'file' });
    expect(out.problems[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('keeps an untitled item that has a DOI or arXiv id, for merging to complete', () => {
    const out = cslJsonAdapter.parse('[{"id":"k","type":"article","number":"arXiv:2401.00010v2"}]', ctx);
    expect(out.problems).toEqual([]);
    expect((out.records as PaperRecord[]).map((r) => [r.key, r.title])).toEqual([['2401.00010', undefined]]);
  });

  it('reads a single item object', () => {
    const out = cslJsonAdapter.parse('{"id":"x","type":"article-journal","title":"Alone"}', ctx);
    expect((out.records as PaperRecord[]).map((r) => [r.key, r.title])).toEqual([['x', 'Alone']]);
  });
});

describe('cslJsonAdapter.sniff', () => {
  it('claims CSL-JSON but not Semantic Scholar, OpenAlex or Hugging Face JSON', () => {
    expect(cslJsonAdapter.sniff(ZOTERO)).toBe(0.9);
    expect(cslJsonAdapter.sniff(ZOTERO.slice(0, 700))).toBe(0.9);
    const s2 =
      '{"paperId":"abc","title":"T","authors":[{"authorId":"1","name":"A B"}],"year":2020,"venue":"X"}';
    const openalex =
      '{"id":"https://openalex.org/W1","title":"T","display_name":"T","type":"article","publication_date":"2020-01-01"}';
    const hf =
      '[{"paper":{"id":"2401.00001","title":"T","authors":[{"name":"A"}]},"publishedAt":"2024-01-01"}]';
    expect(cslJsonAdapter.sniff(s2)).toBe(0);
    expect(cslJsonAdapter.sniff(openalex)).toBe(0);
    expect(cslJsonAdapter.sniff(hf)).toBe(0);
    expect(cslJsonAdapter.sniff('@article{a,')).toBe(0);
  });
});

describe('cslJsonAdapter garbage', () => {
  const check = (text: string) => {
    const out = cslJsonAdapter.parse(text, ctx);
    for (const p of out.problems) {
      expect(p).toMatchObject({ source: 'csl-json', origin: 'zotero.json' });
      expect(p.locator).toMatch(/^(file|item \d+( \(id .*\))?)$/);
    }
    return out;
  };

  it('never throws on random strings, random JSON or binary', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.array(fc.anything()).map((a) => JSON.stringify(a) ?? ''),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        (text) => {
          check(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reports any truncation of a valid export as one file problem', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: ZOTERO.length - 1 }), (cut) => {
        const out = check(ZOTERO.slice(0, cut));
        expect(out.records).toEqual([]);
        expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
      { numRuns: 200 },
    );
  });
});

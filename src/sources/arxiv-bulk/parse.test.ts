import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { arxivBulkAdapter } from './parse.ts';

const ctx = { origin: 'bulk-test', fetchedAt: '2026-01-02T03:04:05Z' };
const browse = readFixture('arxiv-bulk', 'arxiv-browse-sample.jsonl');
const unarxive = readFixture('arxiv-bulk', 'unarxive-sample-metadata.jsonl');

describe('arxivBulkAdapter on the arxiv-browse sample (509 lines, no authors_parsed)', () => {
  const out = arxivBulkAdapter.parse(browse, ctx);
  const all = out.records as PaperRecord[];
  const byId = new Map(all.map((r) => [r.key, r]));

  it('reads every line (counts checked with Python json)', () => {
    expect(out.problems).toEqual([]);
    expect(all).toHaveLength(509);
    expect(byId.size).toBe(509);
    expect(all.filter((r) => r.ids.doi).length).toBe(356);
    expect(all.filter((r) => r.license).length).toBe(500);
    expect(all.filter((r) => r.comments).length).toBe(441);
    expect(all.filter((r) => r.journalRef).length).toBe(305);
    expect(all.reduce((n, r) => n + (r.versions?.length ?? 0), 0)).toBe(1041);
    expect(all.filter((r) => r.key.includes('/')).length).toBe(8);
  });

  it('reads the first line completely (0704.0046)', () => {
    expect(all[0]).toEqual({
      kind: 'paper',
      provenance: {
        source: 'arxiv-bulk',
        origin: 'bulk-test',
        locator: 'line 1 (arXiv:0704.0046)',
        fetchedAt: ctx.fetchedAt,
      },
      key: '0704.0046',
      ids: { arxiv: '0704.0046', doi: '10.1063/1.2779138' },
      title: 'A limit relation for entropy and channel capacity per unit cost',
      abstract: expect.stringMatching(
        /^ {2}In a quantum mechanical model, Diosi, Feldmann and Kosloff .* generalization of the conjecture\.$/,
      ),
      authors: [
        { display: 'I. Csiszar', family: 'Csiszar', given: 'I.' },
        { display: 'F. Hiai', family: 'Hiai', given: 'F.' },
        { display: 'D. Petz', family: 'Petz', given: 'D.' },
      ],
      published: '2007-04-01',
      updated: '2007-04-01',
      year: 2007,
      versions: [{ version: 'v1', date: '2007-04-01T16:37:36Z' }],
      categories: ['quant-ph', 'cs.IT', 'math.IT'],
      comments: 'LATEX file, 11 pages',
      journalRef: 'J. Math. Phys. 48(2007), 092102.',
    });
  });

  it('keeps long version histories in order (1101.0600, 25 versions)', () => {
    const r = byId.get('1101.0600')!;
    expect(r.versions).toHaveLength(25);
    expect(r.versions?.[24]).toEqual({ version: 'v25', date: '2014-10-22T15:07:42Z' });
    expect(r.published).toBe('2011-01-03');
    expect(r.updated).toBe('2014-10-22');
    expect(r.title).toBe('On sums related to central binomial and trinomial coefficients');
  });

  it('reads old-style ids (cs/0001024)', () => {
    const r = byId.get('cs/0001024')!;
    expect(r.ids.arxiv).toBe('cs/0001024');
    expect(r.authors?.map((a) => a.display)).toEqual(['B. R. Schlei', 'L. Prasad']);
    expect(r.year).toBe(2000);
  });

  it('decodes doubly escaped LaTeX accents and drops nested affiliation blocks', () => {
    expect(byId.get('0712.3217')?.authors?.map((a) => a.display)).toEqual([
      'Francois Delarue',
      'Frédéric Lagoutière',
    ]);
    expect(byId.get('0904.3110')?.authors?.[2]).toEqual({
      display: 'Achill Schürmann',
      family: 'Schürmann',
      given: 'Achill',
    });
    expect(byId.get('1002.4301')?.authors?.map((a) => a.display)).toEqual([
      'Bruno Dias',
      'Paula Coelho',
      'Beatriz Barbuy',
      'Leandro Kerber',
      'Thais Idiart',
    ]);
  });
});

describe('arxivBulkAdapter on the unarXive sample (49 lines, authors_parsed, LaTeX abstracts)', () => {
  const out = arxivBulkAdapter.parse(unarxive, ctx);
  const all = out.records as PaperRecord[];

  it('reads 49 records and 198 authors from authors_parsed', () => {
    expect(out.problems).toEqual([]);
    expect(all).toHaveLength(49);
    expect(all.reduce((n, r) => n + (r.authors?.length ?? 0), 0)).toBe(198);
  });

  it('prefers authors_parsed, which has accents decoded (2212.11862)', () => {
    const r = all.find((x) => x.key === '2212.11862')!;
    expect(r.authors?.map((a) => [a.family, a.given])).toEqual([
      ['Pérez-Salinas', 'Adrián'],
      ['Draškić', 'Radoica'],
      ['Tura', 'Jordi'],
      ['Dunjko', 'Vedran'],
    ]);
    expect(r.title).toBe('Reduce-and-chop: Shallow circuits for deeper problems');
  });

  it('keeps LaTeX abstracts exactly and collapses wrapped titles (2212.11867)', () => {
    const r = all[0]!;
    expect(r.title).toBe(
      'Zeros of a growing number of derivatives of random polynomials with independent roots',
    );
    expect(
      r.abstract?.startsWith(
        '  Let $X_1,X_2,\\ldots$ be independent and identically distributed random\nvariables',
      ),
    ).toBe(true);
    expect(r.license).toBe('http://creativecommons.org/licenses/by/4.0/');
  });
});

describe('arxivBulkAdapter line by line', () => {
  it('skips blank lines and reports bad ones with their line number, keeping the rest', () => {
    const lines = browse.split('\n').slice(0, 3);
    const text = [
      lines[0],
      '',
      '   ',
      '{"id": "0704.0046", "title": ',
      '[1,2]',
      '{"id": "abc", "title": "x"}',
      '{"id": "0704.0046"}',
      lines[1],
      lines[2],
    ].join('\r\n');
    const out = arxivBulkAdapter.parse(text, ctx);
    expect(out.records.map((r) => [r.key, r.provenance.locator])).toEqual([
      ['0704.0046', 'line 1 (arXiv:0704.0046)'],
      ['0704.0248', 'line 8 (arXiv:0704.0248)'],
      ['0712.3217', 'line 9 (arXiv:0712.3217)'],
    ]);
    expect(out.problems.map((p) => [p.locator, p.message.split(':')[0]])).toEqual([
      ['line 4', 'invalid JSON'],
      ['line 5', 'not a JSON object'],
      ['line 6', '"id" is not an arXiv id'],
      ['line 7 (arXiv:0704.0046)', 'no "title"'],
    ]);
    expect(out.problems.every((p) => p.source === 'arxiv-bulk' && p.origin === 'bulk-test')).toBe(true);
  });

  it('parseLine gives the same record as parse', () => {
    const line = unarxive.split('\n')[3]!;
    const whole = arxivBulkAdapter.parse(unarxive, ctx).records[3];
    expect(whole?.key).toBe(JSON.parse(line).id);
    expect(arxivBulkAdapter.parseLine?.(line, 4, ctx)).toEqual({ records: [whole], problems: [] });
  });

  it('sniffs the snapshot shape and nothing else', () => {
    expect(arxivBulkAdapter.sniff(browse.slice(0, 65536))).toBeGreaterThan(0.9);
    expect(arxivBulkAdapter.sniff(unarxive.slice(0, 300))).toBeGreaterThan(0.5);
    expect(arxivBulkAdapter.sniff('{"id": "W2741809807", "title": "x"}')).toBe(0);
    expect(arxivBulkAdapter.sniff(readFixture('arxiv-oai', 'GetRecord_data.xml'))).toBe(0);
  });

  it('never throws on random strings, random bytes or truncated real lines', () => {
    const real = unarxive.slice(0, 20_000);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json(),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
          fc.nat({ max: real.length }).map((n) => real.slice(0, n)),
          fc
            .tuple(fc.nat({ max: real.length }), fc.string({ maxLength: 10 }))
            .map(([n, s]) => real.slice(0, n) + s + real.slice(n)),
        ),
        (text) => {
          const out = arxivBulkAdapter.parse(text, ctx);
          for (const p of out.problems) {
            expect(p.source).toBe('arxiv-bulk');
            expect(p.origin).toBe('bulk-test');
            expect(p.locator).toMatch(/^line \d+/);
          }
          for (const r of out.records) expect((r as PaperRecord).title).toBeTruthy();
        },
      ),
      { numRuns: 300 },
    );
  });
});

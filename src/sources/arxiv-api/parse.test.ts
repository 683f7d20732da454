import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { arxivApiAdapter } from './parse.ts';

/** The fixtures wrap each recorded response as `{url, status_code, body}`; the adapter reads the body. */
function body(name: string): string {
  return (JSON.parse(readFixture('arxiv-api', name)) as { body: string }).body;
}
const ctx = { origin: 'arxiv-api-test', fetchedAt: '2026-01-02T03:04:05Z' };
function papers(name: string): PaperRecord[] {
  return arxivApiAdapter.parse(body(name), ctx).records as PaperRecord[];
}

describe('arxivApiAdapter on recorded responses', () => {
  it.each([
    ['q_testing_s0_m100_cfe7536492ca.json', 100, 100],
    ['q_testing_s0_m10_bc5a6c384fe9.json', 10, 10],
    ['q_testing_s10_m10_34e56e15aaac.json', 10, 20],
    ['q_testing_s5_m15_bbcf6b23085b.json', 15, 20],
    ['q_testing_s9_m15_0b78d4b4d476.json', 15, 24],
  ])('%s: %i papers, next page at %i of 214,881', (name, count, next) => {
    const out = arxivApiAdapter.parse(body(name), ctx);
    expect(out.problems).toEqual([]);
    expect(out.records).toHaveLength(count);
    expect(out.paging).toEqual({ total: 214881, nextOffset: next });
  });

  it('reads every field of an entry (2005.14124v2, page 1 of "testing")', () => {
    const p = papers('q_testing_s0_m10_bc5a6c384fe9.json')[2]!;
    expect(p.key).toBe('2005.14124');
    expect(p.ids).toEqual({ arxiv: '2005.14124', doi: '10.1145/3395363.3397376' });
    expect(p.title).toBe('Active Fuzzing for Testing and Securing Cyber-Physical Systems');
    expect(p.abstract).toMatch(/^Cyber-physical systems \(CPSs\) in critical infrastructure/);
    expect(p.authors?.map((a) => a.display)).toEqual([
      'Yuqi Chen',
      'Bohan Xuan',
      'Christopher M. Poskitt',
      'Jun Sun',
      'Fan Zhang',
    ]);
    expect(p.authors?.[2]).toMatchObject({ family: 'Poskitt', given: 'Christopher M.' });
    expect(p.versions).toEqual([
      { version: 'v1', date: '2020-05-28T16:19:50Z' },
      { version: 'v2', date: '2020-07-16T08:15:48Z' },
    ]);
    expect(p.published).toBe('2020-05-28');
    expect(p.updated).toBe('2020-07-16');
    expect(p.year).toBe(2020);
    expect(p.categories).toEqual(['cs.SE', 'cs.CR', 'cs.LG']);
    expect(p.comments).toMatch(/^Accepted by the ACM SIGSOFT International Symposium/);
    expect(p.journalRef).toMatch(/pages 14-26\. ACM, 2020$/);
    expect(p.links).toEqual([
      { url: 'https://arxiv.org/abs/2005.14124v2', rel: 'abstract' },
      { url: 'https://arxiv.org/pdf/2005.14124v2', rel: 'pdf' },
      { url: 'https://doi.org/10.1145/3395363.3397376', rel: 'other' },
    ]);
    expect(p.provenance).toEqual({
      source: 'arxiv-api',
      origin: 'arxiv-api-test',
      locator: 'entry 3 (arXiv:2005.14124)',
      fetchedAt: '2026-01-02T03:04:05Z',
    });
  });

  it('counts DOIs and versions across the 100-entry page', () => {
    const all = papers('q_testing_s0_m100_cfe7536492ca.json');
    expect(new Set(all.map((p) => p.key)).size).toBe(100);
    expect(all.filter((p) => p.ids.doi).length).toBe(32);
    expect(all.find((p) => p.key === '2204.08348')?.versions?.map((v) => v.version)).toEqual(['v1', 'v3']);
    expect(all.every((p) => p.versions?.[0]?.version === 'v1')).toBe(true);
  });

  it('reads old-style ids, affiliations and journal refs (astro-ph/0601001)', () => {
    const [p] = papers('id_astro-ph_0601001_s0_m100_3150dca9dc76.json');
    expect(p?.ids.arxiv).toBe('astro-ph/0601001');
    expect(p?.title).toBe(
      'Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina',
    );
    expect(p?.authors?.map((a) => [a.display, a.affiliations])).toEqual([
      ['Andrew Gould', ['Ohio State']],
      ['Susan Dorsher', ['Ohio State']],
      ['B. Scott Gaudi', ['CfA']],
      ['Andrzej Udalski', ['Warsaw University Observatory']],
    ]);
    expect(p?.journalRef).toBe('ActaAstron.56:1-50,2006');
    expect(p?.categories).toEqual(['astro-ph']);
    // The abstract is kept as given, leading spaces and decoded entities included.
    expect(p?.abstract?.startsWith('  We derive the frequencies')).toBe(true);
    expect(p?.abstract).toContain('Gould & Morgan (2003)');
    expect(p?.abstract).toContain('V_max<17.5');
  });

  it('keeps a title that looks like a number as text (2104.12255: "0")', () => {
    const [p] = papers('id_2104.12255v1_s0_m100_6ae69987ffe1.json');
    expect(p?.title).toBe('0');
    expect(p?.versions).toEqual([{ version: 'v1', date: '2021-04-20T16:07:14Z' }]);
  });

  it('repairs the Latin-1 double decoding of the recorded bodies (Dirk Wübben)', () => {
    const [p] = papers('id_1707.08567_s0_m100_6a1afebfc6a3.json');
    expect(p?.authors).toHaveLength(34);
    expect(p?.authors?.[32]?.display).toBe('Dirk Wübben');
    expect(p?.authors?.[28]).toMatchObject({ display: 'Joost van der Putten', family: 'van der Putten' });
  });

  it('turns the API error feed into a problem, not a paper (id_list=abc)', () => {
    const out = arxivApiAdapter.parse(body('id_abc_s0_m100_b79c8dcf6bc3.json'), ctx);
    expect(out.records).toEqual([]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({
      source: 'arxiv-api',
      origin: 'arxiv-api-test',
      locator: 'entry 1',
    });
    expect(out.problems[0]?.message).toContain('incorrect id format for abc');
  });

  it('gives an empty result for unknown ids (0000.0000, 0808.05394)', () => {
    for (const name of [
      'id_0000.0000_s0_m100_8b51d9633a68.json',
      'id_0808.05394_s0_m100_7b0c7d0a7cdd.json',
    ]) {
      const out = arxivApiAdapter.parse(body(name), ctx);
      expect(out).toEqual({ records: [], problems: [], paging: { total: 0 } });
    }
    expect(papers('id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.json').map((p) => p.key)).toEqual([
      '1707.08567',
    ]);
  });

  it('reads a recorded exchange ({url, status_code, body}) through to its body', () => {
    const recorded = readFixture('arxiv-api', 'id_1707.08567_s0_m100_6a1afebfc6a3.json');
    expect(arxivApiAdapter.sniff(recorded)).toBeGreaterThan(0.5);
    const out = arxivApiAdapter.parse(recorded, ctx);
    expect(out.problems).toEqual([]);
    expect(out.records.map((r) => r.key)).toEqual(['1707.08567']);
  });

  it('sniffs arXiv Atom and nothing else', () => {
    expect(arxivApiAdapter.sniff(body('q_testing_s0_m10_bc5a6c384fe9.json').slice(0, 65536))).toBeGreaterThan(
      0.9,
    );
    expect(arxivApiAdapter.sniff(readFixture('arxiv-oai', 'GetRecord_data.xml'))).toBe(0);
    expect(arxivApiAdapter.sniff('<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id></feed>')).toBe(0);
    expect(arxivApiAdapter.sniff('{"id": "0704.0046"}')).toBe(0);
  });
});

describe('arxivApiAdapter on garbage', () => {
  const real = body('q_testing_s0_m10_bc5a6c384fe9.json');

  function expectWellFormed(text: string) {
    const out = arxivApiAdapter.parse(text, ctx);
    for (const p of out.problems) {
      expect(p.source).toBe('arxiv-api');
      expect(p.origin).toBe('arxiv-api-test');
      expect(p.locator).toMatch(/^(file|entry \d+)/);
      expect(p.message.length).toBeGreaterThan(0);
    }
    return out;
  }

  it('reports a file problem for text that is not a feed', () => {
    const out = expectWellFormed('<html><body>Rate exceeded.</body></html>');
    expect(out.records).toEqual([]);
    expect(out.problems).toEqual([
      expect.objectContaining({ locator: 'file', message: expect.stringContaining('Rate exceeded.') }),
    ]);
  });

  it('keeps the entries before a truncation and reports the cut', () => {
    const cut = real.indexOf('<entry>', real.indexOf('2005.14124v2')) + 200;
    const out = expectWellFormed(real.slice(0, cut));
    expect(out.records.map((r) => r.key)).toEqual(['2202.12139', '2405.13786', '2005.14124']);
    expect(out.problems.map((p) => p.locator)).toEqual([
      expect.stringMatching(/^entry 4 \(line \d+\)$/),
      'file',
    ]);
  });

  it('keeps the other entries when one is malformed', () => {
    const broken = real.replace('<title>Active Fuzzing', '<title><b>Active Fuzzing');
    const out = expectWellFormed(broken);
    expect(out.records).toHaveLength(9);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]?.locator).toMatch(/^entry 3 /);
  });

  it('never throws on random strings, random bytes or truncated real input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
          fc.nat({ max: real.length }).map((n) => real.slice(0, n)),
          fc
            .tuple(fc.nat({ max: real.length }), fc.string({ maxLength: 20 }))
            .map(([n, s]) => real.slice(0, n) + s + real.slice(n)),
        ),
        (text) => {
          const out = expectWellFormed(text);
          expect(out.records.length).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 300 },
    );
  });
});

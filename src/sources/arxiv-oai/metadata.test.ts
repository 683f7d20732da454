import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../domain/record.ts';
import { categoryOfSetSpec } from './metadata.ts';
import { arxivOaiAdapter } from './parse.ts';

/*
 * HAND-MADE inputs: no captured `arXiv` or `arXivRaw` responses exist in ../shared/fixtures.
 * They follow the published schemas (http://arxiv.org/OAI/arXiv.xsd, http://arxiv.org/OAI/arXivRaw.xsd)
 * and the shape of arXiv's documented example record 0704.0001.
 */

const ctx = { origin: 'hand-made', fetchedAt: '2026-01-02T03:04:05Z' };
const envelope = (verb: string, record: string, token = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-01-02T03:04:05Z</responseDate>
<request verb="${verb}">http://export.arxiv.org/oai2</request>
<${verb}>${record}${token}</${verb}>
</OAI-PMH>`;

const ARXIV_RECORD = `<record><header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-13</datestamp><setSpec>physics:hep-ph</setSpec></header>
<metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
<id>0704.0001</id><created>2007-04-02</created><updated>2008-11-13</updated>
<authors>
<author><keyname>Bal&#xe1;zs</keyname><forenames>C.</forenames><affiliation>Argonne</affiliation></author>
<author><keyname>Berger</keyname><forenames>E. L.</forenames></author>
<author><keyname>Nadolsky</keyname><forenames>P. M.</forenames><suffix>Jr</suffix></author>
<author><keyname>LIGO Scientific Collaboration</keyname></author>
</authors>
<title>Calculation of prompt diphoton production cross sections at Tevatron and
  LHC energies</title>
<categories>hep-ph hep-ex</categories>
<comments>37 pages, 15 figures; published version</comments>
<report-no>ANL-HEP-PR-07-12</report-no>
<journal-ref>Phys.Rev.D76:013009,2007</journal-ref>
<doi>10.1103/PhysRevD.76.013009</doi>
<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>
<abstract>  A fully differential calculation in perturbative QCD &amp; the $\\gamma\\gamma$ rate.
</abstract>
</arXiv>
</metadata></record>`;

const RAW_RECORD = `<record><header><identifier>oai:arXiv.org:hep-th/9901001</identifier><datestamp>2010-01-01</datestamp><setSpec>physics:hep-th</setSpec></header>
<metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
<id>hep-th/9901001</id>
<submitter>Jane Doe</submitter>
<version version="v1"><date>Fri, 1 Jan 1999 10:00:00 GMT</date><size>20kb</size><source_type>D</source_type></version>
<version version="v2"><date>Mon, 15 Mar 1999 08:30:05 GMT</date><size>21kb</size><source_type>D</source_type></version>
<version version="v3"><date>Tue, 04 May 1999 17:01:59 GMT</date><size>22kb</size><source_type>D</source_type></version>
<title>Strings on
  a lattice</title>
<authors>J. Doe, K. G\\"odel (IAS) and M. van der Berg</authors>
<categories>hep-th gr-qc</categories>
<comments>10 pages</comments>
<journal-ref>Nucl.Phys. B550 (1999) 1</journal-ref>
<doi>https://doi.org/10.1016/S0550-3213(99)00001-X</doi>
<license>http://creativecommons.org/licenses/by/4.0/</license>
<abstract>We study strings.</abstract>
</arXivRaw>
</metadata></record>`;

describe('arXiv metadata format (hand-made input)', () => {
  const out = arxivOaiAdapter.parse(envelope('GetRecord', ARXIV_RECORD), ctx);
  const r = out.records[0] as PaperRecord;

  it('reads ids, dates, title and the rest', () => {
    expect(out.problems).toEqual([]);
    expect(out.records).toHaveLength(1);
    expect(r.key).toBe('0704.0001');
    expect(r.ids).toEqual({ arxiv: '0704.0001', doi: '10.1103/physrevd.76.013009' });
    expect(r.title).toBe(
      'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
    );
    expect(r.published).toBe('2007-04-02');
    expect(r.updated).toBe('2008-11-13');
    expect(r.year).toBe(2007);
    expect(r.versions).toEqual([{ version: 'v1', date: '2007-04-02' }]);
    expect(r.categories).toEqual(['hep-ph', 'hep-ex']);
    expect(r.comments).toBe('37 pages, 15 figures; published version');
    expect(r.journalRef).toBe('Phys.Rev.D76:013009,2007');
    expect(r.license).toBe('http://arxiv.org/licenses/nonexclusive-distrib/1.0/');
    expect(r.abstract).toBe(
      '  A fully differential calculation in perturbative QCD & the $\\gamma\\gamma$ rate.\n',
    );
  });

  it('reads structured authors with suffixes, affiliations and groups', () => {
    expect(r.authors).toEqual([
      { display: 'C. Balázs', family: 'Balázs', given: 'C.', affiliations: ['Argonne'] },
      { display: 'E. L. Berger', family: 'Berger', given: 'E. L.' },
      { display: 'P. M. Nadolsky Jr', family: 'Nadolsky Jr', given: 'P. M.' },
      { display: 'LIGO Scientific Collaboration', family: 'LIGO Scientific Collaboration' },
    ]);
  });
});

describe('arXivRaw metadata format (hand-made input)', () => {
  const out = arxivOaiAdapter.parse(
    envelope(
      'ListRecords',
      RAW_RECORD + ARXIV_RECORD,
      '<resumptionToken cursor="0" completeListSize="3">abc&amp;def</resumptionToken>',
    ),
    ctx,
  );
  const r = out.records[0] as PaperRecord;

  it('reads every version with its date', () => {
    expect(out.problems).toEqual([]);
    expect(out.records.map((x) => x.key)).toEqual(['hep-th/9901001', '0704.0001']);
    expect(out.paging).toEqual({ total: 3, token: 'abc&def' });
    expect(r.versions).toEqual([
      { version: 'v1', date: '1999-01-01T10:00:00Z' },
      { version: 'v2', date: '1999-03-15T08:30:05Z' },
      { version: 'v3', date: '1999-05-04T17:01:59Z' },
    ]);
    expect(r.published).toBe('1999-01-01');
    expect(r.updated).toBe('1999-05-04');
    expect(r.year).toBe(1999);
  });

  it('splits the author string and drops affiliations in parentheses', () => {
    expect(r.authors?.map((a) => [a.family, a.given])).toEqual([
      ['Doe', 'J.'],
      ['Gödel', 'K.'],
      ['van der Berg', 'M.'],
    ]);
  });

  it('reads the other fields', () => {
    expect(r.ids).toEqual({ arxiv: 'hep-th/9901001', doi: '10.1016/s0550-3213(99)00001-x' });
    expect(r.title).toBe('Strings on a lattice');
    expect(r.categories).toEqual(['hep-th', 'gr-qc']);
    expect(r.journalRef).toBe('Nucl.Phys. B550 (1999) 1');
    expect(r.license).toBe('http://creativecommons.org/licenses/by/4.0/');
    expect(r.abstract).toBe('We study strings.');
    expect(r.provenance.locator).toBe('record 1 (oai:arXiv.org:hep-th/9901001)');
  });
});

describe('categoryOfSetSpec', () => {
  it.each([
    ['cs', 'cs'],
    ['math', 'math'],
    ['physics:cond-mat', 'cond-mat'],
    ['physics:physics', 'physics'],
    ['physics:astro-ph:HE', 'astro-ph.HE'],
    ['cs:cs:LG', 'cs.LG'],
    ['', undefined],
  ])('%j → %j', (spec, expected) => {
    expect(categoryOfSetSpec(spec)).toBe(expected);
  });
});

it('reports a record in an unknown metadata format', () => {
  const out = arxivOaiAdapter.parse(
    envelope(
      'GetRecord',
      '<record><header><identifier>oai:arXiv.org:0704.0001</identifier></header><metadata><mods xmlns="http://www.loc.gov/mods/v3"/></metadata></record>',
    ),
    ctx,
  );
  expect(out.records).toEqual([]);
  expect(out.problems).toEqual([
    {
      source: 'arxiv-oai',
      origin: 'hand-made',
      locator: 'record 1 (oai:arXiv.org:0704.0001)',
      message: 'unsupported metadata format <mods> (expected oai_dc, arXiv or arXivRaw)',
    },
  ]);
});

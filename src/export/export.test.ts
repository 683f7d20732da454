import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../domain/paper.ts';
import type { PaperRecord } from '../domain/record.ts';
import { bibtexAdapter } from '../sources/bibtex/parse.ts';
import { cslJsonAdapter } from '../sources/csl-json/parse.ts';
import type { FormatAdapter } from '../sources/format.ts';
import { risAdapter } from '../sources/ris/parse.ts';
import { citationKeys } from './common.ts';
import { EXPORT_FORMATS, type ExportFormat, exportPapers, toCslItem } from './index.ts';

function paper(fields: Partial<Paper> & { id: number }): Paper {
  return {
    ids: {},
    authors: [],
    versions: [],
    categories: [],
    codeLinks: [],
    sources: [],
    via: {},
    ...fields,
  };
}

const XIAO = paper({
  id: 1,
  ids: { arxiv: '2409.15156' },
  title: 'Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling',
  abstract: 'The remarkable success of large language pretraining and the discovery of scaling laws...',
  abstractText: 'The remarkable success of large language pretraining and the discovery of scaling laws...',
  authors: [{ name: { display: 'Lechao Xiao', family: 'Xiao', given: 'Lechao' } }],
  year: 2024,
  published: '2024-09-23',
  categories: ['cs.LG', 'stat.ML'],
});

const LIGO = paper({
  id: 2,
  ids: { doi: '10.1103/physrevlett.116.061102' },
  title: 'Observation of Gravitational Waves: 100% & $\\alpha_{1}$ {braces} #1 under_score',
  authors: [
    { name: { display: 'B. P. Abbott', family: 'Abbott', given: 'B. P.' } },
    { name: { display: 'LIGO Scientific Collaboration', family: 'LIGO Scientific Collaboration' } },
    { name: { display: 'John von Neumann', family: 'von Neumann', given: 'John' } },
    { name: { display: 'Kurt Gödel' } },
  ],
  year: 2016,
  venue: 'Physical Review Letters',
});

const PARTIAL_NO_TITLE = paper({ id: 3, ids: { arxiv: '2401.00010' }, abstract: 'Only an abstract.' });
const PARTIAL_NO_AUTHORS = paper({ id: 4, title: 'A title alone' });

const ADAPTERS: Record<ExportFormat, FormatAdapter> = {
  bibtex: bibtexAdapter,
  ris: risAdapter,
  'csl-json': cslJsonAdapter,
};

function reimport(papers: Paper[], format: ExportFormat) {
  const text = exportPapers(papers, format);
  const out = ADAPTERS[format].parse(text, { origin: `export.${format}`, fetchedAt: '2024-06-01T00:00:00Z' });
  return { text, problems: out.problems, records: out.records as PaperRecord[] };
}

describe('formatBibtex', () => {
  it('writes arXiv papers as arxiv.org does and escapes specials', () => {
    expect(exportPapers([XIAO, LIGO], 'bibtex')).toBe(`@misc{xiao2024rethinking,
  title = {Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling},
  author = {Xiao, Lechao},
  year = {2024},
  month = sep,
  eprint = {2409.15156},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG},
  url = {https://arxiv.org/abs/2409.15156},
  abstract = {The remarkable success of large language pretraining and the discovery of scaling laws...}
}

@article{abbott2016observation,
  title = {Observation of Gravitational Waves: 100\\% \\& $\\alpha_{1}$ \\textbraceleft{}braces\\textbraceright{} \\#1 under\\_score},
  author = {Abbott, B. P. and {LIGO Scientific Collaboration} and {von Neumann}, John and Gödel, Kurt},
  year = {2016},
  journal = {Physical Review Letters},
  doi = {10.1103/physrevlett.116.061102},
  url = {https://doi.org/10.1103/physrevlett.116.061102}
}
`);
  });

  it('exports partial papers as valid entries', () => {
    expect(exportPapers([PARTIAL_NO_TITLE, PARTIAL_NO_AUTHORS, paper({ id: 5 })], 'bibtex')).toBe(
      '@misc{anon,\n  eprint = {2401.00010},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2401.00010},\n  abstract = {Only an abstract.}\n}\n\n' +
        '@misc{anontitle,\n  title = {A title alone}\n}\n\n@misc{anona,\n}\n',
    );
  });
});

describe('citation keys', () => {
  it('uses family, year and first significant title word, folded to ASCII and made unique', () => {
    const goedel = paper({
      id: 9,
      title: 'On the Über-Theorem',
      year: 1931,
      authors: [{ name: { display: 'Gödel, Kurt' } }],
    });
    expect(citationKeys([XIAO, XIAO, XIAO, goedel, LIGO])).toEqual([
      'xiao2024rethinking',
      'xiao2024rethinkinga',
      'xiao2024rethinkingb',
      'godel1931uber',
      'abbott2016observation',
    ]);
  });
});

describe('formatRis and formatCslJson', () => {
  it('writes Zotero-shaped RIS', () => {
    expect(exportPapers([XIAO], 'ris')).toBe(
      [
        'TY  - UNPB',
        'ID  - xiao2024rethinking',
        'TI  - Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling',
        'AU  - Xiao, Lechao',
        'PY  - 2024',
        'DA  - 2024/09/23',
        'AN  - arXiv:2409.15156',
        'UR  - https://arxiv.org/abs/2409.15156',
        'AB  - The remarkable success of large language pretraining and the discovery of scaling laws...',
        'KW  - cs.LG',
        'KW  - stat.ML',
        'ER  - ',
        '',
      ].join('\n'),
    );
  });

  it('makes CSL items with names, dates and the arXiv number', () => {
    expect(toCslItem(LIGO)).toEqual({
      id: 'abbott2016observation',
      type: 'article-journal',
      title: LIGO.title,
      author: [
        { family: 'Abbott', given: 'B. P.' },
        { literal: 'LIGO Scientific Collaboration' },
        { family: 'von Neumann', given: 'John' },
        { family: 'Gödel', given: 'Kurt' },
      ],
      issued: { 'date-parts': [[2016]] },
      'container-title': 'Physical Review Letters',
      DOI: '10.1103/physrevlett.116.061102',
      URL: 'https://doi.org/10.1103/physrevlett.116.061102',
    });
    expect(toCslItem(XIAO)).toMatchObject({
      type: 'article',
      number: 'arXiv:2409.15156',
      publisher: 'arXiv',
      issued: { 'date-parts': [[2024, 9, 23]] },
    });
  });
});

/** What must survive export and import: title, author names, year, DOI, arXiv id. */
function essentials(
  p: { title?: string; year?: number; ids: { doi?: string; arxiv?: string } },
  names: { family?: string; given?: string }[],
) {
  return {
    title: p.title?.replace(/\s+/g, ' ').trim() || undefined,
    names: names.map((n) => [n.family, n.given ?? null]),
    year: p.year,
    doi: p.ids.doi,
    arxiv: p.ids.arxiv,
  };
}

describe('round trip through our own import adapters', () => {
  for (const format of EXPORT_FORMATS) {
    it(`${format}: fixed papers, partial ones included`, () => {
      const papers = [XIAO, LIGO, PARTIAL_NO_TITLE, PARTIAL_NO_AUTHORS];
      // Gödel has only a display name; the exporter splits it.
      const { records, problems } = reimport(papers, format);
      expect(problems).toEqual([]);
      expect(records.map((r) => essentials(r, r.authors ?? []))).toEqual(
        papers.map((p) =>
          essentials(
            p,
            p.authors.map((a) => (a.name.family ? a.name : { family: 'Gödel', given: 'Kurt' })),
          ),
        ),
      );
    });
  }

  const letters = [...'abcxyzABCXYZéüøßłñçİıЖжλ李中'];
  const word = fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 8 });
  const upperWord = fc.tuple(fc.constantFrom(...'ABCXYZÉÜØŁŽ'), word).map(([a, b]) => a + b);
  const name = fc.record(
    {
      family: fc.oneof(
        upperWord,
        fc.tuple(fc.constantFrom('van der', 'de la', 'von'), upperWord).map(([p, f]) => `${p} ${f}`),
        fc.tuple(upperWord, upperWord).map(([a, b]) => `${a}-${b}`),
        fc.tuple(upperWord, upperWord).map(([a, b]) => `${a} ${b}`),
      ),
      given: fc.option(
        fc.array(upperWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['family'] },
  );
  const titlePiece = fc.oneof(
    word,
    fc.constantFrom(
      '&',
      '%',
      '_',
      '{',
      '}',
      '$',
      '#',
      '~',
      '^',
      '\\',
      '$\\alpha$',
      '$x_{1}$',
      '50%',
      'a&b',
      '{LIGO}',
    ),
  );
  const generated = fc.record({
    title: fc.option(
      fc.array(titlePiece, { minLength: 1, maxLength: 12 }).map((p) => p.join(' ')),
      { nil: undefined },
    ),
    names: fc.array(name, { maxLength: 4 }),
    year: fc.option(fc.integer({ min: 1900, max: 2030 }), { nil: undefined }),
    doi: fc.option(fc.stringMatching(/^10\.\d{4,5}\/[a-z0-9.()-]{1,12}[a-z0-9]$/), { nil: undefined }),
    arxiv: fc.option(
      fc
        .tuple(
          fc.integer({ min: 15, max: 24 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 99999 }),
        )
        .map(([y, m, n]) => `${y}${String(m).padStart(2, '0')}.${String(n).padStart(5, '0')}`),
      { nil: undefined },
    ),
  });

  for (const format of EXPORT_FORMATS) {
    it(`${format}: generated papers with special characters and unicode names`, () => {
      fc.assert(
        fc.property(fc.array(generated, { minLength: 1, maxLength: 4 }), (gen) => {
          const papers = gen.map((g, i) => {
            const ids: Paper['ids'] = {};
            if (g.doi) ids.doi = g.doi;
            if (g.arxiv) ids.arxiv = g.arxiv;
            const p = paper({
              id: i + 1,
              ids,
              authors: g.names.map((n) => ({
                name: { display: [n.given, n.family].filter(Boolean).join(' '), ...n },
              })),
            });
            if (g.title) p.title = g.title;
            if (g.year !== undefined) p.year = g.year;
            return p;
          });
          const { records, problems, text } = reimport(papers, format);
          // CSL-JSON import drops an item with no title and no DOI/arXiv id, and says so.
          const kept = papers.filter(
            (p) => format !== 'csl-json' || p.title?.trim() || p.ids.doi || p.ids.arxiv,
          );
          expect(
            problems.map((p) => p.message),
            text,
          ).toEqual(
            papers.filter((p) => !kept.includes(p)).map(() => 'item has no title (and no DOI or arXiv id)'),
          );
          expect(records.map((r) => essentials(r, r.authors ?? []))).toEqual(
            kept.map((p) =>
              essentials(
                p,
                p.authors.map((a) => a.name),
              ),
            ),
          );
        }),
        { numRuns: 300 },
      );
    });
  }
});

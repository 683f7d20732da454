import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../domain/record.ts';
import { bibtexAdapter } from './parse.ts';

// Hand-made inputs shaped like real exports (there are no BibTeX fixtures in ../shared).
const ctx = { origin: 'library.bib', fetchedAt: '2024-06-01T00:00:00.000Z' };

/** As arxiv.org's "Export BibTeX citation" gives it (trailing spaces and comma included). */
const ARXIV_EXPORT = String.raw`@misc{xiao2024rethinking,
      title={Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling}, 
      author={Lechao Xiao},
      year={2024},
      eprint={2409.15156},
      archivePrefix={arXiv},
      primaryClass={cs.LG},
      url={https://arxiv.org/abs/2409.15156}, 
}

@misc{bahri2021explaining,
      title={Explaining Neural Scaling Laws}, 
      author={Yasaman Bahri and Ethan Dyer and Jared Kaplan and Jaehoon Lee and Utkarsh Sharma},
      year={2021},
      eprint={2102.06701},
      archivePrefix={arXiv},
      primaryClass={cs.LG},
      url={https://arxiv.org/abs/2102.06701}, 
}`;

/** Google Scholar, DBLP and a hand-written entry with accents, particles and macros. */
const MIXED = String.raw`% exported by JabRef
@string{prl = "Phys. Rev. Lett."}

@article{abbott2016observation,
  title={Observation of Gravitational Waves from a Binary Black Hole Merger},
  author={Abbott, Benjamin P and {LIGO Scientific Collaboration} and {Virgo Collaboration}},
  journal=prl,
  volume={116}, number={6}, pages={061102},
  year={2016}, month = feb,
  doi = {10.1103/PhysRevLett.116.061102}
}

@article{srivastava2022beyond,
  title={Beyond the imitation game: Quantifying and extrapolating the capabilities of language models},
  author={Srivastava, Aarohi and Rastogi, Abhinav and Rao, Abhishek and others},
  journal={arXiv preprint arXiv:2206.04615},
  year={2022}
}

@article{DBLP:journals/corr/abs-2006-10739,
  author       = {Sam Schoenholz and Jascha Sohl{-}Dickstein},
  title        = {{JAX}, {M.D.:} End-to-End Differentiable, Hardware Accelerated, Molecular Dynamics in Pure {P}ython},
  journal      = {CoRR},
  volume       = {abs/1912.04232},
  year         = {2019},
  eprinttype    = {arXiv},
  eprint       = {1912.04232v2},
}

@inproceedings{goedel1931,
  author = {G{\"o}del, Kurt and {von} Neumann, John and Garc{\'\i}a, Jos{\'e} and de la Fontaine, Jean and Ludwig van Beethoven},
  title = {{\"U}ber formal unentscheidbare S{\"a}tze der \emph{Principia Mathematica} \& $\alpha_{1}$-stable 50\% {\em sets}},
  booktitle = {Proc. of the {Vienna} Circle},
  date = {1931-03-17},
  keywords = {logic; incompleteness, G{\"o}del},
  abstract = {We show that $\mathcal{O}(n)$ {\em proofs} 50\% \\ fail.},
  url = {https://doi.org/10.1007/BF01700692}
}`;

describe('bibtexAdapter.parse', () => {
  it('reads arxiv.org exports: id, authors, year, class, url; key is the arXiv id', () => {
    const out = bibtexAdapter.parse(ARXIV_EXPORT, ctx);
    expect(out.problems).toEqual([]);
    const [a, b] = out.records as PaperRecord[];
    expect(out.records).toHaveLength(2);
    expect(a).toMatchObject({
      key: '2409.15156',
      ids: { arxiv: '2409.15156' },
      title: 'Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling',
      year: 2024,
      categories: ['cs.LG'],
      links: [{ url: 'https://arxiv.org/abs/2409.15156', rel: 'abstract' }],
      provenance: {
        source: 'bibtex',
        origin: 'library.bib',
        locator: 'entry 1 (key xiao2024rethinking) at line 1',
      },
    });
    expect(a!.authors).toEqual([{ display: 'Lechao Xiao', family: 'Xiao', given: 'Lechao' }]);
    expect(b!.authors!.map((p) => p.family)).toEqual(['Bahri', 'Dyer', 'Kaplan', 'Lee', 'Sharma']);
    expect(b!.provenance.locator).toBe('entry 2 (key bahri2021explaining) at line 11');
  });

  it('reads Scholar, DBLP and hand-written entries: macros, groups, accents, particles, dates', () => {
    const out = bibtexAdapter.parse(MIXED, ctx);
    expect(out.problems).toEqual([]);
    const [ligo, bigbench, jaxmd, goedel] = out.records as PaperRecord[];

    expect(ligo!.key).toBe('10.1103/physrevlett.116.061102');
    expect(ligo!.ids).toEqual({ doi: '10.1103/physrevlett.116.061102' });
    expect(ligo!.venue).toBe('Phys. Rev. Lett.');
    expect(ligo!.year).toBe(2016);
    expect(ligo!.authors).toEqual([
      { display: 'Benjamin P Abbott', family: 'Abbott', given: 'Benjamin P' },
      { display: 'LIGO Scientific Collaboration', family: 'LIGO Scientific Collaboration' },
      { display: 'Virgo Collaboration', family: 'Virgo Collaboration' },
    ]);

    // Scholar's `journal={arXiv preprint arXiv:…}` gives the id and is not a venue; `others` is et al.
    expect(bigbench!.ids).toEqual({ arxiv: '2206.04615' });
    expect(bigbench!.venue).toBeUndefined();
    expect(bigbench!.authors!.map((p) => p.display)).toEqual([
      'Aarohi Srivastava',
      'Abhinav Rastogi',
      'Abhishek Rao',
    ]);

    // DBLP: `eprinttype`, versioned eprint, CoRR is not a venue, protected braces dropped.
    expect(jaxmd!.ids).toEqual({ arxiv: '1912.04232' });
    expect(jaxmd!.key).toBe('1912.04232');
    expect(jaxmd!.venue).toBeUndefined();
    expect(jaxmd!.title).toBe(
      'JAX, M.D.: End-to-End Differentiable, Hardware Accelerated, Molecular Dynamics in Pure Python',
    );
    expect(jaxmd!.authors!.map((p) => p.family)).toEqual(['Schoenholz', 'Sohl-Dickstein']);

    expect(goedel!.title).toBe(
      'Über formal unentscheidbare Sätze der Principia Mathematica & $\\alpha_{1}$-stable 50% sets',
    );
    expect(goedel!.authors).toEqual([
      { display: 'Kurt Gödel', family: 'Gödel', given: 'Kurt' },
      { display: 'John von Neumann', family: 'von Neumann', given: 'John' },
      { display: 'José García', family: 'García', given: 'José' },
      { display: 'Jean de la Fontaine', family: 'de la Fontaine', given: 'Jean' },
      { display: 'Ludwig van Beethoven', family: 'van Beethoven', given: 'Ludwig' },
    ]);
    expect(goedel!.abstract).toBe('We show that $\\mathcal{O}(n)$ {\\em proofs} 50\\% \\\\ fail.');
    expect(goedel!.venue).toBe('Proc. of the Vienna Circle');
    expect(goedel!.published).toBe('1931-03-17');
    expect(goedel!.year).toBe(1931);
    expect(goedel!.keywords).toEqual(['logic', 'incompleteness', 'Gödel']);
    // No DOI field, no arXiv id: the citation key is the record key.
    expect(goedel!.key).toBe('goedel1931');
    expect(goedel!.ids).toEqual({});
  });

  it('keeps the good entries around a malformed one and names its key and line', () => {
    const text = String.raw`@article{good2020,
  title = {First good},
  year = {2020}
}
@article{foo2020,
  title = {Missing comma}
  year = {2020}
}
@article{good2021,
  title = {Second good},
  year = {2021}
}`;
    const out = bibtexAdapter.parse(text, ctx);
    expect((out.records as PaperRecord[]).map((r) => r.title)).toEqual(['First good', 'Second good']);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({
      source: 'bibtex',
      origin: 'library.bib',
      locator: 'entry 2 (key foo2020) at line 5',
    });
    expect(out.problems[0]!.message).toMatch(/^malformed @article entry at line 7 col 3: expected "rbrace"/);
  });

  it('stops an unclosed entry at the next entry line', () => {
    const text =
      '@article{a1,\n  title = {Open {brace},\n  year = 2020\n\n@misc{b2, title = {Next}, year = 2021}\n';
    const out = bibtexAdapter.parse(text, ctx);
    expect((out.records as PaperRecord[]).map((r) => [r.key, r.title, r.year])).toEqual([
      ['b2', 'Next', 2021],
    ]);
    expect(out.problems).toEqual([
      {
        source: 'bibtex',
        origin: 'library.bib',
        locator: 'entry 1 (key a1) at line 1',
        message: '@article entry has no closing brace',
      },
    ]);
  });

  it('reports an entry without a citation key', () => {
    const out = bibtexAdapter.parse('@misc{, title = {No Key}, year = 2020}\n@misc{k, title = {Keyed}}', ctx);
    expect((out.records as PaperRecord[]).map((r) => r.key)).toEqual(['k']);
    expect(out.problems).toEqual([
      {
        source: 'bibtex',
        origin: 'library.bib',
        locator: 'entry 1 at line 1',
        message: 'malformed @misc entry at line 1 col 7: expected "label", got "comma"',
      },
    ]);
  });

  it('reports a file without entries', () => {
    expect(bibtexAdapter.parse('just some text', ctx).problems).toEqual([
      {
        source: 'bibtex',
        origin: 'library.bib',
        locator: 'file',
        message: 'no BibTeX entries (`@type{key, …}`) found',
      },
    ]);
  });
});

describe('bibtexAdapter.sniff', () => {
  it('claims BibTeX, not JSON or RIS', () => {
    expect(bibtexAdapter.sniff(ARXIV_EXPORT)).toBe(0.9);
    expect(bibtexAdapter.sniff(ARXIV_EXPORT, 'refs.bib')).toBe(1);
    expect(bibtexAdapter.sniff('TY  - JOUR\nTI  - x\nER  - \n')).toBe(0);
    expect(bibtexAdapter.sniff('[{"type":"article-journal","title":"x"}]')).toBe(0);
    expect(bibtexAdapter.sniff('contact me @ home')).toBe(0);
  });
});

describe('bibtexAdapter garbage', () => {
  const check = (text: string) => {
    const out = bibtexAdapter.parse(text, ctx);
    for (const p of out.problems) {
      expect(p.source).toBe('bibtex');
      expect(p.origin).toBe('library.bib');
      expect(p.locator).toMatch(/^(file|line \d+|entry \d+( \(key [^)]*\))? at line \d+)$/);
      expect(p.message.length).toBeGreaterThan(0);
    }
    for (const r of out.records as PaperRecord[]) expect(r.key.length).toBeGreaterThan(0);
    return out;
  };

  it('never throws on random strings, BibTeX-ish tokens or binary', () => {
    const bibChars = fc.constantFrom(
      '@',
      '{',
      '}',
      '(',
      ')',
      ',',
      '=',
      '"',
      '#',
      '\\',
      '$',
      'article',
      'a',
      ' ',
      '\n',
      'and',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(bibChars).map((a) => a.join('')),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        (text) => {
          check(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps every complete entry of a truncated file and reports the cut one', () => {
    const text = `${ARXIV_EXPORT}\n\n${MIXED}`;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (cut) => {
        const out = check(text.slice(0, cut));
        expect(out.records.length).toBeLessThanOrEqual(6);
      }),
      { numRuns: 200 },
    );
    const out = check(text.slice(0, text.indexOf('@article{DBLP') + 80));
    expect((out.records as PaperRecord[]).map((r) => r.key)).toEqual([
      '2409.15156',
      '2102.06701',
      '10.1103/physrevlett.116.061102',
      '2206.04615',
    ]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]!.locator).toBe('entry 5 (key DBLP:journals/corr/abs-2006-10739) at line 40');
  });
});

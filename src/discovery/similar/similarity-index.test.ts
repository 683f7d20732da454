import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimilarityInput } from './document.ts';
import { SimilarityIndex } from './similarity-index.ts';

const person = (display: string) => ({ name: { display } });

// Three topics, four papers each: the right neighbours are the papers of the same topic.
const CORPUS: SimilarityInput[] = [
  {
    id: 1,
    title: 'Neural tangent kernel at infinite width',
    abstractText:
      'Wide networks trained by gradient descent follow the neural tangent kernel in the infinite width limit.',
    authors: [person('Xiao, Lechao')],
  },
  {
    id: 2,
    title: 'Finite width corrections to the neural tangent kernel',
    abstractText: 'We compute corrections to the neural tangent kernel of networks away from infinite width.',
    authors: [person('Lechao Xiao'), person('Jeffrey Pennington')],
  },
  {
    id: 3,
    title: 'Infinite width limits of deep networks',
    abstractText:
      'Gaussian process behaviour of deep networks at infinite width and their kernel regression.',
  },
  {
    id: 4,
    title: 'Kernel regime of gradient descent in wide networks',
    abstractText:
      'Training wide networks with gradient descent stays close to the tangent kernel at initialization.',
  },
  {
    id: 5,
    title: 'Protein structure prediction from sequence',
    abstractText: 'We predict protein folding and structure from the amino acid sequence with coevolution.',
  },
  {
    id: 6,
    title: 'Amino acid contacts and protein folding',
    abstractText:
      'Residue contacts inferred from coevolution of amino acid sequence guide protein structure.',
  },
  {
    id: 7,
    title: 'Protein folding energy landscapes',
    abstractText:
      'The folding of a protein structure follows a funnel shaped energy landscape over amino acid chains.',
  },
  {
    id: 8,
    title: 'Sequence design for protein structure',
    abstractText: 'Designing the amino acid sequence that folds into a target protein structure.',
  },
  {
    id: 9,
    title: 'Galaxy clusters and dark matter halos',
    abstractText: 'Weak lensing of galaxy clusters measures the mass of dark matter halos at high redshift.',
  },
  {
    id: 10,
    title: 'Redshift evolution of galaxy clusters',
    abstractText:
      'Cluster abundance at high redshift constrains dark matter and cosmology through galaxy surveys.',
  },
  {
    id: 11,
    title: 'Dark matter halo profiles from lensing',
    abstractText: 'Lensing shear profiles of galaxy clusters trace the dark matter halo mass.',
  },
  {
    id: 12,
    title: 'Galaxy surveys at high redshift',
    abstractText: 'Surveys of galaxies at high redshift map clusters and the dark matter distribution.',
  },
];

const OPTIONS = { dimensions: 4, minDf: 1, ngrams: 2 } as const;
const topic = (id: number) => Math.ceil(id / 4);

describe('SimilarityIndex', () => {
  const index = SimilarityIndex.build(CORPUS, OPTIONS);

  it('finds the papers of the same topic first, never the paper itself', () => {
    for (const p of CORPUS) {
      const near = index.neighbours(p.id, 3);
      expect(near.map((n) => n.paperId)).not.toContain(p.id);
      expect(near.map((n) => topic(n.paperId))).toEqual([topic(p.id), topic(p.id), topic(p.id)]);
    }
    expect(index.neighbours(1, 1).map((n) => n.paperId)).toEqual([2]);
  });

  it('orders by the blend of lexical and dense cosine', () => {
    const near = index.neighbours(1, 11);
    expect(near).toHaveLength(11);
    for (const n of near) expect(n.score).toBeCloseTo(0.3 * n.lexical + 0.7 * n.dense, 5);
    for (let i = 1; i < near.length; i++) expect(near[i]!.score).toBeLessThanOrEqual(near[i - 1]!.score);
  });

  it('names the shared distinctive terms, joining overlapping pairs', () => {
    const [first] = index.neighbours(1, 1);
    expect(first?.paperId).toBe(2);
    expect(first?.shared).toContain('neural tangent kernel');
    expect(first?.reason.startsWith('shares: ')).toBe(true);
    expect(first?.reason).toContain('infinite width');
    expect(first?.shared.some((t) => t === 'same author lechao xiao')).toBe(true);
  });

  it('answers nothing for an unknown paper or k = 0', () => {
    expect(index.neighbours(999)).toEqual([]);
    expect(index.neighbours(1, 0)).toEqual([]);
    expect(index.size).toBe(12);
    expect(index.has(12)).toBe(true);
  });

  it('gives a paper added later the same neighbours as a rebuild, when its terms are known', () => {
    const late: SimilarityInput = {
      id: 13,
      title: 'Dark matter in galaxy clusters at high redshift',
      abstractText: 'Lensing of galaxy clusters and halo mass.',
    };
    const grown = SimilarityIndex.build(CORPUS, OPTIONS);
    grown.add(late);
    const rebuilt = SimilarityIndex.build([...CORPUS, late], OPTIONS);
    const ids = (i: SimilarityIndex) => i.neighbours(13, 4).map((n) => n.paperId);
    expect(ids(grown)).toEqual(ids(rebuilt));
    expect(new Set(ids(grown))).toEqual(new Set([9, 10, 11, 12]));
    // The others see it too, without a rebuild.
    expect(grown.neighbours(11, 4).map((n) => n.paperId)).toContain(13);
    expect(grown.size).toBe(13);
  });

  it('replaces a paper added again under the same id', () => {
    const grown = SimilarityIndex.build(CORPUS, OPTIONS);
    grown.add({
      id: 1,
      title: 'Protein folding from amino acid sequence',
      abstractText: 'Protein structure.',
    });
    expect(grown.size).toBe(12);
    expect(topic(grown.neighbours(1, 1)[0]!.paperId)).toBe(2);
  });
});

describe('SimilarityIndex for text that is not indexed, and restored from a snapshot', () => {
  const index = SimilarityIndex.build(CORPUS, OPTIONS);

  it('finds the papers like a pasted abstract without indexing it', () => {
    const near = index.similarTo(
      { id: -1, title: 'Protein folding', abstractText: 'Amino acid sequence and structure.' },
      4,
    );
    expect(near.map((n) => topic(n.paperId))).toEqual([2, 2, 2, 2]);
    expect(near[0]?.reason).toMatch(/^shares: .*(protein|amino acid)/);
    expect(index.size).toBe(12);
    // An indexed id is left out of its own list.
    expect(index.similarTo(CORPUS[0]!, 3).map((n) => n.paperId)).not.toContain(1);
  });

  it('gives the same neighbours after a JSON round trip of what the build learned', () => {
    const snapshot = JSON.parse(JSON.stringify(index.snapshot()));
    expect(snapshot.dimensions).toBe(4);
    expect(snapshot.terms).toContain('neural tangent');
    const restored = SimilarityIndex.restore(snapshot, CORPUS);
    for (const p of CORPUS) {
      const a = index.neighbours(p.id, 5);
      const b = restored.neighbours(p.id, 5);
      expect(b.map((n) => n.paperId)).toEqual(a.map((n) => n.paperId));
      b.forEach((n, i) => {
        expect(n.score).toBeCloseTo(a[i]!.score, 6);
      });
    }
  });

  it('refuses a snapshot whose basis does not fit its vocabulary', () => {
    const snapshot = index.snapshot();
    expect(() => SimilarityIndex.restore({ ...snapshot, dimensions: 5 }, CORPUS)).toThrow(RangeError);
  });
});

describe('SimilarityIndex fitted on a sample', () => {
  it('projects the papers left out of the fit and still finds their topic', () => {
    // Every second paper is fitted (fitSample 6 of 12); the others are projected like late arrivals.
    const index = SimilarityIndex.build(CORPUS, { ...OPTIONS, fitSample: 6 });
    expect(index.size).toBe(12);
    for (const id of [2, 6, 10]) {
      expect(index.neighbours(id, 2).map((n) => topic(n.paperId))).toEqual([topic(id), topic(id)]);
    }
  });
});

describe('SimilarityIndex on any text', () => {
  it('never throws, keeps scores in [−1, 1] and never lists a paper as its own neighbour', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ title: fc.string({ maxLength: 40 }), abstractText: fc.string({ maxLength: 120 }) }),
          {
            maxLength: 12,
          },
        ),
        fc.array(fc.constantFrom('graph', 'kernel', 'protein', 'galaxy', 'width', '$x$', 'é'), {
          maxLength: 30,
        }),
        (texts, words) => {
          const papers = texts.map((t, i) => ({
            id: i + 1,
            title: t.title,
            abstractText: `${t.abstractText} ${words.slice(i).join(' ')}`,
          }));
          const index = SimilarityIndex.build(papers, { dimensions: 3, minDf: 1, ngrams: 2 });
          index.add({ id: 100, title: words.join(' '), abstractText: texts[0]?.title ?? '' });
          for (const p of [...papers, { id: 100 }]) {
            const near = index.neighbours(p.id, 5);
            expect(near.length).toBeLessThanOrEqual(5);
            for (const n of near) {
              expect(n.paperId).not.toBe(p.id);
              expect(n.score).toBeGreaterThanOrEqual(-1);
              expect(n.score).toBeLessThanOrEqual(1);
              expect(Number.isFinite(n.score)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

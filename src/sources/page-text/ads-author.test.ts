import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { adsAuthorPageAdapter } from './ads-author.ts';
import { checkGarbage } from './garbage.testkit.ts';

const page = readFileSync(seedPath(SEED_FILES.adsAuthor), 'utf8');
const ctx = { origin: 'seeds/001.txt', fetchedAt: '2024-05-01T00:00:00.000Z' };

function papers(text: string): PaperRecord[] {
  return adsAuthorPageAdapter.parse(text, ctx).records as PaperRecord[];
}

describe('NASA ADS author page', () => {
  it('reads the ten papers of seed 001 with their titles, authors and abstracts', () => {
    const { records, problems } = adsAuthorPageAdapter.parse(page, ctx);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(10);
    const all = records as PaperRecord[];
    expect(all.map((r) => r.provenance.locator)).toEqual(
      [4, 7, 10, 13, 16, 19, 22, 25, 28, 31].map((n) => `line ${n}`),
    );
    expect(all.map((r) => r.authors?.length)).toEqual([1, 11, 4, 41, 30, 16, 5, 1, 5, 7]);
    expect(all[0]!.title).toBe(
      'Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling',
    );
    expect(all[0]!.authors).toEqual([{ display: 'Lechao Xiao', family: 'Xiao', given: 'Lechao' }]);
    const second = all[1]!;
    expect(second.title).toBe('Scaling Exponents Across Parameterizations and Optimizers');
    expect(second.authors?.slice(0, 4).map((a) => a.display)).toEqual([
      'Katie Everett',
      'Lechao Xiao',
      'Mitchell Wortsman',
      'Alexander A. Alemi',
    ]);
    expect(second.authors?.[8]).toEqual({
      display: 'Leslie Pack Kaelbling',
      family: 'Kaelbling',
      given: 'Leslie Pack',
    });
    expect(
      second.abstract?.startsWith('Robust and effective scaling of models from small to large width'),
    ).toBe(true);
    expect(
      all[4]!.title?.startsWith(
        'Frontier Language Models are not Robust to Adversarial Arithmetic, or "What',
      ),
    ).toBe(true);
    expect(all[4]!.authors?.[0]).toEqual({
      display: 'C. Daniel Freeman',
      family: 'Freeman',
      given: 'C. Daniel',
    });
    expect(all[3]!.authors?.[1]).toEqual({
      display: 'John D. Co-Reyes',
      family: 'Co-Reyes',
      given: 'John D.',
    });
  });

  it('does not shift the papers after one whose abstract or author line is missing', () => {
    const lines = page.split('\n');
    // Drop the abstract of paper 2 (line 9) and the author line of paper 5 (line 17).
    const cut = lines.filter((_l, i) => i !== 8 && i !== 16).join('\n');
    const all = papers(cut);
    expect(all).toHaveLength(10);
    expect(all[1]!.title).toBe('Scaling Exponents Across Parameterizations and Optimizers');
    expect(all[1]!.abstract).toBeUndefined();
    expect(all[1]!.authors).toHaveLength(11);
    expect(all[2]!.title).toBe('4+3 Phases of Compute-Optimal Neural Scaling Laws');
    expect(all[2]!.abstract?.startsWith('We consider the three parameter solvable')).toBe(true);
    expect(all[4]!.authors).toBeUndefined();
    expect(all[4]!.abstract?.startsWith('We introduce and study the problem of adversarial arithmetic')).toBe(
      true,
    );
    expect(all[5]!.title).toBe('Small-scale proxies for large-scale Transformer training instabilities');
    expect(all[5]!.authors?.[0]?.display).toBe('Mitchell Wortsman');
  });

  it('keeps a paper whose title line is missing as a partial record', () => {
    const lines = page.split('\n');
    const all = papers(lines.filter((_l, i) => i !== 6).join('\n'));
    expect(all).toHaveLength(10);
    expect(all[1]!.title).toBeUndefined();
    expect(all[1]!.authors?.[0]?.display).toBe('Katie Everett');
    expect(all[2]!.title).toBe('4+3 Phases of Compute-Optimal Neural Scaling Laws');
  });

  it('reports a stray author line after the papers and an empty text', () => {
    const { records, problems } = adsAuthorPageAdapter.parse(`${page}\nDoe, Jane, Roe, Richard`, ctx);
    expect(records).toHaveLength(10);
    expect(problems).toEqual([
      {
        source: 'page-ads-author',
        origin: 'seeds/001.txt',
        locator: 'line 34',
        message: 'author line with no title or abstract',
      },
    ]);
    expect(adsAuthorPageAdapter.parse('', ctx).problems[0]?.locator).toBe('file');
  });

  it('survives garbage', () => {
    checkGarbage(adsAuthorPageAdapter, page);
  });
});

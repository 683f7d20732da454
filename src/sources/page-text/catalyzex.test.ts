import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { catalyzexPageAdapter } from './catalyzex.ts';
import { checkGarbage } from './garbage.testkit.ts';

const page = readFileSync(seedPath(SEED_FILES.catalyzex), 'utf8');
const ctx = { origin: 'seeds/003.txt', fetchedAt: '2024-05-01T00:00:00.000Z' };

describe('CatalyzeX author page', () => {
  const { records, problems } = catalyzexPageAdapter.parse(page, ctx);
  const all = records as PaperRecord[];

  it('reads the nine papers of seed 003, without titles', () => {
    expect(problems).toEqual([]);
    expect(all).toHaveLength(9);
    expect(all.map((r) => r.provenance.locator)).toEqual(
      [3, 9, 15, 21, 27, 33, 39, 45, 51].map((n) => `line ${n}`),
    );
    expect(all.map((r) => r.authors?.length)).toEqual([41, 30, 16, 6, 3, 4, 445, 4, 7]);
    expect(all.every((r) => r.title === undefined && r.abstract)).toBe(true);
  });

  it('reads First Last names', () => {
    const names = all[0]!.authors!.map((a) => a.display);
    expect(names.slice(0, 2)).toEqual(['Avi Singh', 'John D. Co-Reyes']);
    expect(names).toContain('Maxwell L. Bileschi');
    expect(all[0]!.authors![1]).toEqual({
      display: 'John D. Co-Reyes',
      family: 'Co-Reyes',
      given: 'John D.',
    });
    expect(all[1]!.authors![0]).toEqual({
      display: 'C. Daniel Freeman',
      family: 'Freeman',
      given: 'C. Daniel',
    });
    expect(all[1]!.authors!.find((a) => a.family === 'Co-Reyes')).toEqual({
      display: 'JD Co-Reyes',
      family: 'Co-Reyes',
      given: 'JD',
    });
    expect(all[6]!.authors![3]).toEqual({
      display: 'Abu Awal Md Shoeb',
      family: 'Shoeb',
      given: 'Abu Awal Md',
    });
    expect(
      all[4]!.abstract?.startsWith('The Neural Tangent Kernel (NTK), defined as $\\Theta_\\theta^f'),
    ).toBe(true);
  });

  it('keeps a single author and a paper with no author line in their own blocks', () => {
    const text = [
      'Lechao Xiao',
      '',
      page.split('\n')[22],
      '',
      'Via',
      '',
      page.split('\n')[28],
      '',
      'Via',
      '',
      'Jane Doe, Richard Roe',
      '',
      'Via',
    ].join('\n');
    const out = catalyzexPageAdapter.parse(text, ctx);
    expect(out.records).toHaveLength(2);
    const [a, b] = out.records as PaperRecord[];
    expect(a!.authors).toEqual([{ display: 'Lechao Xiao', family: 'Xiao', given: 'Lechao' }]);
    expect(a!.abstract?.startsWith('Infinite width limit')).toBe(true);
    expect(b!.authors).toBeUndefined();
    expect(b!.provenance.locator).toBe('line 7');
    expect(out.problems).toEqual([
      {
        source: 'page-catalyzex',
        origin: 'seeds/003.txt',
        locator: 'line 11',
        message: 'author line with no abstract',
      },
    ]);
  });

  it('survives garbage', () => {
    checkGarbage(catalyzexPageAdapter, page);
  });
});

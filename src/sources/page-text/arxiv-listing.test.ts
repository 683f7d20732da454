import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { arxivListingPageAdapter } from './arxiv-listing.ts';
import { checkGarbage } from './garbage.testkit.ts';

const page = readFileSync(seedPath(SEED_FILES.arxivListing), 'utf8');
const ctx = { origin: 'seeds/000.txt', fetchedAt: '2024-05-01T00:00:00.000Z' };

describe('arXiv listing page', () => {
  it('reads one partial record per Abstract line of seed 000', () => {
    const { records, problems } = arxivListingPageAdapter.parse(page, ctx);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(10);
    expect(records.map((r) => r.provenance.locator)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `line ${n}`),
    );
    const first = records[0]!;
    expect(first.kind === 'paper' && first.title).toBeFalsy();
    expect(first.kind === 'paper' && first.authors).toBeUndefined();
    expect(
      first.kind === 'paper' &&
        first.abstract?.startsWith('While many capabilities of language models (LMs)'),
    ).toBe(true);
    const third = records[2]!;
    expect(third.kind === 'paper' && third.abstract).toContain('which we call ReST$^{EM}$, where');
    expect(
      records[9]!.kind === 'paper' &&
        records[9]!.abstract?.startsWith('This paper builds upon the work of Pfau'),
    ).toBe(true);
    expect(new Set(records.map((r) => r.key)).size).toBe(10);
    expect(first.provenance).toEqual({
      source: 'page-arxiv-listing',
      origin: 'seeds/000.txt',
      locator: 'line 1',
      fetchedAt: '2024-05-01T00:00:00.000Z',
    });
  });

  it('gives the same keys when the page is read again', () => {
    const a = arxivListingPageAdapter.parse(page, ctx).records.map((r) => r.key);
    const b = arxivListingPageAdapter
      .parse(`\n${page}\n`, { ...ctx, origin: 'other' })
      .records.map((r) => r.key);
    expect(b).toEqual(a);
  });

  it('reads ids, titles, authors and wrapped abstracts of fuller listings', () => {
    const text = [
      'arXiv:2310.04415v2 [pdf, other] cs.LG',
      'Title: Why Do We Need Weight Decay in Modern Deep Learning?',
      "Authors: Maksym Andriushchenko, Francesco D'Angelo and Nicolas Flammarion",
      'Abstract: Weight decay is a broadly used technique … ▽ More Weight decay is a broadly used technique',
      'for training state-of-the-art deep networks. △ Less',
      '',
      'Submitted 6 October, 2023; originally announced October 2023.',
    ].join('\n');
    const { records, problems } = arxivListingPageAdapter.parse(text, ctx);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    if (r.kind !== 'paper') throw new Error('not a paper');
    expect(r.ids.arxiv).toBe('2310.04415');
    expect(r.key).toBe('2310.04415');
    expect(r.title).toBe('Why Do We Need Weight Decay in Modern Deep Learning?');
    expect(r.authors?.map((a) => a.display)).toEqual([
      'Maksym Andriushchenko',
      "Francesco D'Angelo",
      'Nicolas Flammarion',
    ]);
    expect(r.abstract).toBe(
      'Weight decay is a broadly used technique\nfor training state-of-the-art deep networks.',
    );
    expect(r.provenance.locator).toBe('line 4');
  });

  it('reports a text with no abstract lines', () => {
    const { records, problems } = arxivListingPageAdapter.parse('hello\nworld', ctx);
    expect(records).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ source: 'page-arxiv-listing', origin: 'seeds/000.txt', locator: 'file' }),
    ]);
    expect(arxivListingPageAdapter.parse('Abstract:', ctx).problems[0]?.locator).toBe('line 1');
  });

  it('survives garbage', () => {
    checkGarbage(arxivListingPageAdapter, page);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFixture, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { pageTextAdapters } from './index.ts';

const seeds = [
  { format: 'page-arxiv-listing', file: SEED_FILES.arxivListing, header: 0 },
  { format: 'page-ads-author', file: SEED_FILES.adsAuthor, header: 3 },
  { format: 'page-hf-papers', file: SEED_FILES.hfPapers, header: 2 },
  { format: 'page-catalyzex', file: SEED_FILES.catalyzex, header: 1 },
] as const;

function scores(text: string): Record<string, number> {
  return Object.fromEntries(
    pageTextAdapters.map((a) => [a.format, a.sniff(text.slice(0, 65_536), 'paste.txt')]),
  );
}

function winner(text: string): string | undefined {
  const all = Object.entries(scores(text)).sort((a, b) => b[1] - a[1]);
  const [best, second] = all;
  if (!best || best[1] === 0) return undefined;
  return second && second[1] === best[1] ? undefined : best[0];
}

describe('sniffing pasted pages', () => {
  for (const seed of seeds) {
    const text = readFileSync(seedPath(seed.file), 'utf8');
    const lines = text.split('\n');

    it(`claims ${seed.file} for ${seed.format}`, () => {
      expect(winner(text)).toBe(seed.format);
      expect(scores(text)[seed.format]).toBeGreaterThanOrEqual(0.8);
    });

    it(`recognises a partial paste of ${seed.file} without its header lines`, () => {
      const partial = lines.slice(seed.header, seed.header + 20).join('\n');
      expect(winner(partial)).toBe(seed.format);
      // A paste that starts mid-paper (an abstract or author line first) is still recognised.
      expect(winner(lines.slice(seed.header + 1, seed.header + 21).join('\n'))).toBe(seed.format);
    });
  }

  it('scores other formats and ordinary text 0', () => {
    const others = [
      '',
      'hello world',
      readFixture('arxiv-bulk', 'unarxive-sample-metadata.jsonl').slice(0, 20_000),
      JSON.parse(readFixture('arxiv-api', 'q_testing_s0_m10_bc5a6c384fe9.json')).body.slice(0, 20_000),
      '@article{x,\n  title={A},\n  author={Doe, Jane}\n}\n',
      'TY  - JOUR\nTI  - A title\nAU  - Doe, Jane\nER  -\n',
      'id,title,abstract\n1,A,B\n',
      'Dear colleagues,\nThe meeting moves to Tuesday. Please bring the slides. Thanks.\nBest, Jane',
    ];
    for (const text of others)
      expect(scores(text)).toEqual(Object.fromEntries(pageTextAdapters.map((a) => [a.format, 0])));
  });
});

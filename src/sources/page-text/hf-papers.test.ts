import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { checkGarbage } from './garbage.testkit.ts';
import { hfPapersPageAdapter } from './hf-papers.ts';

const page = readFileSync(seedPath(SEED_FILES.hfPapers), 'utf8');
const ctx = { origin: 'seeds/002.txt', fetchedAt: '2024-05-01T00:00:00.000Z' };

describe('Hugging Face Papers page', () => {
  const { records, problems } = hfPapersPageAdapter.parse(page, ctx);
  const all = records as PaperRecord[];

  it('reads the 256 papers of seed 002', () => {
    expect(problems).toEqual([]);
    expect(all).toHaveLength(256);
    expect(all.every((r) => r.title && r.abstract && r.authors === undefined)).toBe(true);
    expect(all[0]!.title).toBe(
      'Learning from Imperfect Data: Towards Efficient Knowledge Distillation of Autoregressive Language Models for Text-to-SQL',
    );
    expect(all[0]!.provenance.locator).toBe('line 3');
    expect(
      all[0]!.abstract?.startsWith(
        'Large Language Models (LLMs) have shown promising performance in text-to-SQL',
      ),
    ).toBe(true);
    expect(all[1]!.title).toBe('DistiLLM: Towards Streamlined Distillation for Large Language Models');
    expect(all[255]!.provenance.locator).toBe('line 513');
    expect(new Set(all.map((r) => r.key)).size).toBe(256);
  });

  it('keeps both papers called "RegMix: …"', () => {
    expect(all.filter((r) => r.title?.startsWith('RegMix:')).map((r) => r.title)).toEqual([
      'RegMix: Data Mixture as Regression for Language Model Pre-training',
      'RegMix: Data Mixing Augmentation for Regression',
    ]);
  });

  it('keeps a last title without its abstract', () => {
    const cut = page.split('\n').slice(0, 9).join('\n');
    const out = hfPapersPageAdapter.parse(cut, ctx).records as PaperRecord[];
    expect(out).toHaveLength(4);
    expect(out[3]!.title).toBe(
      'Shiftable Context: Addressing Training-Inference Context Mismatch in Simultaneous Speech Translation',
    );
    expect(out[3]!.abstract).toBeUndefined();
  });

  it('does not shift papers when an abstract is missing', () => {
    const lines = page.split('\n');
    const out = hfPapersPageAdapter.parse(lines.filter((_l, i) => i !== 5).join('\n'), ctx)
      .records as PaperRecord[];
    expect(out).toHaveLength(256);
    expect(out[1]!.abstract).toBeUndefined();
    expect(out[2]!.title).toBe('Simultaneous Machine Translation with Large Language Models');
    expect(out[2]!.abstract?.startsWith('Large language models (LLM) have demonstrated')).toBe(true);
  });

  it('survives garbage', () => {
    checkGarbage(hfPapersPageAdapter, page.slice(0, 20_000));
  });
});

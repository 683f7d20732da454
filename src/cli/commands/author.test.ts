import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';

/** `paperscope author`, `author-merge`, `author-split`, `author-reject` on the seed pages. */

const INITIALS = `@article{lone-initials,
  title = {Wide networks: the neural tangent kernel and the NNGP at infinite width},
  author = {Xiao, L. and Doe, Jane},
  year = {2020},
  journal = {Hand-made test entry},
  abstract = {We study the NNGP kernel and the neural tangent kernel of infinitely wide networks.}
}
@article{lechao-doe,
  title = {Kernel regression in the infinite width limit},
  author = {Xiao, Lechao and Doe, Jane},
  year = {2022},
  journal = {Hand-made test entry}
}`;

let data: { dir: string; cleanup: () => void };
const cli = (...args: string[]) => runCli(data.dir, args);
const json = async (...args: string[]) => {
  const run = await cli(...args, '--json');
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.out);
};

beforeAll(async () => {
  data = tempDataDir('paperscope-author-cli-');
  const bib = join(data.dir, 'initials.bib');
  writeFileSync(bib, INITIALS);
  const run = await cli('import', ...Object.values(SEED_FILES).map(seedPath), bib);
  expect(run.code).toBe(0);
}, 60_000);

afterAll(() => data.cleanup());

describe('paperscope author', () => {
  it('prints the whole profile, with who else the person could be', async () => {
    const run = await cli('author', 'Xiao, Lechao', '--sort', 'title', '--order', 'asc');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Lechao Xiao \(author \d+\) — 13 papers/);
    expect(run.out).toContain('Name variants: Lechao Xiao (13)');
    expect(run.out).toContain('Jeffrey Pennington (8)');
    expect(run.out).toMatch(/Top terms: .*nngp/);
    expect(run.out).toContain('Papers (title, asc):');
    expect(run.out).toMatch(
      /Possibly the same person:\n {2}L\. Xiao \(author \d+, 1 papers\) — co-authors in common: Jane Doe/,
    );
    const lines = run.out.split('\n');
    const first = lines.findIndex((l) => l.startsWith('Papers ('));
    expect(lines[first + 1]).toContain('4+3 Phases of Compute-Optimal Neural Scaling Laws');
  });

  it('answers JSON with the profile and the suggestions', async () => {
    const profile = await json('author', 'Lechao Xiao');
    expect(profile.paperCount).toBe(13);
    expect(profile.papers).toHaveLength(13);
    expect(profile.suggestions[0].evidence.coauthors[0].displayName).toBe('Jane Doe');
  });

  it('says when there is no such person (exit 3) or a bad option (exit 2)', async () => {
    const missing = await cli('author', 'Nobody Atall');
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('No author "Nobody Atall"');
    const bad = await cli('author', 'Lechao Xiao', '--sort', 'colour');
    expect(bad.code).toBe(2);
  });
});

describe('paperscope author-merge, author-split, author-reject', () => {
  it('merges, splits by name variant, and records not-the-same', async () => {
    const lechao = (await json('author', 'Lechao Xiao')).id as number;
    const initials = (await json('author', 'L. Xiao')).id as number;
    expect(initials).not.toBe(lechao);

    const merged = await json('author-merge', String(lechao), String(initials));
    expect(merged).toMatchObject({ kept: lechao, mergedAway: initials, papersMoved: 1 });
    const after = await json('author', String(initials));
    expect(after).toMatchObject({ id: lechao, redirectedFrom: initials, paperCount: 14 });

    const text = await cli('author-split', String(lechao), '--names', 'L. Xiao');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Split 1 papers off author \d+ into new author L\. Xiao \((\d+)\)\./);
    const created = Number(/new author L\. Xiao \((\d+)\)/.exec(text.out)![1]);
    expect((await json('author', String(created))).paperCount).toBe(1);
    expect((await json('author', String(lechao))).paperCount).toBe(13);

    const rejected = await cli('author-reject', String(lechao), String(created));
    expect(rejected.out).toContain('Already recorded');
    expect((await json('author', String(lechao))).suggestions.map((s: { id: number }) => s.id)).not.toContain(
      created,
    );
  });

  it('refuses a split without papers or names, and papers it does not know', async () => {
    const lechao = String((await json('author', 'Lechao Xiao')).id);
    const none = await cli('author-split', lechao);
    expect(none.code).toBe(2);
    expect(none.err).toContain('needs --papers');
    const unknown = await cli('author-split', lechao, '--papers', '2999.99999');
    expect(unknown.code).toBe(3);
    expect(unknown.err).toContain('No paper "2999.99999"');
  });
});

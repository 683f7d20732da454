import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEED_FILES, seedPath } from '../../test/shared.ts';
import { extractCodeLinks, normalizeCodeUrl } from './code-links.ts';

const hfPage = readFileSync(seedPath(SEED_FILES.hfPapers), 'utf8');

describe('extractCodeLinks on the Hugging Face seed page', () => {
  const links = extractCodeLinks(hfPage);

  it('finds every link on the page once', () => {
    // 45 `http(s)[:;]//` occurrences on the page (counted with grep), all different links:
    // 41 GitHub repositories, 2 git.io short links, 2 project pages.
    expect(links).toHaveLength(45);
    expect(links.filter((l) => l.kind === 'repository')).toHaveLength(41);
    expect(links.filter((l) => l.kind === 'short-link').map((l) => l.url)).toEqual([
      'https://git.io/fjsvE',
      'https://git.io/fjQsC',
    ]);
    expect(links.filter((l) => l.kind === 'project-page').map((l) => l.url)).toEqual([
      'https://labelerrors.com',
      'https://gzyaftermath.github.io/DATM',
    ]);
    expect(links.filter((l) => l.status === 'unrepairable')).toEqual([]);
  });

  it('repairs the three broken links', () => {
    const repaired = links.filter((l) => l.status === 'repaired');
    expect(repaired).toEqual([
      {
        url: 'https://github.com/xo28/efficient-NLP-multistage-training',
        kind: 'repository',
        status: 'repaired',
        raw: 'https://github.com/xo28/efficient- NLP-multistage-training',
      },
      {
        url: 'https://github.com/Labbeti/SSLH',
        kind: 'repository',
        status: 'repaired',
        raw: 'https:// github. com/ Labbe ti/ SSLH',
      },
      {
        url: 'https://github.com/ZhiyinShao-H/UniPT',
        kind: 'repository',
        status: 'repaired',
        raw: 'https;//github.com/ZhiyinShao-H/UniPT',
      },
    ]);
  });

  it('canonicalizes sub-paths, trailing punctuation, .git, trailing slash and http', () => {
    const byRaw = new Map(links.map((l) => [l.raw, l]));
    expect(byRaw.get('https://github.com/RUC-DWBI-ML/research/tree/main/WAD-master')?.url).toBe(
      'https://github.com/RUC-DWBI-ML/research',
    );
    expect(byRaw.get('https://github.com/saurabhgarg1996/ATC_code/')?.url).toBe(
      'https://github.com/saurabhgarg1996/ATC_code',
    );
    expect(byRaw.get('https://github.com/sunnytqin/concept_comp.git')?.url).toBe(
      'https://github.com/sunnytqin/concept_comp',
    );
    expect(byRaw.get('http://github.com/WangYueFt/rfs/')?.url).toBe('https://github.com/WangYueFt/rfs');
    expect(byRaw.get('https://github.com/dsx0511/3DMOTFormer')?.status).toBe('ok');
    expect(byRaw.get('https://github.com/HazyResearch/TART')?.url).toBe(
      'https://github.com/HazyResearch/TART',
    );
  });
});

describe('extractCodeLinks', () => {
  it('finds the link in the CatalyzeX seed', () => {
    const links = extractCodeLinks(readFileSync(seedPath(SEED_FILES.catalyzex), 'utf8'));
    expect(links.map((l) => l.url)).toEqual(['https://github.com/google/neural-tangents']);
  });

  it('dedupes case-insensitively and keeps the case first written', () => {
    const links = extractCodeLinks(
      'See https://github.com/Owner/Repo, www.github.com/owner/repo.git and HTTPS://GitHub.com/OWNER/REPO/.',
    );
    expect(links).toHaveLength(1);
    expect(links[0]!.url).toBe('https://github.com/Owner/Repo');
  });

  it('reads bare hosts, parentheses, Hugging Face and GitLab paths', () => {
    const links = extractCodeLinks(
      'Code (github.com/a/b) and https://huggingface.co/datasets/org/ds/tree/main; models at ' +
        'huggingface.co/org/model, https://gitlab.com/grp/sub/proj/-/tree/main and https://foo.github.io/proj/.',
    );
    expect(links.map((l) => [l.url, l.kind])).toEqual([
      ['https://github.com/a/b', 'repository'],
      ['https://huggingface.co/datasets/org/ds', 'repository'],
      ['https://huggingface.co/org/model', 'repository'],
      ['https://gitlab.com/grp/sub/proj', 'repository'],
      ['https://foo.github.io/proj', 'project-page'],
    ]);
  });

  it('keeps what it cannot repair, and ignores arXiv "this https URL" and paper links', () => {
    expect(extractCodeLinks('Code is at https:// and data at https://github.com .')).toEqual([
      { url: 'https://', kind: 'project-page', status: 'unrepairable', raw: 'https://' },
      { url: 'https://github.com', kind: 'project-page', status: 'unrepairable', raw: 'https://github.com' },
    ]);
    expect(extractCodeLinks('Our code is available at this https URL and at Github.')).toEqual([]);
    expect(extractCodeLinks('See https://arxiv.org/abs/2401.00001 and https://doi.org/10.1/x.')).toEqual([]);
  });

  it('does not swallow the next words of a whole link', () => {
    const links = extractCodeLinks('at https://github.com/a/b and/or https://github.com/c/d- e/f');
    expect(links.map((l) => l.url)).toEqual(['https://github.com/a/b', 'https://github.com/c/d-e']);
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        for (const link of extractCodeLinks(s)) expect(link.raw.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'https',
            '://',
            ';//',
            ' ',
            'github',
            '.',
            'com',
            '/',
            'a',
            '-',
            ')',
            '(',
            'git.io',
          ),
        ),
        (parts) => {
          expect(Array.isArray(extractCodeLinks(parts.join('')))).toBe(true);
        },
      ),
    );
  });

  it('finishes on a large text of broken links', () => {
    const text = 'https:// github. com/ a- '.repeat(100_000) + 'https://'.repeat(100_000);
    expect(extractCodeLinks(text).length).toBeGreaterThan(0);
  });
});

describe('normalizeCodeUrl', () => {
  it('normalizes field values', () => {
    expect(normalizeCodeUrl('https://github.com/google/neural-tangents/')).toEqual({
      url: 'https://github.com/google/neural-tangents',
      kind: 'repository',
    });
    expect(normalizeCodeUrl('git@github.com:Foo/Bar.git')).toEqual({
      url: 'https://github.com/Foo/Bar',
      kind: 'repository',
    });
    expect(normalizeCodeUrl('github.com/a/b')).toEqual({ url: 'https://github.com/a/b', kind: 'repository' });
    expect(normalizeCodeUrl('https://bit.ly/3abc')).toEqual({
      url: 'https://bit.ly/3abc',
      kind: 'short-link',
    });
    expect(normalizeCodeUrl('')).toBeUndefined();
    expect(normalizeCodeUrl('not a url')).toBeUndefined();
    expect(normalizeCodeUrl('https://')).toBeUndefined();
  });
});

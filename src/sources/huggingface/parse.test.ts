import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../test/shared.ts';
import type { PaperRecord } from '../../domain/record.ts';
import { huggingFaceAdapter as hf } from './parse.ts';

const ctx = { origin: 'daily_papers.json', fetchedAt: '2024-05-01T00:00:00.000Z' };

/**
 * HAND-MADE: no `/api/daily_papers` response was captured anywhere public. These items follow
 * the published shape (`{paper: {id, title, summary, authors, publishedAt, upvotes,
 * githubRepo, projectPage, ai_summary, ai_keywords}, publishedAt, title, thumbnail,
 * numComments, submittedBy}`); the values are made up.
 */
const HANDMADE_DAILY = [
  {
    paper: {
      id: '2401.01234',
      authors: [
        { _id: '65a1', name: 'Lechao Xiao', hidden: false, user: { user: 'lxiao', fullname: 'Lechao Xiao' } },
        { _id: '65a2', name: 'Jeffrey Pennington', hidden: true },
      ],
      publishedAt: '2024-01-02T18:59:59.000Z',
      submittedOnDailyAt: '2024-01-03T04:12:00.000Z',
      title: 'Scaling Laws for Wide Networks',
      summary: 'We study  $\\infty$-width limits.\nA second line.',
      upvotes: 42,
      discussionId: '65a3',
      githubRepo: 'https://github.com/example/wide-nets',
      projectPage: 'https://example.github.io/wide-nets',
      ai_summary: 'Wide networks scale predictably.',
      ai_keywords: ['scaling laws', 'infinite width', 'NTK'],
    },
    publishedAt: '2024-01-03T04:12:00.000Z',
    title: 'Scaling Laws for Wide Networks',
    thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2401.01234.png',
    numComments: 3,
    submittedBy: { user: 'akhaliq', fullname: 'AK' },
    isAuthorParticipating: true,
  },
  {
    // missing summary, authors, upvotes and links; the title only on the item
    paper: { id: '2312.00752v2', publishedAt: '2023-12-01T00:00:00.000Z' },
    title: 'A Paper Titled Only On The Item',
    numComments: 0,
  },
  {
    paper: { id: 'not-an-arxiv-id', title: 'Malformed id', summary: 'x', upvotes: 1 },
    title: 'Malformed id',
  },
  {
    paper: {
      id: '2402.00001',
      title: 'Junk in the link fields',
      upvotes: -3,
      githubRepo: 'github',
      projectPage: null,
    },
  },
];

describe('huggingFaceAdapter on a hand-made daily_papers response', () => {
  const out = hf.parse(JSON.stringify(HANDMADE_DAILY), ctx);
  const [full, sparse, junk] = out.records as PaperRecord[];

  it('keeps three papers and reports the malformed id with its place', () => {
    expect(out.records.map((r) => [r.key, r.provenance.locator])).toEqual([
      ['2401.01234', 'record 1'],
      ['2312.00752', 'record 2'],
      ['2402.00001', 'record 4'],
    ]);
    expect(out.problems).toEqual([
      {
        source: 'huggingface',
        origin: 'daily_papers.json',
        locator: 'record 3 (id not-an-arxiv-id)',
        message: 'paper id "not-an-arxiv-id" is not an arXiv id (title "Malformed id")',
      },
    ]);
    expect(out.paging).toBeUndefined();
  });

  it('maps upvotes, code links, AI keywords and summary', () => {
    expect(full).toEqual({
      kind: 'paper',
      provenance: {
        source: 'huggingface',
        origin: 'daily_papers.json',
        locator: 'record 1',
        fetchedAt: ctx.fetchedAt,
      },
      key: '2401.01234',
      ids: { arxiv: '2401.01234' },
      title: 'Scaling Laws for Wide Networks',
      abstract: 'We study  $\\infty$-width limits.\nA second line.',
      authors: [
        { display: 'Lechao Xiao', family: 'Xiao', given: 'Lechao' },
        { display: 'Jeffrey Pennington', family: 'Pennington', given: 'Jeffrey' },
      ],
      published: '2024-01-02',
      year: 2024,
      links: [{ url: 'https://huggingface.co/papers/2401.01234', rel: 'abstract' }],
      codeLinks: [
        { url: 'https://github.com/example/wide-nets', kind: 'repository' },
        { url: 'https://example.github.io/wide-nets', kind: 'project-page' },
      ],
      upvotes: 42,
      tldr: 'Wide networks scale predictably.',
      keywords: ['scaling laws', 'infinite width', 'NTK'],
    });
  });

  it('reads a sparse item with the title from the item and the version dropped from the id', () => {
    expect(sparse!.ids).toEqual({ arxiv: '2312.00752' });
    expect(sparse!.title).toBe('A Paper Titled Only On The Item');
    expect(sparse!.published).toBe('2023-12-01');
    expect(sparse!.authors).toBeUndefined();
    expect(sparse!.abstract).toBeUndefined();
    expect(sparse!.upvotes).toBeUndefined();
    expect(sparse!.codeLinks).toBeUndefined();
  });

  it('ignores a negative upvote count and link fields that are not URLs', () => {
    expect(junk!.upvotes).toBeUndefined();
    expect(junk!.codeLinks).toBeUndefined();
  });
});

describe('huggingFaceAdapter on other shapes', () => {
  it('reads a bare array of paper objects (papers/search) and a single paper', () => {
    const bare = hf.parse(JSON.stringify(HANDMADE_DAILY.map((item) => item.paper)), ctx);
    expect(bare.records.map((r) => r.key)).toEqual(['2401.01234', '2312.00752', '2402.00001']);
    expect(bare.problems.map((p) => p.locator)).toEqual(['record 3 (id not-an-arxiv-id)']);
    const single = hf.parse(JSON.stringify(HANDMADE_DAILY[0]!.paper), ctx);
    expect(single.records.map((r) => [r.key, (r as PaperRecord).upvotes])).toEqual([['2401.01234', 42]]);
  });

  it('turns an error body into a file problem', () => {
    expect(hf.parse('{"error":"Invalid date"}', ctx).problems).toEqual([
      { source: 'huggingface', origin: 'daily_papers.json', locator: 'file', message: 'Invalid date' },
    ]);
  });
});

describe('huggingFaceAdapter.sniff', () => {
  it('claims HF responses and leaves other JSON alone', () => {
    expect(hf.sniff(JSON.stringify(HANDMADE_DAILY))).toBeGreaterThanOrEqual(0.9);
    expect(hf.sniff(JSON.stringify(HANDMADE_DAILY.map((i) => i.paper)))).toBeGreaterThanOrEqual(0.9);
    expect(hf.sniff(readFixture('semantic-scholar', 'Reference.json'))).toBe(0);
    expect(hf.sniff(readFixture('openalex', 'A5023888391.json'))).toBe(0);
    expect(hf.sniff(readFixture('arxiv-bulk', 'arxiv-browse-sample.jsonl').slice(0, 65536))).toBe(0);
    expect(hf.sniff('[{"type":"article","issued":{"date-parts":[[2020]]},"author":[{"family":"X"}]}]')).toBe(
      0,
    );
  });
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

describe('huggingFaceAdapter on garbage', () => {
  const daily = JSON.stringify(HANDMADE_DAILY, null, 2);
  const named = (o: ReturnType<typeof hf.parse>) =>
    o.problems.every((p) => p.source === 'huggingface' && p.origin === ctx.origin && p.locator.length > 0);

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = hf.parse(s, ctx);
        expect(named(out)).toBe(true);
        if (!isJson(s)) expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });

  it('never throws on random JSON values, as the body or inside a paper', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(named(hf.parse(JSON.stringify(v), ctx))).toBe(true);
        const paper = {
          id: '2401.00002',
          title: v,
          summary: v,
          authors: v,
          publishedAt: v,
          upvotes: v,
          ai_keywords: v,
        };
        const out = hf.parse(JSON.stringify([{ paper }, v]), ctx);
        expect(out.records[0]!.key).toBe('2401.00002');
        expect(named(out)).toBe(true);
      }),
    );
  });

  it('reports a truncated response as a file problem', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: daily.length - 2 }), (n) => {
        const out = hf.parse(daily.slice(0, n), ctx);
        expect(out.records).toEqual([]);
        expect(out.problems.map((p) => p.locator)).toEqual(['file']);
      }),
    );
  });

  it('survives binary bytes decoded as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const out = hf.parse(Buffer.from(bytes).toString('utf8'), ctx);
        expect(named(out)).toBe(true);
      }),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { importRealCorpus } from '../../../test/real-corpus.ts';
import { SHARED_DIR } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { categoryName } from '../../search/engine/category-names.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { TRENDING_PARAMETERS } from './score.ts';

const NOW = new Date('2023-03-08T12:00:00Z');
const data = tempDataDir('paperscope-trending-');
let app: Paperscope;
let all: Paper[];
const upvoted = new Map<number, number>();

/** Subjects outside cs, stat and eess that the tests list, in the words of OAI records. */
const NAMES: Record<string, string> = {
  'math.CO': 'Mathematics - Combinatorics',
  'quant-ph': 'Quantum Physics',
};
const day = (p: Paper) => p.published?.slice(0, 10);
/** Independent of migration 005: a code, or the words OAI gives for it, or a subject of an archive. */
function inCategory(p: Paper, code: string): boolean {
  const name = categoryName(code) ?? NAMES[code];
  return p.categories.some(
    (c) => c === code || c === name || (!code.includes('.') && c.startsWith(`${code}.`)),
  );
}

beforeAll(async () => {
  app = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }), { now: () => NOW });
  await importRealCorpus(app.store, SHARED_DIR);
  all = app.store.listPapers({ limit: 100_000 });
  // Upvotes come from a Hugging Face daily list: four real papers of the window, as HF lists them.
  const recent = all.filter((p) => p.ids.arxiv && p.title && (day(p) ?? '') >= '2023-03-04').slice(0, 4);
  const votes = [3, 250, 40, 0];
  const items = recent.map((p, i) => ({
    paper: {
      id: p.ids.arxiv,
      title: p.title,
      summary: p.abstractText,
      publishedAt: `${day(p)}T00:00:00.000Z`,
      upvotes: votes[i],
    },
    publishedAt: '2023-03-07T04:00:00.000Z',
    title: p.title,
  }));
  const summary = await new ImportService(app.store, defaultRegistry, () => NOW).importText(
    JSON.stringify(items),
    'daily_papers.json',
  );
  expect(summary.merged + summary.updated).toBe(4);
  recent.forEach((p, i) => {
    upvoted.set(p.id, votes[i]!);
  });
  all = app.store.listPapers({ limit: 100_000 });
}, 120_000);

afterAll(() => {
  app.close();
  data.cleanup();
});

describe('new papers by category and day', () => {
  it('lists what an independent count of the imported papers finds, newest first', async () => {
    for (const [category, d] of [
      ['cs.LG', '2023-03-06'],
      ['cs', '2023-03-05'],
      ['quant-ph', '2023-03-06'],
      ['math.CO', '2023-03-05'],
      ['astro-ph', '2011-02-02'],
    ] as const) {
      const expected = all.filter((p) => day(p) === d && inCategory(p, category)).map((p) => p.id);
      expect(expected.length, `${category} on ${d}`).toBeGreaterThan(0);
      const listing = await app.trending.newPapers({ category, day: d, limit: 1000 });
      expect(listing.total, `${category} on ${d}`).toBe(expected.length);
      expect(listing.papers.map((p) => p.id).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      const page = await app.trending.newPapers({ category, day: d, limit: 5, offset: 2 });
      expect(page.papers.map((p) => p.id)).toEqual(listing.papers.slice(2, 7).map((p) => p.id));
    }
  });

  it('takes a subject by its name, lists from a first day on, and defaults to the latest day', async () => {
    const byName = await app.trending.newPapers({
      category: 'Computer Science - Machine Learning',
      day: '2023-03-06',
    });
    expect(byName.category).toBe('cs.LG');
    expect(byName.categoryName).toBe('Computer Science - Machine Learning');
    const since = await app.trending.newPapers({ category: 'cs.LG', since: '2023-03-01', limit: 1000 });
    const expected = all.filter((p) => (day(p) ?? '') >= '2023-03-01' && inCategory(p, 'cs.LG'));
    expect(since.total).toBe(expected.length);
    const days = since.papers.map((p) => p.published ?? '');
    expect(days).toEqual([...days].sort().reverse());
    const latest = await app.trending.newPapers({ category: 'cs.LG' });
    const latestDay = all
      .filter((p) => inCategory(p, 'cs.LG'))
      .map((p) => day(p) ?? '')
      .sort()
      .at(-1);
    expect(latest.day).toBe(latestDay);
  });

  it('follows a re-import that changes a paper’s categories (triggers)', async () => {
    const importer = new ImportService(app.store, defaultRegistry, () => NOW);
    const record = (categories: string) =>
      `${JSON.stringify({
        id: '2303.99901',
        submitter: 'A. Person',
        authors: 'A. Person',
        title: 'Boundary terms in a toy model of holography',
        abstract: 'We compute boundary terms in a toy model.',
        categories,
        versions: [{ version: 'v1', created: 'Tue, 7 Mar 2023 10:00:00 GMT' }],
        update_date: '2023-03-07',
      })}\n`;
    await importer.importText(record('hep-th gr-qc'), 'first.jsonl', { format: 'arxiv-bulk' });
    const ids = async (category: string) =>
      (await app.trending.newPapers({ category, day: '2023-03-07' })).papers.map((p) => p.ids.arxiv);
    expect(await ids('hep-th')).toContain('2303.99901');
    expect(await ids('cs.LG')).not.toContain('2303.99901');
    const again = await importer.importText(record('cs.LG stat.ML'), 'second.jsonl', {
      format: 'arxiv-bulk',
    });
    expect(again.updated).toBe(1);
    expect(await ids('hep-th')).not.toContain('2303.99901');
    expect(await ids('gr-qc')).not.toContain('2303.99901');
    expect(await ids('cs.LG')).toContain('2303.99901');
    expect(await ids('stat')).toContain('2303.99901');
  });

  it('refuses a malformed category or day with a message that names it', async () => {
    await expect(app.trending.newPapers({ category: 'cs LG; drop' })).rejects.toThrow(
      /"cs LG; drop" is not an arXiv category/,
    );
    await expect(app.trending.newPapers({ day: '2023-02-30' })).rejects.toThrow(InvalidInputError);
    await expect(app.trending.newPapers({ day: 'yesterday' })).rejects.toThrow(
      /day must be a date as YYYY-MM-DD \(got "yesterday"\)/,
    );
    await expect(app.trending.newPapers({ day: '2023-03-01', since: '2023-03-01' })).rejects.toThrow(
      /not both/,
    );
    await expect(app.trending.newPapers({ limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('trending', () => {
  it('orders papers by the documented formula on constructed events', async () => {
    all = app.store.listPapers({ limit: 100_000 });
    const old = all.find((p) => (day(p) ?? '9999') < '2015-01-01')!;
    const [a, b, c] = all.filter((p) => (day(p) ?? '') >= '2023-03-05' && !upvoted.has(p.id));
    const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();
    const events: [number, 'view' | 'save', string][] = [
      [old.id, 'save', at(2)],
      [old.id, 'save', at(30)],
      [old.id, 'view', at(1)],
      [a!.id, 'view', at(5)],
      [a!.id, 'view', at(50)],
      [b!.id, 'save', at(100)],
      [c!.id, 'view', at(24 * 20)], // outside the 7-day window: not counted
    ];
    await app.store.write((db) => {
      const insert = db.prepare(
        'INSERT INTO paper_events (paper_id, user_id, kind, at) VALUES (?, NULL, ?, ?)',
      );
      for (const e of events) insert.run(...e);
    });

    // The formula of docs/trending.md, written out again here.
    const P = TRENDING_PARAMETERS;
    const half = (ageDays: number, h: number) => 0.5 ** (Math.max(0, ageDays) / h);
    const days = (iso: string) =>
      (NOW.getTime() - Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) / 86_400_000;
    const windowStart = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
    const expected = all
      .map((p) => {
        const mine = events.filter(([id, , when]) => id === p.id && when >= windowStart);
        // Dates after today (the bulk sample has some, for this clock) wait for their day.
        const recent =
          p.published !== undefined && p.published >= windowStart.slice(0, 10) && p.published < '2023-03-09';
        if (!recent && mine.length === 0) return undefined;
        const age = p.published ? days(p.published) : undefined;
        let score = 0;
        if (age !== undefined) {
          score += P.recency.weight * half(age, P.recency.halfLifeDays);
          const v = p.upvotes ?? 0;
          if (v > 0) score += P.upvotes.weight * Math.log(1 + v) * half(age, P.upvotes.halfLifeDays);
        }
        for (const [, kind, when] of mine) score += P[kind].weight * half(days(when), P[kind].halfLifeDays);
        return { id: p.id, score };
      })
      .filter((x) => x !== undefined)
      .sort((x, y) => y.score - x.score || y.id - x.id)
      .slice(0, 25);

    const result = await app.trending.trending({ days: 7, limit: 25 });
    expect(result.papers.map((t) => t.paper.id)).toEqual(expected.map((e) => e.id));
    result.papers.forEach((t, i) => {
      expect(t.score).toBeCloseTo(expected[i]!.score, 9);
      expect(t.parts.score).toBeCloseTo(t.parts.recency + t.parts.upvotes + t.parts.views + t.parts.saves, 9);
    });
    // A 15-year-old paper saved twice today leads on its saves alone; then 250 upvotes.
    const [revived, upvotedMost] = result.papers;
    expect(revived?.paper.id).toBe(old.id);
    expect(upvotedMost?.counts.upvotes).toBe(250);
    expect(upvotedMost?.reason).toBe('250 upvotes, new');
    expect(revived?.counts).toEqual({ upvotes: 0, views: 1, saves: 2 });
    expect(revived?.parts.recency).toBeLessThan(1e-9);
    expect(revived?.reason).toBe('2 saves, 1 view');
  });

  it('keeps to a category, events included', async () => {
    const result = await app.trending.trending({ category: 'cs', days: 7, limit: 500 });
    expect(result.papers.length).toBeGreaterThan(0);
    for (const t of result.papers) expect(inCategory(t.paper, 'cs'), t.paper.title).toBe(true);
    const scores = result.papers.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    await expect(app.trending.trending({ days: 0 })).rejects.toThrow(/days must be a whole number/);
  });
});

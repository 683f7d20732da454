import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES } from '../../../test/shared.ts';
import { webFixture } from '../../../test/web-helpers.ts';
import type { SearchEngine } from '../../search/engine/index.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { PAGE_SIZE, SearchPage } from '../pages/search.tsx';
import { searchRows } from './search.tsx';

let fx: Awaited<ReturnType<typeof webFixture>>;

beforeAll(async () => {
  fx = await webFixture(Object.values(SEED_FILES));
  await new ImportService(fx.paperscope.store, defaultRegistry).importFile(
    fixturePath('arxiv-bulk', 'arxiv-browse-sample.jsonl'),
  );
});
afterAll(() => fx.close());

const render = async (node: unknown) => String(await (node as { toString(): Promise<string> }).toString());

const QUERIES = [
  'neural',
  'the',
  '"neural tangent"',
  'author:"Xiao, Lechao"',
  'kernel -cat:stat.ML',
  'year:2020-',
  'has:code',
  'nueral networks',
  'zzzqqq',
];

describe('the search page read as list rows', () => {
  for (const sort of ['relevance', 'date'] as const) {
    it(`shows what whole papers show, for every query (${sort})`, async () => {
      // The same engine seen without `rank`: the page then reads whole papers, as it used to.
      const whole: SearchEngine = { search: (req) => fx.paperscope.search.search(req) };
      let withHits = 0;
      for (const q of QUERIES) {
        for (const page of [1, 2]) {
          const request = { query: q, sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
          const rows = searchRows(fx.paperscope.search, fx.paperscope.store.readDb, request);
          const expected = searchRows(whole, fx.paperscope.store.readDb, request);
          if (rows.hits.length > 0) withHits++;
          expect(rows.hits.map((h) => h.paper.id)).toEqual(expected.hits.map((h) => h.paper.id));
          expect(await render(<SearchPage view={{ q, sort, page, result: rows }} />)).toBe(
            await render(<SearchPage view={{ q, sort, page, result: expected }} />),
          );
        }
      }
      // The queries find papers, with authors, snippets and code badges to compare.
      expect(withHits).toBeGreaterThanOrEqual(7);
    });
  }

  it('says when a misspelt query was read as the closest word', () => {
    const rows = searchRows(fx.paperscope.search, fx.paperscope.store.readDb, {
      query: 'nueral',
      limit: PAGE_SIZE,
    });
    expect(rows.corrected).toBe('neural');
    expect(rows.hits.length).toBeGreaterThan(0);
  });
});

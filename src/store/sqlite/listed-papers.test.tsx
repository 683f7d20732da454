import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES } from '../../../test/shared.ts';
import { webFixture } from '../../../test/web-helpers.ts';
import { LISTED_AUTHORS } from '../../domain/listed-paper.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { AuthorLinks, PaperList } from '../../web/components/paper-list.tsx';
import { listedPapers } from './listed-papers.ts';

let fx: Awaited<ReturnType<typeof webFixture>>;

// Twelve authors: a list row names eight and says how many more.
const MANY_AUTHORS = `@article{big2024,
  title = {A Paper With Many Authors},
  author = {One, Ann and Two, Ben and Three, Cal and Four, Dee and Five, Eve and Six, Fay and Seven, Gus and Eight, Hal and Nine, Ida and Ten, Jo and Eleven, Kim and Twelve, Lou},
  year = {2024}
}`;

beforeAll(async () => {
  fx = await webFixture(Object.values(SEED_FILES));
  const importer = new ImportService(fx.paperscope.store, defaultRegistry);
  await importer.importText(MANY_AUTHORS, 'many.bib');
  // arXiv records: categories on every paper.
  await importer.importFile(fixturePath('arxiv-bulk', 'arxiv-browse-sample.jsonl'));
});
afterAll(() => fx.close());

const render = async (node: unknown) => String(await (node as { toString(): Promise<string> }).toString());

function allIds(): number[] {
  return fx.paperscope.store.readDb.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as number[];
}

describe('list rows read from columns', () => {
  it('render every paper of the store as its whole merged view does', async () => {
    const ids = allIds();
    const whole = ids.map((id) => fx.paperscope.store.getPaper(id)!);
    // The corpus has what the row must get right: untitled papers, more authors than a row names.
    expect(whole.some((p) => !p.title && p.abstractText)).toBe(true);
    expect(whole.some((p) => p.authors.length > LISTED_AUTHORS)).toBe(true);
    const rows = listedPapers(fx.paperscope.store.readDb).papersById(ids);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(await render(<PaperList papers={rows} />)).toBe(await render(<PaperList papers={whole} />));
    for (const [i, row] of rows.entries()) {
      expect(row.authorCount).toBe(whole[i]!.authors.length);
      expect(row.authors.length).toBe(Math.min(LISTED_AUTHORS, whole[i]!.authors.length));
    }
  });

  it('say "and 4 more" for a paper of twelve authors, naming the first eight', async () => {
    const id = allIds().find(
      (id) => fx.paperscope.store.getPaper(id)!.title === 'A Paper With Many Authors',
    )!;
    const [row] = listedPapers(fx.paperscope.store.readDb).papersById([id]);
    const html = await render(<AuthorLinks paper={row!} />);
    expect(html).toContain('Hal Eight');
    expect(html).not.toContain('Ida Nine');
    expect(html).toMatch(/ and 4 more$/);
  });

  it('give search rows the abstract, categories and code flag of the whole paper, in the order asked', () => {
    const ids = allIds().reverse();
    const hits = listedPapers(fx.paperscope.store.readDb).hitsById([...ids, 999_999]);
    expect(hits.map((h) => h.id)).toEqual(ids);
    expect(hits.some((h) => h.hasCode)).toBe(true);
    expect(hits.some((h) => h.categories.length > 0)).toBe(true);
    for (const hit of hits) {
      const paper = fx.paperscope.store.getPaper(hit.id)!;
      expect(hit.abstractText).toBe(paper.abstractText);
      expect(hit.categories).toEqual(paper.categories);
      expect(hit.hasCode).toBe(paper.codeLinks.length > 0);
      expect(hit.title).toBe(paper.title);
      expect(hit.year).toBe(paper.year);
      expect(hit.ids.arxiv).toBe(paper.ids.arxiv);
    }
  });

  it('leave out ids with no paper and answer nothing for no ids', () => {
    const reader = listedPapers(fx.paperscope.store.readDb);
    expect(reader.papersById([])).toEqual([]);
    expect(reader.papersById([999_999])).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personFromDisplay } from '../domain/names.ts';
import type { PaperRecord, SourceName } from '../domain/record.ts';
import { FormatRegistry } from '../sources/format-registry.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { emptySummary, ImportService } from './import.service.ts';

let dir: string;
let store: SqliteStore;
let importer: ImportService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperscope-ingest-'));
  store = SqliteStore.inDataDir(dir);
  importer = new ImportService(store, new FormatRegistry([]), () => new Date('2026-01-02T03:04:05Z'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function paper(source: SourceName, fields: Partial<PaperRecord>): PaperRecord {
  n++;
  return {
    kind: 'paper',
    provenance: {
      source,
      origin: `test-${source}`,
      locator: `record ${n}`,
      fetchedAt: '2026-01-01T00:00:00Z',
    },
    key: fields.key ?? `k${n}`,
    ids: {},
    ...fields,
  };
}
const authors = (...names: string[]) => names.map(personFromDisplay);

async function ingest(...records: PaperRecord[]) {
  const summary = emptySummary('test');
  await importer.ingestOutput({ records, problems: [] }, summary);
  return summary;
}

const ABSTRACT =
  'We study how wide neural networks behave in the infinite width limit and relate them to kernel methods, ' +
  'finding that the neural tangent kernel predicts training dynamics for a broad class of architectures.';

describe('merging records of one paper', () => {
  it('joins records by arXiv id and keeps every source', async () => {
    const s = await ingest(
      paper('arxiv-api', { ids: { arxiv: '2401.00001' }, title: 'A Paper', authors: authors('Lechao Xiao') }),
      paper('semantic-scholar', { ids: { arxiv: '2401.00001', s2: 'abc' }, citationCount: 7 }),
    );
    expect(s).toMatchObject({ read: 2, new: 1, merged: 1 });
    const p = await store.findPaper('2401.00001v3');
    expect(p?.title).toBe('A Paper');
    expect(p?.citationCount).toBe(7);
    expect(p?.ids).toMatchObject({ arxiv: '2401.00001', s2: 'abc' });
    expect(p?.sources.map((x) => x.source).sort()).toEqual(['arxiv-api', 'semantic-scholar']);
    expect(p?.via).toMatchObject({ title: 'arxiv-api', citationCount: 'semantic-scholar' });
  });

  it('fills a missing title and authors from another source matched by abstract', async () => {
    await ingest(paper('page-arxiv-listing', { abstract: ABSTRACT }));
    const s = await ingest(
      paper('page-ads-author', {
        title: 'Wide Networks',
        abstract: ABSTRACT.replace('neural', 'Neural'),
        authors: authors('Xiao, Lechao'),
      }),
    );
    expect(s.merged).toBe(1);
    const [p] = await store.listPapers();
    expect(p?.title).toBe('Wide Networks');
    expect(p?.authors.map((a) => a.name.display)).toEqual(['Xiao, Lechao']);
    expect((await store.stats()).papers).toBe(1);
  });

  it('keeps only the match keys a paper has now when it is written twice in one batch', async () => {
    const keysOf = () =>
      store.readDb
        .prepare("SELECT kind, value FROM paper_keys WHERE kind IN ('title', 'doi') ORDER BY kind, value")
        .all();
    const first = {
      key: 'x1',
      ids: { arxiv: '2401.00021', doi: '10.1000/old' },
      authors: authors('Ann Lee'),
    };
    const s = await ingest(
      paper('arxiv-api', { ...first, title: 'An Old Title' }),
      paper('arxiv-api', {
        ...first,
        ids: { arxiv: '2401.00021', doi: '10.1000/new' },
        title: 'A New Title',
      }),
    );
    expect(s).toMatchObject({ read: 2, new: 1, updated: 1 });
    expect(keysOf()).toEqual([
      { kind: 'doi', value: '10.1000/new' },
      { kind: 'title', value: 'a new title' },
    ]);
    // A later record under the old title is not taken for it.
    const t = await ingest(paper('bibtex', { title: 'An Old Title', authors: authors('Bo Chen') }));
    expect(t).toMatchObject({ new: 1 });
  });

  it('keeps arXiv preprints that share one DOI apart, and joins a record with that DOI and no arXiv id', async () => {
    const doi = '10.1000/journal.42';
    const s = await ingest(
      paper('arxiv-bulk', {
        ids: { arxiv: '2401.00011', doi },
        title: 'Part one',
        authors: authors('Ann Lee'),
      }),
      paper('arxiv-bulk', {
        ids: { arxiv: '2401.00012', doi },
        title: 'Part two',
        authors: authors('Ann Lee'),
      }),
      paper('openalex', { ids: { doi }, citationCount: 3 }),
    );
    expect(s).toMatchObject({ read: 3, new: 2, merged: 1 });
    const first = await store.findPaper('2401.00011');
    const second = await store.findPaper('2401.00012');
    expect(first?.id).not.toBe(second?.id);
    // The DOI names both: the record without an arXiv id joins the first candidate found.
    expect(first?.citationCount).toBe(3);
    expect(second?.citationCount).toBeUndefined();
    // A third preprint with the DOI and an arXiv id of its own is a paper of its own too.
    const t = await ingest(paper('arxiv-bulk', { ids: { arxiv: '2401.00013', doi }, title: 'Part three' }));
    expect(t).toMatchObject({ new: 1, merged: 0 });
    expect((await store.stats()).papers).toBe(3);
  });

  it('joins a preprint to a paper known by its DOI alone; a second preprint with that DOI stays apart', async () => {
    const doi = '10.1000/journal.7';
    await ingest(
      paper('openalex', { ids: { doi, openalex: 'W7' }, title: 'The journal version', citationCount: 5 }),
    );
    const s = await ingest(
      paper('arxiv-bulk', {
        ids: { arxiv: '2402.00070', doi },
        title: 'The preprint',
        authors: authors('Bo Chen'),
      }),
      paper('arxiv-bulk', {
        ids: { arxiv: '2402.00071', doi },
        title: 'Another preprint',
        authors: authors('Bo Chen'),
      }),
      paper('semantic-scholar', { ids: { doi, arxiv: '2402.00070' }, citationCount: 9 }),
    );
    expect(s).toMatchObject({ read: 3, new: 1, merged: 2 });
    const joined = await store.findPaper('2402.00070');
    expect(joined?.ids.openalex).toBe('W7');
    expect((await store.findPaper('2402.00071'))?.ids.openalex).toBeUndefined();
    expect((await store.stats()).papers).toBe(2);
  });

  it('keeps two different papers with the same title apart when their authors differ', async () => {
    await ingest(
      paper('bibtex', { title: 'Attention Is All You Need', authors: authors('Ashish Vaswani'), year: 2017 }),
      paper('ris', { title: 'Attention is all you need!', authors: authors('Jane Doe'), year: 2023 }),
      paper('csl-json', { title: 'Attention is all you need', authors: authors('A. Vaswani'), year: 2017 }),
    );
    const stats = await store.stats();
    expect(stats.papers).toBe(2);
  });

  it('recognises a repeated import and changes nothing', async () => {
    const records = [
      paper('arxiv-bulk', { key: '1', ids: { arxiv: '1' }, title: 'One', authors: authors('A B') }),
      paper('arxiv-bulk', { key: '2', ids: { arxiv: '2' }, title: 'Two', authors: authors('C D') }),
    ];
    await ingest(...records);
    const before = await store.stats();
    const again = await ingest(
      ...records.map((r) => ({ ...r, provenance: { ...r.provenance, fetchedAt: 'later' } })),
    );
    expect(again).toMatchObject({ read: 2, unchanged: 2, new: 0, merged: 0 });
    expect(await store.stats()).toEqual(before);
  });

  it('rolls back a whole batch when storing fails half-way', async () => {
    const good = paper('arxiv-bulk', { ids: { arxiv: '9' }, title: 'Good paper', authors: authors('A B') });
    const poisoned = paper('arxiv-bulk', { title: 'Bad' });
    // A record the store cannot serialize fails inside the transaction.
    (poisoned as unknown as { ids: unknown }).ids = { arxiv: 1n };
    await expect(ingest(good, poisoned)).rejects.toThrow();
    expect((await store.stats()).papers).toBe(0);
  });
});

describe('people', () => {
  it('joins name variants: Last, First = First Last; case, hyphens and dots folded', async () => {
    await ingest(
      paper('page-ads-author', {
        title: 'Paper one here',
        authors: authors('Sohl-Dickstein, Jascha', 'Bileschi, Maxwell L.'),
      }),
      paper('page-catalyzex', {
        title: 'Paper two here',
        authors: authors('Jascha Sohl-dickstein', 'Maxwell L Bileschi'),
      }),
    );
    const [jascha] = await store.findAuthors('Jascha Sohl-Dickstein');
    expect(jascha?.paperCount).toBe(2);
    const profile = await store.getAuthor(jascha!.id);
    expect(profile?.names.map((x) => x.display).sort()).toEqual([
      'Jascha Sohl-dickstein',
      'Sohl-Dickstein, Jascha',
    ]);
    expect(profile?.coauthors.map((c) => c.count)).toEqual([2]);
  });

  it('links initials to a full name only with a shared co-author', async () => {
    await ingest(
      paper('arxiv-api', {
        title: 'First paper title',
        authors: authors('Lechao Xiao', 'Jeffrey Pennington'),
      }),
      paper('arxiv-api', { title: 'Second paper title', authors: authors('L. Xiao', 'Jeffrey Pennington') }),
      paper('arxiv-api', { title: 'Third paper title', authors: authors('L. Xiao', 'Someone Else') }),
    );
    const found = await store.findAuthors('Lechao Xiao');
    expect(found[0]?.paperCount).toBe(2);
    // The third L. Xiao has no evidence and stays a person of their own.
    const all = await store.listAuthors({ limit: 100 });
    expect(
      all
        .filter((a) => a.displayName.includes('Xiao'))
        .map((a) => a.paperCount)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('among many people with the same initials, links the one co-author evidence names', async () => {
    const given = ['Jing', 'Jun', 'Jie', 'Jian', 'Jia', 'Jin', 'Jiang', 'Juan', 'Jiayi', 'Jianfeng'];
    await ingest(
      ...given.map((g) =>
        paper('arxiv-api', { title: `A paper by ${g} Wang`, authors: authors(`${g} Wang`, `${g} Coauthor`) }),
      ),
      paper('arxiv-api', { title: 'Who is J. Wang', authors: authors('J. Wang', 'Jiayi Coauthor') }),
      paper('arxiv-api', { title: 'And who is this J. Wang', authors: authors('J. Wang', 'Nobody Known') }),
    );
    expect((await store.findAuthors('Jiayi Wang'))[0]?.paperCount).toBe(2);
    for (const g of given.filter((x) => x !== 'Jiayi')) {
      expect((await store.findAuthors(`${g} Wang`))[0]?.paperCount).toBe(1);
    }
    const alone = (await store.listAuthors({ limit: 100 })).filter((a) => a.displayName === 'J. Wang');
    expect(alone.map((a) => a.paperCount)).toEqual([1]);
  });

  it('never joins two people who only share a surname', async () => {
    await ingest(
      paper('arxiv-api', { title: 'First paper title', authors: authors('Lechao Xiao', 'Ann Other') }),
      paper('arxiv-api', { title: 'Second paper title', authors: authors('Wei Xiao', 'Ann Other') }),
    );
    expect((await store.findAuthors('Lechao Xiao'))[0]?.paperCount).toBe(1);
    expect((await store.findAuthors('Wei Xiao'))[0]?.paperCount).toBe(1);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../test/shared.ts';
import { personFromDisplay, splitAuthorList } from '../domain/names.ts';
import type { PaperRecord } from '../domain/record.ts';
import { defaultRegistry } from '../sources/registry.ts';
import type { IngestTx, PaperStore } from '../store/port.ts';
import { BULK_LOAD_STATE } from '../store/sqlite/bulk-load.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { emptySummary, ImportService, type ImportSummary } from './import.service.ts';
import { deriveRecord } from './ingest.ts';

/**
 * The bulk path (parsing and deriving on a worker thread, the store written here) must give the
 * very store the plain path gives: same papers, authors, names, keys, links, provenance and
 * full-text entries, the same counts, the same problems; a repeat changes nothing; a failure
 * part-way leaves whole batches only.
 */

const CLOCK = () => new Date('2026-02-03T04:05:06Z');
const NOW = () => '2026-02-03T04:05:06.000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperscope-bulk-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sample = readFileSync(fixturePath('arxiv-bulk', 'arxiv-browse-sample.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean);

/**
 * A bulk file with what a real snapshot and a careless copy hold: every sample line, a broken
 * line, a blank line, and later the same records again, some changed (a new title, a DOI
 * added), so that records are new, updated and unchanged within and across batches.
 */
function bulkFile(name: string, withChanges = true): string {
  const changed = sample.slice(0, 60).map((line, i) => {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (i % 3 === 0) o['title'] = `${String(o['title'])} (revised)`;
    if (i % 3 === 1) o['doi'] = `10.9999/bulk.${i}`;
    return JSON.stringify(o);
  });
  const lines = [...sample.slice(0, 250), '{"id": "broken', '', ...sample.slice(250)];
  if (withChanges) lines.push(...changed);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * Other sources first, so that bulk records also merge into papers the store has: some by
 * arXiv id, some by title alone, and other papers beside them.
 */
async function seedOtherSources(service: ImportService): Promise<void> {
  for (const f of readdirSync(fixturePath('arxiv-api'))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    await service.importFile(fixturePath('arxiv-api', f), { parallel: false });
  }
  await service.importFile(fixturePath('arxiv-bulk', 'unarxive-sample-metadata.jsonl'), { parallel: false });
  const records: PaperRecord[] = sample.slice(100, 140).map((line, i) => {
    const o = JSON.parse(line) as { id: string; title: string; authors: string };
    return {
      kind: 'paper',
      provenance: {
        source: 'openalex',
        origin: 'seed',
        locator: `record ${i}`,
        fetchedAt: '2026-01-01T00:00:00Z',
      },
      key: `W${i}`,
      ids: i % 2 === 0 ? { arxiv: o.id, openalex: `W${i}` } : { openalex: `W${i}` },
      title: o.title,
      authors: splitAuthorList(o.authors).map(personFromDisplay),
      citationCount: i,
    };
  });
  await service.ingestOutput({ records, problems: [] }, emptySummary('seed'));
}

const TABLES: Record<string, string> = {
  papers: 'SELECT id, title, year, published, arxiv_id, doi, view FROM papers ORDER BY id',
  source_records:
    'SELECT paper_id, author_id, source, record_key, hash, origin, locator, fetched_at, data FROM source_records ORDER BY id',
  paper_keys: 'SELECT kind, value, paper_id FROM paper_keys ORDER BY kind, value, paper_id',
  authors: 'SELECT id, display_name, ids FROM authors ORDER BY id',
  author_names: 'SELECT * FROM author_names ORDER BY author_id, display',
  paper_authors: 'SELECT * FROM paper_authors ORDER BY paper_id, position',
  code_links: 'SELECT * FROM code_links ORDER BY paper_id, url',
  paper_categories: 'SELECT * FROM paper_categories ORDER BY category, published, paper_id',
  paper_changes: 'SELECT paper_id, seq FROM paper_changes ORDER BY paper_id',
  search_terms: 'SELECT term, doc, cnt FROM paper_search_vocab ORDER BY term',
  search_hits: "SELECT rowid FROM paper_search WHERE paper_search MATCH 'model OR quantum' ORDER BY rowid",
  // Every index and trigger, as the migrations define them; and no load left unfinished.
  schema:
    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table') AND name NOT LIKE 'paper_search_%' ORDER BY type, name",
  state: "SELECT name, value FROM state WHERE name = 'bulk-load'",
  // FTS5's settings other than its defaults (a load turns merging off, then back to the default).
  search_config: `SELECT k, v FROM paper_search_config
    WHERE NOT ((k = 'automerge' AND v = 4) OR (k = 'crisismerge' AND v = 16)) ORDER BY k`,
};

function dump(dataDir: string): Record<string, unknown[]> {
  const db = new Database(join(dataDir, 'paperscope.sqlite'), { readonly: true });
  try {
    return Object.fromEntries(Object.entries(TABLES).map(([name, sql]) => [name, db.prepare(sql).all()]));
  } finally {
    db.close();
  }
}

async function importInto(
  dataDir: string,
  file: string,
  parallel: boolean,
  wrap?: (store: PaperStore) => PaperStore,
  bulk = false,
): Promise<ImportSummary> {
  const store = new SqliteStore(join(dataDir, 'paperscope.sqlite'), NOW);
  try {
    await seedOtherSources(new ImportService(store, defaultRegistry, CLOCK));
    const service = new ImportService(wrap ? wrap(store) : store, defaultRegistry, CLOCK);
    return await service.importFile(file, { parallel, batchSize: 64, bulk });
  } finally {
    store.close();
  }
}

describe('bulk import on a worker thread', () => {
  it('gives the same store, counts and problems as the plain path', async () => {
    const file = bulkFile('bulk.jsonl');
    const plain = await importInto(join(dir, 'plain'), file, false);
    const bulk = await importInto(join(dir, 'bulk'), file, true);

    expect(bulk).toEqual(plain);
    expect(plain).toMatchObject({ read: 569, skipped: 1 });
    expect(plain.new).toBeGreaterThan(400);
    expect(plain.merged).toBe(40);
    expect(plain.updated).toBe(40);
    expect(plain.unchanged).toBe(20);
    expect(plain.problems[0]?.locator).toBe('line 251');

    const a = dump(join(dir, 'plain'));
    const b = dump(join(dir, 'bulk'));
    for (const table of Object.keys(TABLES)) {
      if (table !== 'state') expect(a[table]!.length, table).toBeGreaterThan(0);
      expect(b[table], table).toEqual(a[table]);
    }
  });

  it('changes nothing when the same file is imported again', async () => {
    const file = bulkFile('again.jsonl', false);
    const data = join(dir, 'again');
    await importInto(data, file, true);
    const before = dump(data);
    const store = new SqliteStore(join(data, 'paperscope.sqlite'), () => '2030-01-01T00:00:00.000Z');
    try {
      const s = await new ImportService(store, defaultRegistry, CLOCK).importFile(file, {
        parallel: true,
        batchSize: 64,
      });
      expect(s).toMatchObject({ read: 509, new: 0, merged: 0, updated: 0, unchanged: 509, skipped: 1 });
    } finally {
      store.close();
    }
    expect(dump(data)).toEqual(before);
  });

  it('a failure part-way leaves the batches before it whole and nothing of the one that failed', async () => {
    const file = bulkFile('crash.jsonl');
    const data = join(dir, 'crash');
    let transactions = 0;
    // The fourth transaction of the bulk import fails after writing half its records.
    const failing = (store: PaperStore): PaperStore =>
      Object.assign(Object.create(store) as PaperStore, {
        transaction: <T>(fn: (tx: IngestTx) => Promise<T>) =>
          store.transaction(async (tx) => {
            if (++transactions !== 4) return fn(tx);
            let writes = 0;
            const dying = Object.assign(Object.create(tx) as IngestTx, {
              saveSourceRecord: (...args: Parameters<IngestTx['saveSourceRecord']>) => {
                if (++writes > 32) throw new Error('disk full');
                return tx.saveSourceRecord(...args);
              },
            });
            return fn(dying);
          }),
      });
    await expect(importInto(data, file, true, failing)).rejects.toThrow('disk full');

    const db = new Database(join(data, 'paperscope.sqlite'), { readonly: true });
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    try {
      // Three batches of 64 bulk records, on top of what the other sources gave.
      expect(count("SELECT count(*) FROM source_records WHERE source = 'arxiv-bulk'")).toBe(49 + 3 * 64);
      // Every paper has its record, its search entry, and authors for every name in its view.
      expect(count('SELECT count(*) FROM papers WHERE id NOT IN (SELECT paper_id FROM source_records)')).toBe(
        0,
      );
      expect(count('SELECT count(*) FROM papers WHERE id NOT IN (SELECT rowid FROM paper_search)')).toBe(0);
      expect(
        count(`SELECT count(*) FROM papers p WHERE json_array_length(p.view, '$.authors')
                 != (SELECT count(*) FROM paper_authors a WHERE a.paper_id = p.id)`),
      ).toBe(0);
    } finally {
      db.close();
    }

    // Running it again finishes the job: the store is the one an uninterrupted import gives.
    const store = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
    try {
      await new ImportService(store, defaultRegistry, CLOCK).importFile(file, {
        parallel: true,
        batchSize: 64,
      });
    } finally {
      store.close();
    }
    await importInto(join(dir, 'whole'), file, true);
    const resumed = dump(data);
    const whole = dump(join(dir, 'whole'));
    // Paper ids can differ (a failed transaction still used up its ids), the content cannot.
    expect(resumed['search_terms']).toEqual(whole['search_terms']);
    expect(resumed['papers']!.length).toBe(whole['papers']!.length);
    expect(resumed['source_records']!.length).toBe(whole['source_records']!.length);
  });

  it('names the file when it cannot be read', async () => {
    const store = new SqliteStore(join(dir, 'gone', 'paperscope.sqlite'), NOW);
    try {
      const s = await new ImportService(store, defaultRegistry, CLOCK).importFile(
        join(dir, 'missing.jsonl'),
        {
          parallel: true,
        },
      );
      expect(s.problems[0]?.message).toMatch(/cannot read the file/);
    } finally {
      store.close();
    }
  });
});

/** A store opened and closed with no import: the schema and settings every store starts with. */
function freshSchema(dataDir: string): Record<string, unknown[]> {
  new SqliteStore(join(dataDir, 'paperscope.sqlite'), NOW).close();
  return dump(dataDir);
}

/** A store that fails its `n`-th transaction after `after` source records were written in it. */
function failingAt(n: number, after: number) {
  let transactions = 0;
  return (store: PaperStore): PaperStore =>
    Object.assign(Object.create(store) as PaperStore, {
      transaction: <T>(fn: (tx: IngestTx) => Promise<T>) =>
        store.transaction(async (tx) => {
          if (++transactions !== n) return fn(tx);
          let writes = 0;
          const dying = Object.assign(Object.create(tx) as IngestTx, {
            saveSourceRecord: (...args: Parameters<IngestTx['saveSourceRecord']>) => {
              if (++writes > after) throw new Error('disk full');
              return tx.saveSourceRecord(...args);
            },
          });
          return fn(dying);
        }),
    });
}

describe('bulk-load mode (indexes and triggers deferred, authors resolved in memory)', () => {
  it('gives the same store as the plain path: papers, authors, keys, provenance, search, trending and change rows, schema', async () => {
    const file = bulkFile('bulk.jsonl');
    const plain = await importInto(join(dir, 'plain'), file, false);
    const bulk = await importInto(join(dir, 'bulk'), file, true, undefined, true);
    expect(bulk).toEqual(plain);
    expect(plain).toMatchObject({ merged: 40, updated: 40, unchanged: 20 });

    const a = dump(join(dir, 'plain'));
    const b = dump(join(dir, 'bulk'));
    for (const table of Object.keys(TABLES)) expect(b[table], table).toEqual(a[table]);
    expect(b['schema']).toEqual(freshSchema(join(dir, 'fresh'))['schema']);
    expect(b['state']).toEqual([]);
    // Trending and similar-papers rows exist for the loaded papers (not only for the seeded ones).
    expect(a['paper_categories']!.length).toBeGreaterThan(500);
    expect(a['paper_changes']!.length).toBe(a['papers']!.length);
  });

  it('resolves authors from memory as the store would: the seed pages, Lechao Xiao, initials with evidence', async () => {
    const seeds = Object.values(SEED_FILES).map(seedPath);
    const load = async (dataDir: string, bulk: boolean) => {
      const store = new SqliteStore(join(dataDir, 'paperscope.sqlite'), NOW);
      try {
        // Seed pages are not line files: the mode is entered around them, as an import would.
        if (bulk) await store.beginBulkLoad();
        const service = new ImportService(store, defaultRegistry, CLOCK);
        for (const seed of seeds) await service.importFile(seed, { bulk: false });
        if (bulk) await store.endBulkLoad();
        const xiao = store.findAuthors('Lechao Xiao')[0]!;
        const coReyes = store.getAuthor(store.findAuthors('John D. Co-Reyes')[0]!.id)!;
        return { xiao, coReyes: coReyes.names.map((n) => n.display).sort() };
      } finally {
        store.close();
      }
    };
    const plain = await load(join(dir, 'plain'), false);
    const bulk = await load(join(dir, 'bulk'), true);
    expect(bulk.xiao.paperCount).toBe(12);
    expect(bulk.coReyes).toEqual(['JD Co-Reyes', 'John D. Co-Reyes']);
    expect(bulk).toEqual(plain);
    const a = dump(join(dir, 'plain'));
    const b = dump(join(dir, 'bulk'));
    expect(a['papers']).toHaveLength(278);
    for (const table of Object.keys(TABLES)) expect(b[table], table).toEqual(a[table]);
  });

  it('after a failure part-way: whole batches only, indexes and triggers back; a re-run finishes the job', async () => {
    const file = bulkFile('crash.jsonl');
    const data = join(dir, 'crash');
    await expect(importInto(data, file, true, failingAt(4, 32), true)).rejects.toThrow('disk full');

    const after = dump(data);
    expect(after['schema']).toEqual(freshSchema(join(dir, 'fresh'))['schema']);
    expect(after['state']).toEqual([]);
    const db = new Database(join(data, 'paperscope.sqlite'), { readonly: true });
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    try {
      expect(count("SELECT count(*) FROM source_records WHERE source = 'arxiv-bulk'")).toBe(49 + 3 * 64);
      expect(count('SELECT count(*) FROM papers WHERE id NOT IN (SELECT rowid FROM paper_search)')).toBe(0);
      expect(count('SELECT count(*) FROM papers WHERE id NOT IN (SELECT paper_id FROM paper_changes)')).toBe(
        0,
      );
      expect(
        count(`SELECT count(*) FROM papers p WHERE json_array_length(p.view, '$.authors')
                 != (SELECT count(*) FROM paper_authors a WHERE a.paper_id = p.id)`),
      ).toBe(0);
      // Papers of the committed bulk batches have their trending rows (written at the end).
      expect(
        count(`SELECT count(*) FROM papers WHERE published IS NOT NULL
                 AND id NOT IN (SELECT paper_id FROM paper_categories)`),
      ).toBe(0);
    } finally {
      db.close();
    }

    const store = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
    try {
      await new ImportService(store, defaultRegistry, CLOCK).importFile(file, {
        parallel: true,
        batchSize: 64,
        bulk: true,
      });
    } finally {
      store.close();
    }
    await importInto(join(dir, 'whole'), file, true, undefined, true);
    const resumed = dump(data);
    const whole = dump(join(dir, 'whole'));
    expect(resumed['search_terms']).toEqual(whole['search_terms']);
    expect(resumed['papers']!.length).toBe(whole['papers']!.length);
    expect(resumed['paper_categories']!.length).toBe(whole['paper_categories']!.length);
    expect(resumed['schema']).toEqual(whole['schema']);
  });

  it('a crash mid-load (the process gone, nothing ended) is finished when the store is next opened', async () => {
    const file = bulkFile('killed.jsonl', false);
    const data = join(dir, 'killed');
    const store = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
    await seedOtherSources(new ImportService(store, defaultRegistry, CLOCK));
    await store.beginBulkLoad();
    // The load's batches commit, then the process "dies": no endBulkLoad.
    await new ImportService(store, defaultRegistry, CLOCK).importFile(file, {
      parallel: true,
      batchSize: 64,
      bulk: false,
    });
    store.close();

    const mid = dump(data);
    expect(mid['state']).toHaveLength(1);
    expect(JSON.stringify(mid['schema'])).not.toContain('paper_categories_on_insert');
    expect(JSON.stringify(mid['schema'])).not.toContain('author_names_key');

    // Opening the store again finishes the load: the store an uninterrupted import gives.
    freshSchema(data);
    await importInto(join(dir, 'plain'), file, false);
    const finished = dump(data);
    const plain = dump(join(dir, 'plain'));
    for (const table of Object.keys(TABLES)) expect(finished[table], table).toEqual(plain[table]);
    expect(BULK_LOAD_STATE).toBe('bulk-load');
  });
});

describe('a bulk load under way in another process', () => {
  it('has the papers another store writes meanwhile logged, so its end gives them their trending and change rows', async () => {
    const file = bulkFile('loading.jsonl', false);
    const other = fixturePath('arxiv-bulk', 'unarxive-sample-metadata.jsonl');
    const data = join(dir, 'shared');
    const loader = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
    await loader.beginBulkLoad();
    // As if another process (a live one: pid 1) had begun the load this store finds.
    const db = new Database(join(data, 'paperscope.sqlite'));
    db.prepare(
      "UPDATE state SET value = json_set(value, '$.pid', 1, '$.host', ?) WHERE name = 'bulk-load'",
    ).run(hostname());
    db.close();
    const bystander = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
    try {
      await new ImportService(bystander, defaultRegistry, CLOCK).importFile(other, { parallel: false });
      await new ImportService(loader, defaultRegistry, CLOCK).importFile(file, {
        parallel: true,
        batchSize: 64,
        bulk: false,
      });
      await loader.endBulkLoad();
    } finally {
      bystander.close();
      loader.close();
    }

    const plainDir = join(dir, 'plain');
    const plain = new SqliteStore(join(plainDir, 'paperscope.sqlite'), NOW);
    try {
      await new ImportService(plain, defaultRegistry, CLOCK).importFile(other, { parallel: false });
      await new ImportService(plain, defaultRegistry, CLOCK).importFile(file, {
        parallel: true,
        batchSize: 64,
      });
    } finally {
      plain.close();
    }
    const a = dump(plainDir);
    const b = dump(data);
    expect(a['paper_categories']!.length).toBeGreaterThan(0);
    for (const table of Object.keys(TABLES)) expect(b[table], table).toEqual(a[table]);
  });

  it('the loader finds a paper another connection wrote meanwhile: a record of it merges, no second paper', async () => {
    const data = join(dir, 'meanwhile');
    const loader = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
    const paper = (source: 'openalex' | 'arxiv-bulk', key: string, title: string): PaperRecord => ({
      kind: 'paper',
      provenance: { source, origin: 'test', locator: key, fetchedAt: '2026-01-01T00:00:00Z' },
      key,
      ids: { arxiv: '2401.01234' },
      title,
      authors: [personFromDisplay('Lechao Xiao')],
    });
    let bystander: SqliteStore | undefined;
    try {
      await loader.beginBulkLoad();
      const service = new ImportService(loader, defaultRegistry, CLOCK);
      const first = [paper('arxiv-bulk', '2401.00001', 'A first paper')];
      first[0]!.ids = { arxiv: '2401.00001' };
      await service.ingestOutput(
        { records: first, problems: [] },
        emptySummary('load'),
        {},
        first.map(deriveRecord),
      );
      // Another process (pid 1, alive) writes a paper while the load goes on.
      const db = new Database(join(data, 'paperscope.sqlite'));
      db.prepare(
        "UPDATE state SET value = json_set(value, '$.pid', 1, '$.host', ?) WHERE name = 'bulk-load'",
      ).run(hostname());
      db.close();
      bystander = new SqliteStore(join(data, 'paperscope.sqlite'), NOW);
      await new ImportService(bystander, defaultRegistry, CLOCK).ingestOutput(
        { records: [paper('openalex', 'W1', 'Rethinking conventional wisdom')], problems: [] },
        emptySummary('other'),
      );
      const summary = emptySummary('load');
      const same = [paper('arxiv-bulk', '2401.01234', 'Rethinking conventional wisdom')];
      await service.ingestOutput({ records: same, problems: [] }, summary, {}, same.map(deriveRecord));
      expect(summary).toMatchObject({ new: 0, merged: 1 });
      await loader.endBulkLoad();
    } finally {
      bystander?.close();
      loader.close();
    }
    const rows = dump(data)['papers'] as { arxiv_id: string }[];
    expect(rows.map((r) => r.arxiv_id)).toEqual(['2401.00001', '2401.01234']);
  });
});

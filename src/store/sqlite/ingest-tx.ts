import type { Statement } from 'better-sqlite3';
import type { MatchKeys, MergedPaper, PaperSketch } from '../../domain/merge.ts';
import { familyOf, initialKey, nameKey } from '../../domain/names.ts';
import type { AuthorRecord, PaperRecord, PersonName, SourceName } from '../../domain/record.ts';
import type { AuthorCandidate, AuthorPin, BatchLookups, IngestTx, StoredRecordRef } from '../port.ts';
import { AuthorMemory } from './author-memory.ts';
import { categoryRowsOf, loadCategoryCodes } from './bulk-load.ts';
import type { Db } from './database.ts';
import { KeyFilter, paperKey, sourceKey } from './key-filter.ts';

/** How many of a candidate's latest papers are searched for a co-author in common. */
const EVIDENCE_PAPERS = 500;
/**
 * Rows written by one statement: a paper's authors and keys go in one run each (a paper with
 * more takes several), since each statement run costs more than the small row it writes.
 */
const ROWS_PER_STATEMENT = 16;

/** The ingestion side of the SQLite store: prepared once, used inside one transaction per batch. */
export class SqliteIngestTx implements IngestTx {
  private readonly q;
  /** Name variants written in this store's lifetime, forgotten on rollback. */
  private readonly knownNames = new Set<string>();
  /**
   * Full-text entries wait for the end of the transaction. FTS5 writes its pending terms out
   * whenever another statement follows an insert into it (it syncs on every savepoint), which
   * made each next insert several times slower; written together at the end, they cost once.
   */
  private readonly pendingSearch = new Map<
    number,
    { replace: boolean; title: string; abstract: string; authors: string }
  >();

  /**
   * What a batch's own look-ups will find missing, learnt in one query per kind before the
   * batch (`expect`): a bulk import of mostly new papers would otherwise ask the store once per
   * key, person and record only to hear "none". Each entry leaves its set as soon as this
   * transaction writes it; the sets end with the transaction.
   */
  private readonly absent = {
    sources: new Set<string>(),
    paperKeys: new Set<string>(),
    nameKeys: new Set<string>(),
    initialKeys: new Set<string>(),
  };

  /**
   * During a bulk load (`startBulkLoad`): author look-ups answered from memory, and the id of
   * every paper written, in order, for the triggers' work done at the end of the load.
   */
  private bulk:
    | {
        /** False while another process's load is under way: log the writes, ask the store. */
        inMemory: boolean;
        memory: AuthorMemory | undefined;
        /** Which keys the store may hold: most of a new batch's are known absent without asking. */
        keys: KeyFilter | undefined;
        categoryCodes: Map<string, string>;
        /** paper id, trending rows (JSON) — for each write, in order. */
        changes: (number | string)[];
      }
    | undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => string,
  ) {
    this.q = {
      findSource: db.prepare(
        'SELECT paper_id AS paperId, author_id AS authorId, hash FROM source_records WHERE source = ? AND record_key = ?',
      ),
      sourceData: db.prepare(
        'SELECT source, origin, locator, fetched_at AS fetchedAt, data FROM source_records WHERE source = ? AND record_key = ?',
      ),
      papersByKey: db.prepare('SELECT paper_id FROM paper_keys WHERE kind = ? AND value = ?').pluck(),
      paperView: db.prepare('SELECT view FROM papers WHERE id = ?').pluck(),
      // `papers.arxiv_id` is written from the merged view's `ids.arxiv`, in the same statement.
      firstJoinable: db
        .prepare(
          `SELECT k.paper_id FROM paper_keys k LEFT JOIN papers p ON p.id = k.paper_id
           WHERE k.kind = @kind AND k.value = @value
             AND (@arxiv IS NULL OR p.arxiv_id IS NULL OR p.arxiv_id = @arxiv)
           ORDER BY k.paper_id LIMIT 1`,
        )
        .pluck(),
      paperRecords: db.prepare(
        'SELECT source, origin, locator, fetched_at AS fetchedAt, data FROM source_records WHERE paper_id = ? ORDER BY id',
      ),
      insertPaper: db.prepare(
        `INSERT INTO papers (title, year, published, arxiv_id, doi, view, created_at, updated_at)
         VALUES (@title, @year, @published, @arxiv, @doi, @view, @now, @now)`,
      ),
      upsertSource: db.prepare(
        `INSERT INTO source_records (paper_id, author_id, source, record_key, hash, origin, locator, fetched_at, data)
         VALUES (@paperId, @authorId, @source, @key, @hash, @origin, @locator, @fetchedAt, @data)
         ON CONFLICT (source, record_key) DO UPDATE SET
           paper_id = excluded.paper_id, author_id = excluded.author_id, hash = excluded.hash,
           origin = excluded.origin, locator = excluded.locator, fetched_at = excluded.fetched_at, data = excluded.data`,
      ),
      updatePaper: db.prepare(
        `UPDATE papers SET title = @title, year = @year, published = @published,
           arxiv_id = @arxiv, doi = @doi, view = @view, updated_at = @now WHERE id = @id`,
      ),
      deleteKeys: db.prepare('DELETE FROM paper_keys WHERE paper_id = ?'),
      deleteLinks: db.prepare('DELETE FROM code_links WHERE paper_id = ?'),
      insertLink: db.prepare(
        'INSERT OR IGNORE INTO code_links (paper_id, url, kind, status) VALUES (?, ?, ?, ?)',
      ),
      deleteSearch: db.prepare('DELETE FROM paper_search WHERE rowid = ?'),
      insertSearch: db.prepare(
        'INSERT INTO paper_search (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)',
      ),
      namesByNameKey: db.prepare(
        `SELECT n.author_id AS authorId, n.display, n.family, n.given FROM author_names n
         WHERE n.author_id IN (SELECT author_id FROM author_names WHERE name_key = ?) ORDER BY n.author_id`,
      ),
      authorIdByNameKey: db.prepare('SELECT author_id FROM author_names WHERE name_key = ? LIMIT 1').pluck(),
      namesByInitialKey: db.prepare(
        `SELECT n.author_id AS authorId, n.display, n.family, n.given FROM author_names n
         WHERE n.author_id IN (SELECT author_id FROM author_names WHERE initial_key = ?) ORDER BY n.author_id`,
      ),
      authorByExternal: db.prepare('SELECT author_id FROM author_ids WHERE kind = ? AND value = ?').pluck(),
      // Evidence is sought among each candidate's most recent papers only: prolific people have
      // thousands, and a join over all of them made every initials look-up slower as the store grew.
      sharesRecentPaper: db.prepare(
        `SELECT 1 FROM (
           SELECT paper_id FROM paper_authors WHERE author_id = ? AND paper_id != ?
           ORDER BY paper_id DESC LIMIT ${EVIDENCE_PAPERS}
         ) a
         WHERE EXISTS (
           SELECT 1 FROM paper_authors b
           WHERE b.paper_id = a.paper_id AND b.author_id IN (SELECT value FROM json_each(?)))
         LIMIT 1`,
      ),
      authorPins: db.prepare(
        'SELECT name_key, initial_key, family, given, author_id FROM author_pins WHERE paper_id = ?',
      ),
      createAuthor: db.prepare("INSERT INTO authors (display_name, ids) VALUES (?, '{}')"),
      addName: db.prepare(
        `INSERT INTO author_names (author_id, display, family, given, name_key, initial_key) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (author_id, display) DO NOTHING`,
      ),
      insertAuthorId: db.prepare(
        'INSERT OR IGNORE INTO author_ids (kind, value, author_id) VALUES (?, ?, ?)',
      ),
      authorIdsJson: db.prepare('SELECT ids FROM authors WHERE id = ?').pluck(),
      setAuthorIdsJson: db.prepare('UPDATE authors SET ids = ? WHERE id = ?'),
      deletePaperAuthors: db.prepare('DELETE FROM paper_authors WHERE paper_id = ?'),
      authorsOfPaper: db
        .prepare('SELECT author_id FROM paper_authors WHERE paper_id = ? ORDER BY position')
        .pluck(),
      setState: db.prepare(
        `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      deleteState: db.prepare('DELETE FROM state WHERE name = ?'),
      presentSources: db
        .prepare(
          `SELECT j.key FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM source_records s
             WHERE s.source = json_extract(j.value, '$[0]') AND s.record_key = json_extract(j.value, '$[1]'))`,
        )
        .pluck(),
      presentPaperKeys: db
        .prepare(
          `SELECT j.key FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM paper_keys k
             WHERE k.kind = json_extract(j.value, '$[0]') AND k.value = json_extract(j.value, '$[1]'))`,
        )
        .pluck(),
      presentNameKeys: db
        .prepare(
          'SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM author_names n WHERE n.name_key = j.value)',
        )
        .pluck(),
      presentInitialKeys: db
        .prepare(
          'SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM author_names n WHERE n.initial_key = j.value)',
        )
        .pluck(),
    };
  }

  /**
   * Enter bulk-load mode (the store has dropped its triggers and name indexes). `inMemory`
   * false: only log what is written, for a load another process is making (its end does the
   * triggers' work for these writes too).
   */
  startBulkLoad(inMemory = true): void {
    this.bulk = {
      inMemory,
      memory: inMemory ? AuthorMemory.load(this.db) : undefined,
      keys: undefined,
      categoryCodes: loadCategoryCodes(this.db),
      changes: [],
    };
  }

  endBulkLoad(): void {
    this.bulk = undefined;
  }

  get inBulkLoad(): boolean {
    return this.bulk !== undefined;
  }

  /** The key filter of a bulk load, read from the store when first asked, when another connection wrote, or full. */
  private keyFilter(): KeyFilter | undefined {
    if (!this.bulk?.inMemory) return undefined;
    const filter = this.bulk.keys;
    if (filter && !filter.full) return filter;
    this.bulk.keys = KeyFilter.load(this.db, filter ? 2 * filter.capacity : undefined);
    return this.bulk.keys;
  }

  /** The in-memory author index, read again from the store when a rollback or a decision made it stale. */
  private memory(): AuthorMemory | undefined {
    if (!this.bulk?.inMemory) return undefined;
    this.bulk.memory ??= AuthorMemory.load(this.db);
    return this.bulk.memory;
  }

  expect(lookups: BatchLookups): void {
    const filter = this.keyFilter();
    const pairs = (
      list: readonly (readonly [string, string])[],
      q: Statement,
      into: Set<string>,
      filterKey: (a: string, b: string) => string,
    ) => {
      const unique: (readonly [string, string])[] = [];
      for (const p of new Map(list.map((p) => [`${p[0]}\u0000${p[1]}`, p])).values()) {
        // Never written: certainly absent, no need to ask.
        if (filter && !filter.mayHold(filterKey(p[0], p[1]))) into.add(`${p[0]}\u0000${p[1]}`);
        else unique.push(p);
      }
      if (unique.length === 0) return;
      const present = new Set(q.all(JSON.stringify(unique)) as number[]);
      unique.forEach((p, i) => {
        if (!present.has(i)) into.add(`${p[0]}\u0000${p[1]}`);
      });
    };
    const singles = (list: readonly string[], q: Statement, into: Set<string>) => {
      const unique = [...new Set(list)];
      const present = new Set(q.all(JSON.stringify(unique)) as string[]);
      for (const v of unique) if (!present.has(v)) into.add(v);
    };
    pairs(lookups.sources, this.q.presentSources, this.absent.sources, sourceKey);
    pairs(lookups.paperKeys, this.q.presentPaperKeys, this.absent.paperKeys, paperKey);
    // A bulk load answers names from memory (and has dropped the indexes these would read).
    if (this.bulk) return;
    singles(lookups.nameKeys, this.q.presentNameKeys, this.absent.nameKeys);
    singles(lookups.initialKeys, this.q.presentInitialKeys, this.absent.initialKeys);
  }

  private forgetAbsent(): void {
    for (const set of Object.values(this.absent)) set.clear();
  }

  findSourceRecord(source: SourceName, key: string): StoredRecordRef | undefined {
    if (this.absent.sources.has(`${source}\u0000${key}`)) return undefined;
    return this.q.findSource.get(source, key) as StoredRecordRef | undefined;
  }

  sourceRecordData(source: SourceName, key: string): PaperRecord | AuthorRecord | undefined {
    if (this.absent.sources.has(`${source}\u0000${key}`)) return undefined;
    const row = this.q.sourceData.get(source, key) as StoredRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  findPapersByKey(kind: string, value: string): number[] {
    if (this.absent.paperKeys.has(`${kind}\u0000${value}`)) return [];
    return this.q.papersByKey.all(kind, value) as number[];
  }

  paperSketch(paperId: number): PaperSketch | undefined {
    const view = this.q.paperView.get(paperId) as string | undefined;
    if (!view) return undefined;
    const merged = JSON.parse(view) as MergedPaper;
    const sketch: PaperSketch = {
      ids: merged.ids ?? {},
      authorFamilies: (merged.authors ?? []).map((a) => familyOf(a.name)),
    };
    if (merged.year !== undefined) sketch.year = merged.year;
    return sketch;
  }

  firstJoinableByKey(kind: string, value: string, arxiv: string | null): number | undefined {
    if (this.absent.paperKeys.has(`${kind}\u0000${value}`)) return undefined;
    return this.q.firstJoinable.get({ kind, value, arxiv }) as number | undefined;
  }

  paperRecords(paperId: number): PaperRecord[] {
    return (this.q.paperRecords.all(paperId) as StoredRow[])
      .map(fromRow)
      .filter((r): r is PaperRecord => r.kind === 'paper');
  }

  saveSourceRecord(
    record: PaperRecord | AuthorRecord,
    stored: { content: string; hash: string },
    owner: { paperId?: number; authorId?: number },
  ): void {
    const p = record.provenance;
    this.absent.sources.delete(`${p.source}\u0000${record.key}`);
    this.bulk?.keys?.add(sourceKey(p.source, record.key));
    this.q.upsertSource.run({
      paperId: owner.paperId ?? null,
      authorId: owner.authorId ?? null,
      source: p.source,
      key: record.key,
      hash: stored.hash,
      origin: p.origin,
      locator: p.locator,
      fetchedAt: p.fetchedAt,
      data: stored.content,
    });
  }

  writePaper(existingId: number | undefined, merged: MergedPaper, keys: MatchKeys[], view?: string): number {
    const row = {
      title: merged.title ?? null,
      year: merged.year ?? null,
      published: merged.published ?? null,
      arxiv: merged.ids.arxiv ?? null,
      doi: merged.ids.doi ?? null,
      view: view ?? JSON.stringify(merged),
      now: this.now(),
    };
    const isNew = existingId === undefined;
    const paperId = isNew ? Number(this.q.insertPaper.run(row).lastInsertRowid) : existingId;
    if (this.bulk) {
      const rows = categoryRowsOf(merged.categories ?? [], this.bulk.categoryCodes);
      this.bulk.changes.push(paperId, JSON.stringify(rows));
    }
    if (!isNew) {
      this.q.updatePaper.run({ ...row, id: paperId });
      this.q.deleteKeys.run(paperId);
      this.q.deleteLinks.run(paperId);
    }
    const rows: [string, string][] = [];
    for (const k of keys) {
      for (const id of k.ids) rows.push([id.kind, id.value]);
      if (k.title) rows.push(['title', k.title]);
      if (k.abstract) rows.push(['abstract', k.abstract]);
    }
    this.insertKeys(rows, paperId);
    for (const l of merged.codeLinks) this.q.insertLink.run(paperId, l.url, l.kind, l.status);
    const entry = this.pendingSearch.get(paperId);
    this.pendingSearch.set(paperId, {
      replace: entry ? entry.replace : !isNew,
      title: merged.title ?? '',
      abstract: merged.abstractText ?? '',
      authors: merged.authors.map((a) => a.name.display).join(', '),
    });
    return paperId;
  }

  private insertKeys(rows: readonly [string, string][], paperId: number): void {
    const filter = this.bulk?.keys;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      for (const [kind, value] of chunk) {
        this.absent.paperKeys.delete(`${kind}\u0000${value}`);
        filter?.add(paperKey(kind, value));
        values.push(kind, value, paperId);
      }
      this.rowsStatement(
        'INSERT OR IGNORE INTO paper_keys (kind, value, paper_id) VALUES',
        3,
        chunk.length,
      ).run(values);
    }
  }

  /** People with their name variants, from rows of `author_names`, in the order first seen. */
  private candidates(
    rows: { authorId: number; display: string; family: string | null; given: string | null }[],
  ) {
    const byId = new Map<number, AuthorCandidate>();
    for (const r of rows) {
      let c = byId.get(r.authorId);
      if (!c) {
        c = { id: r.authorId, displayName: r.display, names: [] };
        byId.set(r.authorId, c);
      }
      const name: PersonName = { display: r.display };
      if (r.family !== null) name.family = r.family;
      if (r.given !== null) name.given = r.given;
      c.names.push(name);
    }
    return [...byId.values()];
  }

  findAuthorsByNameKey(key: string): AuthorCandidate[] {
    const memory = this.memory();
    if (memory) return memory.byName(key);
    if (this.absent.nameKeys.has(key)) return [];
    return this.candidates(this.q.namesByNameKey.all(key) as never);
  }

  findAuthorsByInitialKey(key: string): AuthorCandidate[] {
    const memory = this.memory();
    if (memory) return memory.byInitials(key);
    if (this.absent.initialKeys.has(key)) return [];
    return this.candidates(this.q.namesByInitialKey.all(key) as never);
  }

  findAuthorIdByNameKey(key: string): number | undefined {
    const memory = this.memory();
    if (memory) return memory.firstByNameKey(key);
    if (this.absent.nameKeys.has(key)) return undefined;
    return this.q.authorIdByNameKey.get(key) as number | undefined;
  }

  findAuthorByExternalId(kind: 'openalex' | 's2' | 'orcid', value: string): number | undefined {
    return this.q.authorByExternal.get(kind, value) as number | undefined;
  }

  coauthorsOf(candidateIds: number[], coauthorIds: number[], exceptPaper: number): number[] {
    if (candidateIds.length === 0 || coauthorIds.length === 0) return [];
    const memory = this.memory();
    if (memory) {
      const coauthorSet = new Set(coauthorIds);
      return candidateIds.filter((id) =>
        memory.sharesRecentPaper(id, coauthorSet, exceptPaper, EVIDENCE_PAPERS),
      );
    }
    const coauthors = JSON.stringify(coauthorIds);
    return candidateIds.filter(
      (id) => this.q.sharesRecentPaper.get(id, exceptPaper, coauthors) !== undefined,
    );
  }

  authorPins(paperId: number): AuthorPin[] {
    const rows = this.q.authorPins.all(paperId) as {
      name_key: string;
      initial_key: string;
      family: string | null;
      given: string | null;
      author_id: number;
    }[];
    return rows.map((r) => {
      const name: PersonName = { display: r.name_key };
      if (r.family !== null) name.family = r.family;
      if (r.given !== null) name.given = r.given;
      return { nameKey: r.name_key, initialKey: r.initial_key, name, authorId: r.author_id };
    });
  }

  createAuthor(name: PersonName): number {
    const id = Number(this.q.createAuthor.run(name.display).lastInsertRowid);
    this.addAuthorName(id, name);
    return id;
  }

  addAuthorName(authorId: number, name: PersonName): void {
    const memory = this.memory();
    if (memory) {
      if (memory.hasName(authorId, name.display)) return;
      const key = nameKey(name);
      const initial = initialKey(name);
      if (memory.addName(authorId, name, key, initial)) {
        this.q.addName.run(authorId, name.display, name.family ?? null, name.given ?? null, key, initial);
      }
      return;
    }
    // Prolific authors are seen again on most of their papers: skip what is known to be stored.
    const seen = `${authorId}\u0000${name.display}`;
    if (this.knownNames.has(seen)) return;
    if (this.knownNames.size >= 500_000) this.knownNames.clear();
    this.knownNames.add(seen);
    const key = nameKey(name);
    const initial = initialKey(name);
    this.absent.nameKeys.delete(key);
    this.absent.initialKeys.delete(initial);
    this.q.addName.run(authorId, name.display, name.family ?? null, name.given ?? null, key, initial);
  }

  setAuthorIds(authorId: number, ids: Record<string, string>): void {
    const current = JSON.parse((this.q.authorIdsJson.get(authorId) as string) ?? '{}') as Record<
      string,
      string
    >;
    for (const [kind, value] of Object.entries(ids)) {
      current[kind] = value;
      this.q.insertAuthorId.run(kind, value, authorId);
    }
    this.q.setAuthorIdsJson.run(JSON.stringify(current), authorId);
  }

  setPaperAuthors(paperId: number, authors: { authorId: number; name: PersonName }[], isNew = false): void {
    const memory = this.bulk?.memory;
    // The memory keeps no paper's authors: it is told who they were, from the rows going away.
    const previous = memory && !isNew ? (this.q.authorsOfPaper.all(paperId) as number[]) : [];
    if (!isNew) this.q.deletePaperAuthors.run(paperId);
    memory?.setPaperAuthors(
      paperId,
      authors.map((a) => a.authorId),
      previous,
    );
    for (let start = 0; start < authors.length; start += ROWS_PER_STATEMENT) {
      const chunk = authors.slice(start, start + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      chunk.forEach((a, i) => {
        values.push(paperId, start + i, a.authorId, a.name.display);
      });
      this.rowsStatement(
        'INSERT INTO paper_authors (paper_id, position, author_id, display) VALUES',
        4,
        chunk.length,
      ).run(values);
    }
  }

  private readonly multiRow = new Map<string, Statement>();

  /** `insert` followed by `rows` groups of `columns` placeholders, prepared once per shape. */
  private rowsStatement(insert: string, columns: number, rows: number): Statement {
    const key = `${insert}\u0000${rows}`;
    let statement = this.multiRow.get(key);
    if (!statement) {
      const row = `(${Array(columns).fill('?').join(', ')})`;
      statement = this.db.prepare(`${insert} ${Array(rows).fill(row).join(', ')}`);
      this.multiRow.set(key, statement);
    }
    return statement;
  }

  /** Write what waits for the end of the transaction; the store calls this just before COMMIT. */
  flush(): void {
    for (const [paperId, e] of this.pendingSearch) {
      if (e.replace) this.q.deleteSearch.run(paperId);
      this.q.insertSearch.run(paperId, e.title, e.abstract, e.authors);
    }
    this.pendingSearch.clear();
    this.forgetAbsent();
    if (this.bulk) this.logChanges(this.bulk.changes.splice(0));
  }

  /** The papers this transaction wrote, in order, for the end of the bulk load (`bulk_load_changes`). */
  private logChanges(pairs: readonly (number | string)[]): void {
    const perStatement = 2 * 250;
    for (let start = 0; start < pairs.length; start += perStatement) {
      const chunk = pairs.slice(start, start + perStatement);
      this.rowsStatement(
        'INSERT INTO bulk_load_changes (paper_id, categories) VALUES',
        2,
        chunk.length / 2,
      ).run(chunk);
    }
  }

  /** Forget which names are stored: a merge or split moved some from one person to another. */
  forgetKnownNames(): void {
    this.knownNames.clear();
    if (this.bulk) this.bulk.memory = undefined;
    this.forgetAbsent();
  }

  /** Another connection wrote: keys it wrote are not in the filter (read it again when next needed). */
  forgetKeys(): void {
    if (this.bulk) this.bulk.keys = undefined;
  }

  /** Forget what waits, when the transaction rolls back. */
  discard(): void {
    this.pendingSearch.clear();
    // What memory learnt from the transaction is undone with it: read it again when next needed.
    if (this.bulk) {
      this.bulk.memory = undefined;
      this.bulk.changes.length = 0;
    }
    this.knownNames.clear();
    this.forgetAbsent();
  }

  setState(name: string, value: string | undefined): void {
    if (value === undefined) this.q.deleteState.run(name);
    else this.q.setState.run(name, value, this.now());
  }
}

interface StoredRow {
  source: SourceName;
  origin: string;
  locator: string;
  fetchedAt: string;
  data: string;
}

/** The store keeps a record's provenance in columns and the rest as JSON: put them back together. */
function fromRow(row: StoredRow): PaperRecord | AuthorRecord {
  const record = JSON.parse(row.data) as PaperRecord | AuthorRecord;
  record.provenance = {
    source: row.source,
    origin: row.origin,
    locator: row.locator,
    fetchedAt: row.fetchedAt,
  };
  return record;
}

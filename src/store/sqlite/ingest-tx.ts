import type { MatchKeys, MergedPaper, PaperSketch } from '../../domain/merge.ts';
import { familyOf, initialKey, nameKey } from '../../domain/names.ts';
import type { AuthorRecord, PaperRecord, PersonName, SourceName } from '../../domain/record.ts';
import type { AuthorCandidate, IngestTx, StoredRecordRef } from '../port.ts';
import type { Db } from './database.ts';

/** The ingestion side of the SQLite store: prepared once, used inside one transaction per batch. */
export class SqliteIngestTx implements IngestTx {
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly now: () => string,
  ) {
    this.q = {
      findSource: db.prepare(
        'SELECT paper_id AS paperId, author_id AS authorId, hash FROM source_records WHERE source = ? AND record_key = ?',
      ),
      sourceData: db.prepare('SELECT data FROM source_records WHERE source = ? AND record_key = ?').pluck(),
      papersByKey: db.prepare('SELECT paper_id FROM paper_keys WHERE kind = ? AND value = ?').pluck(),
      paperView: db.prepare('SELECT view FROM papers WHERE id = ?').pluck(),
      paperRecords: db.prepare('SELECT data FROM source_records WHERE paper_id = ? ORDER BY id').pluck(),
      createPaper: db.prepare("INSERT INTO papers (view, created_at, updated_at) VALUES ('{}', ?, ?)"),
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
      insertKey: db.prepare('INSERT OR IGNORE INTO paper_keys (kind, value, paper_id) VALUES (?, ?, ?)'),
      deleteLinks: db.prepare('DELETE FROM code_links WHERE paper_id = ?'),
      insertLink: db.prepare(
        'INSERT OR IGNORE INTO code_links (paper_id, url, kind, status) VALUES (?, ?, ?, ?)',
      ),
      deleteSearch: db.prepare('DELETE FROM paper_search WHERE rowid = ?'),
      insertSearch: db.prepare(
        'INSERT INTO paper_search (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)',
      ),
      authorsByNameKey: db.prepare('SELECT DISTINCT author_id FROM author_names WHERE name_key = ?').pluck(),
      authorIdByNameKey: db.prepare('SELECT author_id FROM author_names WHERE name_key = ? LIMIT 1').pluck(),
      authorsByInitialKey: db
        .prepare('SELECT DISTINCT author_id FROM author_names WHERE initial_key = ?')
        .pluck(),
      authorRow: db.prepare('SELECT display_name FROM authors WHERE id = ?').pluck(),
      authorNames: db.prepare('SELECT display, family, given FROM author_names WHERE author_id = ?'),
      authorByExternal: db.prepare('SELECT author_id FROM author_ids WHERE kind = ? AND value = ?').pluck(),
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
      insertPaperAuthor: db.prepare(
        'INSERT INTO paper_authors (paper_id, position, author_id, display) VALUES (?, ?, ?, ?)',
      ),
      paperAuthorIds: db
        .prepare('SELECT author_id FROM paper_authors WHERE paper_id = ? ORDER BY position')
        .pluck(),
      setState: db.prepare(
        `INSERT INTO state (name, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      deleteState: db.prepare('DELETE FROM state WHERE name = ?'),
    };
  }

  findSourceRecord(source: SourceName, key: string): StoredRecordRef | undefined {
    return this.q.findSource.get(source, key) as StoredRecordRef | undefined;
  }

  sourceRecordData(source: SourceName, key: string): PaperRecord | AuthorRecord | undefined {
    const data = this.q.sourceData.get(source, key) as string | undefined;
    return data ? (JSON.parse(data) as PaperRecord | AuthorRecord) : undefined;
  }

  findPapersByKey(kind: string, value: string): number[] {
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

  paperRecords(paperId: number): PaperRecord[] {
    return (this.q.paperRecords.all(paperId) as string[])
      .map((d) => JSON.parse(d) as PaperRecord | AuthorRecord)
      .filter((r): r is PaperRecord => r.kind === 'paper');
  }

  createPaper(): number {
    const now = this.now();
    return Number(this.q.createPaper.run(now, now).lastInsertRowid);
  }

  saveSourceRecord(
    record: PaperRecord | AuthorRecord,
    hash: string,
    owner: { paperId?: number; authorId?: number },
  ): void {
    const p = record.provenance;
    this.q.upsertSource.run({
      paperId: owner.paperId ?? null,
      authorId: owner.authorId ?? null,
      source: p.source,
      key: record.key,
      hash,
      origin: p.origin,
      locator: p.locator,
      fetchedAt: p.fetchedAt,
      data: JSON.stringify(record),
    });
  }

  writePaper(paperId: number, merged: MergedPaper, keys: MatchKeys[], isNew = false): void {
    this.q.updatePaper.run({
      id: paperId,
      title: merged.title ?? null,
      year: merged.year ?? null,
      published: merged.published ?? null,
      arxiv: merged.ids.arxiv ?? null,
      doi: merged.ids.doi ?? null,
      view: JSON.stringify(merged),
      now: this.now(),
    });
    if (!isNew) this.q.deleteKeys.run(paperId);
    for (const k of keys) {
      for (const id of k.ids) this.q.insertKey.run(id.kind, id.value, paperId);
      if (k.title) this.q.insertKey.run('title', k.title, paperId);
      if (k.abstract) this.q.insertKey.run('abstract', k.abstract, paperId);
    }
    if (!isNew) this.q.deleteLinks.run(paperId);
    for (const l of merged.codeLinks) this.q.insertLink.run(paperId, l.url, l.kind, l.status);
    if (!isNew) this.q.deleteSearch.run(paperId);
    this.q.insertSearch.run(
      paperId,
      merged.title ?? '',
      merged.abstractText ?? '',
      merged.authors.map((a) => a.name.display).join(', '),
    );
  }

  private candidate(id: number): AuthorCandidate {
    const names = (
      this.q.authorNames.all(id) as { display: string; family: string | null; given: string | null }[]
    ).map((n) => {
      const name: PersonName = { display: n.display };
      if (n.family !== null) name.family = n.family;
      if (n.given !== null) name.given = n.given;
      return name;
    });
    return { id, displayName: this.q.authorRow.get(id) as string, names };
  }

  findAuthorsByNameKey(key: string): AuthorCandidate[] {
    return (this.q.authorsByNameKey.all(key) as number[]).map((id) => this.candidate(id));
  }

  findAuthorIdByNameKey(key: string): number | undefined {
    return this.q.authorIdByNameKey.get(key) as number | undefined;
  }

  findAuthorsByInitialKey(key: string): AuthorCandidate[] {
    return (this.q.authorsByInitialKey.all(key) as number[]).map((id) => this.candidate(id));
  }

  findAuthorByExternalId(kind: 'openalex' | 's2' | 'orcid', value: string): number | undefined {
    return this.q.authorByExternal.get(kind, value) as number | undefined;
  }

  sharesPaperWith(authorId: number, coauthorIds: number[], exceptPaper: number): boolean {
    if (coauthorIds.length === 0) return false;
    const placeholders = coauthorIds.map(() => '?').join(',');
    const row = this.db
      .prepare(
        `SELECT 1 FROM paper_authors a JOIN paper_authors b ON a.paper_id = b.paper_id
         WHERE a.author_id = ? AND a.paper_id != ? AND b.author_id IN (${placeholders}) LIMIT 1`,
      )
      .get(authorId, exceptPaper, ...coauthorIds);
    return row !== undefined;
  }

  createAuthor(name: PersonName): number {
    const id = Number(this.q.createAuthor.run(name.display).lastInsertRowid);
    this.addAuthorName(id, name);
    return id;
  }

  addAuthorName(authorId: number, name: PersonName): void {
    this.q.addName.run(
      authorId,
      name.display,
      name.family ?? null,
      name.given ?? null,
      nameKey(name),
      initialKey(name),
    );
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
    if (!isNew) this.q.deletePaperAuthors.run(paperId);
    authors.forEach((a, i) => {
      this.q.insertPaperAuthor.run(paperId, i, a.authorId, a.name.display);
    });
  }

  paperAuthorIds(paperId: number): number[] {
    return this.q.paperAuthorIds.all(paperId) as number[];
  }

  setState(name: string, value: string | undefined): void {
    if (value === undefined) this.q.deleteState.run(name);
    else this.q.setState.run(name, value, this.now());
  }
}

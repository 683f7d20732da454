import { createHash } from 'node:crypto';
import { matchKeysOf, mergeRecords, sameTitleIsSamePaper, sketchOf } from '../domain/merge.ts';
import { nameKey, personFromDisplay } from '../domain/names.ts';
import type { AuthorRecord, PaperRecord, SourceRecord } from '../domain/record.ts';
import type { IngestTx } from '../store/port.ts';
import { linkAuthors } from './resolve-authors.ts';

/**
 * Ingestion: put source records into the knowledge base, each merged into the paper (or
 * person) it belongs to. Runs inside one store transaction per batch.
 */

export type IngestOutcome = 'new' | 'merged' | 'updated' | 'unchanged';

/** A record's content fingerprint: the same record read again (at another time, from another copy) is unchanged. */
export function recordHash(record: SourceRecord): string {
  const { provenance: _p, ...content } = record;
  return createHash('sha1').update(JSON.stringify(content)).digest('base64url');
}

export async function ingestRecord(tx: IngestTx, record: SourceRecord): Promise<IngestOutcome> {
  return record.kind === 'paper' ? ingestPaper(tx, record) : ingestAuthor(tx, record);
}

/**
 * A source that answers again for the same record may say less this time (a search page
 * asks for fewer fields than a paper look-up): what it says now wins, what it left out is kept.
 */
async function overlay<R extends SourceRecord>(tx: IngestTx, record: R): Promise<R> {
  const before = await tx.sourceRecordData(record.provenance.source, record.key);
  if (!before || before.kind !== record.kind) return record;
  const combined: Record<string, unknown> = { ...before };
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    combined[field] =
      field === 'ids' ? { ...(before as PaperRecord).ids, ...(value as PaperRecord['ids']) } : value;
  }
  return combined as unknown as R;
}

async function ingestPaper(tx: IngestTx, incoming: PaperRecord): Promise<IngestOutcome> {
  let record = incoming;
  let hash = recordHash(record);
  const existing = await tx.findSourceRecord(record.provenance.source, record.key);
  if (existing && existing.hash === hash) return 'unchanged';
  if (existing) {
    record = await overlay(tx, incoming);
    hash = recordHash(record);
    if (hash === existing.hash) return 'unchanged';
  }

  let paperId = existing?.paperId ?? (await findPaperFor(tx, record));
  const outcome: IngestOutcome = existing ? 'updated' : paperId !== undefined ? 'merged' : 'new';
  if (paperId === undefined || paperId === null) paperId = await tx.createPaper();

  await tx.saveSourceRecord(record, hash, { paperId });
  const records = outcome === 'new' ? [record] : await tx.paperRecords(paperId);
  const merged = mergeRecords(records);
  const isNew = outcome === 'new';
  await tx.writePaper(paperId, merged, records.map(matchKeysOf), isNew);
  await linkAuthors(tx, paperId, merged, records, isNew);
  return outcome;
}

/** Identifiers first, then the normalized title, then the opening of the abstract. */
async function findPaperFor(tx: IngestTx, record: PaperRecord): Promise<number | undefined> {
  const keys = matchKeysOf(record);
  const sketch = sketchOf(record);
  for (const id of keys.ids) {
    for (const candidate of await tx.findPapersByKey(id.kind, id.value)) {
      // Several arXiv preprints can share the DOI of the one journal article they became:
      // different arXiv ids stay different papers.
      const other = id.kind === 'arxiv' ? undefined : await tx.paperSketch(candidate);
      if (!other?.ids.arxiv || !record.ids.arxiv || other.ids.arxiv === record.ids.arxiv) return candidate;
    }
  }
  for (const [kind, value] of [
    ['title', keys.title],
    ['abstract', keys.abstract],
  ] as const) {
    if (!value) continue;
    for (const candidate of await tx.findPapersByKey(kind, value)) {
      const other = await tx.paperSketch(candidate);
      if (other && sameTitleIsSamePaper(sketch, other)) return candidate;
    }
  }
  return undefined;
}

async function ingestAuthor(tx: IngestTx, incoming: AuthorRecord): Promise<IngestOutcome> {
  let record = incoming;
  let hash = recordHash(record);
  const existing = await tx.findSourceRecord(record.provenance.source, record.key);
  if (existing && existing.hash === hash) return 'unchanged';
  if (existing) {
    record = await overlay(tx, incoming);
    hash = recordHash(record);
    if (hash === existing.hash) return 'unchanged';
  }

  let authorId = existing?.authorId ?? undefined;
  const ids = record.name.ids ?? {};
  for (const [kind, value] of Object.entries(ids)) {
    if (authorId !== undefined) break;
    if (value) authorId = await tx.findAuthorByExternalId(kind as 'openalex' | 's2' | 'orcid', value);
  }
  authorId ??= await tx.findAuthorIdByNameKey(nameKey(record.name));
  const outcome: IngestOutcome = existing ? 'updated' : authorId !== undefined ? 'merged' : 'new';
  authorId ??= await tx.createAuthor(record.name);

  await tx.addAuthorName(authorId, record.name);
  for (const alt of record.alternatives ?? []) await tx.addAuthorName(authorId, personFromDisplay(alt));
  const external: Record<string, string> = {};
  for (const [kind, value] of Object.entries(ids)) if (value) external[kind] = value;
  if (Object.keys(external).length) await tx.setAuthorIds(authorId, external);
  await tx.saveSourceRecord(record, hash, { authorId });
  return outcome;
}

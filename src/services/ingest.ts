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

async function ingestPaper(tx: IngestTx, record: PaperRecord): Promise<IngestOutcome> {
  const hash = recordHash(record);
  const existing = await tx.findSourceRecord(record.provenance.source, record.key);
  if (existing && existing.hash === hash) return 'unchanged';

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

async function ingestAuthor(tx: IngestTx, record: AuthorRecord): Promise<IngestOutcome> {
  const hash = recordHash(record);
  const existing = await tx.findSourceRecord(record.provenance.source, record.key);
  if (existing && existing.hash === hash) return 'unchanged';

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

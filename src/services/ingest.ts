import { sha1 } from '../domain/hash.ts';
import {
  type MatchKeys,
  type MergedPaper,
  matchKeysOf,
  mergeRecords,
  mergeSolo,
  type PaperSketch,
  sameTitleIsSamePaper,
  sketchOf,
} from '../domain/merge.ts';
import { nameKey, personFromDisplay } from '../domain/names.ts';
import type { AuthorRecord, PaperRecord, SourceRecord } from '../domain/record.ts';
import type { IngestTx } from '../store/port.ts';
import { linkAuthors } from './resolve-authors.ts';

/**
 * Ingestion: put source records into the knowledge base, each merged into the paper (or
 * person) it belongs to. Runs inside one store transaction per batch.
 */

export type IngestOutcome = 'new' | 'merged' | 'updated' | 'unchanged';

/**
 * A record's content (everything but its provenance, which the store keeps in columns) and
 * its fingerprint: the same record read again, at another time or from another copy, is unchanged.
 */
export function recordContent(record: SourceRecord): { content: string; hash: string } {
  const { provenance: _p, ...rest } = record;
  const content = JSON.stringify(rest);
  return { content, hash: sha1(content) };
}

/**
 * What ingestion derives from a record on its own, without the store: its stored content and
 * fingerprint, and for a paper its match keys and the paper it makes when no other source knows
 * it (the merged view and its JSON). A bulk import computes these on a worker thread while the
 * main thread writes; `ingestRecord` computes whatever it is not given.
 */
export interface DerivedRecord {
  stored: { content: string; hash: string };
  keys?: MatchKeys;
  solo?: { merged: MergedPaper; view: string };
}

// Writing the content and the view field by field, each shared field (abstract, names,
// versions) once, was tried and measured: no faster than two whole `JSON.stringify` calls.
export function deriveRecord(record: SourceRecord): DerivedRecord {
  const stored = recordContent(record);
  if (record.kind !== 'paper') return { stored };
  const merged = mergeSolo(record);
  return { stored, keys: matchKeysOf(record), solo: { merged, view: JSON.stringify(merged) } };
}

export async function ingestRecord(
  tx: IngestTx,
  record: SourceRecord,
  derived?: DerivedRecord,
): Promise<IngestOutcome> {
  return record.kind === 'paper' ? ingestPaper(tx, record, derived) : ingestAuthor(tx, record, derived);
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

/** What is to be stored of a record, or undefined when the store has it already, unchanged. */
async function prepare<R extends SourceRecord>(tx: IngestTx, incoming: R, derived?: DerivedRecord) {
  let record = incoming;
  let stored = derived?.stored ?? recordContent(record);
  const existing = await tx.findSourceRecord(record.provenance.source, record.key);
  if (existing && existing.hash === stored.hash) return undefined;
  if (existing) {
    record = await overlay(tx, incoming);
    stored = recordContent(record);
    if (stored.hash === existing.hash) return undefined;
  }
  return { record, stored, existing };
}

async function ingestPaper(
  tx: IngestTx,
  incoming: PaperRecord,
  derived?: DerivedRecord,
): Promise<IngestOutcome> {
  const prepared = await prepare(tx, incoming, derived);
  if (!prepared) return 'unchanged';
  const { record, stored, existing } = prepared;
  // What was derived holds for the record as given, not for one overlaid on an earlier copy.
  const given = record === incoming ? derived : undefined;

  const keys = given?.keys ?? matchKeysOf(record);
  const found = existing?.paperId ?? (await findPaperFor(tx, record, keys));
  if (found === undefined || found === null) {
    // A paper no source has named before: its view is this record alone.
    const merged = given?.solo?.merged ?? mergeRecords([record]);
    const paperId = await tx.writePaper(undefined, merged, [keys], given?.solo?.view);
    await tx.saveSourceRecord(record, stored, { paperId });
    await linkAuthors(tx, paperId, merged, [record], true);
    return 'new';
  }
  await tx.saveSourceRecord(record, stored, { paperId: found });
  const records = await tx.paperRecords(found);
  const merged = mergeRecords(records);
  await tx.writePaper(found, merged, records.map(matchKeysOf));
  await linkAuthors(tx, found, merged, records);
  return existing ? 'updated' : 'merged';
}

/** Identifiers first, then the normalized title, then the opening of the abstract. */
async function findPaperFor(tx: IngestTx, record: PaperRecord, keys: MatchKeys): Promise<number | undefined> {
  for (const id of keys.ids) {
    // Several arXiv preprints can share the DOI of the one journal article they became:
    // different arXiv ids stay different papers.
    const arxiv = id.kind === 'arxiv' ? null : record.ids.arxiv || null;
    const found = await tx.firstJoinableByKey(id.kind, id.value, arxiv);
    if (found !== undefined) return found;
  }
  // Made only when a title or abstract names a candidate: in a bulk load of new papers, never
  // (folding every author's family name for it cost the writer 3 % of its time).
  let sketch: PaperSketch | undefined;
  for (const [kind, value] of [
    ['title', keys.title],
    ['abstract', keys.abstract],
  ] as const) {
    if (!value) continue;
    for (const candidate of await tx.findPapersByKey(kind, value)) {
      const other = await tx.paperSketch(candidate);
      sketch ??= sketchOf(record);
      if (other && sameTitleIsSamePaper(sketch, other)) return candidate;
    }
  }
  return undefined;
}

async function ingestAuthor(
  tx: IngestTx,
  incoming: AuthorRecord,
  derived?: DerivedRecord,
): Promise<IngestOutcome> {
  const prepared = await prepare(tx, incoming, derived);
  if (!prepared) return 'unchanged';
  const { record, stored, existing } = prepared;

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
  await tx.saveSourceRecord(record, stored, { authorId });
  return outcome;
}

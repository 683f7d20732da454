import { type MatchKeys, mergeSolo } from '../domain/merge.ts';
import type { CodeLink } from '../domain/paper.ts';
import type { PaperRecord, Provenance, SourceRecord } from '../domain/record.ts';
import type { DerivedRecord } from './ingest.ts';

/**
 * How a batch of parsed and derived records crosses from the import's worker thread to the
 * thread that writes. `postMessage` copies object graphs field by field on both sides (the
 * structured clone), which cost more than deriving them; strings cross as one copy of their
 * bytes. So a batch goes as strings: each record's stored content (its JSON, which the writer
 * stores anyway), the view JSON of the paper it makes alone, its plain-text abstract, and one
 * small JSON of what else was derived (provenance, fingerprint, match keys, code links). The
 * writer gets the record back with one `JSON.parse` of its content and assembles the paper from
 * the record and those parts (`mergeSolo`), without reading the text again.
 *
 * This holds for records whose content survives JSON, which is what the store keeps of them
 * (`recordContent`): the record comes back equal, with `kind` and `provenance` first as every
 * parser writes them.
 */

export interface PackedBatch {
  /** JSON: one `Head` per record. */
  heads: string;
  /** `DerivedRecord.stored.content` of each record. */
  contents: string[];
  /** `DerivedRecord.solo.view` of each record, null when nothing was derived for it alone. */
  views: (string | null)[];
  /** The plain-text abstract of the paper a record makes alone, null when it has none. */
  texts: (string | null)[];
}

interface Head {
  /** Provenance, which the stored content leaves out. */
  p: Provenance;
  /** Fingerprint of the content. */
  h: string;
  /** Match keys of a paper. */
  k?: MatchKeys;
  /** Code links of the paper it makes alone, when there are any. */
  l?: CodeLink[];
}

export function packBatch(records: readonly SourceRecord[], derived: readonly DerivedRecord[]): PackedBatch {
  const heads: Head[] = new Array(records.length);
  const contents: string[] = new Array(records.length);
  const views: (string | null)[] = new Array(records.length);
  const texts: (string | null)[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const d = derived[i]!;
    const head: Head = { p: records[i]!.provenance, h: d.stored.hash };
    if (d.keys) head.k = d.keys;
    const solo = d.solo?.merged;
    if (solo && solo.codeLinks.length > 0) head.l = solo.codeLinks;
    heads[i] = head;
    contents[i] = d.stored.content;
    views[i] = d.solo?.view ?? null;
    texts[i] = solo?.abstractText ?? null;
  }
  return { heads: JSON.stringify(heads), contents, views, texts };
}

export function unpackBatch(batch: PackedBatch): { records: SourceRecord[]; derived: DerivedRecord[] } {
  const heads = JSON.parse(batch.heads) as Head[];
  const records: SourceRecord[] = new Array(heads.length);
  const derived: DerivedRecord[] = new Array(heads.length);
  for (let i = 0; i < heads.length; i++) {
    const head = heads[i]!;
    const content = batch.contents[i]!;
    const rest = JSON.parse(content) as Omit<SourceRecord, 'provenance'>;
    // `kind` keeps its place at the front and `provenance` goes second, where parsers put it.
    const record = Object.assign({ kind: rest.kind, provenance: head.p }, rest) as SourceRecord;
    const d: DerivedRecord = { stored: { content, hash: head.h } };
    if (head.k) d.keys = head.k;
    const view = batch.views[i];
    if (view != null && record.kind === 'paper') {
      const text = batch.texts[i];
      const parts =
        text == null ? { codeLinks: head.l ?? [] } : { abstractText: text, codeLinks: head.l ?? [] };
      d.solo = { merged: mergeSolo(record as PaperRecord, parts), view };
    }
    records[i] = record;
    derived[i] = d;
  }
  return { records, derived };
}

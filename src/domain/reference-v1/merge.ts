// The code of src/domain/merge.ts as it was before the bulk import's fast paths (commit c7e7785): the
// oracle that fast-paths.test.ts compares the faster code with, output for output. Tests only.
import { createHash } from 'node:crypto';
import type { CodeLink, Paper, PaperField } from '../paper.ts';
import {
  PAPER_ID_KINDS,
  type PaperIds,
  type PaperRecord,
  type PersonName,
  type SourceName,
} from '../record.ts';
import { extractCodeLinks, normalizeCodeUrl } from './code-links.ts';
import { familyOf } from './names.ts';
import { abstractKey, titleKey, toPlainText } from './text.ts';

/**
 * Merging: many partial records of one paper → one paper, each field from the most
 * trustworthy source that has it, and the source of each field remembered.
 */

/** Which sources to believe first, field by field. Earlier wins. */
const TRUST: readonly SourceName[] = [
  'arxiv-api',
  'arxiv-oai',
  'arxiv-bulk',
  'ads',
  'semantic-scholar',
  'openalex',
  'csl-json',
  'bibtex',
  'ris',
  'huggingface',
  'page-ads-author',
  'page-hf-papers',
  'page-catalyzex',
  'page-arxiv-listing',
];
const rank = new Map(TRUST.map((s, i) => [s, i]));

function byTrust(records: readonly PaperRecord[]): PaperRecord[] {
  return [...records].sort(
    (a, b) => (rank.get(a.provenance.source) ?? 99) - (rank.get(b.provenance.source) ?? 99),
  );
}

/** Authors from pages are sometimes abbreviated: prefer the list that spells given names out. */
function authorListScore(authors: PersonName[]): number {
  let score = 0;
  for (const a of authors) score += (a.given ?? '').replace(/[^\p{L}]/gu, '').length > 2 ? 1 : 0;
  return score / Math.max(1, authors.length);
}

export type MergedPaper = Omit<Paper, 'id'>;

export function mergeRecords(records: readonly PaperRecord[]): MergedPaper {
  const ordered = byTrust(records);
  const via: Partial<Record<PaperField, SourceName>> = {};

  function pick<K extends keyof PaperRecord>(field: K, viaField?: PaperField): PaperRecord[K] | undefined {
    for (const r of ordered) {
      const v = r[field];
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v) && v.length === 0) continue;
      if (viaField) via[viaField] = r.provenance.source;
      return v;
    }
    return undefined;
  }

  const ids: PaperIds = {};
  for (const kind of PAPER_ID_KINDS) {
    for (const r of ordered) {
      const v = r.ids[kind];
      if (v) {
        ids[kind] = v;
        break;
      }
    }
  }

  const title = pick('title', 'title');
  const abstract = pick('abstract', 'abstract');

  let authorSource: PaperRecord | undefined;
  for (const r of ordered) {
    if (!r.authors || r.authors.length === 0) continue;
    if (!authorSource) authorSource = r;
    else if (authorListScore(r.authors) > authorListScore(authorSource.authors!) + 0.25) authorSource = r;
  }
  if (authorSource) via.authors = authorSource.provenance.source;

  const published = pick('published', 'published');
  let year = pick('year', 'year');
  if (year === undefined && published) {
    year = Number(published.slice(0, 4));
    via.year = via.published;
  }

  const categories: string[] = [];
  for (const r of ordered)
    for (const c of r.categories ?? []) if (!categories.includes(c)) categories.push(c);
  if (categories.length) via.categories = ordered.find((r) => r.categories?.length)?.provenance.source;

  const merged: MergedPaper = {
    ids,
    authors: (authorSource?.authors ?? []).map((name) => ({ name })),
    versions: pick('versions', 'versions') ?? [],
    categories,
    codeLinks: mergeCodeLinks(ordered),
    sources: records.map((r) => r.provenance),
    via,
  };
  if (title !== undefined) merged.title = title.replace(/\s+/g, ' ').trim();
  if (abstract !== undefined) {
    merged.abstract = abstract;
    merged.abstractText = toPlainText(abstract);
  }
  if (published !== undefined) merged.published = published;
  if (year !== undefined && Number.isFinite(year)) merged.year = year;
  assignIfSet(merged, 'updated', pick('updated'));
  assignIfSet(merged, 'venue', pick('venue', 'venue'));
  assignIfSet(merged, 'journalRef', pick('journalRef', 'journalRef'));
  assignIfSet(merged, 'comments', pick('comments', 'comments'));
  assignIfSet(merged, 'license', pick('license'));
  assignIfSet(merged, 'tldr', pick('tldr', 'tldr'));
  const upvotes = maxOf(ordered, 'upvotes');
  if (upvotes) {
    merged.upvotes = upvotes.value;
    via.upvotes = upvotes.source;
  }
  const cites = maxOf(ordered, 'citationCount');
  if (cites) {
    merged.citationCount = cites.value;
    via.citationCount = cites.source;
  }
  return merged;
}

function assignIfSet<K extends keyof MergedPaper>(
  target: MergedPaper,
  key: K,
  value: MergedPaper[K] | undefined,
) {
  if (value !== undefined) target[key] = value;
}

function maxOf(records: PaperRecord[], field: 'upvotes' | 'citationCount') {
  let best: { value: number; source: SourceName } | undefined;
  for (const r of records) {
    const v = r[field];
    if (typeof v === 'number' && (!best || v > best.value)) best = { value: v, source: r.provenance.source };
  }
  return best;
}

function mergeCodeLinks(records: PaperRecord[]): CodeLink[] {
  const byUrl = new Map<string, CodeLink>();
  const add = (
    link: Omit<CodeLink, 'foundIn'>,
    source: SourceName,
    field: CodeLink['foundIn'][number]['field'],
  ) => {
    const key = link.url.toLowerCase();
    const existing = byUrl.get(key);
    if (existing) {
      if (!existing.foundIn.some((f) => f.source === source && f.field === field)) {
        existing.foundIn.push({ source, field });
      }
      return;
    }
    byUrl.set(key, { ...link, foundIn: [{ source, field }] });
  };
  for (const r of records) {
    const source = r.provenance.source;
    for (const l of r.codeLinks ?? []) {
      const norm = normalizeCodeUrl(l.url);
      if (norm)
        add({ url: norm.url, kind: l.kind ?? norm.kind, status: 'ok', raw: l.url }, source, 'source-field');
    }
    if (r.abstract) for (const l of extractCodeLinks(r.abstract)) add(l, source, 'abstract');
    if (r.comments) for (const l of extractCodeLinks(r.comments)) add(l, source, 'comments');
  }
  return [...byUrl.values()];
}

/** The keys by which a record finds the paper it belongs to, strongest first. */
export interface MatchKeys {
  ids: { kind: string; value: string }[];
  title?: string;
  abstract?: string;
}

export function matchKeysOf(record: Pick<PaperRecord, 'ids' | 'title' | 'abstract'>): MatchKeys {
  const keys: MatchKeys = { ids: [] };
  for (const kind of PAPER_ID_KINDS) {
    const value = record.ids[kind];
    if (value) keys.ids.push({ kind, value: kind === 'doi' ? value.toLowerCase() : value });
  }
  if (record.title) {
    const t = titleKey(record.title);
    if (t.length >= 8) keys.title = t;
  }
  if (record.abstract) {
    // The opening words can be long: the key kept is their digest.
    const a = abstractKey(record.abstract);
    if (a) keys.abstract = createHash('sha1').update(a).digest('base64url').slice(0, 20);
  }
  return keys;
}

/** What is known of a candidate paper when deciding whether a title match is the same paper. */
export interface PaperSketch {
  ids: PaperIds;
  year?: number;
  authorFamilies: string[];
}

export function sketchOf(record: PaperRecord | MergedPaper): PaperSketch {
  const authors = 'kind' in record ? (record.authors ?? []) : record.authors.map((a) => a.name);
  const sketch: PaperSketch = { ids: record.ids, authorFamilies: authors.map((a) => familyOf(a)) };
  const year = record.year ?? (record.published ? Number(record.published.slice(0, 4)) : undefined);
  if (year !== undefined && Number.isFinite(year)) sketch.year = year;
  return sketch;
}

/**
 * Two records with the same title are one paper unless something says otherwise: different
 * arXiv ids, author lists with no family name in common, or years too far apart for a
 * preprint and its published version.
 */
export function sameTitleIsSamePaper(a: PaperSketch, b: PaperSketch): boolean {
  if (a.ids.arxiv && b.ids.arxiv && a.ids.arxiv !== b.ids.arxiv) return false;
  if (a.ids.s2 && b.ids.s2 && a.ids.s2 !== b.ids.s2) return false;
  if (a.year !== undefined && b.year !== undefined && Math.abs(a.year - b.year) > 2) return false;
  if (a.authorFamilies.length && b.authorFamilies.length) {
    const fa = new Set(a.authorFamilies);
    if (!b.authorFamilies.some((f) => fa.has(f))) return false;
  }
  return true;
}

/** The fingerprint as `recordContent` wrote it before (a Hash object for each record). */
export function sha1Reference(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

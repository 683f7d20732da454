import { namesCompatible } from '../../domain/names.ts';
import type { PersonName } from '../../domain/record.ts';

/**
 * "Possibly the same person": two merged authors whose every spelling could name the same
 * person, with the evidence that they are. Pure: the store gives the sketches.
 */

/** What is compared of a person. */
export interface PersonSketch {
  id: number;
  displayName: string;
  names: readonly PersonName[];
  paperCount: number;
  paperIds: ReadonlySet<number>;
  coauthors: ReadonlyMap<number, string>;
  categories: readonly string[];
  terms: readonly string[];
  years: readonly number[];
}

export interface Evidence {
  coauthors: { id: number; displayName: string }[];
  categories: string[];
  terms: string[];
  /** Years both published in. */
  years: number[];
  /** Both years spans, each first–last, when both are known. */
  spans?: { subject: [number, number]; other: [number, number] };
}

export interface Suggestion {
  id: number;
  displayName: string;
  names: string[];
  paperCount: number;
  score: number;
  evidence: Evidence;
  /** The evidence in one line, for people. */
  summary: string;
}

/**
 * Every spelling of one against every spelling of the other: `L. Xiao` and `Lechao Xiao` could
 * be one person; `Lechao Xiao` and `Lei Xiao` never, and neither could anyone known as both.
 */
export function couldBeSamePerson(a: readonly PersonName[], b: readonly PersonName[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  return a.every((x) => b.every((y) => namesCompatible(x, y)));
}

export function evidenceBetween(subject: PersonSketch, other: PersonSketch): Evidence {
  const coauthors = [...subject.coauthors]
    .filter(([id]) => other.coauthors.has(id) && id !== other.id && id !== subject.id)
    .map(([id, displayName]) => ({ id, displayName }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const otherCategories = new Set(other.categories);
  const otherTerms = new Set(other.terms);
  const otherYears = new Set(other.years);
  const evidence: Evidence = {
    coauthors,
    categories: subject.categories.filter((c) => otherCategories.has(c)),
    terms: subject.terms.filter((t) => otherTerms.has(t)),
    years: [...new Set(subject.years)].filter((y) => otherYears.has(y)).sort((a, b) => a - b),
  };
  const s = span(subject.years);
  const o = span(other.years);
  if (s && o) evidence.spans = { subject: s, other: o };
  return evidence;
}

function span(years: readonly number[]): [number, number] | undefined {
  if (years.length === 0) return undefined;
  return [Math.min(...years), Math.max(...years)];
}

/**
 * A co-author in common is the strongest sign (it is what the importer itself accepts for
 * initials); a shared field, shared distinctive words and overlapping careers add to it, each
 * with diminishing returns so that many weak signs do not outweigh one strong one.
 */
export function evidenceScore(e: Evidence): number {
  const spansOverlap =
    e.spans !== undefined && e.spans.subject[0] <= e.spans.other[1] && e.spans.other[0] <= e.spans.subject[1];
  return (
    3 * Math.min(e.coauthors.length, 5) +
    Math.min(e.categories.length, 3) +
    0.5 * Math.min(e.terms.length, 6) +
    (e.years.length > 0 ? 0.5 : spansOverlap ? 0.25 : 0)
  );
}

export function summarize(e: Evidence): string {
  const parts: string[] = [];
  if (e.coauthors.length) {
    const named = e.coauthors.slice(0, 5).map((c) => c.displayName);
    const more = e.coauthors.length > 5 ? ` and ${e.coauthors.length - 5} more` : '';
    parts.push(`co-authors in common: ${named.join(', ')}${more}`);
  }
  if (e.categories.length) parts.push(`both in ${e.categories.join(', ')}`);
  if (e.terms.length) parts.push(`both write about ${e.terms.slice(0, 6).join(', ')}`);
  if (e.years.length) parts.push(`both published in ${e.years.join(', ')}`);
  else if (e.spans) {
    const { subject: s, other: o } = e.spans;
    parts.push(`active ${formatSpan(s)} and ${formatSpan(o)}`);
  }
  return parts.length ? parts.join('; ') : 'compatible names, nothing else in common yet';
}

function formatSpan([a, b]: [number, number]): string {
  return a === b ? String(a) : `${a}–${b}`;
}

/**
 * A co-author in common alone is enough; otherwise two signs at least (a shared field and two
 * shared distinctive words, say). A shared year alone is not: most of a corpus shares one.
 */
export const MIN_SCORE = 2;

/**
 * The candidates that could be the subject, best evidence first. Never someone found not to
 * be the same, someone who wrote a paper with the subject (two people on one author list),
 * or someone with a spelling the subject's spellings rule out.
 */
export function rankSuggestions(
  subject: PersonSketch,
  candidates: readonly PersonSketch[],
  notSame: ReadonlySet<number>,
  limit = 10,
): Suggestion[] {
  const out: Suggestion[] = [];
  for (const c of candidates) {
    if (c.id === subject.id || notSame.has(c.id)) continue;
    if (!couldBeSamePerson(subject.names, c.names)) continue;
    if ([...c.paperIds].some((id) => subject.paperIds.has(id))) continue;
    const evidence = evidenceBetween(subject, c);
    const score = evidenceScore(evidence);
    // Compatible names alone are no evidence: `Y. Wang` could be any of hundreds of people.
    if (score < MIN_SCORE) continue;
    out.push({
      id: c.id,
      displayName: c.displayName,
      names: c.names.map((n) => n.display),
      paperCount: c.paperCount,
      score,
      evidence,
      summary: summarize(evidence),
    });
  }
  return out.sort((a, b) => b.score - a.score || b.paperCount - a.paperCount || a.id - b.id).slice(0, limit);
}

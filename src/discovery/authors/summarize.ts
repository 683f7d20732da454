import { initialKey } from '../../domain/names.ts';
import type { Paper } from '../../domain/paper.ts';
import type { AuthorProfile } from '../../store/port.ts';
import type { AuthorReader } from './author-data.ts';
import {
  type CategoryCount,
  type CoauthorNetwork,
  candidateTerms,
  coauthorNetwork,
  type DistinctiveTerm,
  distinctiveTerms as distinctiveTermsOf,
  rankCategories,
  type SortablePaper,
  type SourceCount,
  sortPapers,
  termUses,
} from './profile.ts';
import { type PersonSketch, rankSuggestions, type Suggestion } from './suggestions.ts';

/**
 * Everything an author page shows that is computed from the person's papers and their
 * co-authors' — the costly part at a million papers. The same code runs on a page's request
 * (small corpora, or a person not summarized yet) and in the background worker that keeps
 * `author_summaries`.
 */

/** Candidates looked at closely: the rest of a common initial key (`Y. Wang`) has no evidence to offer. */
export const MAX_CANDIDATES = 20;
/** A candidate's field and words are read from their latest papers: enough to compare, bounded in cost. */
export const SKETCH_PAPERS = 50;
const SKETCH_CACHE_SIZE = 2048;
/** People held in the co-author circles of recent candidates, all together. */
const MAX_CIRCLE_PEOPLE = 1_000_000;

/** The profile's distinctive terms are read from this many of the latest papers. */
export const TERM_PAPERS = 300;
/** Suggestions kept per person: the page shows ten, the API asks for up to fifty. */
export const SUGGESTIONS_KEPT = 50;
/** Papers kept in their default order (newest first) with a summary: the first pages of the list. */
export const NEWEST_KEPT = 100;

/**
 * The candidates worth a sketch: most co-authors shared with the subject first, then most
 * papers, then lowest id; at most MAX_CANDIDATES. Sorts `candidates` in place.
 */
export function closestCandidates(
  candidates: number[],
  shared: ReadonlyMap<number, number>,
  counts: ReadonlyMap<number, number>,
): number[] {
  return candidates
    .sort(
      (a, b) =>
        (shared.get(b) ?? 0) - (shared.get(a) ?? 0) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a - b,
    )
    .slice(0, MAX_CANDIDATES);
}

export interface AuthorSummary {
  profile: AuthorProfile;
  topCategories: CategoryCount[];
  topTerms: DistinctiveTerm[];
  /** Whether the distinctive terms were weighed with every document frequency known. */
  termsComplete: boolean;
  network: CoauthorNetwork;
  paperSources: SourceCount[];
  years: number[];
}

/** A summary as stored: with the suggestions, and what it was computed from. */
export interface StoredSummary extends AuthorSummary {
  suggestions: Suggestion[];
  /** The latest admin decision naming the person when it was computed. */
  decision: number;
  /** The first hundred of the person's papers, newest first: a first visit shows them without sorting all. */
  newest?: number[];
}

export class AuthorSummarizer {
  private readonly sketchCache = new Map<number, { version: string; sketch: PersonSketch }>();
  /** Everyone each recent candidate wrote with (see `sharedCoauthorCounts`). */
  private readonly circles = new Map<number, { version: string; people: Set<number> }>();
  private circleSizes = 0;

  /** `sketchCacheSize`: candidates kept in memory (a background pass keeps many: groups of a common initial key are large). */
  constructor(
    readonly reader: AuthorReader,
    private readonly sketchCacheSize = SKETCH_CACHE_SIZE,
  ) {}

  /** The person's papers as sorted on, and their summary (undefined when there is no such author). */
  summary(
    id: number,
    exactTerms = false,
  ):
    | { papers: SortablePaper[]; summary: AuthorSummary; texts: Pick<Paper, 'title' | 'abstractText'>[] }
    | undefined {
    const reader = this.reader;
    const papers = reader.sortable(id);
    const profile = reader.profile(id, papers);
    if (!profile) return undefined;
    // Words from the latest papers only: a thousand abstracts say no more than a few hundred.
    const texts = reader.texts(id, TERM_PAPERS);
    const uses = termUses(texts);
    const terms = candidateTerms(uses, texts.length);
    const { df, complete } = reader.documentFrequencies(terms, { exact: exactTerms });
    return {
      papers,
      texts,
      summary: {
        profile,
        topCategories: rankCategories(reader.categoryCounts(id)),
        topTerms: distinctiveTermsOf(uses, terms, df, reader.corpusSize()),
        termsComplete: complete,
        network: coauthorNetwork(reader.authorLists(id), id),
        paperSources: reader.sourceCounts(id),
        years: [...new Set(papers.flatMap((p) => (p.year === undefined ? [] : [p.year])))],
      },
    };
  }

  /** Other people who could be this one, with the evidence, best first. */
  suggestions(id: number, subject: PersonSketch, version: string): Suggestion[] {
    const reader = this.reader;
    const keys = [...new Set(subject.names.map(initialKey))];
    const people = reader.peopleByInitialKeys(keys, id);
    const notSame = reader.notSame(id);
    const candidates = [...people.keys()].filter((c) => !notSame.has(c));
    const shared = this.sharedCoauthorCounts(candidates, [...subject.coauthors.keys()], version);
    const closest = closestCandidates(candidates, shared, reader.paperCounts(candidates));
    return rankSuggestions(
      subject,
      closest.map((c) => this.candidateSketch(c, version)),
      notSame,
      SUGGESTIONS_KEPT,
    );
  }

  /**
   * For each candidate, how many of `coauthors` they wrote a paper with. Everyone a candidate
   * wrote with is read once and kept: people sharing an initial key are each other's
   * candidates, so one join per person replaces one join over all of them per person.
   */
  private sharedCoauthorCounts(
    candidates: readonly number[],
    coauthors: readonly number[],
    version: string,
  ): Map<number, number> {
    const shared = new Map<number, number>();
    if (coauthors.length === 0) return shared;
    for (const c of candidates) {
      let hit = this.circles.get(c);
      if (!hit || hit.version !== version) {
        hit = { version, people: this.reader.everyoneOnPapers(c) };
        this.circles.delete(c);
        this.circles.set(c, hit);
        this.circleSizes += hit.people.size;
        // Bounded by the people held, not the entries: a collaboration member's circle is large.
        for (const [id, old] of this.circles) {
          if (this.circleSizes <= MAX_CIRCLE_PEOPLE || id === c) break;
          this.circles.delete(id);
          this.circleSizes -= old.people.size;
        }
      }
      let n = 0;
      for (const y of coauthors) if (hit.people.has(y)) n++;
      if (n > 0) shared.set(c, n);
    }
    return shared;
  }

  /** The subject of suggestions, from their summary. */
  sketchOf(id: number, papers: readonly SortablePaper[], summary: AuthorSummary): PersonSketch {
    return {
      id,
      displayName: summary.profile.displayName,
      names: this.reader.names(id),
      paperCount: papers.length,
      paperIds: new Set(papers.map((p) => p.id)),
      coauthors: new Map(summary.profile.coauthors.map((a) => [a.id, a.displayName])),
      categories: summary.topCategories.map((x) => x.category),
      terms: summary.topTerms.map((t) => t.term),
      years: summary.years,
    };
  }

  /** Everything stored for a person, computed in one read transaction (a consistent snapshot). */
  stored(id: number): { seq: number; summary: StoredSummary } | undefined {
    return this.reader.db.transaction(() => {
      const seq = this.reader.authorSeq(id);
      const decision = this.reader.lastDecision(id);
      const computed = this.summary(id, true);
      if (!computed) return undefined;
      const version = `${this.reader.latestSeq()}:${this.reader.knowledgeVersion()}`;
      // As a candidate for the next people (those sharing an initial key come one after another
      // in a pass), this person is compared on what was just read: no second reading.
      const { papers, summary, texts } = computed;
      const subject = this.sketchOf(id, papers, summary);
      this.remember(id, version, { ...subject, ...this.sketchTerms(texts.slice(0, SKETCH_PAPERS)) });
      const suggestions = this.suggestions(id, subject, version);
      const newest = sortPapers(papers, 'date', 'desc')
        .slice(0, NEWEST_KEPT)
        .map((p) => p.id);
      return { seq, summary: { ...computed.summary, suggestions, decision, newest } };
    })();
  }

  /** The person's stored summary if it is current: no paper of theirs changed since, no decision named them. */
  currentStored(id: number): StoredSummary | undefined {
    const row = this.reader.storedSummary(id);
    if (!row || row.seq !== this.reader.authorSeq(id)) return undefined;
    const stored = JSON.parse(row.data) as StoredSummary;
    return stored.decision === this.reader.lastDecision(id) ? stored : undefined;
  }

  forgetSketches(): void {
    this.sketchCache.clear();
    this.circles.clear();
    this.circleSizes = 0;
  }

  /**
   * What a candidate is compared on, without computing their whole profile: their paper ids,
   * years and co-authors from SQL, their field and distinctive words from their latest papers.
   */
  private candidateSketch(id: number, version: string): PersonSketch {
    const hit = this.sketchCache.get(id);
    if (hit && hit.version === version) return hit.sketch;
    const reader = this.reader;
    const paperIds = reader.paperIds(id);
    // Co-authors, categories and years are those of the candidate's own profile: read from
    // their stored summary when it is current (the costly part for a collaboration member).
    const known = this.currentStored(id);
    return this.remember(id, version, {
      ...this.sketchTerms(reader.texts(id, SKETCH_PAPERS)),
      id,
      displayName: reader.displayName(id) ?? `author ${id}`,
      names: reader.names(id),
      paperCount: paperIds.size,
      paperIds,
      coauthors: known
        ? new Map(known.profile.coauthors.map((a) => [a.id, a.displayName]))
        : reader.coauthors(id),
      categories: (known?.topCategories ?? rankCategories(reader.categoryCounts(id))).map((c) => c.category),
      years: known?.years ?? reader.years(id),
    });
  }

  /** A candidate's distinctive words, from their latest papers. */
  private sketchTerms(latest: readonly Pick<Paper, 'title' | 'abstractText'>[]): { terms: string[] } {
    const uses = termUses(latest);
    const terms = candidateTerms(uses, latest.length);
    const { df } = this.reader.documentFrequencies(terms);
    return { terms: distinctiveTermsOf(uses, terms, df, this.reader.corpusSize()).map((t) => t.term) };
  }

  private remember(id: number, version: string, sketch: PersonSketch): PersonSketch {
    this.sketchCache.delete(id);
    this.sketchCache.set(id, { version, sketch });
    if (this.sketchCache.size > this.sketchCacheSize)
      this.sketchCache.delete(this.sketchCache.keys().next().value as number);
    return sketch;
  }
}

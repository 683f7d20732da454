import { initialKey } from '../../domain/names.ts';
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
const MAX_CANDIDATES = 20;
/** A candidate's field and words are read from their latest papers: enough to compare, bounded in cost. */
const SKETCH_PAPERS = 50;
const SKETCH_CACHE_SIZE = 2048;

/** The profile's distinctive terms are read from this many of the latest papers. */
const TERM_PAPERS = 300;
/** Suggestions kept per person: the page shows ten, the API asks for up to fifty. */
export const SUGGESTIONS_KEPT = 50;

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
}

export class AuthorSummarizer {
  private readonly sketchCache = new Map<number, { version: string; sketch: PersonSketch }>();

  constructor(readonly reader: AuthorReader) {}

  /** The person's papers as sorted on, and their summary (undefined when there is no such author). */
  summary(id: number, exactTerms = false): { papers: SortablePaper[]; summary: AuthorSummary } | undefined {
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
    const shared = reader.sharedCoauthorCounts(candidates, [...subject.coauthors.keys()]);
    const counts = reader.paperCounts(candidates);
    const closest = candidates
      .sort(
        (a, b) =>
          (shared.get(b) ?? 0) - (shared.get(a) ?? 0) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a - b,
      )
      .slice(0, MAX_CANDIDATES);
    return rankSuggestions(
      subject,
      closest.map((c) => this.candidateSketch(c, version)),
      notSame,
      SUGGESTIONS_KEPT,
    );
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
      const suggestions = this.suggestions(id, this.sketchOf(id, computed.papers, computed.summary), version);
      return { seq, summary: { ...computed.summary, suggestions, decision } };
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
  }

  /**
   * What a candidate is compared on, without computing their whole profile: their paper ids,
   * years and co-authors from SQL, their field and distinctive words from their latest papers.
   */
  private candidateSketch(id: number, version: string): PersonSketch {
    const hit = this.sketchCache.get(id);
    if (hit && hit.version === version) return hit.sketch;
    const reader = this.reader;
    const latest = reader.texts(id, SKETCH_PAPERS);
    const uses = termUses(latest);
    const terms = candidateTerms(uses, latest.length);
    const { df } = reader.documentFrequencies(terms);
    const paperIds = reader.paperIds(id);
    // Co-authors, categories and years are those of the candidate's own profile: read from
    // their stored summary when it is current (the costly part for a collaboration member).
    const known = this.currentStored(id);
    const sketch: PersonSketch = {
      id,
      displayName: reader.displayName(id) ?? `author ${id}`,
      names: reader.names(id),
      paperCount: paperIds.size,
      paperIds,
      coauthors: known
        ? new Map(known.profile.coauthors.map((a) => [a.id, a.displayName]))
        : reader.coauthors(id),
      categories: (known?.topCategories ?? rankCategories(reader.categoryCounts(id))).map((c) => c.category),
      terms: distinctiveTermsOf(uses, terms, df, reader.corpusSize()).map((t) => t.term),
      years: known?.years ?? reader.years(id),
    };
    this.sketchCache.delete(id);
    this.sketchCache.set(id, { version, sketch });
    if (this.sketchCache.size > SKETCH_CACHE_SIZE)
      this.sketchCache.delete(this.sketchCache.keys().next().value as number);
    return sketch;
  }
}

import { ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { initialKey, nameKey, personFromDisplay } from '../../domain/names.ts';
import type { Paper } from '../../domain/paper.ts';
import type { AuthorProfile } from '../../store/port.ts';
import type { Db } from '../../store/sqlite/database.ts';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { AuthorReader, type DecisionRow } from './author-data.ts';
import {
  type Actor,
  type MergeResult,
  mergeAuthors,
  type RejectResult,
  rejectSuggestion,
  type SplitResult,
  type SplitSelection,
  splitAuthor,
} from './decisions.ts';
import {
  type CategoryCount,
  type CoauthorNetwork,
  candidateTerms,
  coauthorNetwork,
  type DistinctiveTerm,
  distinctiveTerms,
  type PaperSort,
  rankCategories,
  type SortablePaper,
  type SortDirection,
  type SourceCount,
  sortPapers,
  termUses,
} from './profile.ts';
import { type PersonSketch, rankSuggestions, type Suggestion } from './suggestions.ts';
import type { TermFrequencyOptions } from './term-frequencies.ts';

export type { Actor } from './decisions.ts';

/** Someone allowed to decide who is who: the CLI (the machine's owner) or an admin account. */
export interface Decider extends Actor {
  isAdmin: boolean;
}

export interface AuthorServiceOptions {
  terms?: TermFrequencyOptions;
}

export interface PaperPageOptions {
  /** Weigh every term exactly on a first visit, however long a big corpus takes (the CLI can wait). */
  exactTerms?: boolean;
  sort?: PaperSort;
  direction?: SortDirection;
  limit?: number;
  offset?: number;
}

export interface AuthorView extends AuthorProfile {
  /** The id asked for, when it was merged into this author. */
  redirectedFrom?: number;
  topCategories: CategoryCount[];
  topTerms: DistinctiveTerm[];
  network: CoauthorNetwork;
  /** The sources this person's papers came from. */
  paperSources: SourceCount[];
  papers: Paper[];
  paperPage: { sort: PaperSort; direction: SortDirection; limit: number; offset: number; total: number };
  decisions: DecisionRow[];
}

interface Computed {
  version: string;
  /** When it was computed: a record updated in place changes no highest id, so entries also age out. */
  at: number;
  /** Whether the distinctive terms were weighed with every document frequency known. */
  termsComplete: boolean;
  termGeneration: number;
  profile: AuthorProfile;
  papers: SortablePaper[];
  sorted: Map<string, SortablePaper[]>;
  topCategories: CategoryCount[];
  topTerms: DistinctiveTerm[];
  network: CoauthorNetwork;
  paperSources: SourceCount[];
  years: number[];
  decisions: DecisionRow[];
}

const CACHE_SIZE = 256;
const MAX_AGE_MS = 5 * 60_000;
/** Candidates looked at closely: the rest of a common initial key (`Y. Wang`) has no evidence to offer. */
const MAX_CANDIDATES = 20;
/** A candidate's field and words are read from their latest papers: enough to compare, bounded in cost. */
const SKETCH_PAPERS = 50;
const SKETCH_CACHE_SIZE = 2048;
/** The profile's distinctive terms are read from this many of the latest papers. */
const TERM_PAPERS = 300;

/**
 * Author profiles, "possibly the same person" suggestions, and an admin's merge, split and
 * "not the same" decisions. Profiles are computed once per author and kept until the knowledge
 * base changes (or five minutes pass), so a busy author page costs a map look-up.
 */
export class AuthorService {
  private readonly reader: AuthorReader;
  private readonly cache = new Map<number, Computed>();
  private readonly suggestionCache = new Map<
    number,
    { version: string; at: number; suggestions: Suggestion[] }
  >();
  private readonly sketchCache = new Map<number, { version: string; at: number; sketch: PersonSketch }>();

  constructor(
    private readonly store: SqliteStore,
    private readonly now: () => Date = () => new Date(),
    options: AuthorServiceOptions = {},
  ) {
    this.reader = new AuthorReader(store, options.terms);
  }

  /** Resolves when the corpus's common terms are counted: first visits then need no time budget. */
  warmUp(): Promise<void> {
    return this.reader.termsReady();
  }

  /** An author by id (following merges) or by any spelling of a name. */
  async find(ref: string | number): Promise<{ id: number; redirectedFrom?: number }> {
    const text = String(ref).trim();
    if (/^\d+$/.test(text)) {
      const asked = Number(text);
      const id = this.reader.current(asked);
      if (id === undefined) throw new NotFoundError(`No author ${asked}.`);
      return id === asked ? { id } : { id, redirectedFrom: asked };
    }
    const exact = this.reader.byNameKey(nameKey(personFromDisplay(text)));
    if (exact !== undefined) return { id: exact };
    const found = (await this.store.findAuthors(text))[0];
    if (!found) throw new NotFoundError(`No author "${text}".`);
    return { id: found.id };
  }

  async profile(ref: string | number, options: PaperPageOptions = {}): Promise<AuthorView> {
    const { id, redirectedFrom } = await this.find(ref);
    const computed = this.computed(id, options.exactTerms === true);
    const sort = options.sort ?? 'date';
    const direction = options.direction ?? (sort === 'title' ? 'asc' : 'desc');
    const limit = Math.max(1, Math.min(options.limit ?? 50, 100_000));
    const offset = Math.max(0, options.offset ?? 0);
    const key = `${sort}:${direction}`;
    let sorted = computed.sorted.get(key);
    if (!sorted) {
      sorted = sortPapers(computed.papers, sort, direction);
      computed.sorted.set(key, sorted);
    }
    const shown = this.reader.papersById(sorted.slice(offset, offset + limit).map((p) => p.id));
    return {
      ...computed.profile,
      ...(redirectedFrom === undefined ? {} : { redirectedFrom }),
      topCategories: computed.topCategories,
      topTerms: computed.topTerms,
      network: computed.network,
      paperSources: computed.paperSources,
      papers: shown,
      paperPage: { sort, direction, limit, offset, total: sorted.length },
      decisions: computed.decisions,
    };
  }

  /** Other people who could be this one, with the evidence, best first. */
  async suggestions(ref: string | number, limit = 10): Promise<Suggestion[]> {
    const { id } = await this.find(ref);
    const version = this.reader.knowledgeVersion();
    const cached = this.suggestionCache.get(id);
    if (cached && this.fresh(cached, version)) return cached.suggestions.slice(0, limit);
    const subject = this.sketch(id);
    const keys = [...new Set(subject.names.map(initialKey))];
    const people = this.reader.peopleByInitialKeys(keys, id);
    const notSame = this.reader.notSame(id);
    const candidates = [...people.keys()].filter((c) => !notSame.has(c));
    const shared = this.reader.sharedCoauthorCounts(candidates, [...subject.coauthors.keys()]);
    const counts = this.reader.paperCounts(candidates);
    const closest = candidates
      .sort(
        (a, b) =>
          (shared.get(b) ?? 0) - (shared.get(a) ?? 0) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a - b,
      )
      .slice(0, MAX_CANDIDATES);
    const suggestions = rankSuggestions(
      subject,
      closest.map((c) => this.candidateSketch(c, version)),
      notSame,
      50,
    );
    remember(this.suggestionCache, id, { version, at: Date.now(), suggestions });
    return suggestions.slice(0, limit);
  }

  async merge(ref: string | number, otherRef: string | number, by: Decider): Promise<MergeResult> {
    allowed(by);
    const { id } = await this.find(ref);
    const { id: other } = await this.find(otherRef);
    if (id === other) throw new InvalidInputError(`Author ${other} is already part of author ${id}.`);
    return this.decide((db) => mergeAuthors(db, id, other, by, this.now().toISOString()));
  }

  async split(ref: string | number, selection: SplitSelection, by: Decider): Promise<SplitResult> {
    allowed(by);
    const { id } = await this.find(ref);
    return this.decide((db) => splitAuthor(db, id, selection, by, this.now().toISOString()));
  }

  async reject(ref: string | number, otherRef: string | number, by: Decider): Promise<RejectResult> {
    allowed(by);
    const { id } = await this.find(ref);
    const { id: other } = await this.find(otherRef);
    return this.decide((db) => rejectSuggestion(db, id, other, by, this.now().toISOString()));
  }

  private async decide<T>(fn: (db: Db) => T): Promise<T> {
    const result = await this.store.write(fn);
    this.store.forgetKnownAuthorNames();
    this.cache.clear();
    this.suggestionCache.clear();
    this.sketchCache.clear();
    return result;
  }

  private computed(id: number, exact = false): Computed {
    const version = this.reader.knowledgeVersion();
    const hit = this.cache.get(id);
    if (
      hit &&
      this.fresh(hit, version) &&
      (hit.termsComplete || hit.termGeneration === this.reader.termGeneration)
    ) {
      return hit;
    }
    const profile = this.store.getAuthor(id);
    if (!profile) throw new NotFoundError(`No author ${id}.`);
    // Words from the latest papers only: a thousand abstracts say no more than a few hundred.
    const texts = this.reader.texts(id, TERM_PAPERS);
    const uses = termUses(texts);
    const terms = candidateTerms(uses, texts.length);
    const termGeneration = this.reader.termGeneration;
    const { df, complete } = this.reader.documentFrequencies(terms, { exact });
    const computed: Computed = {
      version,
      at: Date.now(),
      termsComplete: complete,
      termGeneration,
      profile,
      papers: this.reader.sortable(id),
      sorted: new Map(),
      topCategories: rankCategories(this.reader.categoryCounts(id)),
      topTerms: distinctiveTerms(uses, terms, df, this.reader.corpusSize()),
      network: coauthorNetwork(this.reader.authorLists(id), id),
      paperSources: this.reader.sourceCounts(id),
      years: this.reader.years(id),
      decisions: this.reader.decisions(id),
    };
    remember(this.cache, id, computed);
    return computed;
  }

  /**
   * What a candidate is compared on, without computing their whole profile: their paper ids,
   * years and co-authors from SQL, their field and distinctive words from their latest papers.
   */
  private candidateSketch(id: number, version: string): PersonSketch {
    const hit = this.sketchCache.get(id);
    if (hit && this.fresh(hit, version)) return hit.sketch;
    const latest = this.reader.texts(id, SKETCH_PAPERS);
    const uses = termUses(latest);
    const terms = candidateTerms(uses, latest.length);
    const { df } = this.reader.documentFrequencies(terms);
    const paperIds = this.reader.paperIds(id);
    const sketch: PersonSketch = {
      id,
      displayName: this.reader.displayName(id) ?? `author ${id}`,
      names: this.reader.names(id),
      paperCount: paperIds.size,
      paperIds,
      coauthors: this.reader.coauthors(id),
      categories: rankCategories(this.reader.categoryCounts(id)).map((c) => c.category),
      terms: distinctiveTerms(uses, terms, df, this.reader.corpusSize()).map((t) => t.term),
      years: this.reader.years(id),
    };
    remember(this.sketchCache, id, { version, at: Date.now(), sketch }, SKETCH_CACHE_SIZE);
    return sketch;
  }

  private fresh(entry: { version: string; at: number }, version: string): boolean {
    return entry.version === version && Date.now() - entry.at < MAX_AGE_MS;
  }

  private sketch(id: number): PersonSketch {
    const c = this.computed(id);
    return {
      id,
      displayName: c.profile.displayName,
      names: this.reader.names(id),
      paperCount: c.papers.length,
      paperIds: new Set(c.papers.map((p) => p.id)),
      coauthors: new Map(c.profile.coauthors.map((a) => [a.id, a.displayName])),
      categories: c.topCategories.map((x) => x.category),
      terms: c.topTerms.map((t) => t.term),
      years: c.years,
    };
  }
}

function allowed(by: Decider): void {
  if (!by.isAdmin) throw new ForbiddenError('Only an admin can merge, split or separate authors.');
}

function remember<V>(cache: Map<number, V>, key: number, value: V, size = CACHE_SIZE): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > size) cache.delete(cache.keys().next().value as number);
}

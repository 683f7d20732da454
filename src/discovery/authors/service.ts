import { ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { ListedPaper } from '../../domain/listed-paper.ts';
import { nameKey, personFromDisplay } from '../../domain/names.ts';
import type { Paper } from '../../domain/paper.ts';
import type { AuthorProfile } from '../../store/port.ts';
import type { Db } from '../../store/sqlite/database.ts';
import { listedPapers } from '../../store/sqlite/listed-papers.ts';
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
  type DistinctiveTerm,
  type PaperSort,
  type SortablePaper,
  type SortDirection,
  type SourceCount,
  sortPapers,
} from './profile.ts';
import type { Suggestion } from './suggestions.ts';
import { AuthorSummarizer, type AuthorSummary } from './summarize.ts';
import { AuthorSummaryJob, type SummaryJobProgress } from './summary-job.ts';
import type { TermFrequencyOptions } from './term-frequencies.ts';

export type { Actor } from './decisions.ts';

/** Someone allowed to decide who is who: the CLI (the machine's owner) or an admin account. */
export interface Decider extends Actor {
  isAdmin: boolean;
}

export interface AuthorServiceOptions {
  terms?: TermFrequencyOptions;
  /**
   * From this many papers on, profiles are summarized in the background and stored
   * (`author_summaries`), and a page whose person has no current summary yet answers at once,
   * with the suggestions still being looked for. Below it everything is computed on the
   * request, as it takes milliseconds. Default 20,000.
   */
  summariesFrom?: number;
  /** How often the background job looks for changed papers. Default 5 s. */
  summaryPollMs?: number;
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

/** A profile whose page of papers is list rows (the author page), not whole papers (the API). */
export interface AuthorListing extends Omit<AuthorView, 'papers'> {
  papers: ListedPaper[];
}

interface Computed extends AuthorSummary {
  version: string;
  /** When it was computed: a record updated in place changes no highest id, so entries also age out. */
  at: number;
  termGeneration: number;
  /** Every paper of the person as sorted on: read when a list is asked for in another order or further on. */
  papers?: SortablePaper[];
  /** From a stored summary: the first papers, newest first (the list as a first visit shows it). */
  newest?: number[];
  sorted: Map<string, SortablePaper[]>;
  decisions: DecisionRow[];
  /** Undefined while they are being looked for in the background. */
  suggestions?: Suggestion[];
}

const CACHE_SIZE = 256;
/** Papers and their names held for pages of paper lists, all together (a few tens of MB). */
const MAX_PAGE_NAMES = 300_000;
const MAX_AGE_MS = 5 * 60_000;

/**
 * Author profiles, "possibly the same person" suggestions, and an admin's merge, split and
 * "not the same" decisions. Profiles are computed once per author and kept until the knowledge
 * base changes (or five minutes pass), so a busy author page costs a map look-up. On a large
 * knowledge base they are also computed ahead, in a worker thread, and stored: a first visit
 * then reads one row instead of joining over every co-author's papers.
 */
export class AuthorService {
  private readonly reader: AuthorReader;
  private readonly summarizer: AuthorSummarizer;
  private readonly cache = new Map<number, Computed>();
  private readonly pageCache = new Map<string, { version: string; papers: Paper[]; weight: number }>();
  private pageWeight = 0;
  private readonly job: AuthorSummaryJob;
  private readonly summariesFrom: number;

  constructor(
    private readonly store: SqliteStore,
    private readonly now: () => Date = () => new Date(),
    options: AuthorServiceOptions = {},
  ) {
    this.reader = new AuthorReader(store.readDb, store.file, options.terms);
    this.summarizer = new AuthorSummarizer(this.reader);
    this.summariesFrom = options.summariesFrom ?? 20_000;
    this.job = new AuthorSummaryJob(store, {
      ...(options.terms ? { terms: options.terms } : {}),
      ...(options.summaryPollMs !== undefined ? { pollMs: options.summaryPollMs } : {}),
    });
    // A summary written in the background replaces a profile computed on a page's request
    // without its suggestions.
    this.job.onWritten((ids) => {
      for (const id of ids) if (this.cache.get(id)?.suggestions === undefined) this.cache.delete(id);
    });
  }

  /** Resolves when the corpus's common terms are counted: first visits then need no time budget. */
  warmUp(): Promise<void> {
    return this.reader.termsReady();
  }

  /** Whether profiles are summarized in the background (a large knowledge base). */
  get summarizing(): boolean {
    return this.store.file !== ':memory:' && this.reader.corpusSize() >= this.summariesFrom;
  }

  /**
   * Start the background summaries when the knowledge base is large enough to need them (a
   * server calls this at start). Returns whether they run.
   */
  startSummaries(): boolean {
    if (!this.summarizing) return false;
    this.job.start();
    return true;
  }

  /** Where the background summaries are: authors done of the pass over everyone, and what phase. */
  get summaryProgress(): SummaryJobProgress {
    return this.job.progress;
  }

  /** Resolves when every author is summarized (benchmarks wait for it, as for an index build). */
  summariesReady(): Promise<void> {
    return this.job.idle();
  }

  /**
   * Summarize these authors before anyone else and resolve when their summaries are stored
   * (a benchmark summarizes the authors it will ask for, as a finished pass would have).
   */
  async summarize(ids: readonly number[]): Promise<void> {
    if (!this.job.running) throw new Error('The background summaries are not running (startSummaries).');
    const left = new Set(ids);
    if (left.size === 0) return;
    const alive = setInterval(() => undefined, 1000);
    try {
      await new Promise<void>((resolve) => {
        const stop = this.job.onWritten((written) => {
          for (const id of written) left.delete(id);
          if (left.size === 0) {
            stop();
            resolve();
          }
        });
        this.job.prioritize([...left]);
      });
    } finally {
      clearInterval(alive);
    }
  }

  async close(): Promise<void> {
    await this.job.stop();
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
    const { view, id, version, page, shownIds } = await this.paperPage(ref, options);
    return { ...view, papers: this.shownPapers(id, version, page, shownIds) };
  }

  /**
   * The profile with its page of papers as list rows (title, year, the first authors) read from
   * columns, not whole papers: what the author page shows. A collaboration member's papers carry
   * hundreds of names each, and reading them whole was most of a page.
   */
  async listing(ref: string | number, options: PaperPageOptions = {}): Promise<AuthorListing> {
    const { view, shownIds } = await this.paperPage(ref, options);
    return { ...view, papers: listedPapers(this.store.readDb).papersById(shownIds()) };
  }

  /**
   * The profile and the ids of its page of papers, the papers not read: a page worker reads them
   * as list rows on its own connection while this thread answers the next request.
   */
  async listingIds(
    ref: string | number,
    options: PaperPageOptions = {},
  ): Promise<{ view: Omit<AuthorView, 'papers'>; paperIds: number[] }> {
    const { view, shownIds } = await this.paperPage(ref, options);
    return { view, paperIds: shownIds() };
  }

  /** Everything of a profile but its papers, and how to find the ids of the page of papers asked for. */
  private async paperPage(
    ref: string | number,
    options: PaperPageOptions,
  ): Promise<{
    view: Omit<AuthorView, 'papers'>;
    id: number;
    version: string;
    page: string;
    shownIds: () => number[];
  }> {
    const { id, redirectedFrom } = await this.find(ref);
    const computed = this.computed(id, options.exactTerms === true);
    const sort = options.sort ?? 'date';
    const direction = options.direction ?? (sort === 'title' ? 'asc' : 'desc');
    const limit = Math.max(1, Math.min(options.limit ?? 50, 100_000));
    const offset = Math.max(0, options.offset ?? 0);
    const key = `${sort}:${direction}`;
    const total = computed.profile.paperCount;
    const newest = computed.newest;
    // The default list from the stored summary, when it holds the page: no reading of every paper.
    const fromNewest =
      key === 'date:desc' &&
      !computed.sorted.has(key) &&
      newest !== undefined &&
      (offset + limit <= newest.length || newest.length === total);
    const shownIds = () => {
      if (fromNewest) return newest.slice(offset, offset + limit);
      let sorted = computed.sorted.get(key);
      if (!sorted) {
        sorted = sortPapers(this.papersOf(id, computed), sort, direction);
        computed.sorted.set(key, sorted);
      }
      return sorted.slice(offset, offset + limit).map((p) => p.id);
    };
    return {
      view: {
        ...computed.profile,
        ...(redirectedFrom === undefined ? {} : { redirectedFrom }),
        topCategories: computed.topCategories,
        topTerms: computed.topTerms,
        network: computed.network,
        paperSources: computed.paperSources,
        paperPage: { sort, direction, limit, offset, total },
        decisions: computed.decisions,
      },
      id,
      version: `${computed.version}@${computed.at}`,
      page: `${key}:${offset}:${limit}`,
      shownIds,
    };
  }

  /** Other people who could be this one, with the evidence, best first (computed now if need be). */
  async suggestions(ref: string | number, limit = 10): Promise<Suggestion[]> {
    const { id } = await this.find(ref);
    const computed = this.computed(id);
    if (!computed.suggestions) {
      const subject = this.summarizer.sketchOf(id, this.papersOf(id, computed), computed);
      computed.suggestions = this.summarizer.suggestions(id, subject, computed.version);
    }
    return computed.suggestions.slice(0, limit);
  }

  /**
   * The suggestions if they are known, undefined while the background job looks for them (a
   * large knowledge base, a person not summarized yet): a page shows that instead of waiting.
   */
  async suggestionsIfReady(ref: string | number, limit = 10): Promise<Suggestion[] | undefined> {
    const { id } = await this.find(ref);
    const computed = this.computed(id);
    if (!computed.suggestions && this.job.running) return undefined;
    return this.suggestions(id, limit);
  }

  async merge(ref: string | number, otherRef: string | number, by: Decider): Promise<MergeResult> {
    allowed(by);
    const { id } = await this.find(ref);
    const { id: other } = await this.find(otherRef);
    if (id === other) throw new InvalidInputError(`Author ${other} is already part of author ${id}.`);
    return this.decide(
      (db) => mergeAuthors(db, id, other, by, this.now().toISOString()),
      (r) => [r.kept],
    );
  }

  async split(ref: string | number, selection: SplitSelection, by: Decider): Promise<SplitResult> {
    allowed(by);
    const { id } = await this.find(ref);
    return this.decide(
      (db) => splitAuthor(db, id, selection, by, this.now().toISOString()),
      (r) => [r.from, r.created],
    );
  }

  async reject(ref: string | number, otherRef: string | number, by: Decider): Promise<RejectResult> {
    allowed(by);
    const { id } = await this.find(ref);
    const { id: other } = await this.find(otherRef);
    return this.decide(
      (db) => rejectSuggestion(db, id, other, by, this.now().toISOString()),
      () => [],
    );
  }

  /**
   * A decision takes effect at once: every cache is emptied, and the stored summaries of the
   * people it names are stale from then on (each records the latest decision it saw). A merge
   * or split also moves papers between people: the stored summaries of everyone on those papers
   * (their co-authors now have another id) are dropped in the same transaction and summarized
   * again first.
   */
  private async decide<T>(fn: (db: Db) => T, movedPapersOf: (result: T) => number[]): Promise<T> {
    const { result, dropped } = await this.store.write((db) => {
      const result = fn(db);
      const people = movedPapersOf(result);
      const dropped =
        people.length === 0
          ? []
          : (db
              .prepare(
                `DELETE FROM author_summaries WHERE author_id IN (
                   SELECT b.author_id FROM paper_authors x JOIN paper_authors b ON b.paper_id = x.paper_id
                   WHERE x.author_id IN (SELECT value FROM json_each(?)))
                 RETURNING author_id`,
              )
              .pluck()
              .all(JSON.stringify(people)) as number[]);
      return { result, dropped };
    });
    this.job.prioritize(dropped);
    this.store.forgetKnownAuthorNames();
    this.cache.clear();
    this.pageCache.clear();
    this.pageWeight = 0;
    this.summarizer.forgetSketches();
    return result;
  }

  /**
   * The papers of a page of the list, kept while the knowledge base is unchanged: a member of a
   * large collaboration has hundreds of names on each paper, and reading twenty-five such papers
   * again was most of a repeat visit. Bounded by the names held, not the pages.
   */
  private shownPapers(id: number, version: string, page: string, ids: () => number[]): Paper[] {
    const key = `${id}:${page}`;
    const hit = this.pageCache.get(key);
    if (hit && hit.version === version) {
      this.pageCache.delete(key);
      this.pageCache.set(key, hit);
      return hit.papers;
    }
    const papers = this.papersById(ids());
    const weight = papers.reduce((n, p) => n + 1 + p.authors.length, 0);
    if (hit) this.pageWeight -= hit.weight;
    this.pageCache.delete(key);
    this.pageCache.set(key, { version, papers, weight });
    this.pageWeight += weight;
    for (const [k, old] of this.pageCache) {
      if (this.pageWeight <= MAX_PAGE_NAMES || k === key) break;
      this.pageCache.delete(k);
      this.pageWeight -= old.weight;
    }
    return papers;
  }

  private papersById(ids: readonly number[]): Paper[] {
    return ids.flatMap((id) => {
      const paper = this.store.getPaper(id);
      return paper ? [paper] : [];
    });
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
    const computed =
      (this.summarizing ? this.fromStore(id, version) : undefined) ?? this.compute(id, version, exact);
    remember(this.cache, id, computed);
    return computed;
  }

  private papersOf(id: number, computed: Computed): SortablePaper[] {
    computed.papers ??= this.reader.sortable(id);
    return computed.papers;
  }

  /** The person's stored summary, when it is current: no paper of theirs changed since, no decision named them. */
  private fromStore(id: number, version: string): Computed | undefined {
    const stored = this.summarizer.currentStored(id);
    if (!stored) return undefined;
    const { suggestions, decision: _decision, ...summary } = stored;
    return {
      ...summary,
      version,
      at: Date.now(),
      termGeneration: this.reader.termGeneration,
      sorted: new Map(),
      decisions: this.reader.decisions(id),
      suggestions,
    };
  }

  /** Computed now, on the request; the background job is asked for the rest (the suggestions). */
  private compute(id: number, version: string, exact: boolean): Computed {
    const made = this.summarizer.summary(id, exact);
    if (!made) throw new NotFoundError(`No author ${id}.`);
    this.job.prioritize([id]);
    return {
      ...made.summary,
      version,
      at: Date.now(),
      termGeneration: this.reader.termGeneration,
      papers: made.papers,
      sorted: new Map(),
      decisions: this.reader.decisions(id),
    };
  }

  private fresh(entry: { version: string; at: number }, version: string): boolean {
    return entry.version === version && Date.now() - entry.at < MAX_AGE_MS;
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

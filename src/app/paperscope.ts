import { join } from 'node:path';
import type { Config } from '../config.ts';
import { DigestService } from '../digest/digest.service.ts';
import { AuthorService } from '../discovery/authors/service.ts';
import { Recommender } from '../discovery/recommend/recommender.ts';
import { storeCorpus } from '../discovery/recommend/store-corpus.ts';
import { loadOnnxEncoder } from '../discovery/similar/onnx-encoder.ts';
import { SimilarityService } from '../discovery/similar/service.ts';
import { TrendingService } from '../discovery/trending/service.ts';
import { FeedService } from '../feeds/feed.service.ts';
import { FollowService } from '../follows/follow.service.ts';
import type { SearchEngine } from '../search/engine/search.ts';
import {
  SearchWhileIndexing,
  type ServedSearch,
  serveSearch,
} from '../search/index/search-while-indexing.ts';
import { StoreSearch } from '../search/index/store-search.ts';
import { AccountService } from '../services/accounts.service.ts';
import { ImportService } from '../services/import.service.ts';
import { ImportJobs } from '../services/import-jobs.ts';
import { LibraryService } from '../services/library.service.ts';
import { PaperViewLog } from '../services/paper-views.ts';
import { defaultRegistry } from '../sources/registry.ts';
import type { Db } from '../store/sqlite/database.ts';
import { openDatabase } from '../store/sqlite/database.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { SyncService } from '../sync/sync.service.ts';

/**
 * The library API: one object that holds the knowledge base and the services built on it.
 * The CLI, the web server and the digests all go through it, so each feature is written once.
 * Services are created lazily: a CLI command pays only for what it uses.
 */
export class Paperscope {
  readonly config: Config;
  readonly store: SqliteStore;
  /** The clock every service reads (tests pass a fixed one). */
  readonly now: () => Date;
  private searchDb: Db | undefined;
  private searchEngine: ServedSearch | undefined;
  private authorService: AuthorService | undefined;
  private similarityService: SimilarityService | undefined;
  private trendingService: TrendingService | undefined;
  private recommendations: Recommender | undefined;
  private viewLog: PaperViewLog | undefined;
  private importJobList: ImportJobs | undefined;
  private accountService: AccountService | undefined;
  private libraryService: LibraryService | undefined;
  private followService: FollowService | undefined;
  private digestService: DigestService | undefined;
  private syncService: SyncService | undefined;
  private feedService: FeedService | undefined;

  private constructor(config: Config, store: SqliteStore, now: () => Date) {
    this.config = config;
    this.store = store;
    this.now = now;
  }

  static open(config: Config, options: { now?: () => Date } = {}): Paperscope {
    return new Paperscope(config, SqliteStore.inDataDir(config.dataDir), options.now ?? (() => new Date()));
  }

  /** Author profiles, "possibly the same person" suggestions, and an admin's merges and splits. */
  get authors(): AuthorService {
    this.authorService ??= new AuthorService(this.store, this.now);
    return this.authorService;
  }

  /**
   * Search over the knowledge base, from the search index saved in the data folder
   * (`search-index.bin`; built from the store on first use), which catches up on changed
   * papers before each search. Its own read connection: a long query never blocks a page.
   */
  get search(): SearchEngine {
    if (!this.searchEngine) {
      this.searchDb = openDatabase(this.store.file, { readonly: true });
      this.searchEngine = StoreSearch.forStore(this.searchDb, this.store.file);
    }
    return this.searchEngine;
  }

  /**
   * For a server: search ready without holding up the start. A large store whose index is
   * missing or far behind (an import run with --no-index, a data folder from before) has it brought up to date on a
   * worker thread while searches answer "not yet" (503) and every other page is served;
   * otherwise the index is read now, as `search` does.
   */
  serveSearch(log?: (line: string) => void): ServedSearch {
    if (!this.searchEngine) {
      this.searchDb = openDatabase(this.store.file, { readonly: true });
      this.searchEngine = serveSearch(this.searchDb, this.store.file, log ? { log } : {});
    }
    return this.searchEngine;
  }

  /**
   * Similar papers: the index saved in the data folder (`similar/`), built on first use when
   * there is none, then kept up to date as papers arrive or change.
   */
  get similarity(): SimilarityService {
    const model = this.config.embeddingModel;
    const vocabFile = this.config.embeddingVocab;
    this.similarityService ??= new SimilarityService(this.store, {
      dir: join(this.config.dataDir, 'similar'),
      encoder: model ? () => loadOnnxEncoder(model, { vocabFile }) : undefined,
    });
    return this.similarityService;
  }

  /** New papers by category and day, and trending papers with the parts of their scores. */
  get trending(): TrendingService {
    this.trendingService ??= new TrendingService(this.store, this.now);
    return this.trendingService;
  }

  /** Papers for someone who liked (and disliked) some: candidates from the similarity index, a per-request model. */
  get recommender(): Recommender {
    this.recommendations ??= new Recommender(storeCorpus(this.store, this.similarity));
    return this.recommendations;
  }

  /** People, sessions, API tokens, sign-in limits and instance settings. */
  get accounts(): AccountService {
    this.accountService ??= new AccountService(this.store, {
      now: this.now,
      ...(this.config.registration ? { registration: this.config.registration } : {}),
    });
    return this.accountService;
  }

  /** Each person's saved papers, tags and notes. */
  get library(): LibraryService {
    this.libraryService ??= new LibraryService(this.store, { now: this.now });
    return this.libraryService;
  }

  /** Page views, written in batches (a trending signal). */
  get views(): PaperViewLog {
    this.viewLog ??= new PaperViewLog(this.store, this.now);
    return this.viewLog;
  }

  /** Imports started from the web, run in the background with their progress. */
  get importJobs(): ImportJobs {
    this.importJobList ??= new ImportJobs(
      new ImportService(this.store, defaultRegistry, this.now),
      this.config,
      { formats: defaultRegistry, readDb: this.store.readDb },
      this.now,
    );
    return this.importJobList;
  }

  /** What people follow: authors, saved searches, categories, library tags. */
  get follows(): FollowService {
    this.followService ??= new FollowService(this.store, this.now);
    return this.followService;
  }

  /** Daily digests: settings, composing into the outbox, sending, previews, unsubscribe. */
  get digests(): DigestService {
    this.digestService ??= new DigestService(this.store, {
      dataDir: this.config.dataDir,
      baseUrl: this.config.baseUrl,
      mailFrom: this.config.mailFrom,
      now: this.now,
      neighbours: async (paperId, k) => this.similarity.neighbours(paperId, k),
      trending: async () =>
        (await this.trending.trending({ days: 3, limit: 20 })).papers.map((t) => ({
          paperId: t.paper.id,
          reason: t.reason,
        })),
    });
    return this.digestService;
  }

  /** The live sync from arXiv, Hugging Face and Semantic Scholar, and its state. */
  get sync(): SyncService {
    this.syncService ??= new SyncService(this.store, this.config, { now: this.now });
    return this.syncService;
  }

  /** RSS and Atom: searches, authors, categories, someone's recommendations. */
  get feeds(): FeedService {
    this.feedService ??= new FeedService(this.store, {
      baseUrl: this.config.baseUrl,
      search: () => this.search,
      digests: () => this.digests,
      now: this.now,
    });
    return this.feedService;
  }

  close(): void {
    void this.authorService?.close();
    this.similarityService?.close();
    this.viewLog?.close();
    this.searchEngine?.save();
    if (this.searchEngine instanceof SearchWhileIndexing) this.searchEngine.close();
    this.searchDb?.close();
    this.store.close();
  }
}

import type { Config } from '../config.ts';
import { SimilarityService } from '../discovery/similar/service.ts';
import { SqliteSearch } from '../search/engine/search.ts';
import type { Db } from '../store/sqlite/database.ts';
import { openDatabase } from '../store/sqlite/database.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';

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
  private searchEngine: SqliteSearch | undefined;
  private similarityService: SimilarityService | undefined;

  private constructor(config: Config, store: SqliteStore, now: () => Date) {
    this.config = config;
    this.store = store;
    this.now = now;
  }

  static open(config: Config, options: { now?: () => Date } = {}): Paperscope {
    return new Paperscope(config, SqliteStore.inDataDir(config.dataDir), options.now ?? (() => new Date()));
  }

  /** Search over the knowledge base (its own read connection: a long query never blocks a page). */
  get search(): SqliteSearch {
    if (!this.searchEngine) {
      this.searchDb = openDatabase(this.store.file, { readonly: true });
      this.searchEngine = new SqliteSearch(this.searchDb);
    }
    return this.searchEngine;
  }

  /** Similar papers: learned from the knowledge base on first use, then kept up to date. */
  get similarity(): SimilarityService {
    this.similarityService ??= new SimilarityService(this.store);
    return this.similarityService;
  }

  close(): void {
    this.searchDb?.close();
    this.store.close();
  }
}

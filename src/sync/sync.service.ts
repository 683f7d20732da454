import type { Config } from '../config.ts';
import { harvestArxivOai } from '../fetch/arxiv.ts';
import { createHttpClient, type HttpClient, type HttpEvent } from '../fetch/http.ts';
import { fetchHuggingFaceDaily } from '../fetch/huggingface.ts';
import { fetchSemanticScholar } from '../fetch/semantic-scholar.ts';
import { ingestPages, loadHarvestState } from '../services/fetch.service.ts';
import { ImportService, type ImportSummary } from '../services/import.service.ts';
import { arxivOaiAdapter } from '../sources/arxiv-oai/parse.ts';
import { huggingFaceAdapter } from '../sources/huggingface/parse.ts';
import { defaultRegistry } from '../sources/registry.ts';
import { semanticScholarAdapter } from '../sources/semantic-scholar/parse.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { oaiSetFor } from './oai-sets.ts';

/** What the sync asks Semantic Scholar for each paper. */
export const ENRICH_FIELDS =
  'paperId,externalIds,title,abstract,venue,year,publicationDate,authors,citationCount,referenceCount,tldr,fieldsOfStudy,journal';

/** One source's standing, kept in the `state` table and shown to admins. */
export interface SyncSourceState {
  /** `arxiv-oai:cs:cs:LG`, `huggingface`, `semantic-scholar`. */
  key: string;
  /** The `from` date of the next incremental harvest (OAI-PMH only). */
  lastHarvestDate?: string;
  /** The `from` of the harvest in progress, while one is (so a resumed one ends right). */
  harvestingFrom?: string;
  harvestStartedDay?: string;
  /** Where an interrupted harvest resumes (OAI-PMH only). */
  resumptionToken?: string;
  lastRunAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  runs: number;
  /** Totals over every run. */
  records: number;
  newPapers: number;
  /** The last run's figures. */
  lastRun?: { records: number; newPapers: number; merged: number; problems: number };
}

export interface SyncStatus {
  enabled: boolean;
  sources: string[];
  categories: string[];
  intervalMinutes: number;
  running: boolean;
  lastRunAt?: string;
  nextRunAt?: string;
  states: SyncSourceState[];
}

export interface SyncRunReport {
  startedAt: string;
  finishedAt: string;
  results: { key: string; ok: boolean; records: number; newPapers: number; error?: string }[];
}

const RUN_STATE = 'sync:run';

/**
 * The live sync: new arXiv papers for the configured categories (OAI-PMH, incremental from
 * the last harvest's date), Hugging Face daily papers (their upvotes feed trending), and
 * Semantic Scholar enrichment (citation counts, TLDRs) for papers that lack it.
 *
 * Every page is ingested in its own transaction with the harvest position, so a sync killed
 * at any point resumes with the first page it had not committed; merging makes a page seen
 * twice change nothing. One source failing is recorded and does not stop the others.
 */
export class SyncService {
  private running: Promise<SyncRunReport> | undefined;
  private http: HttpClient | undefined;

  constructor(
    private readonly store: SqliteStore,
    private readonly config: Config,
    private readonly options: {
      now?: () => Date;
      http?: HttpClient;
      onEvent?: (event: HttpEvent) => void;
    } = {},
  ) {}

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** One pass over every configured source. A second call while one runs joins it. */
  runOnce(): Promise<SyncRunReport> {
    this.running ??= this.runAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runAll(): Promise<SyncRunReport> {
    const startedAt = this.now().toISOString();
    const results: SyncRunReport['results'] = [];
    const { sources, categories } = this.config.sync;
    if (sources.includes('arxiv')) {
      for (const category of categories) results.push(await this.harvestCategory(category));
    }
    if (sources.includes('huggingface')) results.push(await this.fetchHuggingFace());
    if (sources.includes('semantic-scholar')) results.push(await this.enrich());
    const finishedAt = this.now().toISOString();
    const nextRunAt = new Date(
      Date.parse(finishedAt) + this.config.sync.intervalMinutes * 60_000,
    ).toISOString();
    await this.store.setState(RUN_STATE, JSON.stringify({ lastRunAt: startedAt, finishedAt, nextRunAt }));
    return { startedAt, finishedAt, results };
  }

  private client(): HttpClient {
    if (this.options.http) return this.options.http;
    if (!this.http) {
      const arxivHosts = [this.config.sources.arxivApi, this.config.sources.arxivOai].map(
        (u) => new URL(u).host,
      );
      const s2Host = new URL(this.config.sources.semanticScholar).host;
      this.http = createHttpClient({
        userAgent: 'Paperscope/0.1 (self-hosted research-paper platform; sync)',
        minIntervalMs: 1000,
        hostIntervalMs: Object.fromEntries(arxivHosts.map((h) => [h, this.config.arxivDelayMs])),
        maxRetries: 4,
        maxBackoffMs: 120_000,
        timeoutMs: 60_000,
        ...(this.config.semanticScholarApiKey
          ? { apiKeyHeaders: { [s2Host]: { 'x-api-key': this.config.semanticScholarApiKey } } }
          : {}),
        ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      });
    }
    return this.http;
  }

  private importer(): ImportService {
    return new ImportService(this.store, defaultRegistry, () => this.now());
  }

  private async harvestCategory(category: string): Promise<SyncRunReport['results'][number]> {
    const found = oaiSetFor(category);
    const key = `arxiv-oai:${'set' in found ? found.set : category}`;
    return this.tracked(key, async (state) => {
      if ('error' in found) throw new Error(found.error);
      const positionName = `sync:${key}:position`;
      const position = await loadHarvestState(this.store, positionName);
      const resumeFrom = position?.resumptionToken;
      if (!resumeFrom) {
        const today = this.now().toISOString().slice(0, 10);
        // First harvest: yesterday's and today's announcements; later ones overlap the last by
        // its start day (re-reading a record changes nothing).
        state.harvestingFrom = state.lastHarvestDate ?? dayBefore(today);
        state.harvestStartedDay = today;
        await this.saveState(state);
      }
      const pages = harvestArxivOai(
        this.client(),
        {
          baseUrl: this.config.sources.arxivOai,
          metadataPrefix: this.config.sync.oaiMetadata,
          set: found.set,
          ...(resumeFrom ? { resumptionToken: resumeFrom } : { from: state.harvestingFrom as string }),
        },
        { adapter: arxivOaiAdapter },
      );
      const summary = await ingestPages(this.importer(), pages, `arXiv OAI-PMH ${found.set}`, {
        stateName: positionName,
        ...(resumeFrom && position ? { initial: position } : {}),
        clock: () => this.now(),
      });
      if (state.harvestStartedDay) state.lastHarvestDate = state.harvestStartedDay;
      delete state.harvestingFrom;
      delete state.harvestStartedDay;
      return summary;
    });
  }

  private fetchHuggingFace(): Promise<SyncRunReport['results'][number]> {
    return this.tracked('huggingface', async () => {
      const pages = fetchHuggingFaceDaily(
        this.client(),
        { baseUrl: this.config.sources.huggingFace },
        { adapter: huggingFaceAdapter },
      );
      return ingestPages(this.importer(), pages, 'Hugging Face daily papers');
    });
  }

  /** Semantic Scholar for papers with an arXiv id that no S2 record speaks for, each asked once. */
  private enrich(): Promise<SyncRunReport['results'][number]> {
    return this.tracked('semantic-scholar', async () => {
      const wanted = this.store.readDb
        .prepare(
          `SELECT p.id, p.arxiv_id FROM papers p
           WHERE p.arxiv_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM source_records s WHERE s.paper_id = p.id AND s.source = 'semantic-scholar')
             AND NOT EXISTS (SELECT 1 FROM enrichment_attempts e WHERE e.paper_id = p.id)
           ORDER BY p.id DESC LIMIT ?`,
        )
        .all(this.config.sync.enrichPerRun) as { id: number; arxiv_id: string }[];
      if (wanted.length === 0) return undefined;
      const pages = fetchSemanticScholar(
        this.client(),
        {
          baseUrl: this.config.sources.semanticScholar,
          ids: wanted.map((p) => `ARXIV:${p.arxiv_id}`),
          fields: ENRICH_FIELDS,
        },
        { adapter: semanticScholarAdapter },
      );
      const summary = await ingestPages(this.importer(), pages, 'Semantic Scholar enrichment');
      const at = this.now().toISOString();
      await this.store.write((db) => {
        const found = db
          .prepare("SELECT 1 FROM source_records WHERE paper_id = ? AND source = 'semantic-scholar' LIMIT 1")
          .pluck();
        const record = db.prepare(
          `INSERT INTO enrichment_attempts (paper_id, source, found, at) VALUES (?, 'semantic-scholar', ?, ?)
           ON CONFLICT (paper_id) DO UPDATE SET found = excluded.found, at = excluded.at`,
        );
        for (const p of wanted) record.run(p.id, found.get(p.id) ? 1 : 0, at);
      });
      return summary;
    });
  }

  /** Run one source, keeping its state: counts on success, the error (and nothing else) on failure. */
  private async tracked(
    key: string,
    work: (state: SyncSourceState) => Promise<ImportSummary | undefined>,
  ): Promise<SyncRunReport['results'][number]> {
    const state = await this.loadState(key);
    state.lastRunAt = this.now().toISOString();
    state.runs += 1;
    try {
      const summary = await work(state);
      const records = summary?.read ?? 0;
      const newPapers = summary?.new ?? 0;
      state.records += records;
      state.newPapers += newPapers;
      state.lastRun = {
        records,
        newPapers,
        merged: summary?.merged ?? 0,
        problems: summary?.problems.length ?? 0,
      };
      state.lastSuccessAt = this.now().toISOString();
      delete state.lastError;
      delete state.lastErrorAt;
      await this.saveState(state);
      return { key, ok: true, records, newPapers };
    } catch (err) {
      const fresh = await this.loadState(key);
      const failed: SyncSourceState = {
        ...fresh,
        ...pick(state, ['harvestingFrom', 'harvestStartedDay', 'lastRunAt', 'runs']),
        lastError: (err as Error).message,
        lastErrorAt: this.now().toISOString(),
      };
      await this.saveState(failed);
      return { key, ok: false, records: 0, newPapers: 0, error: failed.lastError as string };
    }
  }

  private async loadState(key: string): Promise<SyncSourceState> {
    const raw = await this.store.getState(`sync:${key}`);
    return raw ? (JSON.parse(raw) as SyncSourceState) : { key, runs: 0, records: 0, newPapers: 0 };
  }

  private async saveState(state: SyncSourceState): Promise<void> {
    const { resumptionToken: _, ...kept } = state;
    await this.store.setState(`sync:${state.key}`, JSON.stringify(kept));
  }

  /** Every source's state, the harvest positions, and when the loop runs next. */
  async status(): Promise<SyncStatus> {
    const rows = this.store.readDb
      .prepare("SELECT name, value FROM state WHERE name LIKE 'sync:%' ORDER BY name")
      .all() as { name: string; value: string }[];
    const positions = new Map<string, string>();
    const states: SyncSourceState[] = [];
    let run: { lastRunAt?: string; nextRunAt?: string } = {};
    for (const row of rows) {
      if (row.name === RUN_STATE) run = JSON.parse(row.value) as typeof run;
      else if (row.name.endsWith(':position')) {
        const token = (JSON.parse(row.value) as { resumptionToken?: string }).resumptionToken;
        if (token) positions.set(row.name.slice('sync:'.length, -':position'.length), token);
      } else states.push(JSON.parse(row.value) as SyncSourceState);
    }
    for (const state of states) {
      const token = positions.get(state.key);
      if (token) state.resumptionToken = token;
    }
    const { enabled, sources, categories, intervalMinutes } = this.config.sync;
    return {
      enabled,
      sources,
      categories,
      intervalMinutes,
      running: this.isRunning,
      ...(run.lastRunAt ? { lastRunAt: run.lastRunAt } : {}),
      ...(run.nextRunAt ? { nextRunAt: run.nextRunAt } : {}),
      states,
    };
  }
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

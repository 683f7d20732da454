import type { FetchedPage } from '../fetch/page.ts';
import type { PaperStore } from '../store/port.ts';
import { emptySummary, type ImportService, type ImportSummary } from './import.service.ts';

/**
 * Live fetching into the store: each fetched page is ingested in its own transaction, and a
 * harvest's position (the OAI resumptionToken) is saved in that same transaction, so that a
 * crash at any point resumes with the first page not yet committed: nothing lost, nothing twice.
 */

export interface HarvestState {
  /** The token that fetches the next page; absent once the harvest is complete. */
  resumptionToken?: string;
  pages: number;
  records: number;
  completedAt?: string;
}

export interface PageProgress {
  url: string;
  pages: number;
  summary: ImportSummary;
}

export async function ingestPages(
  importer: ImportService,
  pages: AsyncIterable<FetchedPage & { resumptionToken?: string }>,
  origin: string,
  options: {
    /** Name under which the harvest position is kept; without it nothing is saved. */
    stateName?: string;
    initial?: HarvestState;
    onPage?: (progress: PageProgress) => void;
    clock?: () => Date;
  } = {},
): Promise<ImportSummary> {
  const summary = emptySummary(origin);
  const state: HarvestState = { pages: 0, records: 0, ...options.initial };
  delete state.completedAt;
  for await (const page of pages) {
    state.pages += 1;
    state.records += page.output.records.length;
    if (page.resumptionToken) state.resumptionToken = page.resumptionToken;
    else {
      delete state.resumptionToken;
      state.completedAt = (options.clock ?? (() => new Date()))().toISOString();
    }
    const saved = options.stateName ? { name: options.stateName, value: JSON.stringify(state) } : undefined;
    await importer.ingestOutput(page.output, summary, saved ? { state: saved } : {});
    options.onPage?.({ url: page.url, pages: state.pages, summary });
  }
  return summary;
}

export async function loadHarvestState(store: PaperStore, name: string): Promise<HarvestState | undefined> {
  const raw = await store.getState(name);
  return raw ? (JSON.parse(raw) as HarvestState) : undefined;
}

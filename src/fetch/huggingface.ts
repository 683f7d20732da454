import type { HttpClient } from './http.ts';
import { buildUrl, type FetchContext, type FetchedPage, fetchPage } from './page.ts';

export interface HuggingFaceDailyOptions {
  baseUrl?: string;
  /** `YYYY-MM-DD`; without it the API answers with the latest day. */
  date?: string;
}

/** Hugging Face daily papers: one day is one page (`/api/daily_papers?date=…`). */
export async function* fetchHuggingFaceDaily(
  http: HttpClient,
  options: HuggingFaceDailyOptions,
  ctx: FetchContext,
): AsyncGenerator<FetchedPage> {
  const base = options.baseUrl ?? 'https://huggingface.co';
  yield await fetchPage({ http, ctx, url: buildUrl(base, '/api/daily_papers', { date: options.date }) });
}

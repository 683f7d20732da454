export {
  type ArxivApiOptions,
  fetchArxivApi,
  type HarvestedPage,
  harvestArxivOai,
  type OaiHarvestOptions,
} from './arxiv.ts';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  HttpError,
  type HttpEvent,
  type HttpResponse,
  NetworkError,
  POLITE_INTERVALS_MS,
} from './http.ts';
export { fetchHuggingFaceDaily, type HuggingFaceDailyOptions } from './huggingface.ts';
export { fetchOpenAlex, type OpenAlexOptions } from './openalex.ts';
export { type FetchContext, type FetchedPage, SourceFetchError } from './page.ts';
export { fetchSemanticScholar, type SemanticScholarOptions } from './semantic-scholar.ts';

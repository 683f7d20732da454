/**
 * Search from an index of our own, fast at full-arXiv scale: the same requests, results and
 * scores as the SQLite FTS5 engine (`../engine/`), which stays as the reference it is tested
 * against. `StoreSearch` keeps the index beside a store; `SearchIndex` + `IndexedSearch`
 * can also be filled from anywhere (the benchmark fills them straight from JSON lines).
 */
export { type Directory, Evaluator, rankingLeaves } from './evaluate.ts';
export { type HitSource, IndexedSearch, type RankedResult } from './indexed-search.ts';
export { type IndexedPaper, SearchIndex } from './search-index.ts';
export { loadSnapshot, saveSnapshot } from './snapshot.ts';
export { SNAPSHOT_FILE, StoreSearch, type StoreSearchOptions } from './store-search.ts';
export { StoreSource, type SyncMark } from './store-source.ts';
export { forEachTerm, terms } from './tokenize.ts';

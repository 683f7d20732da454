import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImportService } from '../src/services/import.service.ts';
import { defaultRegistry } from '../src/sources/registry.ts';
import type { PaperStore } from '../src/store/port.ts';

/**
 * The real data the discovery features are measured and tested on: the four seed pages, the
 * arXiv OAI harvest and the arXiv bulk samples, imported together (about 3,100 papers).
 */
export function realCorpusFiles(shared: string): string[] {
  const list = (dir: string, keep: RegExp) =>
    readdirSync(join(shared, dir))
      .filter((f) => keep.test(f))
      .sort()
      .map((f) => join(shared, dir, f));
  return [
    ...list('seeds', /\.txt$/),
    ...list('fixtures/arxiv-oai', /^ListRecords_data_\d+\.xml$/),
    ...list('fixtures/arxiv-bulk', /\.jsonl$/),
  ];
}

export async function importRealCorpus(
  store: PaperStore,
  shared: string,
  clock: () => Date = () => new Date('2025-01-01T00:00:00Z'),
): Promise<void> {
  const importer = new ImportService(store, defaultRegistry, clock);
  for (const file of realCorpusFiles(shared)) {
    const summary = await importer.importFile(file);
    if (summary.read === 0) throw new Error(`nothing could be read from ${file}`);
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PaperRecord } from '../src/domain/record.ts';
import { emptySummary, ImportService } from '../src/services/import.service.ts';
import { FormatRegistry } from '../src/sources/format-registry.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

/**
 * What one DOI shared by many arXiv preprints costs an import: `--sharers` preprints, each with
 * an arXiv id of its own and the same DOI (as a proceedings volume's DOI can be), imported in
 * batches of 2,000 into a fresh store. The identifier rule asks, for each, whether an earlier
 * sharer may be joined; the time per record shows whether that grows with the sharers.
 *
 *   node --import tsx bench/shared-doi.ts [--sharers 1000,2000,4000]
 */
const { values } = parseArgs({ options: { sharers: { type: 'string', default: '1000,2000,4000' } } });

for (const sharers of values.sharers.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-shared-doi-'));
  const store = SqliteStore.inDataDir(dir);
  try {
    const records: PaperRecord[] = Array.from({ length: sharers }, (_, i) => ({
      kind: 'paper',
      provenance: {
        source: 'arxiv-bulk',
        origin: 'shared-doi',
        locator: `line ${i + 1}`,
        fetchedAt: '2026-01-01T00:00:00Z',
      },
      key: `2401.${String(i).padStart(5, '0')}`,
      ids: { arxiv: `2401.${String(i).padStart(5, '0')}`, doi: '10.1051/epjconf/202400001' },
      title: `Contribution number ${i} to the proceedings`,
      authors: [{ display: `Author ${i}` }],
    }));
    const summary = emptySummary('shared-doi');
    const started = performance.now();
    await new ImportService(store, new FormatRegistry([])).ingestOutput({ records, problems: [] }, summary);
    const ms = performance.now() - started;
    console.log(
      `${sharers} preprints sharing one DOI: ${summary.new} papers, ${(ms / 1000).toFixed(2)} s, ${((ms * 1000) / sharers).toFixed(0)} µs a record`,
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

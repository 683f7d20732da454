import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { SNAPSHOT_FILE } from '../search/index/store-search.ts';
import type { IndexUpdate, IndexUpdateProgress } from '../search/index/update-index.ts';
import { updateSearchIndex } from '../search/index/update-index.ts';
import type { ImportSummary } from '../services/import.service.ts';

/**
 * Past this many changed papers an import catches the saved index up itself. Below it the next
 * search does (a few thousand papers: well under a second), since catching up means reading
 * and writing the whole file — seconds at millions of papers, for each small import.
 */
export const CATCH_UP_FROM = 10_000;

/**
 * Whether an import should bring the search index up to date: it changed what search reads
 * (new papers, papers given new records), and there is no saved index yet or it changed many.
 */
export function indexWanted(
  summaries: readonly ImportSummary[],
  storeFile: string,
  catchUpFrom = CATCH_UP_FROM,
): boolean {
  const changed = summaries.reduce((n, s) => n + s.new + s.merged + s.updated, 0);
  if (changed === 0) return false;
  return changed >= catchUpFrom || !existsSync(join(dirname(storeFile), SNAPSHOT_FILE));
}

/**
 * After a large `paperscope import` (see `indexWanted`): bring the search index in the data
 * folder up to date (built when missing, else caught up), so that the first `paperscope search`
 * — or a server started next — reads it instead of building it. A bar on a terminal.
 */
export function updateIndexAfterImport(
  storeFile: string,
  stream: NodeJS.WriteStream = process.stderr,
): IndexUpdate {
  const bar = indexBar(stream);
  try {
    return updateSearchIndex(storeFile, { progress: bar.update });
  } finally {
    bar.stop();
  }
}

/** A bar for building or catching up the search index, on a terminal only. */
export function indexBar(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: (_p: IndexUpdateProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'search index ({how}) |{bar}| {percentage}% · {value} of {total} papers · {rate} papers/s',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = performance.now();
  let started = false;
  return {
    update(p: IndexUpdateProgress) {
      const payload = {
        how: p.how === 'built' ? 'building' : 'catching up',
        rate: Math.round(p.done / Math.max(0.001, (performance.now() - t0) / 1000)),
      };
      if (!started) {
        bar.start(Math.max(p.total, p.done), p.done, payload);
        started = true;
        return;
      }
      if (p.done > bar.getTotal()) bar.setTotal(p.done);
      bar.update(p.done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function formatIndexUpdate(u: IndexUpdate): string {
  const what =
    u.how === 'built'
      ? `built: ${u.papers.toLocaleString('en')} papers`
      : `caught up on ${u.indexed.toLocaleString('en')} papers (${u.papers.toLocaleString('en')} in all)`;
  return `Search index ${what} in ${u.seconds.toFixed(1)} s.`;
}

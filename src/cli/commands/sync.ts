import type { Command } from 'commander';
import { Paperscope } from '../../app/paperscope.ts';
import type { SyncStatus } from '../../sync/sync.service.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandContext } from '../main.ts';

/** `paperscope sync`: the live sync as its own process (the server runs the same loop inside). */
export function registerSyncCommand(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('sync')
    .description(
      'sync new papers from arXiv (PAPERSCOPE_SYNC_CATEGORIES), Hugging Face and Semantic Scholar, every PAPERSCOPE_SYNC_INTERVAL_MINUTES',
    )
    .option('--once', 'one pass over every source, then exit')
    .option('--status', 'print the state of every source and exit')
    .option('--json', 'print JSON')
    .action(async (opts: { once?: boolean; status?: boolean; json?: boolean }) => {
      const config = context.config();
      const paperscope = Paperscope.open(config);
      try {
        if (opts.status) {
          const status = await paperscope.sync.status();
          io.out(opts.json ? JSON.stringify(status, null, 2) : formatStatus(status));
          return;
        }
        if (config.sync.sources.includes('arxiv') && config.sync.categories.length === 0) {
          io.err(
            'No arXiv categories to harvest: set PAPERSCOPE_SYNC_CATEGORIES (for example cs.LG,stat.ML).',
          );
        }
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          for (;;) {
            const report = await paperscope.sync.runOnce();
            for (const r of report.results) {
              if (r.ok) io.out(`${r.key}: ${r.records} records, ${r.newPapers} new papers`);
              else io.err(`${r.key}: ${r.error}`);
            }
            if (report.results.some((r) => !r.ok)) context.setExit(EXIT.partial);
            if (opts.json) io.out(JSON.stringify(report, null, 2));
            if (opts.once || stop.signal.aborted) return;
            const waitMs = config.sync.intervalMinutes * 60_000;
            io.err(`Next sync at ${new Date(Date.now() + waitMs).toISOString()}.`);
            await sleep(waitMs, stop.signal);
            if (stop.signal.aborted) return;
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      } finally {
        paperscope.close();
      }
    });
}

export function formatStatus(status: SyncStatus): string {
  const lines = [
    `sync ${status.enabled ? 'on in the server' : 'off in the server (PAPERSCOPE_SYNC=on turns it on)'} · every ${status.intervalMinutes} min · sources ${status.sources.join(', ') || 'none'} · categories ${status.categories.join(', ') || 'none'}`,
    `last run ${status.lastRunAt ?? 'never'} · next run ${status.nextRunAt ?? 'not planned'}${status.running ? ' · running now' : ''}`,
  ];
  for (const s of status.states) {
    lines.push(
      `  ${s.key}: ${s.runs} runs, ${s.records} records, ${s.newPapers} new papers; last run ${s.lastRunAt ?? 'never'}, last success ${s.lastSuccessAt ?? 'never'}`,
    );
    if (s.lastHarvestDate) lines.push(`    next harvest from ${s.lastHarvestDate}`);
    if (s.resumptionToken)
      lines.push(`    interrupted harvest resumes at resumptionToken ${s.resumptionToken}`);
    if (s.lastError) lines.push(`    last error (${s.lastErrorAt}): ${s.lastError}`);
  }
  return lines.join('\n');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

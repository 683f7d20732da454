import type { Paperscope } from '../app/paperscope.ts';
import { smtpTransport } from '../digest/mailer.ts';

export interface KeepingUpLoop {
  stop(): Promise<void>;
}

/** How often the server looks for digests that have come due (send hours are whole hours). */
const DIGEST_CHECK_MS = 10 * 60_000;

/**
 * The one background loop of a serving instance: the sync every `intervalMinutes` (the first
 * run right away), and — when an SMTP server is configured — the digests that have come due.
 * Runs never overlap; an error is logged and kept in the sync state, and the loop goes on.
 */
export function startKeepingUpLoop(
  paperscope: Paperscope,
  log: (line: string) => void = (line) => console.error(line),
): KeepingUpLoop {
  const { sync, smtpUrl } = paperscope.config;
  const timers: NodeJS.Timeout[] = [];
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const enqueue = (name: string, task: () => Promise<string>) => {
    current = current
      .then(async () => {
        if (stopped) return;
        log(`${name}: ${await task()}`);
      })
      .catch((err: unknown) => log(`${name} failed: ${(err as Error).message}`));
  };

  if (sync.enabled) {
    const runSync = () =>
      enqueue('sync', async () => {
        const report = await paperscope.sync.runOnce();
        return report.results
          .map((r) =>
            r.ok ? `${r.key} ${r.records} records, ${r.newPapers} new` : `${r.key} error: ${r.error}`,
          )
          .join('; ');
      });
    runSync();
    timers.push(setInterval(runSync, sync.intervalMinutes * 60_000));
  }
  if (sync.enabled && smtpUrl) {
    const transport = smtpTransport(smtpUrl);
    const runDigests = () =>
      enqueue('digests', async () => {
        const r = await paperscope.digests.run(transport);
        return `${r.composed} composed, ${r.sent} sent, ${r.failed} failed`;
      });
    timers.push(setInterval(runDigests, DIGEST_CHECK_MS));
    timers.push(setTimeout(runDigests, 5_000));
  }
  for (const timer of timers) timer.unref();

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await current;
    },
  };
}

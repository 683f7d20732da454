import cliProgress from 'cli-progress';
import type { ImportProgress } from '../services/import.service.ts';

/** Progress of a long import on the terminal: a bar with bytes and records when stderr is a TTY, nothing otherwise. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: (_p: ImportProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{origin} |{bar}| {percentage}% · {read} records · {rate} records/s{stage}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const t0 = Date.now();
  return {
    update(p: ImportProgress) {
      const total = p.totalBytes ?? 1;
      const value = p.bytesRead ?? total;
      const payload = {
        origin: p.origin.length > 40 ? `…${p.origin.slice(-39)}` : p.origin,
        read: p.read,
        rate: Math.round(p.read / Math.max(0.001, (Date.now() - t0) / 1000)),
        // After a bulk load the file is read but its indexes are still being built: say so.
        stage: p.stage === 'indexing' ? ' · building indexes…' : '',
      };
      if (!started) {
        bar.start(total, value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

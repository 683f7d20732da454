import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CorpusDirs, defaultCorpusDirs } from './corpus.ts';
import { generateRecords as generate, type SynthOptions } from './records.ts';

/**
 * Synthetic arXiv bulk-snapshot files for the import benchmark, learnt at run time from the
 * real captured files in ../shared (nothing from them is committed).
 *
 *   node --import tsx bench/synth/generate.ts --count 100000 --out /tmp/synth-100k.jsonl [--seed 1]
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The real files beside the checkout (or under $PAPERSCOPE_SHARED). */
export function sharedCorpusDirs(): CorpusDirs {
  return defaultCorpusDirs(process.env['PAPERSCOPE_SHARED'] ?? resolve(repoRoot, '..', 'shared'));
}

/** `count` records as JSON lines (without the newline), the same for the same seed. */
export function generateRecords(
  count: number,
  seed: number,
  options?: Partial<SynthOptions>,
): Iterable<string> {
  return generate(count, seed, { corpusDirs: sharedCorpusDirs(), ...options });
}

export interface WriteResult {
  records: number;
  bytes: number;
  seconds: number;
}

/** Stream `count` records to `out` in constant memory: chunks of lines, waiting on `drain`. */
export async function writeRecords(count: number, seed: number, out: string): Promise<WriteResult> {
  const started = performance.now();
  const stream = createWriteStream(out, { encoding: 'utf8' });
  let chunk = '';
  let records = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    const ok = stream.write(chunk);
    chunk = '';
    if (!ok) await once(stream, 'drain');
  };
  for (const line of generateRecords(count, seed)) {
    chunk += `${line}\n`;
    records++;
    if (chunk.length >= 1 << 20) await flush();
  }
  if (chunk.length > 0) await flush();
  stream.end();
  await once(stream, 'finish');
  return { records, bytes, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!values.out || !Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
    console.error('usage: generate.ts --count N --out FILE [--seed N]');
    process.exit(2);
  }
  const r = await writeRecords(count, seed, values.out);
  const mib = (r.bytes / 2 ** 20).toFixed(1);
  console.log(
    `${r.records} records, ${mib} MiB in ${r.seconds.toFixed(1)} s (${Math.round(r.records / r.seconds)} records/s) → ${values.out}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();

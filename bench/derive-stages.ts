import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';

/**
 * What the import worker spends on each record, stage by stage, on one thread:
 *
 *   node --import tsx bench/derive-stages.ts [--file synth-100000-seed1.jsonl] [--records 20000]
 *     [--rounds 5] [--batch 2000] [--against /tmp/old-checkout]
 *
 * Stages: parse (the bulk adapter's `parseLine`), content (`recordContent`: JSON and SHA-1),
 * keys (`matchKeysOf`), merge (`mergeRecords` of the record alone), view JSON, `derive`
 * (`deriveRecord`: everything the worker does past parsing, as it does it), and the batch's
 * trip to the main thread: "send" is what the worker does to post a batch (`v8.serialize`, the
 * structured clone `postMessage` uses, of what it posts), "receive" what the main thread does
 * to have the records and what was derived of them back (`v8.deserialize`, and unpacking when
 * the transport packs them). Each figure is CPU time (the process's, user + system: GC threads
 * included), the best of `--rounds` rounds: the machine is shared, and the least disturbed round
 * is the closest to the code's own cost.
 *
 * `--against DIR` runs the same stages on another checkout's `src/` (e.g. `git archive HEAD
 * src | tar -x -C DIR`) in the same process, round for round alternately, so the two columns
 * see the same load: compare them by their ratio.
 */

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '/tmp/paperscope-bench/synth-100000-seed1.jsonl' },
    records: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    batch: { type: 'string', default: '2000' },
    against: { type: 'string' },
  },
});
const limit = Number(values.records);
const rounds = Number(values.rounds);
const batchSize = Number(values.batch);

interface Stage {
  name: string;
  run: () => void;
}

/** The stages over one checkout's code. */
async function stagesOf(root: string, lines: string[]): Promise<Stage[]> {
  const at = (p: string) => import(pathToFileURL(resolve(root, p)).href);
  const { matchKeysOf, mergeRecords } = await at('src/domain/merge.ts');
  const { deriveRecord, recordContent } = await at('src/services/ingest.ts');
  const { parseBulkLine } = await at('src/sources/arxiv-bulk/parse.ts');
  let transport: {
    packBatch?: (records: unknown[], derived: unknown[]) => object;
    unpackBatch?: (message: unknown) => unknown;
  } = {};
  try {
    transport = await at('src/services/derived-batch.ts');
  } catch {
    // A checkout from before the packed transport posts its objects as they are.
  }
  const ctx = { origin: values.file!, fetchedAt: '2026-01-01T00:00:00Z' };
  const records = lines.flatMap((l, i) => parseBulkLine(l, i + 1, ctx).records);
  const merged = records.map((r) => mergeRecords([r]));
  const derived = records.map((r) => deriveRecord(r));
  let sink: unknown;
  const each =
    <T>(items: T[], f: (x: T, i: number) => unknown) =>
    () => {
      for (let i = 0; i < items.length; i++) sink = f(items[i]!, i);
    };
  const sent: Buffer[] = [];
  const send = () => {
    sent.length = 0;
    for (let i = 0; i < records.length; i += batchSize) {
      const part = { records: records.slice(i, i + batchSize), derived: derived.slice(i, i + batchSize) };
      const message = transport.packBatch ? transport.packBatch(part.records, part.derived) : part;
      sent.push(serialize({ type: 'batch', problems: [], bytesRead: 0, ...message }));
    }
  };
  send();
  const stages: Stage[] = [
    { name: 'parse', run: each(lines, (l, i) => parseBulkLine(l, i + 1, ctx)) },
    { name: 'content + SHA-1', run: each(records, (r) => recordContent(r)) },
    { name: 'match keys', run: each(records, (r) => matchKeysOf(r)) },
    { name: 'merge (alone)', run: each(records, (r) => mergeRecords([r])) },
    { name: 'view JSON', run: each(merged, (m) => JSON.stringify(m)) },
    { name: 'derive (all but parse)', run: each(records, (r) => deriveRecord(r)) },
    { name: 'send a batch (worker)', run: send },
    {
      name: 'receive a batch (main thread)',
      run: each(sent, (b) => {
        const m = deserialize(b);
        return transport.unpackBatch ? transport.unpackBatch(m) : m;
      }),
    },
  ];
  void sink;
  (stages as Stage[] & { bytes?: number }).bytes = sent.reduce((n, b) => n + b.length, 0) / records.length;
  return stages;
}

const lines: string[] = [];
for await (const line of createInterface({ input: createReadStream(values.file!, 'utf8') })) {
  if (line) lines.push(line);
  if (lines.length >= limit) break;
}

const sides: { label: string; stages: Stage[] & { bytes?: number } }[] = [
  { label: 'this checkout', stages: await stagesOf(resolve(import.meta.dirname, '..'), lines) },
];
if (values.against) sides.push({ label: values.against, stages: await stagesOf(values.against, lines) });

const best = sides.map((s) => s.stages.map(() => Number.POSITIVE_INFINITY));
for (let r = 0; r < rounds; r++) {
  for (const [k, side] of sides.entries()) {
    for (const [j, stage] of side.stages.entries()) {
      const start = process.cpuUsage();
      stage.run();
      const used = process.cpuUsage(start);
      best[k]![j] = Math.min(best[k]![j]!, (used.user + used.system) / lines.length);
    }
  }
}

console.log(`${lines.length} records of ${values.file}, best of ${rounds} rounds, CPU µs a record:`);
const header = ['stage'.padEnd(32), ...sides.map((s) => s.label.slice(-24).padStart(24))];
if (sides.length === 2) header.push('ratio'.padStart(8));
console.log(header.join(' '));
for (const [j, stage] of sides[0]!.stages.entries()) {
  const row = [stage.name.padEnd(32), ...sides.map((_, k) => best[k]![j]!.toFixed(1).padStart(24))];
  if (sides.length === 2) row.push(`${(best[1]![j]! / best[0]![j]!).toFixed(2)}×`.padStart(8));
  console.log(row.join(' '));
}
console.log(
  [
    'bytes posted a record'.padEnd(32),
    ...sides.map((s) => (s.stages.bytes ?? 0).toFixed(0).padStart(24)),
  ].join(' '),
);

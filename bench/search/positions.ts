import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOT } from '../../src/search/index/evaluate.ts';
import { IndexedSearch, loadSnapshot, SearchIndex, saveSnapshot } from '../../src/search/index/index.ts';
import { readPapers } from './corpus.ts';
import type { BenchQuery } from './mix.ts';

/**
 * Phrases answered with the positions held in memory against read from the snapshot file, the
 * same index in the same process, queries alternating between the two (so the machine's load
 * falls on both alike): CPU ms per phrase, p50 / p95 / sum, and the ratio. Phrase answers are
 * not kept (`HOT.phraseCost` raised), so every round reads positions.
 *
 *   node --expose-gc --import tsx bench/search/positions.ts --file synth-100000-seed1.jsonl --size 100000 --mix M.json
 *   (or --snapshot DATA/search-index.bin instead of --file/--size)
 */
const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    size: { type: 'string' },
    snapshot: { type: 'string' },
    mix: { type: 'string' },
    rounds: { type: 'string', default: '10' },
  },
});
HOT.phraseCost = Number.POSITIVE_INFINITY;
let snapshot = values.snapshot;
let dir: string | undefined;
if (!snapshot) {
  const index = new SearchIndex();
  for await (const p of readPapers(values.file!, Number(values.size))) {
    index.put({
      id: p.id,
      year: p.year,
      published: p.published,
      flags: 0,
      sources: 0,
      categories: p.categories,
      authorIds: [],
      title: p.title,
      abstract: p.abstract,
      authors: p.authors.join(', '),
    });
  }
  dir = mkdtempSync(join(tmpdir(), 'bench-positions-'));
  snapshot = join(dir, 'search-index.bin');
  saveSnapshot(snapshot, index.state, { updatedAt: '', idsAtMark: [] }).close();
}
const none = { authorIds: () => [], papersOfAuthors: () => [], papersWithKey: () => [] };
const names = {
  hit: () => {
    throw new Error('ranks only');
  },
  authorNames: () => new Map(),
};
const engines = {
  held: new IndexedSearch(new SearchIndex(loadSnapshot(snapshot, { inMemory: true })!.state), none, names),
  filed: new IndexedSearch(new SearchIndex(loadSnapshot(snapshot)!.state), none, names),
};
const phrases = (JSON.parse(readFileSync(values.mix!, 'utf8')) as BenchQuery[]).filter(
  (q) => q.kind === 'phrase',
);
const ms = { held: [] as number[], filed: [] as number[] };
const cold = { held: [] as number[], filed: [] as number[] };
for (let round = 0; round <= Number(values.rounds); round++) {
  for (const q of phrases) {
    const order = round % 2 === 0 ? (['held', 'filed'] as const) : (['filed', 'held'] as const);
    const totals: number[] = [];
    for (const which of order) {
      const t = process.cpuUsage();
      totals.push(engines[which].rank({ query: q.query, limit: 20 }).total);
      const used = process.cpuUsage(t);
      (round === 0 ? cold : ms)[which].push((used.user + used.system) / 1000);
    }
    if (totals[0] !== totals[1]) throw new Error(`${q.query}: ${totals[0]} against ${totals[1]}`);
  }
}
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.ceil(p * a.length) - 1]!;
const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
for (const which of ['held', 'filed'] as const) {
  console.log(
    `${which.padEnd(6)} phrases warm CPU p50 ${pct(ms[which], 0.5).toFixed(2)} p95 ${pct(ms[which], 0.95).toFixed(2)} sum ${sum(ms[which]).toFixed(0)} ms; first time p50 ${pct(cold[which], 0.5).toFixed(1)} p95 ${pct(cold[which], 0.95).toFixed(1)} ms`,
  );
}
console.log(`filed / held, sum of warm CPU: ${(sum(ms.filed) / sum(ms.held)).toFixed(2)}`);
engines.filed.index.text.close();
if (dir) rmSync(dir, { recursive: true, force: true });

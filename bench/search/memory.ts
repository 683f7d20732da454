import { parseArgs } from 'node:util';
import { keptBytes } from '../../src/search/index/evaluate.ts';
import { IndexedSearch, loadSnapshot, SearchIndex } from '../../src/search/index/index.ts';
import { warmUp } from '../../src/search/index/warm-up.ts';

/**
 * Where a loaded search index's memory goes: a store's `search-index.bin` read as
 * `StoreSearch` reads it (postings and positions left in the file, or with `--positions-held` read into
 * memory as before), then warmed up as a server does; bytes by structure and the process's
 * V8 heap, array buffers and RSS after each step. Reads the file only.
 *
 *   node --expose-gc --import tsx bench/search/memory.ts --snapshot DATA/search-index.bin [--positions-held]
 */
const { values } = parseArgs({
  options: {
    snapshot: { type: 'string' },
    'positions-held': { type: 'boolean', default: false },
    'no-warm-up': { type: 'boolean', default: false },
  },
});
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const MiB = (n: number) => (n / 2 ** 20).toFixed(1).padStart(9);
const rows: string[] = [];
const process_ = (stage: string) => {
  gc();
  const m = process.memoryUsage();
  rows.push(
    `${stage.padEnd(28)} rss ${MiB(m.rss)}  V8 heap ${MiB(m.heapUsed)}  array buffers ${MiB(m.arrayBuffers)} MiB`,
  );
};

process_('before');
const t0 = performance.now();
const snap = loadSnapshot(values.snapshot!, { inMemory: values['positions-held'] });
if (!snap) throw new Error(`${values.snapshot} is not a search index snapshot`);
process_('read (arrays, term list)');
const index = new SearchIndex(snap.state);
const loadSeconds = (performance.now() - t0) / 1000;
process_('loaded (term dictionary)');

const state = index.state;
const docs = state.docs;
const typed = (a: { byteLength: number }[]) => a.reduce((s, x) => s + x.byteLength, 0);
const table: [string, number][] = [
  ['postings (ids, counts by column) held in memory', index.text.heldPostingBytes],
  ['positions held in memory', index.text.heldPositionBytes],
  ['postings and positions read from the file', index.text.filedBytes],
  [
    'doc table: per-paper arrays',
    typed([docs.exists, docs.version, docs.length, docs.year, docs.sortKey, docs.flags]),
  ],
  [
    'doc table: sources, attribute starts and counts',
    typed([docs.sources, docs.attrStart, docs.catCount, docs.authorCount]),
  ],
  ['doc table: category and author pool', docs.attrPool.byteLength],
  ['term counts and last ids', typed([state.text.postings, state.text.lastDoc])],
  ['vocabulary strings (UTF-8 bytes)', state.text.terms.reduce((s, t) => s + Buffer.byteLength(t), 0)],
];

const none = { authorIds: () => [], papersOfAuthors: () => [], papersWithKey: () => [] };
const names = {
  hit: () => {
    throw new Error('ranks only');
  },
  authorNames: () => new Map(),
};
const engine = new IndexedSearch(index, none, names);
let warm: Awaited<ReturnType<typeof warmUp>> | undefined;
if (!values['no-warm-up']) {
  warm = await warmUp(engine);
  process_('warmed up');
  table.push(['kept leaves (warm-up)', keptBytes(index.docs)]);
  table.push(['skip tables (warm-up)', index.text.skipTableBytes]);
}

console.log(
  `${values.snapshot}: ${index.docs.live} papers, ${index.text.vocabulary} words, loaded in ${loadSeconds.toFixed(1)} s${
    warm
      ? `; warm-up ${(warm.ms / 1000).toFixed(1)} s (${warm.leaves.length} words whole, ${warm.answers} answers, ${warm.sets} sets, ${warm.skipTables} skip tables)`
      : ''
  }`,
);
for (const [name, bytes] of table) console.log(`${name.padEnd(48)} ${MiB(bytes)} MiB`);
for (const r of rows) console.log(r);
index.text.close();

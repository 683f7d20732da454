/**
 * Heap the bulk load's author memory takes for a store: reads `AuthorMemory` from a store
 * (read-only) and prints the heap it holds after a full GC, per paper and per authorship.
 *
 *   node --expose-gc --import tsx bench/author-memory.bench.ts /tmp/paperscope-bench/data-100k/paperscope.sqlite
 */
import { AuthorMemory } from '../src/store/sqlite/author-memory.ts';
import { openDatabase } from '../src/store/sqlite/database.ts';

const file = process.argv[2] ?? '/tmp/paperscope-bench/data-100k/paperscope.sqlite';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const db = openDatabase(file, { readonly: true });
const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
const authorships = db.prepare('SELECT count(*) FROM paper_authors').pluck().get() as number;
const heapOf = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const before = heapOf();
const started = performance.now();
const memory = AuthorMemory.load(db);
const loadMs = performance.now() - started;
const held = heapOf() - before;
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
console.log(
  `${papers} papers, ${authorships} authorships: author memory ${mib(held)} MiB ` +
    `(${Math.round(held / papers)} B a paper, ${Math.round(held / authorships)} B an authorship), read in ${(loadMs / 1000).toFixed(1)} s`,
);
// Keep the memory alive until measured.
if (memory.byName('') === undefined) console.log('');
db.close();

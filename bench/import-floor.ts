import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Statement } from 'better-sqlite3';
import type { PaperRecord } from '../src/domain/record.ts';
import type { IndexedPaper } from '../src/search/index/search-index.ts';
import { SearchIndex } from '../src/search/index/search-index.ts';
import { type DerivedRecord, deriveRecord } from '../src/services/ingest.ts';
import { parseBulkLine } from '../src/sources/arxiv-bulk/parse.ts';
import type { ParseContext } from '../src/sources/format.ts';
import { beginBulkLoad } from '../src/store/sqlite/bulk-load.ts';
import { type Db, openDatabase } from '../src/store/sqlite/database.ts';
import { writeBenchSection } from './bench-doc.ts';
import { describeMachine, machineLine } from './machine.ts';

/**
 * The floor under the import: what each step that every imported record needs costs on this
 * machine when it is done alone, as plainly as the tools allow, with nothing of the import's
 * own logic around it (no merging, no author resolution, no look-ups). The sum is the least
 * CPU a record can cost in an import built from these parts, and so the most records a second
 * the machine's cores could take: the figure to hold the 20,000 records/s target against.
 *
 *   node --import tsx bench/import-floor.ts [--file synth-100000-seed1.jsonl] [--records 50000]
 *     [--store 1000000] [--rounds 2] [--work /tmp/paperscope-bench/floor] [--no-doc]
 *
 * Steps, each over the same records, each the best of `--rounds` (process CPU time, user +
 * system, per record): JSON.parse of the line; the arXiv bulk adapter's parse and the import's
 * derivation (`parseBulkLine` + `deriveRecord`: plain text, keys, code links, view JSON — what
 * the import's worker thread does); then SQLite, on a store in bulk-load mode
 * (`beginBulkLoad`: the schema the bulk load writes into), 2,000 records a transaction, WAL,
 * `synchronous = NORMAL` as the store runs: the paper's row with its view, the source record's
 * row, three match keys into `paper_keys` (which `--store` first fills with three keys for each
 * of that many papers, so that its b-tree is the size it has in a store that big), the authors'
 * rows, the FTS5 entry; last the search index of our own taking the paper (`SearchIndex.put`).
 */

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '/tmp/paperscope-bench/synth-100000-seed1.jsonl' },
    records: { type: 'string', default: '50000' },
    store: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '2' },
    work: { type: 'string', default: '/tmp/paperscope-bench/floor' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const limit = Number(values.records);
const storePapers = Number(values.store);
const rounds = Number(values.rounds);
const BATCH = 2000;
const TARGET = 20_000;
const DOC = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');

interface Step {
  name: string;
  /** Which thread of an import could run it: the writer holds the store's one write lock. */
  where: 'any thread' | 'the writer';
  /** False: a part of another step, shown for scale and not added again. */
  counted?: false;
  run: () => void;
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function main(): void {
  const machine = describeMachine();
  console.log(`machine: ${machineLine(machine)}`);
  const lines = readFileSync(values.file, 'utf8').split('\n', limit).filter(Boolean);
  const n = lines.length;
  console.log(`${n} records from ${values.file}`);

  const ctx: ParseContext = { origin: values.file, fetchedAt: new Date().toISOString() };
  const records: PaperRecord[] = [];
  const derived: DerivedRecord[] = [];
  lines.forEach((line, i) => {
    const out = parseBulkLine(line, i + 1, ctx);
    for (const r of out.records) {
      if (r.kind !== 'paper') continue;
      records.push(r);
      derived.push(deriveRecord(r));
    }
  });

  mkdirSync(values.work, { recursive: true });
  const path = join(values.work, 'floor.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  beginBulkLoad(db, new Date().toISOString());
  prefillKeys(db, storePapers);

  const inBatches = (write: (i: number) => void) => {
    for (let start = 0; start < records.length; start += BATCH) {
      db.transaction(() => {
        for (let i = start; i < Math.min(records.length, start + BATCH); i++) write(i);
      })();
    }
  };
  // Every SQLite step writes the same papers again: each round takes fresh ids past the last.
  let round = 0;
  const idOf = (i: number) => 1 + round * records.length + i;
  const q = prepare(db);
  const index = new SearchIndex();
  const steps: Step[] = [
    {
      name: 'JSON.parse of the line (a part of the next step)',
      where: 'any thread',
      counted: false,
      run: () => {
        for (const l of lines) JSON.parse(l);
      },
    },
    {
      name: 'parse and derive (`parseBulkLine` + `deriveRecord`)',
      where: 'any thread',
      run: () => {
        lines.forEach((l, i) => {
          for (const r of parseBulkLine(l, i + 1, ctx).records) deriveRecord(r);
        });
      },
    },
    {
      name: 'SQLite: the paper row with its view JSON',
      where: 'the writer',
      run: () =>
        inBatches((i) => {
          const r = records[i]!;
          q.paper.run(
            idOf(i),
            r.title ?? null,
            r.year ?? null,
            r.ids.arxiv ?? null,
            derived[i]!.solo?.view ?? '{}',
          );
        }),
    },
    {
      name: 'SQLite: the source record row',
      where: 'the writer',
      run: () =>
        inBatches((i) => {
          const d = derived[i]!;
          q.source.run(idOf(i), `${records[i]!.key}#${round}`, d.stored.hash, d.stored.content);
        }),
    },
    {
      name: `SQLite: three match keys into a store of ${storePapers.toLocaleString('en-US')} papers`,
      where: 'the writer',
      run: () =>
        inBatches((i) => {
          const r = records[i]!;
          const id = idOf(i);
          q.keys.run(
            'arxiv',
            `${r.ids.arxiv ?? r.key}#${round}`,
            id,
            'doi',
            `${r.ids.doi ?? r.key}#${round}`,
            id,
            'title',
            `${derived[i]!.keys?.title ?? r.key}#${round}`,
            id,
          );
        }),
    },
    {
      name: 'SQLite: the authors rows (one statement a paper)',
      where: 'the writer',
      run: () =>
        inBatches((i) => {
          const authors = records[i]!.authors ?? [];
          const id = idOf(i);
          for (let a = 0; a < authors.length; a += 16) {
            const chunk = authors.slice(a, a + 16);
            const values: unknown[] = [];
            chunk.forEach((x, k) => {
              values.push(id, a + k, 1, x.display);
            });
            q.authors(chunk.length).run(values);
          }
        }),
    },
    {
      name: 'SQLite: the FTS5 entry (title, plain abstract, authors)',
      where: 'the writer',
      run: () =>
        inBatches((i) => {
          const r = records[i]!;
          const text = derived[i]!.solo?.merged.abstractText ?? '';
          q.search.run(idOf(i), r.title ?? '', text, (r.authors ?? []).map((a) => a.display).join(', '));
        }),
    },
    {
      name: 'the search index of our own taking the paper (`SearchIndex.put`)',
      where: 'any thread',
      run: () =>
        records.forEach((r, i) => {
          const paper: IndexedPaper = {
            id: idOf(i),
            year: r.year ?? null,
            published: r.published ?? null,
            flags: 0,
            sources: 1,
            categories: r.categories ?? [],
            authorIds: [],
            title: r.title ?? '',
            abstract: derived[i]!.solo?.merged.abstractText ?? '',
            authors: (r.authors ?? []).map((a) => a.display).join(', '),
          };
          index.put(paper);
        }),
    },
  ];

  const best = new Map<string, number>();
  for (round = 0; round < rounds; round++) {
    for (const step of steps) {
      const before = cpuMicros();
      step.run();
      const perRecord = (cpuMicros() - before) / records.length;
      best.set(step.name, Math.min(best.get(step.name) ?? Number.POSITIVE_INFINITY, perRecord));
      console.log(`  round ${round + 1}: ${step.name}: ${perRecord.toFixed(1)} µs a record`);
    }
  }
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

  const table = render(steps, best, records.length);
  console.log(`\n${table}`);
  if (!values['no-doc']) {
    const command = `node --import tsx bench/import-floor.ts --records ${limit} --store ${storePapers} --rounds ${rounds}`;
    writeBenchSection(DOC, 'import-floor', section(command, table, machine), machine);
    console.log(`\nwrote the import-floor section of ${DOC}`);
  }
}

function prepare(db: Db) {
  const multi = new Map<number, Statement>();
  return {
    paper: db.prepare(
      "INSERT INTO papers (id, title, year, arxiv_id, view, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'now', 'now')",
    ),
    source: db.prepare(
      `INSERT INTO source_records (paper_id, source, record_key, hash, origin, locator, fetched_at, data)
       VALUES (?, 'arxiv-bulk', ?, ?, 'floor', 'line', 'now', ?)`,
    ),
    keys: db.prepare(
      'INSERT OR IGNORE INTO paper_keys (kind, value, paper_id) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)',
    ),
    authors: (rows: number) => {
      let s = multi.get(rows);
      if (!s) {
        s = db.prepare(
          `INSERT INTO paper_authors (paper_id, position, author_id, display) VALUES ${Array(rows).fill('(?, ?, ?, ?)').join(', ')}`,
        );
        multi.set(rows, s);
      }
      return s;
    },
    search: db.prepare('INSERT INTO paper_search (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)'),
  };
}

/** Three keys (arXiv id, DOI, title) for each of `papers` papers, in random order as titles come. */
function prefillKeys(db: Db, papers: number): void {
  if (papers <= 0) return;
  const started = performance.now();
  db.exec('PRAGMA foreign_keys = OFF');
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO paper_keys (kind, value, paper_id)
     SELECT k.kind, k.kind || ':' || hex(randomblob(10)), -i FROM n, (SELECT 'arxiv' AS kind UNION ALL SELECT 'doi' UNION ALL SELECT 'title') k`,
  ).run(papers);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  console.log(
    `paper_keys filled for ${papers} papers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

function render(steps: Step[], best: Map<string, number>, records: number): string {
  const rows = steps.map((s) => {
    const us = best.get(s.name)!;
    return `| ${s.name} | ${s.where} | ${us.toFixed(1)} | ${Math.round(1e6 / us).toLocaleString('en-US')} |`;
  });
  const sum = (where?: Step['where']) =>
    steps
      .filter((s) => s.counted !== false && (!where || s.where === where))
      .reduce((a, s) => a + best.get(s.name)!, 0);
  const all = sum();
  const writer = sum('the writer');
  const cores = 2;
  // The writer's steps run on one thread; the rest can go to the other core.
  const twoCores = Math.min((cores * 1e6) / all, 1e6 / writer);
  return [
    `| step (${records.toLocaleString('en-US')} records) | thread | CPU µs a record | records/s on one core, this step alone |`,
    '| --- | --- | ---: | ---: |',
    ...rows,
    `| **all of them** (the first counted in the second) | | **${all.toFixed(1)}** | **${Math.round(1e6 / all).toLocaleString('en-US')}** |`,
    '',
    `- the writer's steps alone: ${writer.toFixed(1)} µs a record, at most ${Math.round(1e6 / writer).toLocaleString('en-US')} records/s on its thread`,
    `- all steps on ${cores} cores, perfectly shared, the writer's on one thread: at most **${Math.round(twoCores).toLocaleString('en-US')} records/s**`,
    `- ${TARGET.toLocaleString('en-US')} records/s on ${cores} cores leaves ${((cores * 1e6) / TARGET).toFixed(0)} µs of CPU a record for everything, ${(1e6 / TARGET).toFixed(0)} on the writer's thread`,
  ].join('\n');
}

function section(command: string, table: string, machine: ReturnType<typeof describeMachine>): string {
  return `## Import: the floor under it (each step alone)

What the steps every imported record needs cost on this machine when each is done alone and
plainly, with none of the import's own logic around it (\`bench/import-floor.ts\`: no merging,
no author resolution, no look-ups; SQLite on a store in bulk-load mode, 2,000 records a
transaction, WAL; \`paper_keys\` first filled to the size it has in a store of that many
papers). Process CPU time per record, the best of the rounds. Their sum is the least CPU a
record can cost in an import made of these parts, whatever the design around them.

- command: \`${command}\`
- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
- machine: ${machineLine(machine)}

${table}`;
}

main();

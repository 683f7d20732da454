/**
 * Search quality on real data: known-item queries built from the real records — each paper's
 * title with one word dropped, its title with one word misspelt, its first author with its
 * year — and the share of them that find the paper at rank 1 and within the first 10. The
 * seed pages, the arXiv OAI harvest and the arXiv bulk samples are imported together into a
 * temporary store; the SQLite engine, the index engine as typed, and the index engine with
 * its spelling correction answer the same queries. Writes its section of docs/quality.md.
 *
 *   node --import tsx bench/quality-search.ts
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Paper } from '../src/domain/paper.ts';
import { type SearchEngine, type SearchRequest, SqliteSearch } from '../src/search/engine/search.ts';
import { StoreSearch } from '../src/search/index/store-search.ts';
import { ImportService } from '../src/services/import.service.ts';
import { defaultRegistry } from '../src/sources/registry.ts';
import { openDatabase } from '../src/store/sqlite/database.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { realCorpusFiles } from '../test/real-corpus.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env['PAPERSCOPE_SHARED'] ?? resolve(ROOT, '..', 'shared');
const DOC = join(ROOT, 'docs', 'quality.md');
const MAX_PAPERS = 2000;

/** Title words safe to type as free text: no quotes, parentheses, field colons or operators. */
function words(title: string): string[] {
  return title
    .replace(/:/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/["()“”]/g, '').replace(/^[-+]+/, ''))
    .map((w) => (w === 'AND' || w === 'OR' || w === 'NOT' ? w.toLowerCase() : w))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** A typist's slip in the middle of the word: two letters swapped (or one dropped, if they are the same). */
function misspell(word: string): string {
  const i = Math.floor(word.length / 2) - 1;
  if (word[i] !== word[i + 1]) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  return word.slice(0, i) + word.slice(i + 1);
}

interface KnownItem {
  kind: 'title, one word dropped' | 'title, one word misspelt' | 'first author + year';
  query: string;
  paperId: number;
}

function knownItems(papers: Paper[]): KnownItem[] {
  const out: KnownItem[] = [];
  for (const p of papers) {
    const w = words(p.title ?? '');
    if (w.length >= 4) {
      const drop = (p.id * 7) % w.length;
      out.push({
        kind: 'title, one word dropped',
        query: w.filter((_, i) => i !== drop).join(' '),
        paperId: p.id,
      });
      const longest = w.reduce(
        (best, x, i) => (/^\p{L}{5,}$/u.test(x) && x.length > w[best]!.length ? i : best),
        0,
      );
      if (/^\p{L}{5,}$/u.test(w[longest]!)) {
        const typo = w.map((x, i) => (i === longest ? misspell(x) : x));
        out.push({ kind: 'title, one word misspelt', query: typo.join(' '), paperId: p.id });
      }
    }
    const first = p.authors[0]?.name.display;
    if (first && p.year && !first.includes('"')) {
      out.push({ kind: 'first author + year', query: `author:"${first}" year:${p.year}`, paperId: p.id });
    }
  }
  return out;
}

interface Score {
  rank1: number;
  top10: number;
  n: number;
  ms: number;
}

function measure(
  engine: SearchEngine,
  items: KnownItem[],
  extra: Partial<SearchRequest>,
): Map<string, Score> {
  const by = new Map<string, Score>();
  for (const item of items) {
    const s = by.get(item.kind) ?? { rank1: 0, top10: 0, n: 0, ms: 0 };
    const t = performance.now();
    let hits: number[] = [];
    try {
      hits = engine.search({ query: item.query, limit: 10, ...extra }).hits.map((h) => h.paper.id);
    } catch (err) {
      // A title the query language reads otherwise counts as not found, and is shown.
      console.error(`${item.query}: ${(err as Error).message.split('\n')[0]}`);
    }
    s.ms += performance.now() - t;
    s.n++;
    if (hits[0] === item.paperId) s.rank1++;
    if (hits.includes(item.paperId)) s.top10++;
    by.set(item.kind, s);
  }
  return by;
}

const dir = mkdtempSync(join(tmpdir(), 'paperscope-quality-search-'));
const store = new SqliteStore(join(dir, 'paperscope.sqlite'));
try {
  const importer = new ImportService(store, defaultRegistry, () => new Date('2025-01-01T00:00:00Z'));
  for (const file of realCorpusFiles(SHARED)) await importer.importFile(file);
  const all = store.listPapers({ limit: 1_000_000 });
  const step = Math.max(1, Math.ceil(all.length / MAX_PAPERS));
  const papers = all.filter((_, i) => i % step === 0);
  const items = knownItems(papers);
  const db = openDatabase(store.file, { readonly: true });
  const engines: [string, SearchEngine, Partial<SearchRequest>][] = [
    ['SQLite FTS5 engine', new SqliteSearch(db), {}],
    ['index, as typed', new StoreSearch(db), { correct: false }],
    ['index, with spelling correction', new StoreSearch(db), {}],
  ];
  const kinds = [...new Set(items.map((i) => i.kind))];
  const rows: string[] = [];
  for (const [name, engine, extra] of engines) {
    const scores = measure(engine, items, extra);
    for (const kind of kinds) {
      const s = scores.get(kind)!;
      const pct = (x: number) => `${((100 * x) / s.n).toFixed(1)} %`;
      rows.push(
        `| ${kind} | ${name} | ${s.n} | ${pct(s.rank1)} | ${pct(s.top10)} | ${(s.ms / s.n).toFixed(1)} |`,
      );
    }
  }
  db.close();
  const table = [
    '| queries | engine | n | found at rank 1 | found within 10 | ms a query |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.sort(),
  ].join('\n');
  console.log(table);
  const start = '<!-- quality:search -->';
  const end = '<!-- /quality:search -->';
  const body = `${start}
## Search

Run on ${new Date().toISOString().slice(0, 10)} with \`node --import tsx bench/quality-search.ts\` over the four seed pages,
\`fixtures/arxiv-oai/ListRecords_data_*.xml\` and \`fixtures/arxiv-bulk/*.jsonl\` imported together
(${all.length} papers; one in every ${step} is a known item, ${papers.length} of them).

Known-item queries, built from each paper's own record, typed as free text (all words required):
- *title, one word dropped*: the title without its word number (id × 7 mod length);
- *title, one word misspelt*: the title with its longest word (5+ letters) misspelt by swapping its
  two middle letters (or dropping one of a doubled pair): \`transformer\` → \`transfromer\`;
- *first author + year*: \`author:"<first author as the record gives it>" year:<year>\`.

A query finds its paper when the paper is the first hit (rank 1) or among the first 10. The index
as typed answers exactly as the SQLite engine (same hits, same order); with spelling correction, a
query that matches nothing is tried again with each unknown word (no paper has it) replaced by
the most frequent indexed word one edit away, then the second and third, then without the
unknown words; the first that matches answers, and the result says so (\`corrected\`).

${table}

Titles shared by several papers (versions, errata) make rank 1 ambiguous; author + year queries rank
by date (there is no text to rank by), so rank 1 there is the newest paper of that person that year.
${end}`;
  const current = existsSync(DOC)
    ? readFileSync(DOC, 'utf8')
    : '# Quality\n\nFigures measured on the real data in `../shared`, each section with the command that produced it.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  writeFileSync(
    DOC,
    from >= 0 && to > from
      ? current.slice(0, from) + body + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${body}\n`,
  );
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

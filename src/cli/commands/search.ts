import { type Command, Option } from 'commander';
import { InvalidInputError } from '../../domain/errors.ts';
import { MAX_LIMIT, type SearchResult, type SearchSort, SqliteSearch } from '../../search/engine/search.ts';
import { StoreSearch } from '../../search/index/store-search.ts';
import { openUpToDate } from '../../search/index/update-index.ts';
import { openDatabase } from '../../store/sqlite/database.ts';
import { paperLine } from '../format-output.ts';
import type { CommandContext } from '../main.ts';
import { indexBar } from '../search-index-step.ts';

function count(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidInputError(`${name} wants a whole number, got "${value}"`);
    return Number(value);
  };
}

export function formatSearchResult(result: SearchResult, offset: number): string {
  const lines: string[] = [];
  const shown = result.hits.length;
  if (result.corrected !== undefined)
    lines.push(`Nothing matches as typed; showing papers for: ${result.corrected}`);
  lines.push(
    result.total === 0
      ? 'No papers match.'
      : shown === 0
        ? `${result.total} papers match; none from ${offset + 1}.`
        : `${result.total} papers match; ${offset + 1}–${offset + shown} shown.`,
  );
  for (const hit of result.hits) {
    lines.push(paperLine(hit.paper));
    if (hit.snippet) lines.push(`        ${hit.snippet}`);
  }
  return lines.join('\n');
}

interface SearchOptions {
  limit: number;
  offset: number;
  sort: SearchSort;
  json?: boolean;
  engine: 'index' | 'sqlite';
}

/** `paperscope search "QUERY"`: the query language over the knowledge base. */
export function registerSearchCommand(program: Command, context: CommandContext): void {
  program
    .command('search')
    .description(
      'search the knowledge base: free text, title:, abs:, author:, year:, cat:, has:, source:, id:, doi:',
    )
    .argument('<query>', 'the query, e.g. \'author:"Xiao, L" year:2020- "neural tangent kernel"\'')
    .option('--limit <n>', `hits per page (1–${MAX_LIMIT})`, count('--limit'), 20)
    .option('--offset <n>', 'skip this many hits', count('--offset'), 0)
    .addOption(
      new Option('--sort <order>', 'order of the hits').choices(['relevance', 'date']).default('relevance'),
    )
    .option('--json', 'print the result as JSON: total, hits, facets and the parsed query')
    .addOption(
      new Option('--engine <engine>', 'the search index in the data folder, or SQLite FTS5 (the reference)')
        .choices(['index', 'sqlite'])
        .default('index'),
    )
    .action((query: string, opts: SearchOptions) => {
      const store = context.openStore();
      const db = openDatabase(store.file, { readonly: true });
      // Without a saved index (an import run with --no-index) it is built here: a bar says how far.
      let engine: SqliteSearch | StoreSearch;
      if (opts.engine === 'sqlite') engine = new SqliteSearch(db);
      else {
        const bar = indexBar();
        try {
          engine = openUpToDate(db, store.file, { progress: bar.update }).search;
        } finally {
          bar.stop();
        }
      }
      try {
        const result = engine.search({
          query,
          limit: opts.limit,
          offset: opts.offset,
          sort: opts.sort,
        });
        context.io.out(opts.json ? JSON.stringify(result, null, 2) : formatSearchResult(result, opts.offset));
      } finally {
        if (engine instanceof StoreSearch) engine.save();
        db.close();
      }
    });
}

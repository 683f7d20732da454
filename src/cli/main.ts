import { Command, CommanderError, Option } from 'commander';
import { Paperscope } from '../app/paperscope.ts';
import { type Config, loadConfig } from '../config.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Paper } from '../domain/paper.ts';
import { EXPORT_FORMATS, type ExportFormat, exportPapers } from '../export/index.ts';
import { whenIndexed } from '../search/index/search-while-indexing.ts';
import { startServer } from '../server/serve.ts';
import { ImportService, type ImportSummary } from '../services/import.service.ts';
import type { FormatName } from '../sources/format.ts';
import { defaultRegistry, FORMAT_NAMES } from '../sources/registry.ts';
import type { PaperStore } from '../store/port.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { startKeepingUpLoop } from '../sync/loop.ts';
import { registerAccountCommands } from './commands/accounts.ts';
import { registerAuthorCommands } from './commands/author.ts';
import { registerDigestCommand } from './commands/digest.ts';
import { registerFetchCommands } from './commands/fetch.ts';
import { registerRecommendCommand } from './commands/recommend.ts';
import { registerSearchCommand } from './commands/search.ts';
import { registerSimilarCommand } from './commands/similar.ts';
import { registerSyncCommand } from './commands/sync.ts';
import { registerTrendingCommands } from './commands/trending.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { formatPaper, formatSummary, paperLine } from './format-output.ts';
import { createProgress } from './progress.ts';
import { formatIndexUpdate, indexWanted, updateIndexAfterImport } from './search-index-step.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  stdin: process.stdin,
};

/** Run the `paperscope` command line; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const stores: PaperStore[] = [];
  const program = new Command('paperscope')
    .description('A self-hosted research-paper platform.')
    .option('--data <dir>', 'data folder (default: $PAPERSCOPE_DATA or ./data)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  const config = (): Config => loadConfig(io.env, program.opts<{ data?: string }>());
  const openStore = (): SqliteStore => {
    const store = SqliteStore.inDataDir(config().dataDir);
    stores.push(store);
    return store;
  };
  const context: CommandContext = {
    io,
    config,
    openStore,
    setExit: (c) => (exitCode = Math.max(exitCode, c)),
  };

  program
    .command('import')
    .description('import files in any supported format (detected), or - for standard input')
    .argument('<files...>', 'files to import, or - for standard input')
    .addOption(
      new Option('--format <format>', 'force a format instead of detecting it').choices(FORMAT_NAMES),
    )
    .option('--json', 'print the summaries as JSON')
    .option('--no-index', 'leave the search index to the first search (by default it is brought up to date)')
    .action(async (files: string[], opts: { format?: FormatName; json?: boolean; index: boolean }) => {
      const store = openStore();
      const importer = new ImportService(store, defaultRegistry);
      const summaries: ImportSummary[] = [];
      for (const file of files) {
        const progress = createProgress();
        const options = opts.format
          ? { format: opts.format, onProgress: progress.update }
          : { onProgress: progress.update };
        const summary =
          file === '-'
            ? await importer.importText(await readAll(io.stdin), '-', options)
            : await importer.importFile(file, options);
        progress.stop();
        summaries.push(summary);
        if (!opts.json) io.out(formatSummary(summary));
      }
      if (opts.json) io.out(JSON.stringify(summaries, null, 2));
      // So that the first search after a large import reads the index instead of building it.
      if (opts.index && indexWanted(summaries, store.file)) {
        const update = updateIndexAfterImport(store.file);
        if (!opts.json) io.out(formatIndexUpdate(update));
      }
      // Some problems: 1 while anything was read at all, 2 when the whole command read nothing.
      if (summaries.some((s) => s.problems.length > 0)) {
        context.setExit(summaries.some((s) => s.read > 0) ? EXIT.partial : EXIT.failed);
      }
    });

  program
    .command('list')
    .description('list papers')
    .option('--json', 'print JSON: papers with identifiers, authors, sources and code links')
    .option('--limit <n>', 'at most this many papers', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; limit?: number }) => {
      const store = openStore();
      const total = await store.countPapers();
      const limit = opts.limit ?? total;
      const papers: Paper[] = [];
      for (let offset = 0; offset < limit; offset += 1000) {
        papers.push(...(await store.listPapers({ offset, limit: Math.min(1000, limit - offset) })));
      }
      io.out(
        opts.json ? JSON.stringify(papers, null, 2) : papers.map(paperLine).join('\n') || '(no papers yet)',
      );
    });

  program
    .command('show')
    .description('show one paper, by Paperscope id, arXiv id or DOI')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const paper = await openStore().findPaper(ref);
      if (!paper) throw new NotFoundError(`No paper "${ref}".`);
      io.out(opts.json ? JSON.stringify(paper, null, 2) : formatPaper(paper));
    });

  program
    .command('stats')
    .description('counts of papers, authors, code links and records by source')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const stats = await openStore().stats();
      if (opts.json) io.out(JSON.stringify(stats, null, 2));
      else {
        io.out(`papers ${stats.papers} · authors ${stats.authors} · code links ${stats.codeLinks}`);
        for (const [source, n] of Object.entries(stats.bySource)) io.out(`  ${source}: ${n} records`);
      }
    });

  program
    .command('export')
    .description('export papers as BibTeX, RIS or CSL-JSON')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('bibtex'))
    .option('--author <name>', 'only the papers of this person')
    .action(async (opts: { format: ExportFormat; author?: string }) => {
      const store = openStore();
      let papers: Paper[];
      if (opts.author) {
        const author = (await store.findAuthors(opts.author))[0];
        if (!author) throw new NotFoundError(`No author "${opts.author}".`);
        papers = await store.listPapers({ authorId: author.id, limit: 100_000 });
      } else {
        papers = await store.listPapers({ limit: Number.MAX_SAFE_INTEGER });
      }
      io.out(exportPapers(papers, opts.format));
    });

  program
    .command('serve')
    .description('serve the knowledge base over HTTP')
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .option('--port <port>', 'port (default: $PORT or 8080)')
    .action(async (opts: { host?: string; port?: string }) => {
      const cfg = loadConfig(io.env, { ...program.opts<{ data?: string }>(), ...opts });
      const paperscope = Paperscope.open(cfg);
      const server = await startServer(paperscope, cfg.host, cfg.port);
      io.out(`Paperscope is serving ${paperscope.store.file} at ${server.url}`);
      // Read the search index now rather than on the first query; a missing or stale one of a
      // large store is brought up to date in the background (searches answer 503 meanwhile).
      const served = paperscope.serveSearch((line) => io.err(`paperscope: ${line}`));
      // Then its commonest words decoded ahead, a step at a time between requests, so that the
      // first searches answer as later ones do (seconds at 2.9M papers; within 128 MiB).
      void whenIndexed(served)
        .then((index) => index?.warmUp())
        .then((r) => {
          if (r && !r.stoppedEarly)
            io.err(
              `paperscope: search warmed up in ${(r.ms / 1000).toFixed(1)} s (${r.leaves.length} words decoded, ${r.answers} answers, ${r.sets} phrase sets, ${r.skipTables} skip tables kept)`,
            );
        })
        .catch((err: Error) => io.err(`paperscope: search warm-up: ${err.message}`));
      const keepingUp = startKeepingUpLoop(paperscope, io.err);
      await new Promise<void>((resolve) => {
        const stop = () => {
          void Promise.all([keepingUp.stop(), server.close()]).then(() => {
            paperscope.close();
            resolve();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  registerFetchCommands(program, context);
  registerSearchCommand(program, context);
  registerAuthorCommands(program, context);
  registerSimilarCommand(program, context);
  registerTrendingCommands(program, context);
  registerRecommendCommand(program, context);
  registerSyncCommand(program, context);
  registerDigestCommand(program, context);
  registerAccountCommands(program, context);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.failed;
    }
    io.err(`paperscope: ${(err as Error).message}`);
    exitCode = exitCodeFor(err);
  } finally {
    for (const s of stores) await s.close();
  }
  return exitCode;
}

export interface CommandContext {
  io: CliIo;
  config: () => Config;
  openStore: () => SqliteStore;
  setExit: (code: number) => void;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

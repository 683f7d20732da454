import type { Command } from 'commander';
import { Paperscope } from '../../app/paperscope.ts';
import type { BuildProgress } from '../../discovery/similar/neighbour-index.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { paperLine } from '../format-output.ts';
import type { CommandContext } from '../main.ts';

/**
 * `paperscope similar <id>`: a paper's nearest neighbours with the reason for each, read from
 * the index saved in the data folder (built on first use, then brought up to date with the
 * papers imported since). `--rebuild` learns it all again, with progress on stderr; `--status`
 * says how large it is and whether a refit is due.
 */
export function registerSimilarCommand(program: Command, context: CommandContext): void {
  program
    .command('similar')
    .description('papers similar to one paper, with the terms they share')
    .argument('[id]', 'a Paperscope id, an arXiv id or a DOI')
    .option('--k <n>', 'how many neighbours', (v) => Number.parseInt(v, 10), 10)
    .option('--json', 'print JSON')
    .option(
      '--rebuild',
      'learn the index again from every paper (otherwise only new and changed papers are added)',
    )
    .option('--status', 'show the size of the index and whether a rebuild is due')
    .action(
      async (
        ref: string | undefined,
        opts: { k: number; json?: boolean; rebuild?: boolean; status?: boolean },
      ) => {
        if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > 200) {
          throw new InvalidInputError('--k wants a whole number from 1 to 200');
        }
        if (!ref && !opts.rebuild && !opts.status) {
          throw new InvalidInputError('similar wants a paper id (or --rebuild, or --status)');
        }
        const app = Paperscope.open(context.config());
        try {
          const progress = progressPrinter(context.io.err);
          if (opts.rebuild) {
            const started = performance.now();
            const index = await app.similarity.rebuild(progress);
            context.io.err(
              `Indexed ${index.size} papers in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
            );
          }
          if (opts.status) {
            const status = await app.similarity.status();
            if (opts.json) context.io.out(JSON.stringify(status, null, 2));
            else {
              context.io.out(
                `${status.indexed} of ${status.papers} papers indexed (dense signal: ${status.encoder}); ` +
                  `${status.listsKept} neighbour lists kept (the others are computed when first asked for); ` +
                  `vocabulary and basis learned from ${status.fittedOn}; index file ${status.file ?? '(memory)'}`,
              );
              if (status.refitDue)
                context.io.out('The corpus has doubled since: run `paperscope similar --rebuild`.');
            }
          }
          if (!ref) return;
          const paper = await app.store.findPaper(ref);
          if (!paper) throw new NotFoundError(`No paper "${ref}".`);
          await app.similarity.index(progress);
          const neighbours = await app.similarity.neighbours(paper.id, opts.k);
          if (opts.json) {
            context.io.out(JSON.stringify({ paper, neighbours }, null, 2));
            return;
          }
          context.io.out(`Similar to: ${paperLine(paper)}`);
          for (const n of neighbours) {
            context.io.out(`${paperLine(n.paper)}\n        ${n.score.toFixed(2)} · ${n.reason}`);
          }
          const status = await app.similarity.status();
          if (status.refitDue) {
            context.io.err(
              `note: the index learned its vocabulary from ${status.fittedOn} papers; the store has ${status.papers}: run \`paperscope similar --rebuild\``,
            );
          }
        } finally {
          app.close();
        }
      },
    );
}

/** One line per phase each time it passes another tenth (a build of millions takes minutes). */
function progressPrinter(write: (line: string) => void): BuildProgress {
  let lastPhase = '';
  let lastTenth = -1;
  return (phase, done, total) => {
    const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
    if (phase === lastPhase && tenth === lastTenth) return;
    if (phase !== lastPhase) lastTenth = -1;
    lastPhase = phase;
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    write(`similar: ${phase} ${done.toLocaleString('en')}/${total.toLocaleString('en')}`);
  };
}

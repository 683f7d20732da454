import type { Command } from 'commander';
import { Paperscope } from '../../app/paperscope.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import { paperLine } from '../format-output.ts';
import type { CommandContext } from '../main.ts';

/** `paperscope recommend --like <ids…> [--dislike <ids…>]`: papers for these tastes, each with why. */
export function registerRecommendCommand(program: Command, context: CommandContext): void {
  program
    .command('recommend')
    .description(
      'papers like the liked ones (and unlike the disliked), with the terms and papers that explain each',
    )
    .requiredOption('--like <ids...>', 'liked papers: Paperscope ids, arXiv ids or DOIs')
    .option('--dislike <ids...>', 'disliked papers')
    .option(
      '--limit <n>',
      'at most this many papers',
      (v: string) => {
        if (!/^\d+$/.test(v.trim())) throw new InvalidInputError(`--limit wants a whole number, got "${v}"`);
        return Number(v);
      },
      20,
    )
    .option('--json', 'print JSON')
    .action(async (opts: { like: string[]; dislike?: string[]; limit: number; json?: boolean }) => {
      const app = Paperscope.open(context.config());
      try {
        const result = await app.recommender.recommend({
          like: opts.like,
          dislike: opts.dislike ?? [],
          limit: opts.limit,
        });
        if (opts.json) {
          context.io.out(JSON.stringify(result, null, 2));
          return;
        }
        const n = result.like.length;
        context.io.out(
          `For ${n} liked paper${n === 1 ? '' : 's'}${result.dislike.length ? ` and ${result.dislike.length} disliked` : ''}:`,
        );
        for (const r of result.papers) context.io.out(`${paperLine(r.paper)}\n        ${r.reason}`);
      } finally {
        app.close();
      }
    });
}

import type { Command } from 'commander';
import { Paperscope } from '../../app/paperscope.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import { paperLine } from '../format-output.ts';
import type { CommandContext } from '../main.ts';

function whole(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidInputError(`${name} wants a whole number, got "${value}"`);
    return Number(value);
  };
}

async function withApp<T>(context: CommandContext, fn: (app: Paperscope) => Promise<T>): Promise<T> {
  const app = Paperscope.open(context.config());
  try {
    return await fn(app);
  } finally {
    app.close();
  }
}

/**
 * `paperscope new`: the papers of a category and day, as an arXiv listing shows them.
 * `paperscope trending`: papers by the time-decayed score of docs/trending.md, with its parts.
 */
export function registerTrendingCommands(program: Command, context: CommandContext): void {
  program
    .command('new')
    .description('new papers by category and day (the latest day that has papers unless --day or --since)')
    .option('--category <cat>', 'an arXiv category (cs.LG), an archive (cs) or a subject name')
    .option('--day <YYYY-MM-DD>', 'one day')
    .option('--since <YYYY-MM-DD>', 'every day from this one on')
    .option('--limit <n>', 'at most this many papers', whole('--limit'), 50)
    .option('--offset <n>', 'skip this many papers', whole('--offset'), 0)
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        category?: string;
        day?: string;
        since?: string;
        limit: number;
        offset: number;
        json?: boolean;
      }) =>
        withApp(context, async (app) => {
          const listing = await app.trending.newPapers({
            ...(opts.category === undefined ? {} : { category: opts.category }),
            ...(opts.day === undefined ? {} : { day: opts.day }),
            ...(opts.since === undefined ? {} : { since: opts.since }),
            limit: opts.limit,
            offset: opts.offset,
          });
          if (opts.json) {
            context.io.out(JSON.stringify(listing, null, 2));
            return;
          }
          const what = listing.category
            ? `${listing.category}${listing.categoryName ? ` (${listing.categoryName})` : ''}`
            : 'All categories';
          const when = listing.day ? `on ${listing.day}` : listing.since ? `since ${listing.since}` : '';
          const shown = listing.papers.length;
          context.io.out(
            listing.total === 0
              ? `${what}: no papers ${when}.`.replace(' .', '.')
              : `${what} ${when}: ${listing.total} papers; ${listing.offset + 1}–${listing.offset + shown} shown.`,
          );
          for (const p of listing.papers) context.io.out(paperLine(p));
        }),
    );

  program
    .command('trending')
    .description(
      'trending papers: recency, Hugging Face upvotes and local views and saves, each decaying with age',
    )
    .option('--category <cat>', 'an arXiv category (cs.LG), an archive (cs) or a subject name')
    .option('--days <n>', 'papers published, viewed or saved in the last n days', whole('--days'), 7)
    .option('--limit <n>', 'at most this many papers', whole('--limit'), 20)
    .option('--json', 'print JSON (each paper with the parts of its score)')
    .action(async (opts: { category?: string; days: number; limit: number; json?: boolean }) =>
      withApp(context, async (app) => {
        const result = await app.trending.trending({
          ...(opts.category === undefined ? {} : { category: opts.category }),
          days: opts.days,
          limit: opts.limit,
        });
        if (opts.json) {
          context.io.out(JSON.stringify(result, null, 2));
          return;
        }
        const where = result.category ? ` in ${result.category}` : '';
        if (result.papers.length === 0) {
          context.io.out(`Nothing trending${where} in the ${result.days} days to ${result.at.slice(0, 10)}.`);
          return;
        }
        context.io.out(
          `Trending${where}, the ${result.days} days to ${result.at.slice(0, 16).replace('T', ' ')} UTC:`,
        );
        for (const t of result.papers) {
          context.io.out(
            `${paperLine(t.paper)}\n        ${t.score >= 0.01 ? t.score.toFixed(2) : t.score.toExponential(1)} · ${t.reason}`,
          );
        }
      }),
    );
}

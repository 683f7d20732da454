import { type Command, Option } from 'commander';
import { Paperscope } from '../../app/paperscope.ts';
import { PAPER_SORTS, type PaperSort, type SortDirection } from '../../discovery/authors/profile.ts';
import type { AuthorView, Decider } from '../../discovery/authors/service.ts';
import type { Suggestion } from '../../discovery/authors/suggestions.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import { paperLine } from '../format-output.ts';
import type { CommandContext } from '../main.ts';

/** The command line runs as the machine's owner: it may decide who is who. */
const OWNER: Decider = { label: 'cli', isAdmin: true };

/**
 * `paperscope author` (a person's whole profile, with who else they could be),
 * `author-merge`, `author-split` and `author-reject` (an admin's decisions, recorded).
 */
export function registerAuthorCommands(program: Command, context: CommandContext): void {
  const withApp = async <T>(fn: (app: Paperscope) => Promise<T>): Promise<T> => {
    const app = Paperscope.open(context.config());
    try {
      return await fn(app);
    } finally {
      app.close();
    }
  };
  const out = (text: string) => context.io.out(text);

  program
    .command('author')
    .description(
      'a person: name variants, papers, co-authors, papers per year, topics, code, who else they could be',
    )
    .argument('<name>', 'a name in any spelling ("Lechao Xiao", "Xiao, Lechao"), or an author id')
    .addOption(new Option('--sort <order>', 'order of the papers').choices(PAPER_SORTS).default('date'))
    .addOption(new Option('--order <direction>', 'ascending or descending').choices(['asc', 'desc']))
    .option('--limit <n>', 'at most this many papers', (v) => positiveInt('--limit', v))
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: { sort: PaperSort; order?: SortDirection; limit?: number; json?: boolean },
      ) =>
        withApp(async (app) => {
          const profile = await app.authors.profile(name, {
            sort: opts.sort,
            ...(opts.order ? { direction: opts.order } : {}),
            limit: opts.limit ?? 100_000,
            exactTerms: true,
          });
          const suggestions = await app.authors.suggestions(profile.id);
          out(
            opts.json
              ? JSON.stringify({ ...profile, suggestions }, null, 2)
              : formatProfile(profile, suggestions),
          );
        }),
    );

  program
    .command('author-merge')
    .description('merge the second author into the first (the second id then redirects to the first)')
    .argument('<id>', 'the author who stays')
    .argument('<otherId>', 'the author merged into them')
    .option('--json', 'print JSON')
    .action(async (id: string, other: string, opts: { json?: boolean }) =>
      withApp(async (app) => {
        const result = await app.authors.merge(id, other, OWNER);
        const kept = await app.authors.profile(result.kept, { limit: 0 });
        out(
          opts.json
            ? JSON.stringify(result, null, 2)
            : `Merged author ${result.mergedAway} into ${kept.displayName} (${result.kept}): ` +
                `${result.papersMoved} papers moved; now ${kept.paperCount} papers, names ${kept.names.map((n) => n.display).join('; ')}.`,
        );
      }),
    );

  program
    .command('author-split')
    .description('move papers and/or name variants that belong to someone else to a new author')
    .argument('<id>', 'the author to split')
    .option('--papers <refs...>', 'papers to move: Paperscope ids, arXiv ids or DOIs')
    .option('--names <variants...>', 'name variants to move, as written')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { papers?: string[]; names?: string[]; json?: boolean }) =>
      withApp(async (app) => {
        if (!opts.papers?.length && !opts.names?.length) {
          throw new InvalidInputError('author-split needs --papers <ids…> or --names <variants…> (or both).');
        }
        const papers: number[] = [];
        for (const p of opts.papers ?? []) {
          const paper = await app.store.findPaper(p);
          if (!paper) throw new NotFoundError(`No paper "${p}".`);
          papers.push(paper.id);
        }
        const result = await app.authors.split(ref, { papers, names: opts.names ?? [] }, OWNER);
        const created = await app.authors.profile(result.created, { limit: 0 });
        out(
          opts.json
            ? JSON.stringify(result, null, 2)
            : `Split ${result.papers.length} papers off author ${result.from} into new author ${created.displayName} (${result.created}).`,
        );
      }),
    );

  program
    .command('author-reject')
    .description('record that two authors are not the same person (never suggested again)')
    .argument('<id>')
    .argument('<otherId>')
    .option('--json', 'print JSON')
    .action(async (id: string, other: string, opts: { json?: boolean }) =>
      withApp(async (app) => {
        const result = await app.authors.reject(id, other, OWNER);
        out(
          opts.json
            ? JSON.stringify(result, null, 2)
            : result.alreadyKnown
              ? `Already recorded: authors ${id} and ${other} are not the same person.`
              : `Recorded: authors ${id} and ${other} are not the same person.`,
        );
      }),
    );
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidInputError(`${flag} wants a whole number, not "${value}".`);
  return n;
}

export function formatProfile(a: AuthorView, suggestions: readonly Suggestion[]): string {
  const lines = [`${a.displayName} (author ${a.id}) — ${a.paperCount} papers`];
  if (a.redirectedFrom !== undefined) lines.push(`(author ${a.redirectedFrom} was merged into this one)`);
  lines.push(`Name variants: ${a.names.map((n) => `${n.display} (${n.count})`).join('; ')}`);
  if (a.coauthors.length) {
    lines.push(
      `Co-authors: ${a.coauthors
        .slice(0, 20)
        .map((c) => `${c.displayName} (${c.count})`)
        .join(', ')}${a.coauthors.length > 20 ? `, and ${a.coauthors.length - 20} more` : ''}`,
    );
  }
  if (a.papersPerYear.length) {
    lines.push('Papers per year:');
    const max = Math.max(...a.papersPerYear.map((y) => y.count));
    for (const y of a.papersPerYear) {
      lines.push(`  ${y.year} ${'█'.repeat(Math.max(1, Math.round((y.count / max) * 30)))} ${y.count}`);
    }
  }
  if (a.topCategories.length) {
    lines.push(`Top categories: ${a.topCategories.map((c) => `${c.category} (${c.count})`).join(', ')}`);
  }
  if (a.topTerms.length) lines.push(`Top terms: ${a.topTerms.map((t) => t.term).join(', ')}`);
  for (const l of a.codeLinks) lines.push(`Code: ${l.url}`);
  if (a.paperSources.length) {
    lines.push(`Sources: ${a.paperSources.map((s) => `${s.source} (${s.papers} papers)`).join(', ')}`);
  }
  const { sort, direction, total } = a.paperPage;
  lines.push(
    `Papers (${sort}, ${direction}${a.papers.length < total ? `, ${a.papers.length} of ${total}` : ''}):`,
  );
  for (const p of a.papers) lines.push(paperLine(p));
  if (suggestions.length) {
    lines.push('Possibly the same person:');
    for (const s of suggestions) {
      lines.push(`  ${s.displayName} (author ${s.id}, ${s.paperCount} papers) — ${s.summary}`);
    }
    lines.push(
      `  (merge: paperscope author-merge ${a.id} <id> · not the same: paperscope author-reject ${a.id} <id>)`,
    );
  }
  return lines.join('\n');
}

import type { Command } from 'commander';
import { SimilarityIndex } from '../../discovery/similar/index.ts';
import { InvalidInputError, NotFoundError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { paperLine } from '../format-output.ts';
import type { CommandContext } from '../main.ts';

/**
 * `paperscope similar <id>`: a paper's nearest neighbours with the reason for each.
 * The index is learned from the whole knowledge base on each call (seconds for thousands of
 * papers); keeping it between calls and updating it as papers arrive is the serving path's job.
 */
export function registerSimilarCommand(program: Command, context: CommandContext): void {
  program
    .command('similar')
    .description('papers similar to one paper, with the terms they share')
    .argument('<id>', 'a Paperscope id, an arXiv id or a DOI')
    .option('--k <n>', 'how many neighbours', (v) => Number.parseInt(v, 10), 10)
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { k: number; json?: boolean }) => {
      if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > 200) {
        throw new InvalidInputError('--k wants a whole number from 1 to 200');
      }
      const store = context.openStore();
      const paper = await store.findPaper(ref);
      if (!paper) throw new NotFoundError(`No paper "${ref}".`);
      const total = await store.countPapers();
      const papers: Paper[] = [];
      for (let offset = 0; offset < total; offset += 5000) {
        papers.push(...(await store.listPapers({ offset, limit: 5000 })));
      }
      const byId = new Map(papers.map((p) => [p.id, p]));
      const index = SimilarityIndex.build(papers);
      const neighbours = index
        .neighbours(paper.id, opts.k)
        .map((n) => ({ ...n, paper: byId.get(n.paperId)! }));
      if (opts.json) {
        context.io.out(JSON.stringify({ paper, neighbours }, null, 2));
        return;
      }
      context.io.out(`Similar to: ${paperLine(paper)}`);
      for (const n of neighbours) {
        context.io.out(`${paperLine(n.paper)}\n        ${n.score.toFixed(2)} · ${n.reason}`);
      }
    });
}

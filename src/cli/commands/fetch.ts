import { type Command, Option } from 'commander';
import type { Config } from '../../config.ts';
import { InvalidInputError } from '../../domain/errors.ts';
import { fetchArxivApi, harvestArxivOai } from '../../fetch/arxiv.ts';
import { createHttpClient, type HttpClient } from '../../fetch/http.ts';
import { fetchHuggingFaceDaily } from '../../fetch/huggingface.ts';
import { fetchOpenAlex } from '../../fetch/openalex.ts';
import type { FetchedPage } from '../../fetch/page.ts';
import { fetchSemanticScholar } from '../../fetch/semantic-scholar.ts';
import { type HarvestState, ingestPages, loadHarvestState } from '../../services/fetch.service.ts';
import { ImportService, type ImportSummary } from '../../services/import.service.ts';
import { arxivApiAdapter } from '../../sources/arxiv-api/parse.ts';
import { arxivOaiAdapter } from '../../sources/arxiv-oai/parse.ts';
import { huggingFaceAdapter } from '../../sources/huggingface/parse.ts';
import { openAlexAdapter } from '../../sources/openalex/parse.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import { semanticScholarAdapter } from '../../sources/semantic-scholar/parse.ts';
import { EXIT } from '../exit-codes.ts';
import { formatSummary } from '../format-output.ts';
import type { CommandContext } from '../main.ts';

const S2_FIELDS =
  'paperId,externalIds,title,abstract,venue,year,publicationDate,authors,citationCount,referenceCount,tldr,fieldsOfStudy,journal';

function httpFor(config: Config, io: CommandContext['io']): HttpClient {
  const arxivHosts = [config.sources.arxivApi, config.sources.arxivOai].map((u) => new URL(u).host);
  const s2Host = new URL(config.sources.semanticScholar).host;
  return createHttpClient({
    userAgent: 'Paperscope/0.1 (self-hosted research-paper platform)',
    minIntervalMs: 1000,
    hostIntervalMs: Object.fromEntries(arxivHosts.map((h) => [h, config.arxivDelayMs])),
    maxRetries: 4,
    maxBackoffMs: 120_000,
    timeoutMs: 60_000,
    ...(config.semanticScholarApiKey
      ? { apiKeyHeaders: { [s2Host]: { 'x-api-key': config.semanticScholarApiKey } } }
      : {}),
    onEvent: (e) => {
      if (e.type === 'retry')
        io.err(`  … ${e.reason}; retrying ${e.url} in ${Math.round(e.delayMs / 1000)} s`);
    },
  });
}

/** `paperscope fetch …` and `paperscope harvest …`: live sources, page by page into the store. */
export function registerFetchCommands(program: Command, context: CommandContext): void {
  const { io } = context;

  async function run(
    origin: string,
    pages: (http: HttpClient, config: Config) => AsyncIterable<FetchedPage & { resumptionToken?: string }>,
    options: { stateName?: string; initial?: HarvestState } = {},
  ): Promise<ImportSummary> {
    const config = context.config();
    const store = context.openStore();
    const importer = new ImportService(store, defaultRegistry);
    const summary = await ingestPages(importer, pages(httpFor(config, io), config), origin, {
      ...options,
      onPage: (p) => io.err(`  page ${p.pages}: ${p.summary.read} records so far (${p.url})`),
    });
    io.out(formatSummary(summary));
    if (summary.problems.length) context.setExit(EXIT.partial);
    return summary;
  }

  const fetch = program
    .command('fetch')
    .description('fetch papers from a live source into the knowledge base');

  fetch
    .command('arxiv')
    .description('arXiv API: a search query, ids, or an author')
    .option('--query <query>', 'arXiv search_query, e.g. "cat:cs.LG AND ti:scaling"')
    .option('--id <ids...>', 'arXiv ids')
    .option('--author <name>', 'an author name')
    .option('--max <n>', 'at most this many results', (v) => Number.parseInt(v, 10), 100)
    .action(async (opts: { query?: string; id?: string[]; author?: string; max: number }) => {
      if (!opts.query && !opts.id && !opts.author)
        throw new InvalidInputError('Give --query, --id or --author.');
      await run('arXiv API', (http, config) =>
        fetchArxivApi(
          http,
          {
            baseUrl: config.sources.arxivApi,
            maxResults: opts.max,
            pageSize: Math.min(opts.max, 100),
            ...(opts.query ? { query: opts.query } : {}),
            ...(opts.id ? { idList: opts.id } : {}),
            ...(opts.author ? { author: opts.author } : {}),
          },
          { adapter: arxivApiAdapter },
        ),
      );
    });

  fetch
    .command('s2')
    .description('Semantic Scholar: paper ids (batch), a search, or an author’s papers')
    .option('--id <ids...>', 'paper ids: S2 ids, DOI:…, ARXIV:…, CorpusId:…')
    .option('--search <query>', 'a keyword search')
    .option('--author-id <id>', 'an S2 author id')
    .option('--fields <fields>', 'the Graph API fields to ask for', S2_FIELDS)
    .option('--max <n>', 'at most this many results', (v) => Number.parseInt(v, 10), 100)
    .action(
      async (opts: { id?: string[]; search?: string; authorId?: string; fields: string; max: number }) => {
        if (!opts.id && !opts.search && !opts.authorId) {
          throw new InvalidInputError('Give --id, --search or --author-id.');
        }
        await run('Semantic Scholar', (http, config) =>
          fetchSemanticScholar(
            http,
            {
              baseUrl: config.sources.semanticScholar,
              fields: opts.fields,
              maxResults: opts.max,
              ...(opts.id ? { ids: opts.id } : {}),
              ...(opts.search ? { search: opts.search } : {}),
              ...(opts.authorId ? { authorId: opts.authorId } : {}),
            },
            { adapter: semanticScholarAdapter },
          ),
        );
      },
    );

  fetch
    .command('openalex')
    .description('OpenAlex works: a search, a filter, or work ids')
    .option('--search <query>', 'full-text search')
    .option('--filter <filter>', 'an OpenAlex filter, e.g. "author.id:A5023888391"')
    .option('--id <ids...>', 'work ids (W…)')
    .option('--mailto <email>', 'your address, for OpenAlex’s polite pool')
    .action(async (opts: { search?: string; filter?: string; id?: string[]; mailto?: string }) => {
      if (!opts.search && !opts.filter && !opts.id)
        throw new InvalidInputError('Give --search, --filter or --id.');
      await run('OpenAlex', (http, config) =>
        fetchOpenAlex(
          http,
          {
            baseUrl: config.sources.openAlex,
            ...(opts.search ? { search: opts.search } : {}),
            ...(opts.filter ? { filter: opts.filter } : {}),
            ...(opts.id ? { workIds: opts.id } : {}),
            ...(opts.mailto ? { mailto: opts.mailto } : {}),
          },
          { adapter: openAlexAdapter },
        ),
      );
    });

  fetch
    .command('hf')
    .description('Hugging Face daily papers (with upvotes and code links)')
    .option('--date <date>', 'YYYY-MM-DD (default: the latest day)')
    .action(async (opts: { date?: string }) => {
      await run('Hugging Face', (http, config) =>
        fetchHuggingFaceDaily(
          http,
          { baseUrl: config.sources.huggingFace, ...(opts.date ? { date: opts.date } : {}) },
          { adapter: huggingFaceAdapter },
        ),
      );
    });

  program
    .command('harvest')
    .description('harvest arXiv over OAI-PMH; resumes after a crash from the last committed page')
    .argument('<source>', 'arxiv-oai')
    .option('--set <set>', 'an OAI set such as cs, math, physics:cond-mat')
    .option('--from <date>', 'YYYY-MM-DD: records changed since')
    .option('--until <date>', 'YYYY-MM-DD')
    .addOption(
      new Option('--metadata <prefix>', 'metadata format')
        .choices(['arXiv', 'oai_dc', 'arXivRaw'])
        .default('arXiv'),
    )
    .option('--restart', 'ignore a saved position and start over')
    .action(
      async (
        source: string,
        opts: {
          set?: string;
          from?: string;
          until?: string;
          metadata: 'arXiv' | 'oai_dc' | 'arXivRaw';
          restart?: boolean;
        },
      ) => {
        if (source !== 'arxiv-oai')
          throw new InvalidInputError(`Unknown harvest source "${source}" (known: arxiv-oai).`);
        const stateName = `harvest:arxiv-oai:${opts.set ?? '*'}:${opts.from ?? ''}:${opts.until ?? ''}:${opts.metadata}`;
        const store = context.openStore();
        const saved = opts.restart ? undefined : await loadHarvestState(store, stateName);
        const resumeFrom = saved?.resumptionToken;
        if (resumeFrom)
          io.err(`Resuming the harvest after page ${saved.pages} (resumptionToken ${resumeFrom}).`);
        else if (saved?.completedAt && !opts.restart) {
          io.err(
            `This harvest completed at ${saved.completedAt}; harvesting it again (use --from for new records).`,
          );
        }
        await run(
          'arXiv OAI-PMH',
          (http, config) =>
            harvestArxivOai(
              http,
              {
                baseUrl: config.sources.arxivOai,
                metadataPrefix: opts.metadata,
                ...(opts.set ? { set: opts.set } : {}),
                ...(opts.from ? { from: opts.from } : {}),
                ...(opts.until ? { until: opts.until } : {}),
                ...(resumeFrom ? { resumptionToken: resumeFrom } : {}),
              },
              { adapter: arxivOaiAdapter },
            ),
          resumeFrom && saved ? { stateName, initial: saved } : { stateName },
        );
      },
    );
}

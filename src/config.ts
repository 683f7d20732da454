import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration, parsed once at each entry point from flags and the environment and passed
 * down; nothing deeper reads `process.env`.
 */
const ConfigSchema = z.object({
  dataDir: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  sources: z.object({
    arxivApi: z.url(),
    arxivOai: z.url(),
    semanticScholar: z.url(),
    openAlex: z.url(),
    huggingFace: z.url(),
  }),
  semanticScholarApiKey: z.string().optional(),
  /** A sentence-embedding model in ONNX form for similar papers, and its WordPiece vocab.txt (default: beside it). */
  embeddingModel: z.string().min(1).optional(),
  embeddingVocab: z.string().min(1).optional(),
  /** Politeness: smallest gap between two requests to one host, in milliseconds. */
  arxivDelayMs: z.coerce.number().int().min(0),
  /** Where people reach this instance: links in emails and feeds point here. */
  baseUrl: z.url(),
  /** Digests are sent through this server (`smtp://user:pass@host:587`); without it none are sent. */
  smtpUrl: z.url().optional(),
  mailFrom: z.string().min(3),
  sync: z.object({
    /** Whether `serve` runs the sync loop (and sends digests when an SMTP server is set). */
    enabled: z.boolean(),
    sources: z.array(z.enum(['arxiv', 'huggingface', 'semantic-scholar'])),
    /** arXiv categories or archives to harvest: `cs.LG`, `stat.ML`, `cs`, `hep-th`. */
    categories: z.array(z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/)),
    intervalMinutes: z.coerce.number().positive(),
    oaiMetadata: z.enum(['arXiv', 'oai_dc', 'arXivRaw']),
    /** Papers asked of Semantic Scholar per run (its batch takes 500). */
    enrichPerRun: z.coerce.number().int().min(0).max(5000),
  }),
  /** `closed` refuses sign-ups from the web whatever the admin set (accounts then come from the CLI). */
  registration: z.enum(['open', 'closed']).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

export interface ConfigFlags {
  data?: string;
  host?: string;
  port?: string | number;
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const parsed = ConfigSchema.safeParse({
    dataDir: resolve(flags.data ?? env['PAPERSCOPE_DATA'] ?? './data'),
    host: flags.host ?? env['HOST'] ?? '127.0.0.1',
    port: flags.port ?? env['PORT'] ?? 8080,
    sources: {
      arxivApi: env['PAPERSCOPE_ARXIV_API_URL'] ?? 'https://export.arxiv.org/api/query',
      arxivOai: env['PAPERSCOPE_ARXIV_OAI_URL'] ?? 'https://oaipmh.arxiv.org/oai',
      semanticScholar: env['PAPERSCOPE_S2_URL'] ?? 'https://api.semanticscholar.org/graph/v1',
      openAlex: env['PAPERSCOPE_OPENALEX_URL'] ?? 'https://api.openalex.org',
      huggingFace: env['PAPERSCOPE_HF_URL'] ?? 'https://huggingface.co',
    },
    semanticScholarApiKey: env['PAPERSCOPE_S2_API_KEY'] || undefined,
    embeddingModel: env['PAPERSCOPE_EMBEDDING_MODEL']
      ? resolve(env['PAPERSCOPE_EMBEDDING_MODEL'])
      : undefined,
    embeddingVocab: env['PAPERSCOPE_EMBEDDING_VOCAB']
      ? resolve(env['PAPERSCOPE_EMBEDDING_VOCAB'])
      : undefined,
    arxivDelayMs: env['PAPERSCOPE_ARXIV_DELAY_MS'] ?? 3000,
    baseUrl: (
      env['PAPERSCOPE_BASE_URL'] ??
      `http://${flags.host ?? env['HOST'] ?? '127.0.0.1'}:${flags.port ?? env['PORT'] ?? 8080}`
    ).replace(/\/+$/, ''),
    smtpUrl: env['PAPERSCOPE_SMTP_URL'] || undefined,
    mailFrom: env['PAPERSCOPE_MAIL_FROM'] ?? 'Paperscope <paperscope@localhost>',
    sync: {
      enabled: env['PAPERSCOPE_SYNC'] === 'on',
      sources: listOf(env['PAPERSCOPE_SYNC_SOURCES'] ?? 'arxiv,huggingface,semantic-scholar'),
      categories: listOf(env['PAPERSCOPE_SYNC_CATEGORIES'] ?? ''),
      intervalMinutes: env['PAPERSCOPE_SYNC_INTERVAL_MINUTES'] ?? 360,
      oaiMetadata: env['PAPERSCOPE_SYNC_OAI_METADATA'] ?? 'arXiv',
      enrichPerRun: env['PAPERSCOPE_SYNC_ENRICH_PER_RUN'] ?? 500,
    },
    registration: env['PAPERSCOPE_REGISTRATION']?.trim().toLowerCase() || undefined,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  return parsed.data;
}

function listOf(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

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
  /** Politeness: smallest gap between two requests to one host, in milliseconds. */
  arxivDelayMs: z.coerce.number().int().min(0),
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
    arxivDelayMs: env['PAPERSCOPE_ARXIV_DELAY_MS'] ?? 3000,
    registration: env['PAPERSCOPE_REGISTRATION']?.trim().toLowerCase() || undefined,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  return parsed.data;
}

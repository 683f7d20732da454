import type { FormatAdapter } from '../sources/format.ts';

/**
 * The line-oriented formats a bulk import may parse on a worker thread. The worker loads only
 * the adapter it needs (not the whole registry, whose BibTeX and XML parsers take a while to
 * load), and the main thread hands a file to the worker only when its chosen adapter is this
 * same one, so a custom registry's adapter is never swapped for another.
 */
export const LINE_FORMATS = {
  'arxiv-bulk': async (): Promise<FormatAdapter> =>
    (await import('../sources/arxiv-bulk/parse.ts')).arxivBulkAdapter,
} as const;

export type LineFormat = keyof typeof LINE_FORMATS;

export async function workerFormatFor(adapter: FormatAdapter): Promise<LineFormat | undefined> {
  const format = adapter.format as string;
  if (!Object.hasOwn(LINE_FORMATS, format)) return undefined;
  const line = format as LineFormat;
  return (await LINE_FORMATS[line]()) === adapter ? line : undefined;
}

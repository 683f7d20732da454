import { existsSync } from 'node:fs';
import type { Paperscope } from '../app/paperscope.ts';
import { UnavailableError } from '../domain/errors.ts';

/**
 * Whether a page may ask for similar papers or recommendations now. Both need the similarity
 * index; when none is saved yet, the first question builds it, which takes seconds per
 * hundred thousand papers and holds the server meanwhile. A small collection builds inline
 * (the first page waits a moment); a large one waits for `paperscope similar --rebuild`.
 */
export const BUILD_INLINE_UP_TO = 20_000;
const RECOUNT_AFTER_MS = 60_000;

const counted = new WeakMap<Paperscope, { papers: number; at: number }>();

export function discoveryReady(app: Paperscope): boolean {
  const file = app.similarity.file;
  if (file === undefined || existsSync(file)) return true;
  const now = Date.now();
  let known = counted.get(app);
  if (!known || now - known.at > RECOUNT_AFTER_MS) {
    known = {
      // The highest id bounds the count from above and costs one index step, not a scan.
      papers: (app.store.readDb.prepare('SELECT max(id) FROM papers').pluck().get() as number | null) ?? 0,
      at: now,
    };
    counted.set(app, known);
  }
  return known.papers <= BUILD_INLINE_UP_TO;
}

/**
 * For the routes whose whole answer is recommendations (the API, a tag's recommendations): on a
 * large collection with no similarity index saved, "not yet" (HTTP 503) with what to run,
 * instead of building the index inside the server for minutes while it holds every request.
 */
export function requireDiscoveryReady(app: Paperscope): void {
  if (discoveryReady(app)) return;
  throw new UnavailableError(
    'Recommendations need the similar-papers index, which this collection of more than ' +
      `${BUILD_INLINE_UP_TO.toLocaleString('en')} papers does not have yet: ` +
      'run `paperscope similar --rebuild` (it takes minutes per million papers), then ask again.',
  );
}

/** The answer if it comes within `ms`, else undefined: a page is never held up by an extra. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

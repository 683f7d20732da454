import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.ts';

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** Some records could not be read; the rest were imported. */
  partial: 1,
  /** Nothing could be done: bad usage, unreadable input, a failed fetch. */
  failed: 2,
  notFound: 3,
} as const;

/** The one place domain errors become exit codes. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof NotFoundError) return EXIT.notFound;
  if (err instanceof InvalidInputError || err instanceof ConflictError || err instanceof ForbiddenError) {
    return EXIT.failed;
  }
  return EXIT.failed;
}

/**
 * The domain's own small set of errors. The HTTP layer and the CLI each map them in one place
 * (status codes, exit codes); nothing below them knows about either.
 */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** Not possible for a while (the search index being built): the message says until when. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
}

/** The request needs someone signed in (or a valid API token) and has none. */
export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError';
}

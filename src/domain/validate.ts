import type { SourceRecord } from './record.ts';

/**
 * Limits on what one record may hold. A real abstract is a few kilobytes; a record far past
 * these is broken input (a whole file pasted into one field), and storing it would make every
 * page and search that touches it slow.
 */
export const LIMITS = {
  titleChars: 2_000,
  abstractChars: 200_000,
  authors: 10_000,
} as const;

/** Why a record cannot be stored, or undefined when it can. */
export function recordDefect(record: SourceRecord): string | undefined {
  if (!record.key) return 'the record has no key to recognise it by';
  if (record.kind === 'author') return record.name.display ? undefined : 'the person has no name';
  const size = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${n} characters`);
  if (record.title && record.title.length > LIMITS.titleChars) {
    return `the title is ${size(record.title.length)} long, more than ${LIMITS.titleChars} characters`;
  }
  if (record.abstract && record.abstract.length > LIMITS.abstractChars) {
    return `the abstract is ${size(record.abstract.length)} long, more than ${LIMITS.abstractChars} characters`;
  }
  if (record.authors && record.authors.length > LIMITS.authors) {
    return `the record lists ${record.authors.length} authors, more than ${LIMITS.authors}`;
  }
  return undefined;
}

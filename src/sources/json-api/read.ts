import type { Provenance, SourceName } from '../../domain/record.ts';
import type { ParseContext, ParseProblem } from '../format.ts';

/**
 * Small readers shared by the JSON API adapters (Semantic Scholar, OpenAlex, NASA ADS,
 * Hugging Face). API responses are untrusted: every field is read through these, so a
 * field of the wrong type is treated as absent instead of leaking into a record.
 */

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, trimmed; numbers are accepted as their decimal text (ids like CorpusId). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

/** A string kept exactly as given (abstracts), when it has any non-space character. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** A finite non-negative integer; numeric strings (ADS `year`) count too. */
export function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function array(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The non-empty strings of an array, in order, without repeats. */
export function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = uniq(value.map(str).filter((s): s is string => s !== undefined));
  return out.length ? out : undefined;
}

export function uniq(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const k = v.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

/** A JSON type name for messages: `expected a paper object, got string`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** An ISO date `YYYY-MM-DD` (or the date part of a date-time), when it is one. */
export function isoDate(value: unknown): string | undefined {
  const s = str(value);
  const m = s ? /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(s) : null;
  return m ? m[1] : undefined;
}

/** DOIs lower-cased, without `https://doi.org/` or `doi:`. */
export function cleanDoi(value: unknown): string | undefined {
  const s = str(value);
  if (!s) return undefined;
  const doi = s.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '').toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : undefined;
}

export class SourceErrors {
  readonly problems: ParseProblem[] = [];
  constructor(
    readonly source: SourceName,
    readonly ctx: ParseContext,
  ) {}

  add(locator: string, message: string): void {
    this.problems.push({ source: this.source, origin: this.ctx.origin, locator, message });
  }

  provenance(locator: string): Provenance {
    return { source: this.source, origin: this.ctx.origin, locator, fetchedAt: this.ctx.fetchedAt };
  }
}

/** JSON.parse that reports a broken or empty text as a `file` problem instead of throwing. */
export function parseJson(input: string, errors: SourceErrors): { ok: true; value: unknown } | { ok: false } {
  const body = input.replace(/^\uFEFF/, '');
  if (!body.trim()) {
    errors.add('file', 'empty input');
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    errors.add('file', `not valid JSON: ${(err as Error).message}`);
    return { ok: false };
  }
}

/**
 * The message of an API error body (`{"error": "..."}`, `{"message": "..."}`, Solr's
 * `{"error": {"msg": "..."}}`), or undefined when the object is not one.
 */
export function errorMessage(body: JsonObject): string | undefined {
  const err = body['error'];
  if (typeof err === 'string' && err.trim()) return err.trim();
  if (isObject(err)) {
    const msg = str(err['msg']) ?? str(err['message']);
    if (msg) return msg;
  }
  const message = str(body['message']);
  if (message) return message;
  return err === undefined ? undefined : 'error response without a message';
}

/** True when the sample looks like the start of a JSON value (object or array). */
export function looksLikeJson(sample: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(sample);
}

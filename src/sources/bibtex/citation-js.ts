import { createRequire } from 'node:module';

/**
 * The two parts of citation-js's BibTeX plugin we use: its entry grammar (fields, `@string`
 * macros, `#` concatenation, quoted and braced values) and its BibTeX name parser (`and`
 * lists, `von Last, Jr, First`, braced groups). The plugin ships without type declarations,
 * so it is loaded through `require` and given the small types below.
 */

const require = createRequire(import.meta.url);

/** One entry as the grammar reads it: field names lower-cased, values raw (LaTeX kept). */
export interface RawBibEntry {
  type: string;
  label: string;
  properties: Record<string, string | number>;
}

/** A name as citation-js splits it (CSL name fields). */
export interface CslNameParts {
  family?: string;
  given?: string;
  prefix?: string;
  suffix?: string;
  literal?: string;
}

interface FileModule {
  parse(text: string): (RawBibEntry | undefined)[];
}
interface ValueModule {
  parse(value: string, field: string): unknown;
}

const fileModule = require('@citation-js/plugin-bibtex/lib/input/file.js') as FileModule;
const valueModule = require('@citation-js/plugin-bibtex/lib/input/value.js') as ValueModule;

/** Entries of a BibTeX text. Throws a SyntaxError with `line N col M` on malformed input. */
export function parseBibtexEntries(text: string): RawBibEntry[] {
  return fileModule.parse(text).filter((e): e is RawBibEntry => e !== undefined);
}

/** Names of an `author`/`editor` value. Throws on unbalanced braces or `$`. */
export function parseBibtexNames(value: string): CslNameParts[] {
  const parsed = valueModule.parse(value, 'author');
  return Array.isArray(parsed) ? (parsed as CslNameParts[]) : [];
}

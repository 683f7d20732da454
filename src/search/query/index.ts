/**
 * The search query language: `parseQuery` reads what a researcher types into a tree,
 * `formatQuery` prints a tree back. Pure: no IO, never throws on input. Grammar in README.md.
 */
export type {
  AllNode,
  AndNode,
  AuthorNode,
  FieldName,
  FilterField,
  FilterNode,
  HasValue,
  LeafNode,
  NotNode,
  OrNode,
  ParseResult,
  PhraseNode,
  QueryError,
  QueryNode,
  RangeNode,
  TermNode,
  TextField,
} from './ast.ts';
export {
  FIELD_ALIASES,
  FIELD_NAMES,
  HAS_VALUES,
  SOURCE_ALIASES,
  SOURCE_NAMES_FOR_HELP,
  sourcesFor,
} from './ast.ts';
export { formatQuery } from './format.ts';
export { MAX_DEPTH, parseQuery } from './parser.ts';

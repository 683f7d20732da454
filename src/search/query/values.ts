import {
  familyOf,
  givenTokens,
  hasOnlyInitials,
  initialKey,
  nameKey,
  personFromDisplay,
} from '../../domain/names.ts';
import { matchKey } from '../../domain/text.ts';
import { normalizeDoi } from '../../sources/arxiv-common.ts';
import { parseArxivId } from '../../sources/arxiv-id.ts';
import {
  type AuthorNode,
  type FieldName,
  type FilterNode,
  HAS_VALUES,
  type HasValue,
  type LeafNode,
  type RangeNode,
  SOURCE_NAMES_FOR_HELP,
  sourcesFor,
} from './ast.ts';
import { QuerySyntaxError } from './error.ts';

/** Where a value came from, for the error message. */
export interface ValueSpan {
  text: string;
  quoted: boolean;
  start: number;
  end: number;
  /** How the field was written (`au`, `Title`), for messages; undefined for free text. */
  written?: string;
}

/**
 * The leaf a value makes under a field. Undefined when it folds to nothing (`!!`, `""`, a
 * lone dash): free text that holds no letter or digit asks for nothing, so it is left out.
 */
export function leafFor(field: FieldName | undefined, v: ValueSpan): LeafNode | undefined {
  switch (field) {
    case undefined:
    case 'title':
    case 'abs':
      return textLeaf(field, v);
    case 'author':
      return authorLeaf(v);
    case 'year':
      return yearLeaf(v);
    default:
      return filterLeaf(field, v);
  }
}

function textLeaf(field: 'title' | 'abs' | undefined, v: ValueSpan): LeafNode | undefined {
  const folded = matchKey(v.text);
  if (!folded) return undefined;
  if (v.quoted) {
    return field
      ? { kind: 'phrase', field, text: v.text, words: folded.split(' ') }
      : { kind: 'phrase', text: v.text, words: folded.split(' ') };
  }
  return field
    ? { kind: 'term', field, text: v.text, normalized: folded }
    : { kind: 'term', text: v.text, normalized: folded };
}

function fail(v: ValueSpan, what: string): never {
  throw new QuerySyntaxError((at) => `${what}, got "${clip(v.text)}" ${at}`, v.start, v.end - v.start);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function authorLeaf(v: ValueSpan): AuthorNode {
  let text = v.text.trim();
  const first = text.startsWith('^');
  if (first) text = text.slice(1).trim();
  const person = personFromDisplay(text);
  const family = familyOf(person);
  if (!family) fail(v, 'author: wants a name like "Xiao, Lechao", "Lechao Xiao" or xiao');
  const node: AuthorNode = {
    kind: 'author',
    text,
    family,
    given: givenTokens(person.given),
    initialsOnly: hasOnlyInitials(person),
    key: nameKey(person),
    initialKey: initialKey(person),
  };
  if (first) node.first = true;
  return node;
}

const YEAR = '([1-9]\\d{3})';
const YEAR_FORMS: [RegExp, (a: number, b: number) => [number | undefined, number | undefined]][] = [
  [new RegExp(`^${YEAR}$`), (a) => [a, a]],
  [new RegExp(`^${YEAR}-${YEAR}$`), (a, b) => [a, b]],
  [new RegExp(`^${YEAR}-$`), (a) => [a, undefined]],
  [new RegExp(`^-${YEAR}$`), (a) => [undefined, a]],
  [new RegExp(`^>${YEAR}$`), (a) => [a + 1, undefined]],
  [new RegExp(`^>=${YEAR}$`), (a) => [a, undefined]],
  [new RegExp(`^<${YEAR}$`), (a) => [undefined, a - 1]],
  [new RegExp(`^<=${YEAR}$`), (a) => [undefined, a]],
];

function yearLeaf(v: ValueSpan): RangeNode {
  const text = v.text.trim();
  for (const [re, bounds] of YEAR_FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const [from, to] = bounds(Number(m[1]), Number(m[2]));
    if (from !== undefined && to !== undefined && from > to) {
      fail(v, `year: range runs backwards (${from} after ${to})`);
    }
    const node: RangeNode = { kind: 'range', field: 'year' };
    if (from !== undefined) node.from = from;
    if (to !== undefined) node.to = to;
    return node;
  }
  return fail(v, 'year: wants a year or a range like 2020-2024');
}

/** arXiv archives (`cs`, `hep-th`, `q-bio`) with an optional subject class (`LG`, `stat-mech`). */
const CATEGORY = /^([a-z]+(?:-[a-z]+)?)(?:\.([a-z]+(?:-[a-z]+)?))?$/i;

function filterLeaf(field: 'cat' | 'has' | 'source' | 'id' | 'doi', v: ValueSpan): FilterNode {
  const text = v.text.trim();
  switch (field) {
    case 'cat': {
      const m = CATEGORY.exec(text);
      if (!m) fail(v, 'cat: wants an arXiv category like cs.LG, or an archive like cs');
      // arXiv writes two-letter subject classes in capitals (cs.LG, math.AG) and longer ones
      // in lower case (cond-mat.stat-mech, physics.comp-ph).
      const subject = m[2] ? (m[2].length === 2 ? m[2].toUpperCase() : m[2].toLowerCase()) : undefined;
      const archive = m[1]!.toLowerCase();
      return { kind: 'filter', field, value: subject ? `${archive}.${subject}` : archive };
    }
    case 'has': {
      const value = text.toLowerCase();
      if (!(HAS_VALUES as readonly string[]).includes(value))
        fail(v, `has: wants one of ${HAS_VALUES.join(', ')}`);
      return { kind: 'filter', field, value: value as HasValue };
    }
    case 'source': {
      const value = text.toLowerCase();
      const sources = sourcesFor(value);
      if (!sources) fail(v, `source: wants one of ${SOURCE_NAMES_FOR_HELP.join(', ')}`);
      return { kind: 'filter', field, value, sources: [...sources] };
    }
    case 'doi': {
      const doi = normalizeDoi(text);
      if (!doi) fail(v, 'doi: wants a DOI like 10.1000/xyz');
      return { kind: 'filter', field, value: doi };
    }
    case 'id': {
      const arxiv = parseArxivId(text);
      if (arxiv) return { kind: 'filter', field, value: arxiv.id, scheme: 'arxiv' };
      if (v.written?.toLowerCase() === 'arxiv') fail(v, 'arxiv: wants an arXiv id like 2401.01234');
      const doi = /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)?10\.\d{4,9}\//i.test(text)
        ? normalizeDoi(text)
        : undefined;
      if (doi) return { kind: 'filter', field, value: doi, scheme: 'doi' };
      if (!text) fail(v, 'id: wants an identifier like 2401.01234');
      return { kind: 'filter', field, value: text, scheme: 'other' };
    }
  }
}

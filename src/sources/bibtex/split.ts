/**
 * Cuts a BibTeX file into its `@…{…}` blocks before anything parses them, so that one broken
 * entry cannot take the rest of the file with it, and each block knows its line number.
 *
 * Quirks of real files: text between entries is a comment; `@comment` may be a line or a
 * braced block; entries may be delimited by `(…)`; an entry whose closing brace is missing
 * ends where a line starting with `@type{` begins the next one.
 */

export interface BibBlock {
  /** Lower-cased entry type: `article`, `string`, `preamble`, … */
  type: string;
  /** The citation key, when the block has one that can be read. */
  key?: string;
  /** 1-based line of the `@`. */
  line: number;
  text: string;
  /** False when the block ran into the next entry or the end of the file unclosed. */
  closed: boolean;
}

const START = /@[ \t]*([A-Za-z][\w:-]*)\s*([{(])/y;
const NEXT_ENTRY_LINE = /[ \t]*@[ \t]*[A-Za-z][\w:-]*\s*[{(]/y;
const KEY = /^@\s*[A-Za-z][\w:-]*\s*[{(]\s*([^,\s]+)\s*,/;

export function splitBibtex(text: string): BibBlock[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const blocks: BibBlock[] = [];
  let pos = 0;
  while (pos < text.length) {
    const at = text.indexOf('@', pos);
    if (at < 0) break;
    START.lastIndex = at;
    const m = START.exec(text);
    if (!m) {
      pos = at + 1;
      continue;
    }
    const type = m[1]!.toLowerCase();
    const { end, closed } = scanBody(text, START.lastIndex, m[2]!);
    const block: BibBlock = { type, line: lineOf(at), text: text.slice(at, end), closed };
    const key = KEY.exec(block.text)?.[1];
    if (key && type !== 'string' && type !== 'preamble' && type !== 'comment') block.key = key;
    blocks.push(block);
    pos = end;
  }
  return blocks;
}

/** Finds the end of a block body that starts after its opening delimiter. */
function scanBody(text: string, from: number, open: string): { end: number; closed: boolean } {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '{' || text[i + 1] === '}')) {
      // citation-js reads `\{` and `\}` as text, so they do not count here either.
      i++;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
      if (open === '{' && depth === 0) return { end: i + 1, closed: true };
    } else if (ch === ')' && open === '(' && depth === 1) {
      return { end: i + 1, closed: true };
    } else if (ch === '\n') {
      NEXT_ENTRY_LINE.lastIndex = i + 1;
      if (NEXT_ENTRY_LINE.test(text)) return { end: i + 1, closed: false };
    }
  }
  return { end: text.length, closed: false };
}

import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML reading shared by the arXiv API (Atom) and OAI-PMH adapters.
 *
 * Both formats are a short envelope around a list of repeated elements (`<entry>`,
 * `<record>`). We cut the text into those elements and parse each on its own, so that one
 * broken or truncated element costs one record, not the file: fast-xml-parser has no
 * recovery mode (it silently returns a partial tree for truncated input). The cut is
 * textual, which is safe for these feeds: arXiv never puts CDATA or comments inside them.
 */

export interface XmlChunk {
  /** 1-based position among the elements of that name. */
  index: number;
  /** The element's text, from `<name` to `</name>`, or to the end of input when unclosed. */
  xml: string;
  /** False when the input ended before the closing tag. */
  closed: boolean;
  /** 1-based line of the opening tag in the whole input. */
  line: number;
}

/** Every top-level `<name>` … `</name>` (namespace prefix allowed) in order. */
export function elementChunks(text: string, name: string): XmlChunk[] {
  const open = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s>/])`, 'g');
  const close = new RegExp(`</(?:[\\w.-]+:)?${name}\\s*>`, 'g');
  const chunks: XmlChunk[] = [];
  let lineCount = 1;
  let lineAt = 0;
  let m: RegExpExecArray | null = open.exec(text);
  while (m) {
    lineCount += countNewlines(text, lineAt, m.index);
    lineAt = m.index;
    const tagEnd = text.indexOf('>', m.index);
    const selfClosing = tagEnd > 0 && text[tagEnd - 1] === '/';
    let end: number;
    let closed: boolean;
    if (selfClosing) {
      end = tagEnd + 1;
      closed = true;
    } else {
      close.lastIndex = m.index;
      const c = close.exec(text);
      closed = c !== null;
      end = c ? c.index + c[0].length : text.length;
    }
    chunks.push({ index: chunks.length + 1, xml: text.slice(m.index, end), closed, line: lineCount });
    open.lastIndex = end;
    m = open.exec(text);
  }
  return chunks;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export type XmlNode = Record<string, unknown>;

/**
 * A parser that keeps text as text (`2401.00010` stays a string), drops namespace prefixes,
 * keeps whitespace (abstracts are stored as given) and decodes numeric character references
 * (`Kl&#xfc;ppelholz`), which fast-xml-parser only does with `htmlEntities`.
 */
export function makeXmlParser(arrays: readonly string[]): XMLParser {
  const set = new Set(arrays);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (tagName) => set.has(tagName),
  });
}

/** Parses one element; returns its node or an error message. */
export function parseElement(
  parser: XMLParser,
  xml: string,
  name: string,
): { node: XmlNode } | { error: string } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    return { error: `malformed XML: ${valid.err.msg} (line ${valid.err.line} of the element)` };
  try {
    const doc = parser.parse(xml) as XmlNode;
    const node = doc[name];
    if (node === undefined) return { error: `no <${name}> element` };
    if (Array.isArray(node)) return { node: (node[0] ?? {}) as XmlNode };
    return { node: typeof node === 'object' && node !== null ? (node as XmlNode) : { '#text': node } };
  } catch (err) {
    return { error: `malformed XML: ${(err as Error).message}` };
  }
}

/** The text of an element that may carry attributes (then its text is under `#text`). */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object') return textOf((value as XmlNode)['#text']);
  return undefined;
}

/** An element's values as a list (repeated or single). */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function attrOf(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) return attrOf(value[0], name);
  if (value && typeof value === 'object') {
    const v = (value as XmlNode)[`@_${name}`];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/**
 * The arXiv API fixtures were recorded by a client that decoded UTF-8 bytes as Latin-1, so
 * `Wübben` reads `WÃ¼bben`. When a whole document has nothing above U+00FF and contains such
 * pairs, and its Latin-1 bytes are valid UTF-8, we decode it again. Real UTF-8 text never
 * passes this test (it has characters above U+00FF or its pairs are not valid UTF-8).
 */
export function repairDoubleDecodedUtf8(text: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(text)) return text;
  if (/[^\u0000-\u00ff]/.test(text)) return text;
  const bytes = Buffer.from(text, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return text;
  }
}

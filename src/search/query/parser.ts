import type { FieldName, ParseResult, QueryNode } from './ast.ts';
import { type DescribeError, QuerySyntaxError, queryError } from './error.ts';
import { lex, type Token } from './lexer.ts';
import { leafFor } from './values.ts';

/** Deeper nesting than any person types; the limit keeps the recursion off the stack's edge. */
export const MAX_DEPTH = 100;

/**
 * Reads a query (grammar in README.md). Never throws: a malformed query gives an error that
 * names the place.
 */
export function parseQuery(input: string): ParseResult {
  const text = typeof input === 'string' ? input : '';
  try {
    return { ok: true, query: new Parser(text, lex(text)).parse() };
  } catch (e) {
    if (e instanceof QuerySyntaxError)
      return { ok: false, error: queryError(text, e.describe, e.offset, e.length) };
    if (e instanceof RangeError) {
      return {
        ok: false,
        error: queryError(text, (at) => `query too complex to read ${at}`, 0, text.length),
      };
    }
    throw e;
  }
}

/** The field of an enclosing `field:(…)` group, and how it was written. */
type Ctx = { field: FieldName; written: string } | undefined;
type Group = { node: QueryNode | undefined; parsed: number };

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  parse(): QueryNode {
    const node = this.parseOr(undefined).node;
    const extra = this.tokens[this.pos];
    if (extra) throw this.error((at) => `")" without "(" ${at}`, extra);
    return node ?? { kind: 'all' };
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private error(describe: DescribeError, token: Token): QuerySyntaxError {
    return new QuerySyntaxError(describe, token.start, token.end - token.start);
  }

  private atEndOfOperand(): boolean {
    const t = this.peek();
    return !t || t.type === 'rparen' || t.type === 'or' || t.type === 'and';
  }

  private parseOr(ctx: Ctx): Group {
    const first = this.parseAnd(ctx);
    const operands = [first];
    let op = this.peek();
    while (op?.type === 'or') {
      if (operands.length === 1 && first.parsed === 0)
        throw this.error((at) => `"OR" ${at} needs a term before it`, op);
      this.pos++;
      const next = this.parseAnd(ctx);
      if (next.parsed === 0) throw this.error((at) => `"OR" ${at} needs a term after it`, op);
      operands.push(next);
      op = this.peek();
    }
    if (operands.length === 1) return first;
    // A part that asks for nothing (`!!`) is left out, as it is from an AND.
    const kept = operands.flatMap((o) => (o.node ? [o.node] : []));
    return { node: combine('or', kept), parsed: operands.length };
  }

  private parseAnd(ctx: Ctx): Group {
    const kept: QueryNode[] = [];
    let parsed = 0;
    for (;;) {
      const t = this.peek();
      if (!t || t.type === 'rparen' || t.type === 'or') break;
      if (t.type === 'and') {
        if (parsed === 0) throw this.error((at) => `"AND" ${at} needs a term before it`, t);
        this.pos++;
        if (this.atEndOfOperand()) throw this.error((at) => `"AND" ${at} needs a term after it`, t);
      }
      const node = this.parseUnary(ctx);
      parsed++;
      if (node) kept.push(node);
    }
    return { node: combine('and', kept), parsed };
  }

  /** Prefix operators are read in a loop, so ten thousand dashes cost no stack. */
  private parseUnary(ctx: Ctx): QueryNode | undefined {
    let negate = false;
    for (
      let t = this.peek();
      t && (t.type === 'not' || t.type === 'minus' || t.type === 'plus');
      t = this.peek()
    ) {
      this.pos++;
      // `+` marks a required word, as in ADS and Lucene; every word is required already.
      if (t.type !== 'plus') negate = !negate;
      if (t.type === 'not' && this.atEndOfOperand())
        throw this.error((at) => `"NOT" ${at} needs a term after it`, t);
    }
    const node = this.parsePrimary(ctx);
    return node && negate ? { kind: 'not', child: node } : node;
  }

  private parsePrimary(ctx: Ctx): QueryNode | undefined {
    const t = this.peek()!;
    this.pos++;
    switch (t.type) {
      case 'lparen':
        return this.parseGroup(t, ctx);
      case 'rparen':
        throw this.error((at) => `")" without "(" ${at}`, t);
      case 'field':
        return this.parseField(t, ctx);
      case 'word':
      case 'value':
      case 'quoted':
        return leafFor(ctx?.field, {
          text: t.text,
          quoted: t.type === 'quoted',
          start: t.start,
          end: t.end,
          written: ctx?.written,
        });
      default:
        throw this.error((at) => `unexpected "${this.input.slice(t.start, t.end)}" ${at}`, t);
    }
  }

  private parseGroup(open: Token, ctx: Ctx): QueryNode | undefined {
    if (this.depth >= MAX_DEPTH)
      throw this.error((at) => `parentheses nested deeper than ${MAX_DEPTH} ${at}`, open);
    const close = this.peek();
    if (close?.type === 'rparen') {
      throw new QuerySyntaxError((at) => `empty "()" ${at}`, open.start, close.end - open.start);
    }
    this.depth++;
    const inner = this.parseOr(ctx);
    this.depth--;
    if (this.peek()?.type !== 'rparen') throw this.error((at) => `"(" ${at} is never closed`, open);
    this.pos++;
    return inner.node;
  }

  private parseField(t: Token & { type: 'field' }, outer: Ctx): QueryNode | undefined {
    if (outer) {
      throw this.error(
        (at) => `"${t.written}:" ${at} inside ${outer.written}:(…) — a group takes one field`,
        t,
      );
    }
    const v = this.peek();
    if (v?.type === 'lparen') {
      this.pos++;
      return this.parseGroup(v, { field: t.field, written: t.written });
    }
    if (v && (v.type === 'value' || v.type === 'quoted' || v.type === 'word')) {
      this.pos++;
      return leafFor(t.field, {
        text: v.text,
        quoted: v.type === 'quoted',
        start: v.start,
        end: v.end,
        written: t.written,
      });
    }
    throw this.error((at) => `${t.written}: ${at} needs a value`, t);
  }
}

function combine(kind: 'and' | 'or', nodes: QueryNode[]): QueryNode | undefined {
  if (nodes.length <= 1) return nodes[0];
  const children = nodes.flatMap((n) => (n.kind === kind ? n.children : [n]));
  return { kind, children };
}

import type { QueryNode } from './ast.ts';

/**
 * A tree printed back as a query in one canonical spelling: fields on every leaf, `-` for
 * negation, implicit AND, parentheses only where precedence needs them, values quoted only
 * when they must be. `parseQuery(formatQuery(q))` gives `q` again.
 */
export function formatQuery(node: QueryNode): string {
  return print(node, 0);
}

const OR = 1;
const AND = 2;

function print(node: QueryNode, parent: number): string {
  switch (node.kind) {
    case 'all':
      return '';
    case 'or': {
      const text = node.children.map((c) => print(c, OR)).join(' OR ');
      return parent > OR ? `(${text})` : text;
    }
    case 'and': {
      const text = node.children.map((c) => print(c, AND)).join(' ');
      return parent > AND ? `(${text})` : text;
    }
    case 'not':
      return `-${print(node.child, AND + 1)}`;
    case 'term':
      return node.field ? `${node.field}:${node.text}` : node.text;
    case 'phrase':
      return `${node.field ? `${node.field}:` : ''}${quote(node.text)}`;
    case 'author':
      return `author:${value(`${node.first ? '^' : ''}${node.text}`)}`;
    case 'range':
      if (node.from !== undefined && node.from === node.to) return `year:${node.from}`;
      return `year:${node.from ?? ''}-${node.to ?? ''}`;
    case 'filter':
      return `${node.field}:${value(node.value)}`;
  }
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Bare when the lexer would read it back as one value, quoted otherwise. */
function value(text: string): string {
  return text && !/[\s()"\u201c\\]/u.test(text) ? text : quote(text);
}

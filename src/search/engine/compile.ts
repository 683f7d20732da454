import { PAPER_ID_KINDS } from '../../domain/record.ts';
import type { AuthorNode, FilterNode, PhraseNode, QueryNode, TermNode } from '../query/index.ts';
import { categoryName } from './category-names.ts';

/**
 * A query tree as SQL over `papers p`: one boolean expression (`where`) with its parameters,
 * and the full-text expression that ranks the hits (`rank`, absent when the query has no
 * positive text). Pure: authors are resolved to ids by the caller's `authorIds`, so the
 * compiler can be tested without a database.
 */
export interface CompiledQuery {
  where: string;
  params: unknown[];
  /** FTS5 MATCH expression for bm25: every text leaf not under a NOT, OR-ed. */
  rank?: string;
  /** The text leaves that rank the hits, for snippets and `matched`. */
  textLeaves: (TermNode | PhraseNode)[];
}

export type AuthorResolver = (node: AuthorNode) => number[];

/** FTS5 column of each text field; no field searches every column. */
const COLUMN = { title: 'title', abs: 'abstract' } as const;

/** Identifier kinds `id:` looks at (never the title and abstract match keys). */
const ID_KINDS = JSON.stringify(PAPER_ID_KINDS);

/**
 * One FTS5 string token: always quoted, inner quotes doubled, so nothing the user typed is
 * read as FTS5 syntax (`AND`, `NEAR`, `*`, `:`, `^`).
 */
export function ftsQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The FTS5 expression of a text leaf. A term that folds to several words (`state-of-the-art`)
 * is a phrase, as the tokenizer splits it the same way in the documents.
 */
export function ftsOf(node: TermNode | PhraseNode): string {
  const text = node.kind === 'term' ? node.normalized : node.words.join(' ');
  const quoted = ftsQuote(text);
  return node.field ? `${COLUMN[node.field]} : ${quoted}` : quoted;
}

export function compile(node: QueryNode, authorIds: AuthorResolver): CompiledQuery {
  const params: unknown[] = [];
  const textLeaves: (TermNode | PhraseNode)[] = [];

  const walk = (n: QueryNode, negated: boolean): string => {
    switch (n.kind) {
      case 'all':
        return '1';
      case 'term':
      case 'phrase':
        if (!negated) textLeaves.push(n);
        params.push(ftsOf(n));
        return 'p.id IN (SELECT rowid FROM paper_search WHERE paper_search MATCH ?)';
      case 'author': {
        params.push(JSON.stringify(authorIds(n)));
        const first = n.first ? ' AND pa.position = 0' : '';
        return `p.id IN (SELECT pa.paper_id FROM paper_authors pa WHERE pa.author_id IN (SELECT value FROM json_each(?))${first})`;
      }
      case 'range': {
        // `p.year IS NOT NULL` first keeps the test two-valued, so NOT of it holds undated papers.
        const parts = ['p.year IS NOT NULL'];
        if (n.from !== undefined) {
          parts.push('p.year >= ?');
          params.push(n.from);
        }
        if (n.to !== undefined) {
          parts.push('p.year <= ?');
          params.push(n.to);
        }
        return `(${parts.join(' AND ')})`;
      }
      case 'filter':
        return filter(n, params);
      case 'and':
        return `(${n.children.map((c) => walk(c, negated)).join(' AND ')})`;
      case 'or':
        return `(${n.children.map((c) => walk(c, negated)).join(' OR ')})`;
      case 'not':
        return `NOT ${walk(n.child, !negated)}`;
    }
  };

  const where = walk(node, false);
  const compiled: CompiledQuery = { where, params, textLeaves };
  if (textLeaves.length) compiled.rank = [...new Set(textLeaves.map(ftsOf))].join(' OR ');
  return compiled;
}

function filter(n: FilterNode, params: unknown[]): string {
  switch (n.field) {
    case 'cat': {
      // An archive alone (`cs`) stands for itself and every subject in it (`cs.LG`); a subject
      // also matches the words oai_dc names it by.
      const name = categoryName(n.value) ?? n.value;
      params.push(n.value, name, `${n.value}.`, `${n.value}.`);
      return `EXISTS (SELECT 1 FROM json_each(p.view, '$.categories') c
        WHERE c.value IN (?, ?) OR substr(c.value, 1, length(?)) = ?)`;
    }
    case 'has':
      if (n.value === 'code') return 'EXISTS (SELECT 1 FROM code_links cl WHERE cl.paper_id = p.id)';
      if (n.value === 'doi') return 'p.doi IS NOT NULL';
      return "coalesce(json_extract(p.view, '$.abstractText'), '') != ''";
    case 'source':
      params.push(JSON.stringify(n.sources));
      return `EXISTS (SELECT 1 FROM source_records sr WHERE sr.paper_id = p.id
        AND sr.source IN (SELECT value FROM json_each(?)))`;
    case 'doi':
      params.push(n.value);
      return "p.id IN (SELECT paper_id FROM paper_keys WHERE kind = 'doi' AND value = ?)";
    case 'id':
      if (n.scheme === 'other') {
        params.push(ID_KINDS, n.value);
        return `p.id IN (SELECT paper_id FROM paper_keys
          WHERE kind IN (SELECT value FROM json_each(?)) AND value = ?)`;
      }
      params.push(n.scheme, n.value);
      return 'p.id IN (SELECT paper_id FROM paper_keys WHERE kind = ? AND value = ?)';
  }
}

import { namesCompatible } from '../../domain/names.ts';
import type { PersonName } from '../../domain/record.ts';
import type { Db } from '../../store/sqlite/database.ts';
import type { AuthorNode } from '../query/index.ts';

interface NameRow {
  author_id: number;
  display: string;
  family: string | null;
  given: string | null;
}

/**
 * The merged people an `author:` leaf names. A full name (`Xiao, Lechao`, `Lechao Xiao`) is its
 * name key; initials (`Xiao, L`) or a family alone (`xiao`) reach every person filed under that
 * initial key (or family) whose own spellings are compatible with what was typed.
 */
export function createAuthorResolver(db: Db): (node: AuthorNode) => number[] {
  const byKey = db.prepare('SELECT DISTINCT author_id FROM author_names WHERE name_key = ?').pluck();
  const byInitial = db.prepare(
    'SELECT author_id, display, family, given FROM author_names WHERE initial_key = ?',
  );
  const byFamily = db.prepare(
    'SELECT author_id, display, family, given FROM author_names WHERE initial_key = ? OR initial_key LIKE ?',
  );
  return (node) => {
    if (!node.initialsOnly && node.given.length > 0) return byKey.all(node.key) as number[];
    const rows = (
      node.given.length > 0
        ? byInitial.all(node.initialKey)
        : // The family has only letters, digits and spaces after folding: no LIKE wildcards.
          byFamily.all(node.family, `% ${node.family}`)
    ) as NameRow[];
    const typed: PersonName = { display: node.text, family: node.family };
    if (node.given.length) typed.given = node.given.join(' ');
    const found = new Set<number>();
    for (const r of rows) {
      const name: PersonName = { display: r.display };
      if (r.family !== null) name.family = r.family;
      if (r.given !== null) name.given = r.given;
      if (namesCompatible(typed, name)) found.add(r.author_id);
    }
    return [...found].sort((a, b) => a - b);
  };
}

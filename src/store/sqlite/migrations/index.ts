import { knowledgeBase } from './001-knowledge-base.ts';
import { peopleAndActivity } from './002-people-and-activity.ts';
import { authorDecisions } from './003-author-decisions.ts';
import { accountsAndLibrary } from './004-accounts-and-library.ts';
import { trending } from './005-trending.ts';
import { similarityChanges } from './006-similarity-changes.ts';
import { keepingUp } from './007-keeping-up.ts';
import { searchSync } from './008-search-sync.ts';
import { authorSummaries } from './012-author-summaries.ts';

/**
 * Schema migrations, applied in order from an empty file, each once, each in its own
 * transaction. A migration is known by its name (recorded in `schema_migrations`), so parts
 * of the product can add theirs independently; never edit one that has shipped — add another.
 */
export interface Migration {
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { name: '001-knowledge-base', sql: knowledgeBase },
  { name: '002-people-and-activity', sql: peopleAndActivity },
  { name: '003-author-decisions', sql: authorDecisions },
  { name: '004-accounts-and-library', sql: accountsAndLibrary },
  { name: '005-trending', sql: trending },
  { name: '006-similarity-changes', sql: similarityChanges },
  { name: '007-keeping-up', sql: keepingUp },
  { name: '008-search-sync', sql: searchSync },
  { name: '012-author-summaries', sql: authorSummaries },
];

import type { Statement } from 'better-sqlite3';
import type { MergedPaper } from '../../domain/merge.ts';
import type { Paper } from '../../domain/paper.ts';
import type { Db } from '../../store/sqlite/database.ts';
import type { PhraseNode, TermNode } from '../query/index.ts';
import { makeSnippet, matchedTerms } from './snippet.ts';

/** Search hits made whole from the store: the paper, its merged authors, snippet and matched terms. */
export class PaperHits {
  private readonly view: Statement;
  private readonly authorIds: Statement;

  constructor(db: Db) {
    this.view = db.prepare('SELECT view FROM papers WHERE id = ?').pluck();
    this.authorIds = db
      .prepare('SELECT author_id FROM paper_authors WHERE paper_id = ? ORDER BY position')
      .pluck();
  }

  hit(id: number, score: number, textLeaves: (TermNode | PhraseNode)[], view?: string) {
    const merged = JSON.parse(view ?? (this.view.get(id) as string)) as MergedPaper;
    const authorIds = this.authorIds.all(id) as number[];
    const authors = merged.authors.map((a, i) =>
      authorIds[i] === undefined ? a : { ...a, authorId: authorIds[i] },
    );
    const paper: Paper = { ...merged, id, authors };
    const texts = [
      paper.title ?? '',
      paper.abstractText ?? '',
      authors.map((a) => a.name.display).join(', '),
    ];
    return {
      paper,
      score,
      snippet: makeSnippet(paper.abstractText, textLeaves),
      matched: matchedTerms(textLeaves, texts),
    };
  }
}

import { type DocAttributes, DocTable, type DocTableState } from './doc-table.ts';
import { TextIndex, type TextIndexState } from './text-index.ts';

/** One paper as the index takes it: its attributes and the three searched columns. */
export interface IndexedPaper extends DocAttributes {
  title: string;
  abstract: string;
  /** Display names joined with `, `, as `paper_search.authors` holds them. */
  authors: string;
}

export interface SearchIndexState {
  docs: DocTableState;
  text: TextIndexState;
}

/** The papers' attributes and their words: everything a search reads besides the store. */
export class SearchIndex {
  readonly docs: DocTable;
  readonly text: TextIndex;
  /** Bumped by every change, so cached whole-index sets know when to go. */
  generation = 0;

  constructor(state?: SearchIndexState) {
    this.docs = new DocTable(state?.docs);
    this.text = new TextIndex(state?.text);
  }

  get state(): SearchIndexState {
    return { docs: this.docs.state, text: this.text.state };
  }

  /** Bytes held by the arrays (the term dictionary's strings are not counted). */
  get bytes(): number {
    return this.docs.bytes + this.text.bytes;
  }

  /** Add a paper, or replace what the index knew of it. */
  put(paper: IndexedPaper): void {
    const before = paper.id < this.docs.size && this.docs.exists[paper.id] ? this.docs.length[paper.id]! : 0;
    const version = this.docs.put(paper, 0);
    const length = this.text.add(paper.id, version, [paper.title, paper.abstract, paper.authors]);
    this.docs.length[paper.id] = length;
    this.text.tokens += length - before;
    this.generation++;
  }
}

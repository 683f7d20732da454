/**
 * What a list of papers (an author's papers, search results) shows of each paper: its name,
 * year, arXiv id and the first few authors with how many there are in all. A member of a large
 * collaboration has papers with hundreds of names each; a list row needs eight of them, not
 * the whole merged view.
 */
export interface ListedPaper {
  id: number;
  ids: { arxiv?: string };
  title?: string;
  /** Read only for an untitled paper: the row is named by how its abstract begins. */
  abstractText?: string;
  year?: number;
  /** The first authors, in order (at most `LISTED_AUTHORS`). */
  authors: { name: { display: string }; authorId?: number }[];
  /** How many authors the paper has in all (a whole `Paper` leaves it out: its list is complete). */
  authorCount?: number;
}

/** How many authors a list row names before "and N more". */
export const LISTED_AUTHORS = 8;

/** A search result row: a listed paper with what the result line and its snippet need. */
export interface ListedHit extends ListedPaper {
  categories: string[];
  hasCode: boolean;
}

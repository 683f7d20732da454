import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { AuthorListing } from '../discovery/authors/service.ts';
import type { SearchFacets } from '../search/engine/index.ts';
import { makeSnippet } from '../search/engine/snippet.ts';
import type { PhraseNode, TermNode } from '../search/query/index.ts';
import type { Db } from '../store/sqlite/database.ts';
import { listedPapers } from '../store/sqlite/listed-papers.ts';
import { Layout, type LayoutProps } from './layout.tsx';
import { AuthorPage, type AuthorPageProps } from './pages/author.tsx';
import { SearchPage, type SearchView } from './pages/search.tsx';

/**
 * Pages whose rendering needs only the store (read-only) and plain data: a page worker thread
 * renders them while the main thread, which holds the search index, answers the next request.
 * The same functions render them on the main thread when there is no worker, so a page is the
 * same wherever it was made.
 */

/** The site's frame as the main thread decided it for this request (who is asking, their form token). */
export type PageFrame = Omit<LayoutProps, 'children'>;

/** A search page once the index has ranked it: the papers are read and the page rendered from here. */
export interface SearchPageJob {
  kind: 'search';
  frame: PageFrame;
  view: Omit<SearchView, 'result'>;
  ranked: {
    total: number;
    ids: number[];
    facets: SearchFacets;
    textLeaves: (TermNode | PhraseNode)[];
    corrected?: string;
  };
}

/** An author page once the profile is known: its papers are read as list rows and the page rendered from here. */
export interface AuthorPageJob {
  kind: 'author';
  frame: PageFrame;
  view: Omit<AuthorListing, 'papers'>;
  paperIds: number[];
  props: Omit<AuthorPageProps, 'author' | 'allPapers'>;
}

export type PageJob = SearchPageJob | AuthorPageJob;

/** A whole page, doctype and frame included, as `page()` in render.tsx makes it. */
export async function framedPage(frame: PageFrame, body: Child): Promise<string> {
  return String(
    await (
      <>
        {raw('<!doctype html>')}
        <Layout {...frame}>{body}</Layout>
      </>
    ).toString(),
  );
}

/** The search page's results read as list rows (see `ListedPaperReader`), each with its snippet. */
export function searchResult(db: Db, ranked: SearchPageJob['ranked']): SearchView['result'] {
  const rows = listedPapers(db).hitsById(ranked.ids);
  const result: SearchView['result'] = {
    total: ranked.total,
    hits: rows.map((paper) => ({ paper, snippet: makeSnippet(paper.abstractText, ranked.textLeaves) })),
    facets: ranked.facets,
  };
  if (ranked.corrected !== undefined) result.corrected = ranked.corrected;
  return result;
}

/** Render a page job to its HTML on this connection. */
export async function renderPageJob(db: Db, job: PageJob): Promise<string> {
  if (job.kind === 'search') {
    return framedPage(job.frame, <SearchPage view={{ ...job.view, result: searchResult(db, job.ranked) }} />);
  }
  const papers = listedPapers(db).papersById(job.paperIds);
  return framedPage(job.frame, <AuthorPage {...job.props} author={{ ...job.view, papers }} />);
}

import type { FC } from 'hono/jsx';
import type { ListedPaper } from '../../domain/listed-paper.ts';
import { listedTitle } from '../../domain/paper-name.ts';

/** A paper's address in the site: by arXiv id when it has one (stable across instances). */
export function paperHref(paper: Pick<ListedPaper, 'id' | 'ids'>): string {
  return paper.ids.arxiv ? `/paper/${encodeURIComponent(paper.ids.arxiv)}` : `/paper/${paper.id}`;
}

/** What a paper is called on a page: its title, or how its abstract begins (see `listedTitle`). */
export const paperTitle = listedTitle;

/** The first `max` authors, each a link; a whole `Paper` or a list row (which names only the first few). */
export const AuthorLinks: FC<{ paper: Pick<ListedPaper, 'authors' | 'authorCount'>; max?: number }> = ({
  paper,
  max = 8,
}) => {
  const shown = paper.authors.slice(0, max);
  const count = paper.authorCount ?? paper.authors.length;
  return (
    <>
      {shown.map((a, i) => (
        <>
          {i > 0 ? ', ' : ''}
          {a.authorId === undefined ? a.name.display : <a href={`/author/${a.authorId}`}>{a.name.display}</a>}
        </>
      ))}
      {count > max ? ` and ${count - max} more` : ''}
    </>
  );
};

export const PaperList: FC<{ papers: readonly ListedPaper[] }> = ({ papers }) => (
  <ol class="papers">
    {papers.map((p) => (
      <li>
        <a class="title" href={paperHref(p)}>
          {paperTitle(p)}
        </a>
        <div class="meta">
          <AuthorLinks paper={p} />
          {p.year ? ` · ${p.year}` : ''}
          {p.ids.arxiv ? ` · arXiv:${p.ids.arxiv}` : ''}
        </div>
      </li>
    ))}
  </ol>
);

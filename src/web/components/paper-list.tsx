import type { FC } from 'hono/jsx';
import type { Paper } from '../../domain/paper.ts';
import { listedTitle } from '../../domain/paper-name.ts';

/** A paper's address in the site: by arXiv id when it has one (stable across instances). */
export function paperHref(paper: Pick<Paper, 'id' | 'ids'>): string {
  return paper.ids.arxiv ? `/paper/${encodeURIComponent(paper.ids.arxiv)}` : `/paper/${paper.id}`;
}

/** What a paper is called on a page: its title, or how its abstract begins (see `listedTitle`). */
export const paperTitle = listedTitle;

export const AuthorLinks: FC<{ paper: Paper; max?: number }> = ({ paper, max = 8 }) => {
  const shown = paper.authors.slice(0, max);
  return (
    <>
      {shown.map((a, i) => (
        <>
          {i > 0 ? ', ' : ''}
          {a.authorId === undefined ? a.name.display : <a href={`/author/${a.authorId}`}>{a.name.display}</a>}
        </>
      ))}
      {paper.authors.length > max ? ` and ${paper.authors.length - max} more` : ''}
    </>
  );
};

export const PaperList: FC<{ papers: readonly Paper[] }> = ({ papers }) => (
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

import type { FC } from 'hono/jsx';
import type { PaperSort, SortDirection } from '../../discovery/authors/profile.ts';
import type { AuthorListing } from '../../discovery/authors/service.ts';
import type { Suggestion } from '../../discovery/authors/suggestions.ts';
import { CoauthorNetworkChart } from '../components/coauthor-network.tsx';
import { PaperList, paperHref, paperTitle } from '../components/paper-list.tsx';
import { YearChart } from '../components/year-chart.tsx';
import { CsrfField } from '../layout.tsx';
import { sourceLabel } from '../source-labels.ts';
import { FollowButton } from './keeping-up.tsx';

export const PAGE_SIZE = 25;

export interface AuthorPageProps {
  author: AuthorListing;
  /** Undefined while they are being looked for in the background (a large knowledge base). */
  suggestions: readonly Suggestion[] | undefined;
  /** Every paper of the person, for the split form (admins only). */
  allPapers?: AuthorListing['papers'];
  isAdmin: boolean;
  csrfToken: string;
  /** Whether the viewer follows this person (undefined when signed out: no button). */
  following?: boolean | undefined;
  /** What the last decision did, shown once after a form. */
  done?: string;
}

const SORTS: { sort: PaperSort; order: SortDirection; label: string }[] = [
  { sort: 'date', order: 'desc', label: 'Newest' },
  { sort: 'date', order: 'asc', label: 'Oldest' },
  { sort: 'title', order: 'asc', label: 'Title A–Z' },
  { sort: 'title', order: 'desc', label: 'Title Z–A' },
  { sort: 'coauthors', order: 'desc', label: 'Most co-authors' },
];

export function authorHref(id: number, query: { sort?: string; order?: string; page?: number } = {}): string {
  const params = new URLSearchParams();
  if (query.sort) params.set('sort', query.sort);
  if (query.order) params.set('order', query.order);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const qs = params.toString();
  return `/author/${id}${qs ? `?${qs}` : ''}`;
}

export const AuthorPage: FC<AuthorPageProps> = ({
  author: a,
  suggestions,
  allPapers,
  isAdmin,
  csrfToken,
  following,
  done,
}) => {
  const { sort, direction, offset, total } = a.paperPage;
  const pageNo = Math.floor(offset / PAGE_SIZE) + 1;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <article class="author">
      <h1>{a.displayName}</h1>
      <p class="actions">
        {following !== undefined ? (
          <FollowButton
            csrf={csrfToken}
            kind="author"
            value={String(a.id)}
            following={following}
            returnTo={`/author/${a.id}`}
          />
        ) : null}{' '}
        <a href={`/feeds/author/${a.id}.atom`}>Atom feed</a> · <a href={`/feeds/author/${a.id}.rss`}>RSS</a>
      </p>
      {done ? (
        <p class="notice ok" role="status">
          {done}
        </p>
      ) : null}
      <p class="muted">
        {a.paperCount} {a.paperCount === 1 ? 'paper' : 'papers'} · Paperscope author id {a.id}
        {a.redirectedFrom !== undefined ? ` · author id ${a.redirectedFrom} was merged into this one` : ''}
      </p>
      {a.names.length > 0 ? (
        <p>
          <span class="muted">Written as: </span>
          {a.names.map((n, i) => (
            <>
              {i > 0 ? '; ' : ''}
              <span class="variant">{n.display}</span> <span class="muted">({n.count})</span>
            </>
          ))}
        </p>
      ) : null}

      <div class="layout-2">
        <section aria-labelledby="papers-h">
          <h2 id="papers-h">Papers</h2>
          <nav class="sorts" aria-label="Order of the papers">
            {SORTS.map((s) => (
              <a
                href={authorHref(a.id, { sort: s.sort, order: s.order })}
                aria-current={s.sort === sort && s.order === direction ? 'true' : undefined}
              >
                {s.label}
              </a>
            ))}
          </nav>
          <PaperList papers={a.papers} />
          {pages > 1 ? (
            <nav class="pager" aria-label="Pages of papers">
              {pageNo > 1 ? (
                <a rel="prev" href={authorHref(a.id, { sort, order: direction, page: pageNo - 1 })}>
                  ← Previous
                </a>
              ) : null}
              <span class="muted">
                Page {pageNo} of {pages}
              </span>
              {pageNo < pages ? (
                <a rel="next" href={authorHref(a.id, { sort, order: direction, page: pageNo + 1 })}>
                  Next →
                </a>
              ) : null}
            </nav>
          ) : null}
        </section>

        <aside class="facets">
          <h2>Papers per year</h2>
          <YearChart series={a.papersPerYear} total={a.paperCount} />
          {a.topCategories.length ? (
            <>
              <h3>Top categories</h3>
              <ul>
                {a.topCategories.map((c) => (
                  <li>
                    <a href={`/search?q=${encodeURIComponent(`cat:${c.category}`)}`}>{c.category}</a>{' '}
                    <span class="muted">({c.count})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {a.topTerms.length ? (
            <>
              <h3>Top terms</h3>
              <p class="terms">
                {a.topTerms.map((t, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <span title={`in ${t.papers} of their papers`}>{t.term}</span>
                  </>
                ))}
              </p>
            </>
          ) : null}
          {a.coauthors.length ? (
            <>
              <h3>Co-authors</h3>
              <ul>
                {a.coauthors.slice(0, 30).map((c) => (
                  <li>
                    <a href={`/author/${c.id}`}>{c.displayName}</a> <span class="muted">({c.count})</span>
                  </li>
                ))}
              </ul>
              {a.coauthors.length > 30 ? <p class="muted">and {a.coauthors.length - 30} more</p> : null}
            </>
          ) : null}
          {a.codeLinks.length ? (
            <>
              <h3>Code</h3>
              <ul>
                {a.codeLinks.map((l) => (
                  <li>
                    <a href={l.url} rel="nofollow noopener">
                      {l.url.replace(/^https?:\/\/(www\.)?/, '')}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {a.paperSources.length ? (
            <>
              <h3>Sources</h3>
              <ul>
                {a.paperSources.map((s) => (
                  <li>
                    {sourceLabel(s.source)} <span class="muted">({s.papers})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </aside>
      </div>

      {a.network.nodes.length >= 2 ? (
        <section aria-labelledby="network-h">
          <h2 id="network-h">Co-author network</h2>
          <CoauthorNetworkChart network={a.network} name={a.displayName} />
        </section>
      ) : null}

      <section aria-labelledby="same-h">
        <h2 id="same-h">Possibly the same person</h2>
        {suggestions === undefined ? (
          <p class="muted" data-suggestions-pending={String(a.id)} role="status">
            Still looking: the people with a compatible name are being compared with {a.displayName}{' '}
            (co-authors, fields, words, years). <a href={authorHref(a.id)}>Look again</a> in a few seconds.
          </p>
        ) : suggestions.length === 0 ? (
          <p class="muted">No one else with a compatible name has evidence in common with {a.displayName}.</p>
        ) : (
          <ul class="suggestions">
            {suggestions.map((s) => (
              <li>
                <a href={`/author/${s.id}`}>{s.displayName}</a>{' '}
                <span class="muted">
                  ({s.paperCount} {s.paperCount === 1 ? 'paper' : 'papers'}
                  {s.names.length > 1
                    ? `; also ${s.names.filter((n) => n !== s.displayName).join('; ')}`
                    : ''}
                  )
                </span>
                <ul class="evidence">
                  {s.evidence.coauthors.length ? (
                    <li>
                      Co-authors in common:{' '}
                      {s.evidence.coauthors.map((c, i) => (
                        <>
                          {i > 0 ? ', ' : ''}
                          <a href={`/author/${c.id}`}>{c.displayName}</a>
                        </>
                      ))}
                    </li>
                  ) : null}
                  {s.evidence.categories.length ? <li>Both in {s.evidence.categories.join(', ')}</li> : null}
                  {s.evidence.terms.length ? <li>Both write about {s.evidence.terms.join(', ')}</li> : null}
                  {s.evidence.years.length ? <li>Both published in {s.evidence.years.join(', ')}</li> : null}
                </ul>
                {isAdmin ? (
                  <div class="decide">
                    <form method="post" action={`/author/${a.id}/merge`} class="inline">
                      <CsrfField token={csrfToken} />
                      <input type="hidden" name="other" value={String(s.id)} />
                      <button type="submit">Merge into {a.displayName}</button>
                    </form>{' '}
                    <form method="post" action={`/author/${a.id}/reject`} class="inline">
                      <CsrfField token={csrfToken} />
                      <input type="hidden" name="other" value={String(s.id)} />
                      <button type="submit" class="secondary">
                        Not the same person
                      </button>
                    </form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      {isAdmin && allPapers ? (
        <section aria-labelledby="split-h">
          <h2 id="split-h">Split</h2>
          <details>
            <summary>Some of these papers or spellings belong to someone else</summary>
            <form method="post" action={`/author/${a.id}/split`} class="split">
              <CsrfField token={csrfToken} />
              {a.names.length > 1 ? (
                <fieldset>
                  <legend>Spellings that are someone else (with all their papers)</legend>
                  {a.names.map((n, i) => (
                    <div class="check">
                      <input type="checkbox" id={`split-name-${i}`} name="names" value={n.display} />
                      <label for={`split-name-${i}`}>
                        {n.display} <span class="muted">({n.count})</span>
                      </label>
                    </div>
                  ))}
                </fieldset>
              ) : null}
              <fieldset>
                <legend>Papers that are someone else's</legend>
                {allPapers.map((p) => (
                  <div class="check">
                    <input type="checkbox" id={`split-paper-${p.id}`} name="papers" value={String(p.id)} />
                    <label for={`split-paper-${p.id}`}>
                      {paperTitle(p)}
                      {p.year ? ` (${p.year})` : ''}
                    </label>{' '}
                    <a href={paperHref(p)} class="muted" aria-label={`Open ${paperTitle(p)}`}>
                      open
                    </a>
                  </div>
                ))}
              </fieldset>
              <button type="submit">Move to a new author</button>
            </form>
          </details>
        </section>
      ) : null}

      {a.decisions.length ? (
        <section aria-labelledby="history-h">
          <h2 id="history-h">Decisions</h2>
          <ul>
            {a.decisions.map((d) => (
              <li>
                {describeDecision(a.id, d)}{' '}
                <span class="muted">
                  — {d.actor}, {d.at.slice(0, 16).replace('T', ' ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
};

function describeDecision(id: number, d: AuthorListing['decisions'][number]): string {
  const other = `${d.detail.otherName ?? 'author'} (${d.authorId === id ? d.otherId : d.authorId})`;
  switch (d.kind) {
    case 'merge':
      return `Merged ${other} into this author (${d.detail.papers?.length ?? 0} papers)`;
    case 'split':
      return d.authorId === id
        ? `Split ${d.detail.papers?.length ?? 0} papers off to ${other}`
        : `Split off from author ${d.authorId}`;
    case 'reject':
      return `Not the same person as ${d.authorId === id ? other : `author ${d.authorId}`}`;
  }
}

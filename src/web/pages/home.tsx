import type { FC } from 'hono/jsx';
import type { NewPapers, TrendingPaper } from '../../discovery/trending/service.ts';
import type { Paper } from '../../domain/paper.ts';
import { AuthorLinks, PaperList, paperHref, paperTitle } from '../components/paper-list.tsx';

export interface HomeCounts {
  papers: number;
  /** People known, whether or not a paper of theirs is still here after merges. */
  authors: number;
  codeLinks: number;
}

/** Recommendations for the person signed in; `basedOn` 0 when their library is empty. */
export interface ForYou {
  basedOn: number;
  papers: { paper: Paper; reason: string }[];
}

export interface HomeView {
  stats: HomeCounts;
  listing: NewPapers;
  trending: TrendingPaper[];
  /** The papers added last, when none has a date to list it under. */
  recent: Paper[];
  /** Signed in: recommendations (undefined when signed out, or not ready in time). */
  forYou?: ForYou | undefined;
  /** The day before the listing's, for the link back in time. */
  previousDay?: string;
  nextDay?: string;
}

function homeHref(params: { cat?: string | undefined; day?: string | undefined }): string {
  const search = new URLSearchParams();
  if (params.cat) search.set('cat', params.cat);
  if (params.day) search.set('day', params.day);
  const query = search.toString();
  return query ? `/?${query}` : '/';
}

/** The archives most papers of the listing are in: quick links to narrow it. */
function listingCategories(listing: NewPapers): string[] {
  const counts = new Map<string, number>();
  for (const p of listing.papers) for (const c of p.categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 8)
    .map(([c]) => c);
}

const cat = (listing: NewPapers) => listing.category;

const ForYouSection: FC<{ forYou: ForYou }> = ({ forYou }) => (
  <section aria-labelledby="for-you">
    <h2 id="for-you">For you</h2>
    {forYou.basedOn === 0 ? (
      <p class="muted">Save papers to your library and papers like them will show up here.</p>
    ) : forYou.papers.length === 0 ? (
      <p class="muted">Nothing new like the papers you saved, yet.</p>
    ) : (
      <ol class="papers">
        {forYou.papers.map((r) => (
          <li>
            <a class="title" href={paperHref(r.paper)}>
              {paperTitle(r.paper)}
            </a>
            <div class="meta">
              <AuthorLinks paper={r.paper} max={3} />
            </div>
            {r.reason ? <div class="reason">{r.reason}</div> : null}
          </li>
        ))}
      </ol>
    )}
  </section>
);

export const HomePage: FC<{ view: HomeView }> = ({ view }) => {
  const { stats, listing, trending } = view;
  if (stats.papers === 0) {
    return (
      <>
        <h1>Paperscope</h1>
        <p class="notice">
          The knowledge base is empty. <a href="/import">Import</a> a file or paste the text of a page to
          begin.
        </p>
      </>
    );
  }
  const cats = listingCategories(listing);
  const heading = listing.categoryName ?? listing.category ?? 'all categories';
  return (
    <>
      <h1>Paperscope</h1>
      <p class="muted">
        {stats.papers.toLocaleString('en')} papers · {stats.authors.toLocaleString('en')} authors ·{' '}
        {stats.codeLinks.toLocaleString('en')} code links
      </p>
      <div class="home-columns">
        <section aria-labelledby="new">
          <h2 id="new">
            {listing.day || cat(listing)
              ? `New${listing.day ? ` on ${listing.day}` : ''} in ${heading}`
              : 'Recently added'}
          </h2>
          <form method="get" action="/" class="day-nav">
            <label class="visually-hidden" for="home-cat">
              Category
            </label>
            <input
              id="home-cat"
              name="cat"
              type="text"
              value={listing.category ?? ''}
              placeholder="cs.LG"
              size={10}
            />
            <label class="visually-hidden" for="home-day">
              Day
            </label>
            <input id="home-day" name="day" type="date" value={listing.day ?? ''} />
            <button type="submit" class="secondary">
              Show
            </button>
          </form>
          <nav class="day-nav" aria-label="Days and categories">
            {view.previousDay ? (
              <a href={homeHref({ cat: listing.category, day: view.previousDay })}>← {view.previousDay}</a>
            ) : null}
            {view.nextDay ? (
              <a href={homeHref({ cat: listing.category, day: view.nextDay })}>{view.nextDay} →</a>
            ) : null}
            {listing.category ? <a href={homeHref({ day: listing.day })}>all categories</a> : null}
            {cats
              .filter((c) => c !== listing.category)
              .map((c) => (
                <a href={homeHref({ cat: c, day: listing.day })}>{c}</a>
              ))}
          </nav>
          {listing.papers.length ? (
            <>
              <p class="muted">
                {listing.total.toLocaleString('en')} papers
                {listing.total > listing.papers.length ? `; the first ${listing.papers.length}` : ''}
              </p>
              <PaperList papers={listing.papers} />
            </>
          ) : view.recent.length ? (
            <>
              <p class="muted">No paper here has a publication day yet; these were added last.</p>
              <PaperList papers={view.recent} />
            </>
          ) : (
            <p class="muted">No new papers on this day{listing.category ? ' in this category' : ''}.</p>
          )}
        </section>
        <div>
          {view.forYou ? <ForYouSection forYou={view.forYou} /> : null}
          <section aria-labelledby="trending">
            <h2 id="trending">Trending</h2>
            {trending.length ? (
              <ol class="papers">
                {trending.map((t) => (
                  <li>
                    <a class="title" href={paperHref(t.paper)}>
                      {paperTitle(t.paper)}
                    </a>
                    <div class="meta">
                      <AuthorLinks paper={t.paper} max={3} />
                    </div>
                    <div class="reason">{t.reason}</div>
                  </li>
                ))}
              </ol>
            ) : (
              <p class="muted">Nothing is trending this week: no recent papers, views or saves.</p>
            )}
          </section>
        </div>
      </div>
    </>
  );
};

import type { FC } from 'hono/jsx';
import { EXPORT_FORMATS } from '../../export/index.ts';
import type { LibraryItem, TagCount } from '../../services/library.service.ts';
import type { TagRecommendation } from '../../services/library-recommendations.ts';
import { LibraryControls } from '../components/library-controls.tsx';
import { AuthorLinks, paperHref, paperTitle } from '../components/paper-list.tsx';

const FORMAT_LABELS: Record<(typeof EXPORT_FORMATS)[number], string> = {
  bibtex: 'BibTeX',
  ris: 'RIS',
  'csl-json': 'CSL-JSON',
};

const withTag = (path: string, tag: string | undefined, extra = ''): string => {
  const params = new URLSearchParams(extra);
  if (tag) params.set('tag', tag);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
};

export interface LibraryPageProps {
  items: readonly LibraryItem[];
  total: number;
  tags: readonly TagCount[];
  tag: string | undefined;
  csrf: string;
  returnTo: string;
  message?: string | undefined;
  paging?: { page: number; pageSize: number };
}

const Paging: FC<{ tag: string | undefined; page: number; pageSize: number; total: number }> = ({
  tag,
  page,
  pageSize,
  total,
}) => {
  const pages = Math.ceil(total / pageSize);
  if (pages <= 1) return null;
  const href = (n: number) => withTag('/library', tag, n > 1 ? `page=${n}` : '');
  return (
    <nav class="paging" aria-label="Pages of your library">
      {page > 1 ? <a href={href(page - 1)}>← Newer</a> : null}{' '}
      <span>
        Page {page} of {pages}
      </span>{' '}
      {page < pages ? <a href={href(page + 1)}>Older →</a> : null}
    </nav>
  );
};

export const LibraryPage: FC<LibraryPageProps> = ({
  items,
  total,
  tags,
  tag,
  csrf,
  returnTo,
  message,
  paging,
}) => (
  <>
    <h1>{tag ? `Your library: ${tag}` : 'Your library'}</h1>
    {message ? (
      <p class="notice error" role="alert">
        {message}
      </p>
    ) : null}
    <div class="layout-2">
      <section aria-label="Saved papers">
        <p class="muted">
          {total === 0
            ? tag
              ? `No saved paper has the tag "${tag}".`
              : 'Nothing saved yet: open a paper and press "Save to library".'
            : `${total} paper${total === 1 ? '' : 's'}${tag ? ` tagged "${tag}"` : ''}.`}
          {tag ? (
            <>
              {' '}
              <a href="/library">Show all</a>
            </>
          ) : null}
        </p>
        <ol class="papers library">
          {items.map((item) => (
            <li>
              <a class="title" href={paperHref(item.paper)}>
                {paperTitle(item.paper)}
              </a>
              <div class="meta">
                <AuthorLinks paper={item.paper} />
                {item.paper.year ? ` · ${item.paper.year}` : ''} · saved {item.savedAt.slice(0, 10)}
              </div>
              {item.note ? <p class="note-text">{item.note}</p> : null}
              <LibraryControls
                paperId={item.paper.id}
                item={item}
                csrf={csrf}
                signedIn={true}
                returnTo={returnTo}
                withNote={true}
                paperTitle={item.paper.title ?? undefined}
              />
            </li>
          ))}
        </ol>
        {paging ? <Paging tag={tag} page={paging.page} pageSize={paging.pageSize} total={total} /> : null}
      </section>
      <aside class="facets" aria-label="Tags and export">
        <h2>Tags</h2>
        {tags.length === 0 ? (
          <p class="muted">No tags yet.</p>
        ) : (
          <ul>
            {tags.map((t) => (
              <li>
                {t.name === tag ? (
                  <strong aria-current="page">{t.name}</strong>
                ) : (
                  <a href={withTag('/library', t.name)}>{t.name}</a>
                )}{' '}
                <span class="muted">({t.count})</span>
              </li>
            ))}
          </ul>
        )}
        <h2>Export</h2>
        <ul>
          {EXPORT_FORMATS.map((f) => (
            <li>
              <a href={withTag('/library/export', tag, `format=${f}`)} download>
                {FORMAT_LABELS[f]}
              </a>
            </li>
          ))}
        </ul>
        {tag ? (
          <>
            <h2>Recommendations</h2>
            <p>
              <a href={withTag('/library/recommendations', tag)}>Papers like those tagged "{tag}"</a>
            </p>
          </>
        ) : tags.length > 0 ? (
          <p class="muted">Pick a tag to see papers like those in it.</p>
        ) : null}
      </aside>
    </div>
  </>
);

/** The top of the page of papers like a tag's: what it is and where it comes from. */
export const RecommendationsHeading: FC<{ tag: string; from: number }> = ({ tag, from }) => (
  <>
    <h1>Papers like your "{tag}"</h1>
    <p class="muted">
      From the {from} paper{from === 1 ? '' : 's'} tagged "{tag}", papers you have not saved, nearest first.{' '}
      <a href={withTag('/library', tag)}>Back to the tag</a>
    </p>
  </>
);

/**
 * Shown while the list is worked out (sent first, the list follows in the same response);
 * hidden by the stylesheet once the list has arrived below it.
 */
export const RecommendationsWorking: FC<{ tag: string; from: number }> = ({ tag, from }) => (
  <p class="notice working" role="status">
    Finding papers like the {from} tagged "{tag}"… This takes a few seconds the first time; the list appears
    below.
  </p>
);

export const RecommendationsList: FC<{ recommendations: readonly TagRecommendation[] }> = ({
  recommendations,
}) => (
  <div class="tag-results">
    {recommendations.length === 0 ? (
      <p class="notice">Nothing close enough yet: import more papers on this subject.</p>
    ) : (
      <ol class="papers">
        {recommendations.map((r) => (
          <li>
            <a class="title" href={paperHref(r.paper)}>
              {paperTitle(r.paper)}
            </a>
            <div class="meta">
              <AuthorLinks paper={r.paper} />
              {r.paper.year ? ` · ${r.paper.year}` : ''}
            </div>
            {r.reason ? <div class="meta reason">{r.reason}</div> : null}
          </li>
        ))}
      </ol>
    )}
  </div>
);

export const RecommendationsPage: FC<{
  tag: string;
  recommendations: readonly TagRecommendation[];
  from: number;
}> = ({ tag, recommendations, from }) => (
  <>
    <RecommendationsHeading tag={tag} from={from} />
    <RecommendationsList recommendations={recommendations} />
  </>
);

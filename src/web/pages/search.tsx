import type { FC } from 'hono/jsx';
import type { ListedHit } from '../../domain/listed-paper.ts';
import type { SearchFacets, SearchResult } from '../../search/engine/index.ts';
import type { QueryError } from '../../search/query/index.ts';
import { MarkedText } from '../components/marked-text.tsx';
import { AuthorLinks, paperHref, paperTitle } from '../components/paper-list.tsx';
import { addFilter, facetFilters, hasTerm, type SearchSortParam, searchHref } from '../query-links.ts';

export const PAGE_SIZE = 20;

/** A result as the page shows it: a list row of the paper and the snippet of its abstract. */
export interface SearchRow {
  paper: ListedHit;
  snippet: string;
}

export interface SearchView {
  q: string;
  sort: SearchSortParam;
  page: number;
  result: Omit<SearchResult, 'hits' | 'query'> & { hits: SearchRow[] };
}

const EXAMPLES = [
  'author:"Xiao, Lechao"',
  '"neural tangent kernel" year:2020-',
  'title:scaling cat:cs.LG has:code',
  'kernel -cat:stat.ML',
];

export const SearchHelp: FC = () => (
  <section aria-labelledby="search-help">
    <h2 id="search-help">How to search</h2>
    <p>
      Words must all appear; put a phrase in quotes. Fields narrow a word to a part of the paper or a property
      of it: <code>title:</code>, <code>abs:</code>, <code>author:</code>, <code>year:</code>,{' '}
      <code>cat:</code>, <code>has:code</code>, <code>source:</code>, <code>id:</code>, <code>doi:</code>.
      Combine with <code>OR</code>, <code>NOT</code> (or <code>-</code>) and parentheses.
    </p>
    <ul>
      {EXAMPLES.map((q) => (
        <li>
          <a href={searchHref({ q })}>
            <code>{q}</code>
          </a>
        </li>
      ))}
    </ul>
  </section>
);

export const SearchPage: FC<{ view: SearchView }> = ({ view }) => {
  const { q, sort, page, result } = view;
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const first = (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(result.total, page * PAGE_SIZE);
  // A page number past the end (an old link, a hand-edited address): say so, and offer the last page.
  const pastEnd = result.total > 0 && first > result.total;
  return (
    <>
      <h1>
        Search: <span class="query">{q}</span>
      </h1>
      <div class="layout-2">
        <section aria-label="Results">
          <p class="muted" role="status">
            {result.total === 0 ? (
              'No papers match.'
            ) : pastEnd ? (
              <>
                There is no page {page}: {result.total.toLocaleString('en')}{' '}
                {result.total === 1 ? 'paper makes' : 'papers make'} {pages} {pages === 1 ? 'page' : 'pages'}.{' '}
                <a href={searchHref({ q, sort, page: pages })}>Go to page {pages}</a>
              </>
            ) : result.total === 1 ? (
              '1 paper'
            ) : (
              `${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${result.total.toLocaleString('en')} papers`
            )}
            {result.total > 1 && !pastEnd ? (
              <>
                {' · sorted by '}
                {sort === 'relevance' ? (
                  <>
                    <strong>relevance</strong> · <a href={searchHref({ q, sort: 'date' })}>date</a>
                  </>
                ) : (
                  <>
                    <a href={searchHref({ q })}>relevance</a> · <strong>date</strong>
                  </>
                )}
              </>
            ) : (
              ''
            )}
          </p>
          {result.corrected !== undefined ? (
            <p class="notice">
              Nothing matched as typed; showing results for{' '}
              <a href={searchHref({ q: result.corrected })}>
                <strong>{result.corrected}</strong>
              </a>
              .
            </p>
          ) : null}
          {result.total === 0 ? <SearchHelp /> : <Hits hits={result.hits} />}
          {pastEnd ? null : <Pager q={q} sort={sort} page={page} pages={pages} />}
        </section>
        <Facets q={q} facets={result.facets} total={result.total} />
      </div>
    </>
  );
};

const Hits: FC<{ hits: SearchRow[] }> = ({ hits }) => (
  <ol class="papers">
    {hits.map((h) => (
      <li>
        <a class="title" href={paperHref(h.paper)}>
          {paperTitle(h.paper)}
        </a>
        <div class="meta">
          <AuthorLinks paper={h.paper} />
          {h.paper.year ? ` · ${h.paper.year}` : ''}
          {h.paper.ids.arxiv ? ` · arXiv:${h.paper.ids.arxiv}` : ''}
          {h.paper.categories.length ? ` · ${h.paper.categories.slice(0, 3).join(', ')}` : ''}
          {h.paper.hasCode ? <span class="badge">code</span> : ''}
        </div>
        {h.snippet ? (
          <p class="snippet">
            <MarkedText snippet={h.snippet} />
          </p>
        ) : (
          ''
        )}
      </li>
    ))}
  </ol>
);

const Pager: FC<{ q: string; sort: SearchSortParam; page: number; pages: number }> = ({
  q,
  sort,
  page,
  pages,
}) =>
  pages <= 1 ? null : (
    <nav class="pager" aria-label="Pages of results">
      {page > 1 ? (
        <a href={searchHref({ q, sort, page: page - 1 })} rel="prev">
          ← Previous
        </a>
      ) : (
        ''
      )}
      <span>
        Page {page} of {pages.toLocaleString('en')}
      </span>
      {page < pages ? (
        <a href={searchHref({ q, sort, page: page + 1 })} rel="next">
          Next →
        </a>
      ) : (
        ''
      )}
    </nav>
  );

/** Each facet value is a link that adds its filter to the query; one already in it is shown as chosen. */
const FacetLink: FC<{ q: string; filter: string; label: string; count: number }> = ({
  q,
  filter,
  label,
  count,
}) =>
  hasTerm(q, filter) ? (
    <li>
      <strong aria-current="true">{label}</strong> <span class="muted">{count.toLocaleString('en')}</span>
    </li>
  ) : (
    <li>
      <a href={searchHref({ q: addFilter(q, filter) })}>{label}</a>{' '}
      <span class="muted">{count.toLocaleString('en')}</span>
    </li>
  );

const Facets: FC<{ q: string; facets: SearchFacets; total: number }> = ({ q, facets, total }) =>
  total === 0 ? null : (
    <aside class="facets" aria-label="Narrow the results">
      {facets.sampled !== undefined ? (
        <p class="muted">
          Counts from {facets.sampled.toLocaleString('en')} of the matching papers, spread evenly.
        </p>
      ) : null}
      {facets.hasCode > 0 ? (
        <>
          <h2>Code</h2>
          <ul>
            <FacetLink q={q} filter={facetFilters.hasCode()} label="has code" count={facets.hasCode} />
          </ul>
        </>
      ) : (
        ''
      )}
      {facets.years.length ? (
        <>
          <h2>Year</h2>
          <ul>
            {facets.years.slice(0, 15).map((y) => (
              <FacetLink q={q} filter={facetFilters.year(y.value)} label={String(y.value)} count={y.count} />
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      {facets.categories.length ? (
        <>
          <h2>Category</h2>
          <ul>
            {facets.categories.map((c) => (
              <FacetLink q={q} filter={facetFilters.category(c.value)} label={c.value} count={c.count} />
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      {facets.authors.length ? (
        <>
          <h2>Author</h2>
          <ul>
            {facets.authors.map((a) => (
              <FacetLink q={q} filter={facetFilters.author(a.name)} label={a.name} count={a.count} />
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
    </aside>
  );

/** A query the parser refused: the query as typed, the wrong place marked, and why. */
export const BadQuery: FC<{ q: string; error: QueryError }> = ({ q, error }) => {
  const at = Math.min(error.offset, q.length);
  const end = Math.min(q.length, at + error.length);
  return (
    <>
      <h1>This query cannot be read</h1>
      <p class="notice error" role="alert">
        {error.message}
      </p>
      <p>
        <code class="query-error">
          {q.slice(0, at)}
          <mark class="error-place" title="here">
            {end > at ? q.slice(at, end) : '\u00a0'}
          </mark>
          {q.slice(end)}
        </code>
      </p>
      <pre class="pointer" aria-hidden="true">
        {error.pointer}
      </pre>
      <SearchHelp />
    </>
  );
};

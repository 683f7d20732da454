import type { FC } from 'hono/jsx';
import type { SimilarPaper } from '../../discovery/similar/service.ts';
import type { CodeLink, Paper, PaperField } from '../../domain/paper.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../export/index.ts';
import type { LibraryItem } from '../../services/library.service.ts';
import { LibraryControls } from '../components/library-controls.tsx';
import { AuthorLinks, paperHref, paperTitle } from '../components/paper-list.tsx';
import { identifierLinks, safeHref } from '../identifier-links.ts';
import { Abstract } from '../math.tsx';
import { searchHref } from '../query-links.ts';
import { shownOrigin, sourceLabel } from '../source-labels.ts';

export const EXPORT_LABELS: Record<ExportFormat, string> = {
  bibtex: 'BibTeX',
  ris: 'RIS',
  'csl-json': 'CSL-JSON',
};

export function exportHref(paper: Pick<Paper, 'id'>, format: ExportFormat): string {
  return `/paper/${paper.id}/export/${format}`;
}

/** Similar papers: absent while the index is still being learned, so the page never waits on it. */
export type SimilarState = { ready: true; papers: SimilarPaper[] } | { ready: false };

export interface PaperView {
  paper: Paper;
  similar: SimilarState;
  bibtex: string;
  viewer: { signedIn: boolean; csrfToken: string; item: Pick<LibraryItem, 'tags' | 'note'> | undefined };
}

/** "via NASA ADS": which source gave a field, shown beside it. */
const Via: FC<{ paper: Paper; field: PaperField }> = ({ paper, field }) => {
  const source = paper.via[field];
  return source ? <span class="via"> via {sourceLabel(source)}</span> : null;
};

export const PaperPage: FC<{ view: PaperView }> = ({ view }) => {
  const { paper } = view;
  return (
    <article class="paper">
      <h1>
        {paper.title ?? 'Untitled paper'}
        <Via paper={paper} field="title" />
      </h1>
      {paper.title ? null : (
        <p class="notice">
          No source has given the title of this paper yet: the page it came from shows only its abstract or
          authors. Import a list that names it (an ADS author page, Hugging Face Papers, BibTeX…) and the
          title joins this record.
        </p>
      )}
      <p class="authors">
        {paper.authors.length ? (
          <AuthorLinks paper={paper} max={200} />
        ) : (
          <span class="muted">Authors unknown</span>
        )}
        <Via paper={paper} field="authors" />
      </p>
      <Facts paper={paper} />
      <LibraryControls
        paperId={paper.id}
        item={view.viewer.item}
        csrf={view.viewer.csrfToken}
        signedIn={view.viewer.signedIn}
        returnTo={paperHref(paper)}
        withNote={true}
      />
      <h2>Abstract</h2>
      {paper.abstract ? (
        <>
          <Abstract abstract={paper.abstract} />
          <p class="muted small">
            <Via paper={paper} field="abstract" />
          </p>
        </>
      ) : (
        <p class="muted">No source gave an abstract.</p>
      )}
      {paper.tldr ? (
        <p>
          <strong>TL;DR</strong> {paper.tldr}
          <Via paper={paper} field="tldr" />
        </p>
      ) : null}
      <CodeLinks links={paper.codeLinks} />
      <Identifiers paper={paper} />
      <Similar state={view.similar} />
      <Cite paper={paper} bibtex={view.bibtex} />
      <Sources paper={paper} />
    </article>
  );
};

const Facts: FC<{ paper: Paper }> = ({ paper }) => (
  <dl class="facts">
    {paper.published ? (
      <>
        <dt>Published</dt>
        <dd>
          {paper.published.slice(0, 10)}
          <Via paper={paper} field="published" />
        </dd>
      </>
    ) : paper.year ? (
      <>
        <dt>Year</dt>
        <dd>
          {paper.year}
          <Via paper={paper} field="year" />
        </dd>
      </>
    ) : null}
    {paper.updated ? (
      <>
        <dt>Updated</dt>
        <dd>{paper.updated.slice(0, 10)}</dd>
      </>
    ) : null}
    {paper.versions.length ? (
      <>
        <dt>Versions</dt>
        <dd>
          {paper.versions.map((v, i) => (
            <>
              {i > 0 ? ', ' : ''}
              {paper.ids.arxiv ? (
                <a href={`https://arxiv.org/abs/${paper.ids.arxiv}${v.version}`}>{v.version}</a>
              ) : (
                v.version
              )}{' '}
              ({v.date.slice(0, 10)})
            </>
          ))}
          <Via paper={paper} field="versions" />
        </dd>
      </>
    ) : null}
    {paper.categories.length ? (
      <>
        <dt>Categories</dt>
        <dd>
          {paper.categories.map((c, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <a href={searchHref({ q: `cat:${c}`, sort: 'date' })}>{c}</a>
            </>
          ))}
          <Via paper={paper} field="categories" />
        </dd>
      </>
    ) : null}
    {paper.venue || paper.journalRef ? (
      <>
        <dt>Published in</dt>
        <dd>
          {paper.journalRef ?? paper.venue}
          <Via paper={paper} field={paper.journalRef ? 'journalRef' : 'venue'} />
        </dd>
      </>
    ) : null}
    {paper.comments ? (
      <>
        <dt>Comments</dt>
        <dd>{paper.comments}</dd>
      </>
    ) : null}
    {paper.citationCount !== undefined ? (
      <>
        <dt>Citations</dt>
        <dd>
          {paper.citationCount.toLocaleString('en')}
          <Via paper={paper} field="citationCount" />
        </dd>
      </>
    ) : null}
    {paper.upvotes !== undefined ? (
      <>
        <dt>Upvotes</dt>
        <dd>
          {paper.upvotes}
          <Via paper={paper} field="upvotes" />
        </dd>
      </>
    ) : null}
  </dl>
);

const CodeLinks: FC<{ links: CodeLink[] }> = ({ links }) =>
  links.length === 0 ? null : (
    <section aria-labelledby="code">
      <h2 id="code">Code</h2>
      <ul class="code-links">
        {links.map((link) => {
          const href = link.status === 'unrepairable' ? undefined : safeHref(link.url);
          return (
            <li>
              {href ? <a href={href}>{link.url}</a> : <code>{link.raw}</code>}{' '}
              <span class="muted">{link.kind.replace('-', ' ')}</span>
              {link.status === 'repaired' ? (
                <span class="badge">
                  repaired from <code>{link.raw}</code>
                </span>
              ) : null}
              {link.status === 'unrepairable' ? (
                <span class="badge warn">could not be repaired: shown as found</span>
              ) : null}
              {link.foundIn.length ? (
                <span class="via">
                  {' '}
                  found in{' '}
                  {[
                    ...new Set(
                      link.foundIn.map((f) => `${sourceLabel(f.source)} ${f.field.replace('-', ' ')}`),
                    ),
                  ].join(', ')}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );

const Identifiers: FC<{ paper: Paper }> = ({ paper }) => {
  const links = identifierLinks(paper.ids);
  return links.length === 0 ? null : (
    <section aria-labelledby="elsewhere">
      <h2 id="elsewhere">Elsewhere</h2>
      <ul class="identifiers">
        {links.map((l) => (
          <li>
            {l.label}: <a href={l.href}>{l.value}</a>
          </li>
        ))}
      </ul>
    </section>
  );
};

const Similar: FC<{ state: SimilarState }> = ({ state }) => (
  <section aria-labelledby="similar">
    <h2 id="similar">Similar papers</h2>
    {!state.ready ? (
      <p class="muted">
        Similar papers are not worked out for this collection yet (the index is being built, or waits for{' '}
        <code>paperscope similar --rebuild</code>); look again later.
      </p>
    ) : state.papers.length === 0 ? (
      <p class="muted">No similar papers in this collection yet.</p>
    ) : (
      <ol class="papers">
        {state.papers.map((s) => (
          <li>
            <a class="title" href={paperHref(s.paper)}>
              {paperTitle(s.paper)}
            </a>
            <div class="meta">
              <AuthorLinks paper={s.paper} max={4} />
              {s.paper.year ? ` · ${s.paper.year}` : ''}
            </div>
            {s.reason ? <div class="reason">{s.reason}</div> : null}
          </li>
        ))}
      </ol>
    )}
  </section>
);

const Cite: FC<{ paper: Paper; bibtex: string }> = ({ paper, bibtex }) => (
  <section aria-labelledby="cite">
    <h2 id="cite">Cite</h2>
    <p>
      Download:{' '}
      {EXPORT_FORMATS.map((f, i) => (
        <>
          {i > 0 ? ' · ' : ''}
          <a href={exportHref(paper, f)} download>
            {EXPORT_LABELS[f]}
          </a>
        </>
      ))}
    </p>
    <details>
      <summary>BibTeX</summary>
      <pre class="bibtex">{bibtex}</pre>
    </details>
  </section>
);

const Sources: FC<{ paper: Paper }> = ({ paper }) => (
  <section aria-labelledby="sources">
    <h2 id="sources">Where this came from</h2>
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">From</th>
            <th scope="col">Place</th>
            <th scope="col">Read</th>
          </tr>
        </thead>
        <tbody>
          {paper.sources.map((s) => {
            const href = safeHref(s.origin);
            return (
              <tr>
                <td>{sourceLabel(s.source)}</td>
                <td class="origin">{href ? <a href={href}>{s.origin}</a> : shownOrigin(s.origin)}</td>
                <td>{s.locator}</td>
                <td>{s.fetchedAt.slice(0, 10)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  </section>
);

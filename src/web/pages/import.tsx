import type { FC } from 'hono/jsx';
import type { Paper } from '../../domain/paper.ts';
import { type ImportJob, MAX_PAPERS_LISTED } from '../../services/import-jobs.ts';
import { PaperList } from '../components/paper-list.tsx';
import { CsrfField } from '../layout.tsx';
import { formatLabel, formatLabels, shownOrigin, sourceLabel } from '../source-labels.ts';

/** The importer's advice for the command line; a page has no `--format` to give. */
const CLI_HINT = /: give --format to say which one it is$/;

/** What to do when the format was not recognised: what Paperscope reads, and the way to force one. */
const KnownFormats: FC = () => (
  <p>
    Paperscope recognises {formatLabels().join(', ')}. If the file is one of these, its beginning may be
    damaged or cut; the command line can be told which format it is:{' '}
    <code>paperscope import --format NAME FILE</code> (the names are listed by{' '}
    <code>paperscope import --help</code>).
  </p>
);

export const ImportForms: FC<{ csrfToken: string; error?: string; arxivApi: string }> = ({
  csrfToken,
  error,
  arxivApi,
}) => (
  <>
    <h1>Import papers</h1>
    {error ? (
      <p class="notice error" role="alert">
        {error}
      </p>
    ) : null}
    <p>
      Bring papers into this instance's knowledge base. Papers already here are merged, never duplicated; each
      record keeps where it came from.
    </p>
    <section aria-labelledby="paste">
      <h2 id="paste">Paste the text of a page</h2>
      <form method="post" action="/import" class="import">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="mode" value="paste" />
        <label for="import-text">
          Text copied from an arXiv listing, an ADS author page, Hugging Face Papers or CatalyzeX — or BibTeX,
          RIS, CSL-JSON, arXiv or OpenAlex data
        </label>
        <textarea id="import-text" name="text" rows={10} required />
        <button type="submit">Import the text</button>
      </form>
    </section>
    <section aria-labelledby="upload">
      <h2 id="upload">Upload a file</h2>
      <form method="post" action="/import" enctype="multipart/form-data" class="import">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="mode" value="file" />
        <label for="import-file">A file in any supported format (the format is detected)</label>
        <input id="import-file" name="file" type="file" required />
        <button type="submit">Import the file</button>
      </form>
    </section>
    <section aria-labelledby="fetch">
      <h2 id="fetch">Fetch from arXiv</h2>
      <p class="muted">
        Needs this machine to be online; asks {arxivApi} politely (a few seconds between requests), at most
        500 papers.
      </p>
      <form method="post" action="/import" class="import">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="mode" value="arxiv" />
        <label for="import-ids">arXiv ids (separated by spaces or commas)</label>
        <input id="import-ids" name="ids" type="text" placeholder="2006.10540 2311.11944v2" />
        <label for="import-author">or an author</label>
        <input id="import-author" name="author" type="text" placeholder="Lechao Xiao" />
        <label for="import-query">or an arXiv query</label>
        <input id="import-query" name="query" type="text" placeholder="ti:scaling AND cat:cs.LG" />
        <p>
          <button type="submit">Fetch</button>
        </p>
      </form>
    </section>
  </>
);

export const SignInToImport: FC = () => (
  <>
    <h1>Import papers</h1>
    <p class="notice">
      Importing changes the knowledge base everyone here shares, so it needs an account.{' '}
      <a href="/signin?next=%2Fimport">Sign in</a> or <a href="/register">create an account</a>.
    </p>
  </>
);

function percent(job: ImportJob): number | undefined {
  const { bytesRead, totalBytes } = job.progress;
  if (bytesRead === undefined || !totalBytes) return undefined;
  return Math.min(100, Math.round((bytesRead / totalBytes) * 100));
}

export const JobProgress: FC<{ job: ImportJob }> = ({ job }) => {
  const pct = percent(job);
  return (
    <div id="job-progress" data-import-job={job.id} data-status={job.status} aria-live="polite">
      <p>
        <strong>{job.status === 'queued' ? 'Waiting for the import before it…' : 'Importing…'}</strong>{' '}
        <span data-field="read">{job.progress.read.toLocaleString('en')}</span> records so far
        {job.progress.pages ? `, ${job.progress.pages} pages fetched` : ''}
        {job.progress.note ? ` (${job.progress.note})` : ''}
      </p>
      {pct === undefined ? (
        <progress aria-label="Import progress" />
      ) : (
        <progress aria-label="Import progress" max={100} value={pct}>
          {pct}%
        </progress>
      )}
      <p class="muted">This page follows the import: it updates by itself until the summary is ready.</p>
    </div>
  );
};

/** Errors that mean the source could not be reached at all, as Node's fetch reports them. */
const UNREACHABLE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/;

/**
 * Why an import stopped. A fetch that never reached its source is said in plain words first,
 * with what to do instead; the technical message follows for whoever has to look into it.
 */
const Failure: FC<{ error: string }> = ({ error }) => {
  const host = /Request to https?:\/\/([^/\s?]+)/.exec(error)?.[1];
  return UNREACHABLE.test(error) ? (
    <div class="notice error" role="alert">
      <p>
        Paperscope could not reach {host ?? 'the source'}: this machine seems to be offline, or cannot see
        that address. Nothing was imported. Paste the text of the page, or upload a file, instead.
      </p>
      <p class="muted small">{error}</p>
    </div>
  ) : (
    <p class="notice error" role="alert">
      The import stopped: {error}
    </p>
  );
};

export const JobPage: FC<{ job: ImportJob; papers: Paper[] }> = ({ job, papers }) => (
  <>
    <h1>{job.label}</h1>
    {job.status === 'queued' || job.status === 'running' ? <JobProgress job={job} /> : null}
    {job.status === 'failed' ? <Failure error={job.error ?? ''} /> : null}
    {job.summary && job.status === 'done' ? <Summary job={job} papers={papers} /> : null}
    <p>
      <a href="/import">Import something else</a>
    </p>
  </>
);

/** Counts as people read them: 1,000 rather than 1000. */
const n = (count: number) => count.toLocaleString('en');

const Summary: FC<{ job: ImportJob; papers: Paper[] }> = ({ job, papers }) => {
  const s = job.summary!;
  const failed = s.read === 0 && s.problems.some((p) => p.locator === 'file');
  return (
    <section aria-labelledby="summary" data-import-done={job.id}>
      <h2 id="summary">{failed ? 'Nothing was imported' : 'Imported'}</h2>
      <p class={`notice ${failed ? 'error' : 'ok'}`} role="status">
        {s.read.toLocaleString('en')} {s.read === 1 ? 'record' : 'records'} read
        {s.format ? ` as ${formatLabel(s.format)}` : ''}: {n(s.new)} new, {n(s.merged)} merged, {n(s.updated)}{' '}
        updated, {n(s.unchanged)} unchanged, {n(s.skipped)} skipped.
      </p>
      <table class="counts">
        <tbody>
          <tr>
            <th scope="row">New papers</th>
            <td>{n(s.new)}</td>
          </tr>
          <tr>
            <th scope="row">Merged into papers already here</th>
            <td>{n(s.merged)}</td>
          </tr>
          <tr>
            <th scope="row">Updated (the same record, changed)</th>
            <td>{n(s.updated)}</td>
          </tr>
          <tr>
            <th scope="row">Unchanged (already imported)</th>
            <td>{n(s.unchanged)}</td>
          </tr>
          <tr>
            <th scope="row">Skipped</th>
            <td>{n(s.skipped)}</td>
          </tr>
        </tbody>
      </table>
      {s.problems.length ? (
        <>
          <h3>{failed ? 'Why' : 'What was skipped, and why'}</h3>
          <ul class="problems">
            {s.problems.map((p) => (
              <li>
                <code>{p.locator}</code> of {shownOrigin(p.origin)}
                {p.source === 'import' ? '' : ` (${sourceLabel(p.source)})`}:{' '}
                {p.message.replace(CLI_HINT, '')}
              </li>
            ))}
          </ul>
          {s.problems.some((p) => p.message.startsWith('unknown format')) ? <KnownFormats /> : null}
        </>
      ) : null}
      {papers.length ? (
        <>
          <h3>The papers</h3>
          {papers.length >= MAX_PAPERS_LISTED ? (
            <p class="muted">
              The first {papers.length} are listed here; <a href="/search">search</a> to find the others.
            </p>
          ) : null}
          <PaperList papers={papers} />
        </>
      ) : null}
    </section>
  );
};

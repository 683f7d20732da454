import type { FC } from 'hono/jsx';
import type { DigestSettings, OutboxEntry } from '../../digest/digest.service.ts';
import { type DigestItem, paperUrl, reasonText, SECTION_TITLES, sections } from '../../domain/digest.ts';
import type { Follow } from '../../follows/follow.service.ts';
import type { SyncStatus } from '../../sync/sync.service.ts';
import { CsrfField } from '../layout.tsx';

/** The zones this runtime knows, offered as suggestions (any IANA name is accepted). */
const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC'),
];

const KIND_NAMES: Record<Follow['kind'], string> = {
  author: 'Authors',
  search: 'Saved searches',
  category: 'Categories',
  tag: 'Library tags',
};

/**
 * A Follow / Unfollow button for any page (author pages, search results, category listings):
 * a small form that posts to /follow and comes back to `returnTo`.
 */
export const FollowButton: FC<{
  csrf: string;
  kind: Follow['kind'];
  value: string;
  following: boolean;
  returnTo: string;
  label?: string;
}> = ({ csrf, kind, value, following, returnTo, label }) => (
  <form method="post" action={following ? '/unfollow' : '/follow'} class="inline follow">
    <CsrfField token={csrf} />
    <input type="hidden" name="kind" value={kind} />
    <input type="hidden" name="value" value={value} />
    <input type="hidden" name="next" value={returnTo} />
    <button type="submit" class={following ? 'secondary' : ''}>
      {following ? `Unfollow${label ? ` ${label}` : ''}` : `Follow${label ? ` ${label}` : ''}`}
    </button>
  </form>
);

export const FollowsPage: FC<{
  csrf: string;
  follows: Follow[];
  settings: DigestSettings;
  feedUrls: { rss: string; atom: string };
  tags: string[];
  notice?: string | undefined;
  problem?: string | undefined;
}> = ({ csrf, follows, settings, feedUrls, tags, notice, problem }) => (
  <section>
    <h1>What you follow</h1>
    {notice ? (
      <p class="notice ok" role="status">
        {notice}
      </p>
    ) : null}
    {problem ? (
      <p class="notice error" role="alert">
        {problem}
      </p>
    ) : null}
    <p class="muted">
      New papers by the authors, matching the searches, in the categories and like the papers under the tags
      you follow come in your daily digest, each with the reason it is there.
    </p>
    {follows.length === 0 ? <p>You follow nothing yet.</p> : null}
    {(['author', 'search', 'category', 'tag'] as const).map((kind) => {
      const mine = follows.filter((f) => f.kind === kind);
      return mine.length === 0 ? null : (
        <>
          <h2>{KIND_NAMES[kind]}</h2>
          <ul class="follows">
            {mine.map((f) => (
              <li>
                {kind === 'author' ? (
                  <a href={`/author/${f.value}`}>{f.label}</a>
                ) : kind === 'search' ? (
                  <a href={`/search?q=${encodeURIComponent(f.value)}`}>
                    <code>{f.label}</code>
                  </a>
                ) : kind === 'category' ? (
                  <a href={`/search?q=${encodeURIComponent(`cat:${f.value}`)}`}>{f.label}</a>
                ) : (
                  <a href={`/library?tag=${encodeURIComponent(f.label)}`}>{f.label}</a>
                )}{' '}
                <form method="post" action="/unfollow" class="inline">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="id" value={String(f.id)} />
                  <input type="hidden" name="next" value="/account/follows" />
                  <button type="submit" class="link">
                    Unfollow
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      );
    })}

    <h2>Follow something new</h2>
    <form method="post" action="/follow">
      <CsrfField token={csrf} />
      <input type="hidden" name="next" value="/account/follows" />
      <label for="follow-kind">What</label>
      <select id="follow-kind" name="kind">
        <option value="author">An author (any spelling of the name)</option>
        <option value="search">A search (the query language: author:, cat:, "phrases"…)</option>
        <option value="category">An arXiv category (cs.LG)</option>
        <option value="tag">One of your library tags{tags.length ? ` (${tags.join(', ')})` : ''}</option>
      </select>
      <label for="follow-value">Name, query, category or tag</label>
      <input id="follow-value" name="value" type="text" required placeholder="Lechao Xiao" />
      <p>
        <button type="submit">Follow</button>
      </p>
    </form>

    <h2>Daily digest</h2>
    <form method="post" action="/account/digest">
      <CsrfField token={csrf} />
      <label>
        <input type="checkbox" name="enabled" value="on" checked={settings.enabled} /> Send me a digest email
        each day there is something new
      </label>
      <label for="digest-hour">At (hour of the day, your time)</label>
      <select id="digest-hour" name="sendHour">
        {Array.from({ length: 24 }, (_, h) => (
          <option value={String(h)} selected={h === settings.sendHour}>
            {`${String(h).padStart(2, '0')}:00`}
          </option>
        ))}
      </select>
      <label for="digest-zone">Time zone</label>
      <input
        id="digest-zone"
        name="timeZone"
        type="text"
        list="time-zones"
        value={settings.timeZone}
        placeholder="Europe/Paris"
      />
      <datalist id="time-zones">
        {TIME_ZONES.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
      <p>
        <button type="submit">Save</button>
      </p>
    </form>

    <h2>Your private feed</h2>
    <p class="muted">
      Your recommendations as a feed; the address is a secret — anyone who has it can read them.
    </p>
    <ul class="feed-urls">
      <li>
        RSS: <a href={feedUrls.rss}>{feedUrls.rss}</a>
      </li>
      <li>
        Atom: <a href={feedUrls.atom}>{feedUrls.atom}</a>
      </li>
    </ul>
  </section>
);

export const UnsubscribePage: FC<{
  token: string;
  csrf: string;
  email?: string;
  done?: { email: string };
}> = ({ token, csrf, email, done }) => (
  <section class="narrow">
    <h1>Daily digest</h1>
    {done ? (
      <>
        <p class="notice ok" role="status">
          {done.email} will get no more digests.
        </p>
        <p>
          Changed your mind? Turn them back on under <a href="/account/follows">What you follow</a>.
        </p>
      </>
    ) : (
      <form method="post" action={`/api/digest/unsubscribe?token=${encodeURIComponent(token)}`}>
        <CsrfField token={csrf} />
        <p>Stop the daily digest emails{email ? ` to ${email}` : ''}?</p>
        <p>
          <button type="submit">Unsubscribe</button>
        </p>
      </form>
    )}
  </section>
);

export const DigestPreviewPage: FC<{
  user: { id: number; email: string; name: string };
  day: string;
  subject: string;
  text: string;
  items: DigestItem[];
  baseUrl: string;
  outbox: OutboxEntry[];
}> = ({ user, day, subject, text, items, baseUrl, outbox }) => (
  <section>
    <h1>
      Digest of {user.name || user.email} for {day}
    </h1>
    {items.length === 0 ? (
      <p class="notice">Nothing new for {user.email}: no digest would be sent now.</p>
    ) : (
      <>
        <p>
          <strong>Subject:</strong> {subject} · <a href={`/admin/digests/${user.id}/html`}>the HTML part</a>
        </p>
        {sections(items).map(({ section, items: shown }) => (
          <>
            <h2>{SECTION_TITLES[section]}</h2>
            <ol class="papers">
              {shown.map((item) => (
                <li>
                  <a class="title" href={paperUrl('', item.paper)}>
                    {item.paper.title}
                  </a>
                  <div class="meta">{item.paper.authors.slice(0, 8).join(', ')}</div>
                  <div class="muted">Why: {reasonText(item.reason)}</div>
                </li>
              ))}
            </ol>
          </>
        ))}
        <h2>The plain-text part</h2>
        <pre class="email-text">{text}</pre>
      </>
    )}
    <h2>Sent and pending</h2>
    <OutboxTable entries={outbox} />
    <p class="muted">Links in the email point to {baseUrl}.</p>
  </section>
);

export const OutboxTable: FC<{ entries: OutboxEntry[] }> = ({ entries }) =>
  entries.length === 0 ? (
    <p class="muted">No digests yet.</p>
  ) : (
    <table>
      <thead>
        <tr>
          <th>Day</th>
          <th>To</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Sent</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr>
            <td>{e.day}</td>
            <td>{e.recipient}</td>
            <td>{e.status}</td>
            <td>{String(e.attempts)}</td>
            <td>{e.sentAt ?? ''}</td>
            <td>{e.lastError ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

export const SyncPage: FC<{ status: SyncStatus; csrf: string; outbox: OutboxEntry[] }> = ({
  status,
  csrf,
  outbox,
}) => (
  <section>
    <h1>Sync</h1>
    <p>
      {status.enabled
        ? 'The server runs the sync'
        : 'The server does not run the sync (PAPERSCOPE_SYNC=on turns it on)'}{' '}
      every {String(status.intervalMinutes)} minutes · sources: {status.sources.join(', ') || 'none'} · arXiv
      categories: {status.categories.join(', ') || 'none (PAPERSCOPE_SYNC_CATEGORIES)'}
    </p>
    <p>
      Last run: {when(status.lastRunAt)} · next run:{' '}
      {status.nextRunAt ? when(status.nextRunAt) : 'not planned'}
      {status.running ? ' · running now' : ''}
    </p>
    <form method="post" action="/admin/sync/run" class="inline">
      <CsrfField token={csrf} />
      <button type="submit">Run the sync now</button>
    </form>
    {status.states.length === 0 ? <p class="muted">No source has run yet.</p> : null}
    {status.states.map((s) => (
      <>
        <h2>{s.key}</h2>
        <table class="facts">
          <tbody>
            <tr>
              <th scope="row">Runs</th>
              <td>
                {String(s.runs)} · {String(s.records)} records read · {String(s.newPapers)} new papers
                {s.lastRun
                  ? ` (last run: ${s.lastRun.records} records, ${s.lastRun.newPapers} new, ${s.lastRun.merged} merged${s.lastRun.problems ? `, ${s.lastRun.problems} problems` : ''})`
                  : ''}
              </td>
            </tr>
            <tr>
              <th scope="row">Last run</th>
              <td>{when(s.lastRunAt)}</td>
            </tr>
            <tr>
              <th scope="row">Last success</th>
              <td>{when(s.lastSuccessAt)}</td>
            </tr>
            {s.lastHarvestDate ? (
              <tr>
                <th scope="row">Next harvest from</th>
                <td>{s.lastHarvestDate}</td>
              </tr>
            ) : null}
            {s.resumptionToken ? (
              <tr>
                <th scope="row">Interrupted harvest</th>
                <td>
                  resumes at resumptionToken <code>{s.resumptionToken}</code>
                  {s.harvestingFrom ? ` (harvesting from ${s.harvestingFrom})` : ''}
                </td>
              </tr>
            ) : null}
            {s.lastError ? (
              <tr>
                <th scope="row">Last error</th>
                <td class="error">
                  {when(s.lastErrorAt)}: {s.lastError}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </>
    ))}
    <h2>Digests</h2>
    <OutboxTable entries={outbox} />
  </section>
);

/** An instant as people read it: `2026-11-24 06:00 UTC`. */
function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'never';
}

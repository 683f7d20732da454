import type { FC } from 'hono/jsx';
import { PASSWORD_MIN_LENGTH, SCOPE_DESCRIPTIONS, SCOPES } from '../../domain/accounts.ts';
import type { TokenInfo, User } from '../../services/accounts.service.ts';
import type { Viewer } from '../context.ts';
import { CsrfField } from '../layout.tsx';

const Problem: FC<{ message: string | undefined }> = ({ message }) =>
  message ? (
    <p class="notice error" role="alert">
      {message}
    </p>
  ) : null;

export const SignInPage: FC<{ csrf: string; next: string; email?: string; problem?: string }> = ({
  csrf,
  next,
  email,
  problem,
}) => (
  <section class="narrow">
    <h1>Sign in</h1>
    <Problem message={problem} />
    <form method="post" action="/signin">
      <CsrfField token={csrf} />
      <input type="hidden" name="next" value={next} />
      <label for="signin-email">Email</label>
      <input
        id="signin-email"
        name="email"
        type="email"
        autocomplete="username"
        required
        value={email ?? ''}
      />
      <label for="signin-password">Password</label>
      <input id="signin-password" name="password" type="password" autocomplete="current-password" required />
      <p>
        <button type="submit">Sign in</button>
      </p>
    </form>
    <p class="muted">
      No account yet? <a href={`/register?next=${encodeURIComponent(next)}`}>Register</a>.
    </p>
  </section>
);

export const RegisterPage: FC<{
  csrf: string;
  next: string;
  open: boolean;
  closedBy?: 'config' | 'admin' | undefined;
  first: boolean;
  email?: string;
  name?: string;
  problem?: string;
}> = ({ csrf, next, open, closedBy, first, email, name, problem }) => (
  <section class="narrow">
    <h1>Register</h1>
    {open ? (
      <>
        {first ? (
          <p class="notice">This instance has no accounts yet: the first one becomes its admin.</p>
        ) : null}
        <Problem message={problem} />
        <form method="post" action="/register">
          <CsrfField token={csrf} />
          <input type="hidden" name="next" value={next} />
          <label for="register-email">Email</label>
          <input
            id="register-email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={email ?? ''}
          />
          <label for="register-name">Name (shown to you, optional)</label>
          <input id="register-name" name="name" type="text" autocomplete="name" value={name ?? ''} />
          <label for="register-password">Password</label>
          <input
            id="register-password"
            name="password"
            type="password"
            autocomplete="new-password"
            minlength={PASSWORD_MIN_LENGTH}
            required
            aria-describedby="register-password-help"
          />
          <p id="register-password-help" class="muted">
            At least {PASSWORD_MIN_LENGTH} characters; a few unrelated words make a good one.
          </p>
          <p>
            <button type="submit">Create account</button>
          </p>
        </form>
      </>
    ) : (
      <p class="notice error">
        Registration is closed on this instance
        {closedBy === 'config' ? ' (PAPERSCOPE_REGISTRATION=closed)' : ' by its admin'}. Ask the admin for an
        account: they can make one with <code>paperscope user create EMAIL</code>.
      </p>
    )}
    <p class="muted">
      Have an account? <a href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</a>.
    </p>
  </section>
);

export interface AccountPageProps {
  viewer: Viewer;
  csrf: string;
  tokens: readonly TokenInfo[];
  /** A token just created: shown this once, never again. */
  newToken?: { token: string; info: TokenInfo } | undefined;
  message?: { ok: boolean; text: string } | undefined;
  admin?:
    | { users: readonly User[]; registration: { open: boolean; closedBy?: 'config' | 'admin' } }
    | undefined;
}

export const AccountPage: FC<AccountPageProps> = ({ viewer, csrf, tokens, newToken, message, admin }) => (
  <>
    <h1>Your account</h1>
    <p>
      Signed in as <strong>{viewer.name}</strong> ({viewer.email}){viewer.isAdmin ? ' · admin' : ''}.
    </p>
    {message ? (
      <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
        {message.text}
      </p>
    ) : null}

    <h2 id="tokens">API tokens</h2>
    <p class="muted">
      For the command line and the browser extension: send <code>Authorization: Bearer &lt;token&gt;</code> to{' '}
      <a href="/api/docs">the API</a>. A token is shown once, when it is made; revoke one you no longer use.
    </p>
    {newToken ? (
      <div class="notice ok" role="status">
        <p>
          New token <strong>{newToken.info.name}</strong> ({newToken.info.scopes.join(', ')}). Copy it now: it
          will not be shown again.
        </p>
        <p>
          <code class="secret" id="new-token">
            {newToken.token}
          </code>
        </p>
      </div>
    ) : null}
    {tokens.length === 0 ? (
      <p class="muted">No tokens yet.</p>
    ) : (
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.scopes.join(', ')}</td>
                <td>{t.createdAt.slice(0, 10)}</td>
                <td>{t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never'}</td>
                <td>
                  {t.revokedAt ? (
                    <span class="muted">revoked {t.revokedAt.slice(0, 10)}</span>
                  ) : (
                    <form method="post" action={`/account/tokens/${t.id}/revoke`} class="inline">
                      <CsrfField token={csrf} />
                      <button type="submit" class="secondary" aria-label={`Revoke token ${t.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    <form method="post" action="/account/tokens">
      <CsrfField token={csrf} />
      <label for="token-name">New token's name</label>
      <input id="token-name" name="name" type="text" placeholder="laptop CLI" maxlength={100} required />
      <fieldset>
        <legend>Scopes</legend>
        {SCOPES.filter((s) => s !== 'admin' || viewer.isAdmin).map((s) => (
          <div>
            <input type="checkbox" id={`scope-${s}`} name="scopes" value={s} checked={s === 'read'} />{' '}
            <label for={`scope-${s}`} class="inline">
              {s}
            </label>{' '}
            <span class="muted">— {SCOPE_DESCRIPTIONS[s]}</span>
          </div>
        ))}
      </fieldset>
      <p>
        <button type="submit">Create token</button>
      </p>
    </form>

    <h2 id="password">Change password</h2>
    <form method="post" action="/account/password">
      <CsrfField token={csrf} />
      <label for="current-password">Current password</label>
      <input id="current-password" name="current" type="password" autocomplete="current-password" required />
      <label for="new-password">New password</label>
      <input
        id="new-password"
        name="password"
        type="password"
        autocomplete="new-password"
        minlength={PASSWORD_MIN_LENGTH}
        required
      />
      <p class="muted">Changing it signs you out everywhere else.</p>
      <p>
        <button type="submit">Change password</button>
      </p>
    </form>

    {admin ? (
      <>
        <h2 id="admin">Instance (admin)</h2>
        <p>
          Registration is <strong>{admin.registration.open ? 'open' : 'closed'}</strong>
          {admin.registration.closedBy === 'config' ? ' by PAPERSCOPE_REGISTRATION=closed' : ''}.
        </p>
        {admin.registration.closedBy === 'config' ? null : (
          <form method="post" action="/account/registration">
            <CsrfField token={csrf} />
            <input type="hidden" name="open" value={admin.registration.open ? 'false' : 'true'} />
            <button type="submit" class="secondary">
              {admin.registration.open ? 'Close registration' : 'Open registration'}
            </button>
          </form>
        )}
        <h3>People</h3>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {admin.users.map((u) => (
                <tr>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.isAdmin ? 'admin' : 'member'}</td>
                  <td>{u.createdAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    ) : null}
  </>
);

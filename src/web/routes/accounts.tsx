import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { safeReturnPath } from '../../domain/accounts.ts';
import { DomainError } from '../../domain/errors.ts';
import { errorStatus } from '../../server/errors.ts';
import { clientAddress, endSession, requireViewer, startSession } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { AccountPage, type AccountPageProps, RegisterPage, SignInPage } from '../pages/account.tsx';
import { page } from '../render.tsx';

/** A form's text fields (the CSRF middleware has already parsed and checked the body). */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
}

/** Every value of a repeated field (checkboxes). */
export async function formValues(c: Context<AppEnv>, name: string): Promise<string[]> {
  const value = (await c.req.parseBody({ all: true }))[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string',
  );
}

/** Send someone who is not signed in to the sign-in page, to come back here after. */
export function signInRedirect(c: Context<AppEnv>, returnTo: string = c.req.path): Response {
  return c.redirect(`/signin?next=${encodeURIComponent(safeReturnPath(returnTo))}`, 303);
}

/** Register, sign in, sign out, and the account page (tokens, password, the admin's settings). */
export function accountRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/signin', (c) => {
    const next = safeReturnPath(c.req.query('next'));
    if (c.var.viewer) return c.redirect(next, 303);
    return page(c, 'Sign in', <SignInPage csrf={c.var.csrfToken} next={next} />);
  });

  app.post('/signin', async (c) => {
    const form = await formFields(c);
    const next = safeReturnPath(form['next']);
    const email = form['email'] ?? '';
    const result = await c.var.app.accounts.signIn(email, form['password'] ?? '', clientAddress(c));
    if (result.ok) {
      await startSession(c, result.user);
      return c.redirect(next, 303);
    }
    if (result.reason === 'limited') {
      const seconds = Math.max(1, Math.ceil((result.retryAt.getTime() - c.var.app.now().getTime()) / 1000));
      c.header('Retry-After', String(seconds));
      const problem = `Too many failed sign-ins for this account or from this address. Try again after ${result.retryAt
        .toISOString()
        .slice(11, 16)} UTC (in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}).`;
      return page(
        c,
        'Sign in',
        <SignInPage csrf={c.var.csrfToken} next={next} email={email} problem={problem} />,
        {
          status: 429,
        },
      );
    }
    return page(
      c,
      'Sign in',
      <SignInPage csrf={c.var.csrfToken} next={next} email={email} problem="Wrong email or password." />,
      { status: 401 },
    );
  });

  app.post('/signout', async (c) => {
    await endSession(c);
    return c.redirect('/', 303);
  });

  const registerPage = (
    c: Context<AppEnv>,
    form: { next: string; email?: string; name?: string; problem?: string },
    status: ContentfulStatusCode = 200,
  ) => {
    const accounts = c.var.app.accounts;
    const registration = accounts.registration();
    return page(
      c,
      'Register',
      <RegisterPage
        csrf={c.var.csrfToken}
        open={registration.open}
        closedBy={registration.closedBy}
        first={accounts.userCount() === 0}
        {...form}
      />,
      { status },
    );
  };

  app.get('/register', (c) => {
    const next = safeReturnPath(c.req.query('next'));
    if (c.var.viewer) return c.redirect(next, 303);
    return registerPage(c, { next });
  });

  app.post('/register', async (c) => {
    const form = await formFields(c);
    const next = safeReturnPath(form['next']);
    const email = form['email'] ?? '';
    const name = form['name'] ?? '';
    if (!c.var.app.accounts.registration().open) return registerPage(c, { next }, 403);
    try {
      const user = await c.var.app.accounts.register({ email, name, password: form['password'] ?? '' });
      await startSession(c, user);
      return c.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return registerPage(c, { next, email, name, problem: err.message }, errorStatus(err));
    }
  });

  const accountPage = (
    c: Context<AppEnv>,
    extra: Pick<AccountPageProps, 'newToken' | 'message'> = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const viewer = requireViewer(c);
    const accounts = c.var.app.accounts;
    const admin = viewer.isAdmin
      ? { users: accounts.listUsers(), registration: accounts.registration() }
      : undefined;
    return page(
      c,
      'Your account',
      <AccountPage
        viewer={viewer}
        csrf={c.var.csrfToken}
        tokens={accounts.listTokens(viewer.id)}
        admin={admin}
        {...extra}
      />,
      { status },
    );
  };

  /**
   * What a change on the account page has to say, kept for the page that follows it, once.
   * Changes answer with a redirect (reloading the page then sends nothing again, and never
   * makes a second token); the new token crosses the redirect here, in memory, for a minute,
   * and is never written anywhere.
   */
  const flashes = new Map<string, { extra: Pick<AccountPageProps, 'newToken' | 'message'>; until: number }>();
  const flashKey = (c: Context<AppEnv>): string | undefined => {
    const credential = c.var.credential;
    return credential?.kind === 'session' ? credential.sessionId : undefined;
  };
  const takeFlash = (c: Context<AppEnv>): Pick<AccountPageProps, 'newToken' | 'message'> => {
    const key = flashKey(c);
    const flash = key === undefined ? undefined : flashes.get(key);
    if (key !== undefined) flashes.delete(key);
    return flash && flash.until > Date.now() ? flash.extra : {};
  };

  /** Run a change from the account page; a domain error is shown on the page, not as a bare error. */
  const onAccount = async (
    c: Context<AppEnv>,
    change: () => Promise<Pick<AccountPageProps, 'newToken' | 'message'>>,
  ): Promise<Response> => {
    if (!c.var.viewer) return signInRedirect(c, '/account');
    let extra: Pick<AccountPageProps, 'newToken' | 'message'>;
    try {
      extra = await change();
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return accountPage(c, { message: { ok: false, text: err.message } }, errorStatus(err));
    }
    const key = flashKey(c);
    if (key === undefined) return accountPage(c, extra);
    for (const [k, f] of flashes) if (f.until <= Date.now()) flashes.delete(k);
    flashes.set(key, { extra, until: Date.now() + 60_000 });
    return c.redirect(extra.newToken ? '/account#tokens' : '/account', 303);
  };

  app.get('/account', (c) => (c.var.viewer ? accountPage(c, takeFlash(c)) : signInRedirect(c)));

  app.post('/account/tokens', (c) =>
    onAccount(c, async () => {
      const viewer = requireViewer(c);
      const form = await formFields(c);
      const scopes = await formValues(c, 'scopes');
      const created = await c.var.app.accounts.createToken(viewer, form['name'] ?? '', scopes);
      return { newToken: created };
    }),
  );

  app.post('/account/tokens/:id{[0-9]+}/revoke', (c) =>
    onAccount(c, async () => {
      const viewer = requireViewer(c);
      await c.var.app.accounts.revokeToken(viewer.id, Number(c.req.param('id')));
      return { message: { ok: true, text: 'Token revoked: it no longer opens anything.' } };
    }),
  );

  app.post('/account/password', (c) =>
    onAccount(c, async () => {
      const viewer = requireViewer(c);
      const form = await formFields(c);
      const credential = c.var.credential;
      await c.var.app.accounts.changePassword(
        viewer.id,
        form['current'] ?? '',
        form['password'] ?? '',
        credential?.kind === 'session' ? credential.sessionId : undefined,
      );
      return { message: { ok: true, text: 'Password changed; other sessions were signed out.' } };
    }),
  );

  app.post('/account/registration', (c) =>
    onAccount(c, async () => {
      const viewer = requireViewer(c);
      const open = (await formFields(c))['open'] === 'true';
      await c.var.app.accounts.setRegistrationOpen(viewer, open);
      return { message: { ok: true, text: open ? 'Registration is open.' : 'Registration is closed.' } };
    }),
  );

  return app;
}

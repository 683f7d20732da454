import type { Paperscope } from '../app/paperscope.ts';
import type { Scope } from '../domain/accounts.ts';

/** The person signed in, as pages and routes see them. */
export interface Viewer {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly isAdmin: boolean;
}

/**
 * How the viewer proved who they are: a session cookie (may do all they may, forms carry the
 * CSRF token), or an API token (only what its scopes allow; no cookie, so no CSRF).
 */
export type Credential =
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'token'; readonly tokenId: number; readonly scopes: readonly Scope[] };

/**
 * What every request carries, typed for Hono: the library API, the viewer (undefined when
 * signed out) and the CSRF token that forms must echo back.
 */
export interface AppEnv {
  Variables: {
    app: Paperscope;
    viewer: Viewer | undefined;
    csrfToken: string;
    /** Set with `viewer` by the accounts middleware (src/web/auth.ts). */
    credential: Credential | undefined;
  };
}

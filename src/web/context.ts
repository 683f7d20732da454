import type { Paperscope } from '../app/paperscope.ts';

/** The person signed in, as pages and routes see them. */
export interface Viewer {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly isAdmin: boolean;
}

/**
 * What every request carries, typed for Hono: the library API, the viewer (undefined when
 * signed out) and the CSRF token that forms must echo back.
 */
export interface AppEnv {
  Variables: {
    app: Paperscope;
    viewer: Viewer | undefined;
    csrfToken: string;
  };
}

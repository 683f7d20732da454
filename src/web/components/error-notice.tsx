import type { FC } from 'hono/jsx';

const HEADINGS: Record<number, string> = {
  400: 'That cannot be done',
  401: 'Sign in first',
  403: 'Not yours to do',
  404: 'Not found',
  409: 'That clashes with what is here',
  503: 'Not yet',
};

/**
 * An error page's body: a heading, what went wrong, and a way on. The message alone left a
 * reader on a page with no title and nowhere to go but the back button.
 */
export const ErrorNotice: FC<{ status: number; message: string }> = ({ status, message }) => (
  <>
    <h1>{HEADINGS[status] ?? 'Something went wrong'}</h1>
    <p class="notice error" role="alert">
      {/* A 503 says what is not ready and until when; a 500's message stays in the log. */}
      {status >= 500 && status !== 503
        ? 'Something went wrong on this server; the details are in its log.'
        : message}
    </p>
    <p>
      Search for a paper or a person with the box above, or go back to the <a href="/">home page</a>.
    </p>
  </>
);

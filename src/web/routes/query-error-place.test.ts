import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli-helpers.ts';
import { webFixture } from '../../../test/web-helpers.ts';

/*
 * A malformed query is explained the same way wherever it is typed: the search page, the CLI
 * and /api/search all name the place as a column counted from 1 and mark it.
 */
let fx: Awaited<ReturnType<typeof webFixture>>;
beforeAll(async () => {
  fx = await webFixture([]);
});
afterAll(() => fx.close());

// The quote is the 8th character, at UTF-16 offset 7.
const QUERY = 'kernel "infinite width';
const MESSAGE = 'unclosed quote at column 8';
const POINTER = 'kernel "infinite width\n       ^^^^^^^^^^^^^^^';

describe('a malformed query', () => {
  it('on the search page: the message with the column, the query with the place marked, a caret line', async () => {
    const res = await fx.app.request(`/search?q=${encodeURIComponent(QUERY)}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`<p class="notice error" role="alert">${MESSAGE}</p>`);
    expect(html).toContain(
      '<code class="query-error">kernel <mark class="error-place" title="here">&quot;infinite width</mark></code>',
    );
    expect(html).toContain('kernel &quot;infinite width\n       ^^^^^^^^^^^^^^^');
  });

  it('on /api/search: the same message, the column, and the offset and length for slicing', async () => {
    const res = await fx.app.request(`/api/search?q=${encodeURIComponent(QUERY)}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: MESSAGE, column: 8, offset: 7, length: 15, pointer: POINTER });
  });

  it('in the CLI: the same message and caret line', async () => {
    const run = await runCli(fx.data.dir, ['search', QUERY]);
    expect(run.code).not.toBe(0);
    expect(run.err).toContain(`${MESSAGE}\n${POINTER}\n`);
  });
});

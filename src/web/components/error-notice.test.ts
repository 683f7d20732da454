import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webFixture } from '../../../test/web-helpers.ts';

let fx: Awaited<ReturnType<typeof webFixture>>;
beforeAll(async () => {
  fx = await webFixture([]);
});
afterAll(() => fx.close());

async function get(path: string) {
  const res = await fx.app.request(path);
  return { status: res.status, html: await res.text() };
}

describe('error pages', () => {
  it('give a missing page a heading, the reason and a way on', async () => {
    const { status, html } = await get('/nothing-here');
    expect(status).toBe(404);
    expect(html).toContain('<h1>Not found</h1>');
    expect(html).toContain('There is no page at /nothing-here.');
    expect(html).toMatch(/go back to the <a href="\/">home page<\/a>/);
  });

  it('say why a paper or a day is not there, in the same frame', async () => {
    const paper = await get('/paper/999999');
    expect(paper.status).toBe(404);
    expect(paper.html).toContain('<h1>Not found</h1>');
    expect(paper.html).toContain('No paper &quot;999999&quot; here');
    const day = await get('/?day=2024-13');
    expect(day.status).toBe(400);
    expect(day.html).toContain('<h1>That cannot be done</h1>');
    expect(day.html).toContain('is not a day');
    expect(day.html).toMatch(/<a href="\/">home page<\/a>/);
  });
});

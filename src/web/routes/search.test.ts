import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FILES } from '../../../test/shared.ts';
import { webFixture } from '../../../test/web-helpers.ts';

let fx: Awaited<ReturnType<typeof webFixture>>;

const HOSTILE_BIB = `@article{hostile2024,
  title = {Kernel attacks <script>window.pwned = 1</script>},
  author = {Mallory, Eve and Xiao, Lechao},
  year = {2024},
  abstract = {A kernel study. <img src=x onerror="window.pwned=2"> and <script>alert(1)</script> end.}
}`;

beforeAll(async () => {
  fx = await webFixture([SEED_FILES.adsAuthor, SEED_FILES.hfPapers]);
  const { ImportService } = await import('../../services/import.service.ts');
  const { defaultRegistry } = await import('../../sources/registry.ts');
  await new ImportService(fx.paperscope.store, defaultRegistry).importText(HOSTILE_BIB, 'hostile.bib');
});
afterAll(() => fx.close());

async function get(path: string) {
  const res = await fx.app.request(path);
  return { status: res.status, html: await res.text() };
}
/** The count the page states: "1–20 of 57 papers" or "1 paper". */
const totalOf = (html: string) =>
  Number(/role="status">(?:[\d,]+–[\d,]+ of )?([\d,]+) papers?/.exec(html)![1]!.replace(/,/g, ''));
const q = (query: string, extra = '') => `/search?q=${encodeURIComponent(query)}${extra}`;

describe('the search page', () => {
  it('lists the papers the query language finds, with links to their pages and authors', async () => {
    const { status, html } = await get(q('author:"Xiao, Lechao" infinite'));
    expect(status).toBe(200);
    expect(html).toContain('Finite Versus Infinite Neural Networks: an Empirical Study');
    expect(html).toMatch(/<a class="title" href="\/paper\/\d+">Finite Versus Infinite/);
    expect(html).toMatch(/<a href="\/author\/\d+">Lechao Xiao<\/a>/);
    // The search box keeps the query.
    expect(html).toContain('value="author:&quot;Xiao, Lechao&quot; infinite"');
  });

  it('marks the matched words in the snippet with <mark> elements', async () => {
    const { html } = await get(q('author:"Xiao, Lechao" kernel'));
    expect(html).toMatch(/<p class="snippet">[^<]*<mark>kernels?<\/mark>/);
    expect(html).not.toContain('«');
  });

  it('shows text from sources as text: tags in titles and abstracts are escaped, never run', async () => {
    const { html } = await get(q('mallory'));
    expect(html).toContain('Kernel attacks &lt;script&gt;window.pwned = 1&lt;/script&gt;');
    expect(html).not.toMatch(/<script>window\.pwned/);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).toContain('role="status">1 paper</p>');
  });

  it('offers facets as links that add their filter to the query', async () => {
    const { html } = await get(q('author:"Xiao, Lechao"'));
    const yearLink = /<a href="(\/search\?q=[^"]*year%3A(\d{4})[^"]*)">\2<\/a>/.exec(html);
    expect(yearLink).not.toBeNull();
    const href = yearLink![1]!.replaceAll('&amp;', '&');
    expect(new URL(href, 'http://x').searchParams.get('q')).toBe(
      `author:"Xiao, Lechao" year:${yearLink![2]}`,
    );
    const narrowed = await get(href);
    expect(narrowed.status).toBe(200);
    const all = totalOf(html);
    const some = totalOf(narrowed.html);
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(all);
    // The chosen year is shown as chosen, not offered again.
    expect(narrowed.html).toContain(`<strong aria-current="true">${yearLink![2]}</strong>`);
  });

  it('pages through results and keeps the sort', async () => {
    const first = await get(q('model', '&sort=date'));
    const total = Number(/of ([\d,]+) papers/.exec(first.html)![1]!.replace(/,/g, ''));
    expect(total).toBeGreaterThan(40);
    expect(first.html).toContain('1–20 of');
    expect(first.html).toContain('<strong>date</strong>');
    const second = await get(q('model', '&sort=date&page=2'));
    expect(second.html).toContain('21–40 of');
    expect(second.html).toContain('rel="prev"');
    const titles = (html: string) =>
      [...html.matchAll(/<a class="title" href="(\/paper\/[^"]+)"/g)].map((m) => m[1]);
    expect(titles(first.html)).toHaveLength(20);
    expect(titles(second.html).filter((t) => titles(first.html).includes(t))).toEqual([]);
  });

  it('answers a query it cannot read with 400, the query shown and the wrong place marked', async () => {
    const { status, html } = await get(q('kernel "infinite width'));
    expect(status).toBe(400);
    expect(html).toContain('unclosed quote');
    expect(html).toContain(
      '<code class="query-error">kernel <mark class="error-place" title="here">&quot;infinite width</mark></code>',
    );
  });

  it('escapes a hostile query wherever it is shown', async () => {
    const { status, html } = await get(q('<script>alert(1)</script> "'));
    expect(status).toBe(400);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows how to search for an empty query, and says so when nothing matches', async () => {
    const empty = await get('/search');
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('How to search');
    const none = await get(q('zzzyqxw'));
    expect(none.status).toBe(200);
    expect(none.html).toContain('No papers match.');
  });

  it('says when a page number is past the end, and links to the last page', async () => {
    const total = totalOf((await get(q('learning'))).html);
    const pages = Math.ceil(total / 20);
    expect(pages).toBeGreaterThan(1);
    const { status, html } = await get(q('learning', '&sort=date&page=99'));
    expect(status).toBe(200);
    expect(html).toContain(`There is no page 99: ${total.toLocaleString('en')} papers make ${pages} pages.`);
    expect(html).toContain(`&amp;sort=date&amp;page=${pages}">Go to page ${pages}</a>`);
    expect(html).not.toMatch(/\d+–\d+ of/);
    expect(html).not.toContain('No papers match');
    expect(html).not.toContain('Page 99 of');
  });

  it('says when it answered a corrected query, with a link to it', async () => {
    const { status, html } = await get(q('infinte width'));
    expect(status).toBe(200);
    expect(html).toContain('Nothing matched as typed; showing results for');
    // The reader's words corrected (not the stems the index keeps: "infinit width"), as a link
    // to that query, which matches as typed.
    const corrected = /showing results for <a href="([^"]+)"><strong>([^<]+)<\/strong>/.exec(html);
    expect(corrected?.[2]).toBe('infinite width');
    const followed = await get(corrected![1]!.replace(/&amp;/g, '&'));
    expect(followed.html).not.toContain('Nothing matched as typed');
    expect(totalOf(followed.html)).toBe(totalOf(html));
    expect(totalOf(html)).toBeGreaterThan(0);
    const exact = await get(q('infinite width'));
    expect(exact.html).not.toContain('Nothing matched as typed');
  });
});

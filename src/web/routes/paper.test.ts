import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { signedIn, webFixture } from '../../../test/web-helpers.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';

let fx: Awaited<ReturnType<typeof webFixture>>;

const BIB = `@article{scaling2024,
  title = {Scaling $\\alpha^2$ laws <b>bold</b>},
  author = {Xiao, Lechao and Pennington, Jeffrey},
  year = {2024},
  doi = {10.1234/ABC.5678},
  eprint = {2401.09999},
  archivePrefix = {arXiv},
  abstract = {We prove $\\sum_{i=1}^n x_i \\leq C$ holds. Code: https://github.com/example/scaling-code. <script>window.pwned=1</script> <img src=x onerror="window.pwned=2">}
}`;

beforeAll(async () => {
  fx = await webFixture([]);
  const importer = new ImportService(fx.paperscope.store, defaultRegistry);
  await importer.importFile(fixturePath('arxiv-bulk', 'unarxive-sample-metadata.jsonl'));
  await importer.importText(BIB, 'scaling.bib');
});
afterAll(() => fx.close());

async function get(path: string, cookie?: string) {
  const res = await fx.app.request(path, cookie ? { headers: { cookie } } : {});
  return { res, status: res.status, html: await res.text() };
}

describe('the paper page', () => {
  it('finds a paper by arXiv id with or without version, by DOI and by Paperscope id', async () => {
    const byArxiv = await get('/paper/2212.11867');
    expect(byArxiv.status).toBe(200);
    expect(byArxiv.html).toContain('Zeros of a growing number of derivatives of random polynomials');
    expect((await get('/paper/2212.11867v1')).html).toContain('Zeros of a growing number');
    const byDoi = await get('/paper/10.1234/abc.5678');
    expect(byDoi.status).toBe(200);
    expect(byDoi.html).toContain('Scaling');
    const id = /href="\/paper\/(\d+)\/export\/bibtex"/.exec(byDoi.html)![1];
    expect((await get(`/paper/${id}`)).html).toContain('10.1234/abc.5678');
  });

  it('typesets the math of the abstract with KaTeX on the server, and serves its stylesheet and fonts', async () => {
    const { html } = await get('/paper/2212.11867');
    // $\mathbb{C}$ and the display formula $$ P_n(z)=… $$ become KaTeX markup with MathML inside.
    expect(html).toContain('<span class="katex">');
    expect(html).toContain('<span class="katex-display">');
    expect(html).toMatch(/<annotation encoding="application\/x-tex">\\mathbb\{C\}<\/annotation>/);
    expect(html).not.toMatch(/\$\\mathbb/);
    expect(html).toContain('href="/static/katex/katex.min.css"');
    const css = await fx.app.request('/static/katex/katex.min.css');
    expect(css.status).toBe(200);
    const font = /url\(fonts\/(KaTeX_Main-Regular\.woff2)\)/.exec(await css.text());
    expect(font).not.toBeNull();
    const fontRes = await fx.app.request(`/static/katex/fonts/${font![1]}`);
    expect(fontRes.status).toBe(200);
    expect(fontRes.headers.get('content-type')).toBe('font/woff2');
  });

  it('shows authors as links, dates, versions, categories, identifiers and where each fact came from', async () => {
    const { html } = await get('/paper/2212.11867');
    expect(html).toMatch(/<a href="\/author\/\d+">Marcus Michelen<\/a>/);
    expect(html).toContain('2022-12-22');
    expect(html).toContain('<a href="https://arxiv.org/abs/2212.11867v1">v1</a>');
    expect(html).toContain('<a href="/search?q=cat%3Amath.PR&amp;sort=date">math.PR</a>');
    expect(html).toContain('href="https://arxiv.org/abs/2212.11867"');
    expect(html).toContain('href="https://www.semanticscholar.org/arxiv/2212.11867"');
    expect(html).toContain('href="https://ui.adsabs.harvard.edu/abs/arXiv%3A2212.11867/abstract"');
    // Sources by the names readers know, not the format names of --format.
    expect(html).toContain('via arXiv metadata snapshot');
    expect(html).not.toContain('via arxiv-bulk');
    expect(html).toContain('unarxive-sample-metadata.jsonl');
  });

  it('escapes what sources wrote, links code, and offers citation downloads', async () => {
    const { html } = await get('/paper/2401.09999');
    expect(html).not.toContain('<script>window.pwned');
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).toContain('<a href="https://github.com/example/scaling-code">');
    expect(html).toContain('href="https://doi.org/10.1234/abc.5678"');
    const id = /href="\/paper\/(\d+)\/export\/bibtex"/.exec(html)![1];
    const bib = await fx.app.request(`/paper/${id}/export/bibtex`);
    expect(bib.headers.get('content-disposition')).toBe('attachment; filename="2401.09999.bib"');
    expect(await bib.text()).toMatch(/^@\w+\{[^,]+,[\s\S]*doi = \{10\.1234\/abc\.5678\}/m);
    const ris = await fx.app.request(`/paper/${id}/export/ris`);
    expect(await ris.text()).toContain('TY  - ');
    const csl = await fx.app.request(`/paper/${id}/export/csl-json`);
    expect(JSON.parse(await csl.text())[0].DOI).toBe('10.1234/abc.5678');
    expect((await fx.app.request(`/paper/${id}/export/docx`)).status).toBe(404);
  });

  it('lists similar papers with the reason each is similar', async () => {
    await fx.paperscope.similarity.index();
    const { html } = await get('/paper/2212.11867');
    const section = html.slice(html.indexOf('id="similar"'), html.indexOf('id="cite"'));
    expect([...section.matchAll(/<a class="title" href="\/paper\//g)].length).toBeGreaterThan(0);
    expect(section).toMatch(/<div class="reason">shares: [^<]+<\/div>/);
    expect(section).not.toContain('Zeros of a growing number');
  });

  it('marks a code link rebuilt from a broken one, and shows one it could not repair as found, unlinked', async () => {
    const bib = `@article{links2023,
  title = {Links in abstracts},
  author = {Doe, Jane},
  year = {2023},
  abstract = {Code: https:// github. com/ Labbe ti/ SSLH and data at https://github.com .}
}`;
    await new ImportService(fx.paperscope.store, defaultRegistry).importText(bib, 'links.bib');
    const hit = fx.paperscope.search.search({ query: 'title:"links in abstracts"' }).hits[0]!;
    const { html } = await get(`/paper/${hit.paper.id}`);
    const code = html.slice(html.indexOf('id="code"'), html.indexOf('id="similar"'));
    expect(code).toContain('<a href="https://github.com/Labbeti/SSLH">https://github.com/Labbeti/SSLH</a>');
    expect(code).toContain('repaired from <code>https:// github. com/ Labbe ti/ SSLH</code>');
    expect(code).toContain('<code>https://github.com</code>');
    expect(code).toContain('could not be repaired: shown as found');
    expect(code).not.toContain('<a href="https://github.com/"');
  });

  it('calls a paper no source has titled "Untitled paper", says why, and names it by its abstract elsewhere', async () => {
    const listing = await new ImportService(fx.paperscope.store, defaultRegistry).importFile(
      seedPath(SEED_FILES.arxivListing),
    );
    expect(listing.new).toBeGreaterThan(0);
    const untitled = (await fx.paperscope.store.listPapers({ limit: 1000 })).find(
      (p) => !p.title && p.abstractText?.startsWith('While many capabilities of language models'),
    )!;
    const { html } = await get(`/paper/${untitled.id}`);
    expect(html).toContain('<h1>Untitled paper');
    expect(html).toContain('No source has given the title of this paper yet');
    expect(html).toMatch(
      /<title>\(untitled\) “While many capabilities of language models[^<]*…” · Paperscope<\/title>/,
    );
  });

  it('answers an unknown paper with a 404 page that names it', async () => {
    const { status, html } = await get('/paper/2999.99999');
    expect(status).toBe(404);
    expect(html).toContain('No paper &quot;2999.99999&quot;');
  });

  it('records each view in paper_events, in batches', async () => {
    await fx.paperscope.views.flush();
    const before = fx.paperscope.store.readDb
      .prepare("SELECT count(*) FROM paper_events WHERE kind = 'view'")
      .pluck();
    const count0 = before.get() as number;
    await get('/paper/2212.11867');
    await get('/paper/2212.11867');
    await fx.paperscope.views.flush();
    expect(before.get()).toBe(count0 + 2);
  });

  it('offers a signed-in reader a Save form with their form token, and a visitor a way to sign in', async () => {
    const visitor = await get('/paper/2212.11867');
    expect(visitor.html).toContain('href="/signin?next=%2Fpaper%2F2212.11867"');
    expect(visitor.html).not.toContain('action="/library/save"');
    const reader = await signedIn(fx, 'reader@example.org');
    const { html } = await get('/paper/2212.11867', reader.cookie);
    expect(html).toContain('<form method="post" action="/library/save" class="library-controls">');
    expect(html).toMatch(/<input type="hidden" name="paper" value="\d+"\/>/);
    expect(html).toContain(`name="csrf" value="${reader.csrf}"`);
  });
});

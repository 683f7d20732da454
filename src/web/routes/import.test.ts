import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../../test/replay-server.ts';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { signedIn, webFixture } from '../../../test/web-helpers.ts';
import { parseArxivIds } from '../../services/import-jobs.ts';
import { safeFileName } from './import.tsx';

let fx: Awaited<ReturnType<typeof webFixture>>;
let alice: Awaited<ReturnType<typeof signedIn>>;
let bob: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  fx = await webFixture([]);
  alice = await signedIn(fx, 'alice@example.org');
  bob = await signedIn(fx, 'bob@example.org');
});
afterAll(() => fx.close());

function post(body: FormData | URLSearchParams, cookie: string) {
  return fx.app.request('/import', { method: 'POST', body, headers: { cookie } });
}

async function finishedJob(location: string, cookie: string) {
  await fx.paperscope.importJobs.idle();
  const res = await fx.app.request(location, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
}

describe('the importer', () => {
  it('asks a visitor to sign in, and shows a signed-in person the three ways in', async () => {
    const visitor = await fx.app.request('/import');
    expect(await visitor.text()).toContain('needs an account');
    const page = await (await fx.app.request('/import', { headers: { cookie: alice.cookie } })).text();
    expect(page).toContain('name="text"');
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).toContain('name="ids"');
    // The three import forms and the header's sign-out form.
    expect(page.match(new RegExp(`name="csrf" value="${alice.csrf}"`, 'g'))).toHaveLength(4);
  });

  it('imports a pasted seed page in the background: progress while it runs, then the summary and the papers', async () => {
    const text = readFileSync(seedPath(SEED_FILES.adsAuthor), 'utf8');
    const res = await post(new URLSearchParams({ mode: 'paste', text, csrf: alice.csrf }), alice.cookie);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/import\/jobs\/[0-9a-f-]{36}$/);
    const { html } = await finishedJob(location, alice.cookie);
    expect(html).toContain(
      '10 records read as NASA ADS author page (pasted text): 10 new, 0 merged, 0 updated, 0 unchanged, 0 skipped.',
    );
    expect(html).toContain('Finite Versus Infinite Neural Networks: an Empirical Study');
    expect([...html.matchAll(/<a class="title" href="\/paper\//g)]).toHaveLength(10);
    expect(html).not.toContain('http-equiv="refresh"');
    const json = (await (
      await fx.app.request(`/api${location}`, { headers: { cookie: alice.cookie } })
    ).json()) as { paperIds: number[]; ownerId?: number };
    expect(json).toMatchObject({ status: 'done', summary: { new: 10 }, progress: { read: 10 } });
    expect(json.paperIds).toHaveLength(10);
    expect(json.ownerId).toBeUndefined();

    const again = await post(new URLSearchParams({ mode: 'paste', text, csrf: alice.csrf }), alice.cookie);
    const second = await finishedJob(again.headers.get('location')!, alice.cookie);
    expect(second.html).toContain('0 new, 0 merged, 0 updated, 10 unchanged');
    expect([...second.html.matchAll(/<a class="title" href="\/paper\//g)]).toHaveLength(10);
  });

  it('shows a running job with a progress bar and a refresh for pages without scripts', async () => {
    const job = fx.paperscope.importJobs.start(
      { kind: 'text', text: '@misc{x, title={One}}', origin: 'slow' },
      alice.user.id,
    );
    const html = await (
      await fx.app.request(`/import/jobs/${job.id}`, { headers: { cookie: alice.cookie } })
    ).text();
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="2"/></noscript>');
    expect(html).toContain(`data-import-job="${job.id}"`);
    expect(html).toContain('<progress');
    await fx.paperscope.importJobs.idle();
  });

  it('imports an uploaded file and says which records were skipped, and where', async () => {
    const lines = readFileSync(fixturePath('arxiv-bulk', 'unarxive-sample-metadata.jsonl'), 'utf8')
      .split('\n')
      .slice(0, 3);
    lines.splice(1, 0, '{"id": "broken", "title": ');
    const form = new FormData();
    form.set('mode', 'file');
    form.set('csrf', alice.csrf);
    form.set('file', new File([lines.join('\n')], 'sample.jsonl', { type: 'application/octet-stream' }));
    const res = await post(form, alice.cookie);
    expect(res.status).toBe(303);
    const { html } = await finishedJob(res.headers.get('location')!, alice.cookie);
    expect(html).toContain('3 records read as arXiv metadata snapshot (JSON lines): 3 new');
    expect(html).toContain('1 skipped');
    // Named as it was uploaded, not by the folder the server keeps it in.
    expect(html).toContain('<code>line 2</code> of sample.jsonl (arXiv metadata snapshot):');
    expect(html).not.toContain('/uploads/');
  });

  it('lists the first 200 papers of a large upload and says where the others are', async () => {
    const form = new FormData();
    form.set('mode', 'file');
    form.set('csrf', alice.csrf);
    const xml = readFileSync(fixturePath('arxiv-oai', 'ListRecords_data_0.xml'));
    form.set('file', new File([xml], 'ListRecords_data_0.xml', { type: 'application/xml' }));
    const { html } = await finishedJob(
      (await post(form, alice.cookie)).headers.get('location')!,
      alice.cookie,
    );
    expect(html).toContain('1,000 records read as arXiv OAI-PMH: 1,000 new');
    expect(html).toMatch(/<th scope="row">New papers<\/th><td>1,000<\/td>/);
    expect([...html.matchAll(/<a class="title" href="\/paper\//g)]).toHaveLength(200);
    expect(html).toContain('The first 200 are listed here; <a href="/search">search</a> to find the others.');
  });

  it('says what it reads when an uploaded file is in no format it knows, without command-line advice', async () => {
    const form = new FormData();
    form.set('mode', 'file');
    form.set('csrf', alice.csrf);
    form.set('file', new File(['this is not any format at all\n'], 'notes.txt', { type: 'text/plain' }));
    const { html } = await finishedJob(
      (await post(form, alice.cookie)).headers.get('location')!,
      alice.cookie,
    );
    expect(html).toContain('Nothing was imported');
    expect(html).toContain('<code>file</code> of notes.txt: unknown format');
    expect(html).not.toContain('give --format');
    expect(html).not.toContain('/uploads/');
    expect(html).toContain('Paperscope recognises arXiv API (Atom), arXiv OAI-PMH,');
    expect(html).toContain('BibTeX, RIS, CSL-JSON');
  });

  it('names the papers of a page that gives no titles by the opening of their abstracts', async () => {
    const text = readFileSync(seedPath(SEED_FILES.arxivListing), 'utf8');
    const res = await post(new URLSearchParams({ mode: 'paste', text, csrf: alice.csrf }), alice.cookie);
    const { html } = await finishedJob(res.headers.get('location')!, alice.cookie);
    const titles = [...html.matchAll(/<a class="title" href="\/paper\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(titles).toHaveLength(10);
    expect(new Set(titles).size).toBe(10);
    expect(titles).toContain(
      '(untitled) “While many capabilities of language models (LMs) improve with increased training budget…”',
    );
    // Three of them were merged above with their titles from the ADS page; the rest say how they begin.
    expect(titles.filter((t) => /^\(untitled\) “.+…”$/.test(t!)).length).toBeGreaterThanOrEqual(7);
  });

  it('refuses an empty paste, garbage ids, and another person’s job', async () => {
    const empty = await post(
      new URLSearchParams({ mode: 'paste', text: '  ', csrf: alice.csrf }),
      alice.cookie,
    );
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('the box was empty');
    const ids = await post(
      new URLSearchParams({ mode: 'arxiv', ids: '2006.10540 <b>x</b>', csrf: alice.csrf }),
      alice.cookie,
    );
    expect(ids.status).toBe(400);
    expect(await ids.text()).toContain('Not arXiv ids: &lt;b&gt;x&lt;/b&gt;');
    const res = await post(
      new URLSearchParams({ mode: 'paste', text: 'nothing useful here', csrf: alice.csrf }),
      alice.cookie,
    );
    const location = res.headers.get('location')!;
    const mine = await finishedJob(location, alice.cookie);
    expect(mine.html).toContain('Nothing was imported');
    expect(mine.html).toContain('unknown format');
    expect((await finishedJob(location, bob.cookie)).status).toBe(404);
    expect((await fx.app.request(`/api${location}`, { headers: { cookie: bob.cookie } })).status).toBe(404);
  });

  it('refuses a form without its token, and a visitor', async () => {
    const noToken = await post(new URLSearchParams({ mode: 'paste', text: 'x' }), alice.cookie);
    expect(noToken.status).toBe(403);
    const visitor = await fx.app.request('/import', {
      method: 'POST',
      body: new URLSearchParams({ mode: 'paste', text: 'x' }),
    });
    expect(visitor.status).toBe(403);
  });
});

describe('fetching from arXiv', () => {
  it('says plainly when the source cannot be reached, and what to do instead', async () => {
    // A port that was just free: nothing listens there, the connection is refused at once.
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => done(port));
      });
    });
    const offline = await webFixture([], {
      PAPERSCOPE_ARXIV_API_URL: `http://127.0.0.1:${port}/api/query`,
      PAPERSCOPE_ARXIV_DELAY_MS: '0',
    });
    try {
      const dan = await signedIn(offline, 'dan@example.org');
      const res = await offline.app.request('/import', {
        method: 'POST',
        headers: { cookie: dan.cookie },
        body: new URLSearchParams({ mode: 'arxiv', ids: '2006.10540', csrf: dan.csrf }),
      });
      await offline.paperscope.importJobs.idle();
      const html = await (
        await offline.app.request(res.headers.get('location')!, { headers: { cookie: dan.cookie } })
      ).text();
      expect(html).toContain(
        `Paperscope could not reach 127.0.0.1:${port}: this machine seems to be offline`,
      );
      expect(html).toContain('Paste the text of the page, or upload a file, instead.');
      expect(html).toContain('ECONNREFUSED');
    } finally {
      offline.close();
    }
  }, 60_000);

  it('fetches ids through the configured arXiv API (a replay server on 127.0.0.1) and lists the papers', async () => {
    const replay = await startReplayServer();
    const online = await webFixture([], {
      PAPERSCOPE_ARXIV_API_URL: `${replay.baseUrl}/api/query`,
      PAPERSCOPE_ARXIV_DELAY_MS: '0',
    });
    try {
      const carol = await signedIn(online, 'carol@example.org');
      const res = await online.app.request('/import', {
        method: 'POST',
        headers: { cookie: carol.cookie },
        body: new URLSearchParams({ mode: 'arxiv', ids: '0808.05394, arXiv:1707.08567', csrf: carol.csrf }),
      });
      expect(res.status).toBe(303);
      await online.paperscope.importJobs.idle();
      const html = await (
        await online.app.request(res.headers.get('location')!, { headers: { cookie: carol.cookie } })
      ).text();
      expect(html).toContain('arXiv: 2 ids');
      // The recorded answer holds one entry for the two ids (totalResults 1).
      expect(html).toContain('1 record read: 1 new');
      expect(html).toContain(
        'Proceedings of Workshop AEW10: Concepts in Information Theory and Communications',
      );
      expect([...html.matchAll(/<a class="title" href="\/paper\//g)]).toHaveLength(1);
      const asked = replay.requests.filter((r) => r.path === '/api/query');
      expect(asked).toHaveLength(1);
      expect(asked[0]!.query['id_list']).toBe('0808.05394,1707.08567');
    } finally {
      online.close();
      await replay.close();
    }
  });
});

describe('the import API', () => {
  it('starts an import with a token that has the import scope, and refuses one without', async () => {
    const accounts = fx.paperscope.accounts;
    const reader = await accounts.createToken(bob.user, 'reader', ['read']);
    const importer = await accounts.createToken(bob.user, 'importer', ['import']);
    const call = (token: string, body: unknown) =>
      fx.app.request('/api/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bib = '@article{api1, title = {Imported over the API}, author = {Doe, Jane}, year = {2021}}';
    expect((await call(reader.token, { text: bib })).status).toBe(403);
    expect((await call(importer.token, { nothing: 1 })).status).toBe(400);
    const res = await call(importer.token, { text: bib, origin: 'api test' });
    expect(res.status).toBe(202);
    const location = res.headers.get('location')!;
    await fx.paperscope.importJobs.idle();
    const job = (await (
      await fx.app.request(location, { headers: { authorization: `Bearer ${importer.token}` } })
    ).json()) as { status: string; summary: { new: number }; paperIds: number[] };
    expect(job).toMatchObject({ status: 'done', summary: { new: 1 } });
    expect((await fx.paperscope.store.getPaper(job.paperIds[0]!))?.title).toBe('Imported over the API');
  });
});

describe('what the importer accepts', () => {
  it('reads arXiv ids in the shapes people paste them', () => {
    expect(parseArxivIds('2006.10540, arXiv:2311.11944v2\nmath.GT/0309136')).toEqual([
      '2006.10540',
      '2311.11944v2',
      'math.GT/0309136',
    ]);
    expect(() => parseArxivIds('')).toThrow('at least one');
  });

  it('keeps only the last part of an uploaded file name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\refs (1).bib')).toBe('refs_1_.bib');
    expect(safeFileName('..')).toBe('upload');
  });
});

import { request as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FILES } from '../../../test/shared.ts';
import { signedIn, webFixture } from '../../../test/web-helpers.ts';
import { startServer } from '../../server/serve.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';

/*
 * "Papers like those tagged": the first time, the page and a note that it is working are sent
 * at once and the list follows in the same response (readable without scripts); a repeat visit
 * with nothing changed is answered whole, from what was worked out.
 */
let fx: Awaited<ReturnType<typeof webFixture>>;
let cookie: string;
let userId: number;
const PATH = '/library/recommendations?tag=kernels';

beforeAll(async () => {
  fx = await webFixture([SEED_FILES.adsAuthor, SEED_FILES.hfPapers]);
  const ada = await signedIn(fx, 'ada@example.org');
  cookie = ada.cookie;
  userId = ada.user.id;
  for (const id of [1, 2, 3]) {
    await fx.paperscope.library.save(userId, id);
    await fx.paperscope.library.addTag(userId, id, 'kernels');
  }
});
afterAll(() => fx.close());

/** The response body as the browser receives it, chunk by chunk. */
async function chunks(res: Response): Promise<string[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const out: string[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(decoder.decode(r.value));
  return out;
}
const titles = (html: string) => [...html.matchAll(/<a class="title" href="\/paper\/[^"]+">/g)].length;

describe('papers like those tagged, on the web', () => {
  let firstList: string;

  it('sends the page with a note that it is working first, then the list, in one response', async () => {
    const res = await fx.app.request(PATH, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const parts = await chunks(res);
    expect(parts.length).toBe(2);
    const [head, rest] = parts as [string, string];
    expect(head).toContain('<h1>Papers like your &quot;kernels&quot;</h1>');
    expect(head).toContain('<p class="notice working" role="status">Finding papers like the 3 tagged');
    expect(head).not.toContain('tag-results');
    expect(rest).toContain('<div class="tag-results"><ol class="papers">');
    expect(titles(rest)).toBeGreaterThan(0);
    expect(rest.trimEnd().endsWith('</html>')).toBe(true);
    firstList = rest.slice(
      rest.indexOf('<div class="tag-results">'),
      rest.indexOf('</div>', rest.indexOf('<ol')),
    );
  });

  it('answers a repeat visit whole, with the same list and no note', async () => {
    const res = await fx.app.request(PATH, { headers: { cookie } });
    const html = await res.text();
    expect(html).not.toContain('notice working');
    expect(html).toContain(firstList);
  });

  it('works it out again once the knowledge base or the library changes', async () => {
    await new ImportService(fx.paperscope.store, defaultRegistry).importText(
      '@article{late2024, title = {Kernel regression with infinitely wide networks}, author = {Xiao, Lechao}, year = {2024}}',
      'late.bib',
    );
    expect(await (await fx.app.request(PATH, { headers: { cookie } })).text()).toContain('notice working');
    expect(await (await fx.app.request(PATH, { headers: { cookie } })).text()).not.toContain(
      'notice working',
    );
    await fx.paperscope.library.save(userId, 4);
    expect(await (await fx.app.request(PATH, { headers: { cookie } })).text()).toContain('notice working');
  });

  it('over HTTP, the note reaches the browser while the list is still being worked out', async () => {
    await fx.paperscope.library.save(userId, 5); // something changed: worked out again
    const recommender = fx.paperscope.recommender;
    const real = recommender.recommend.bind(recommender);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    recommender.recommend = async (options) => {
      await gate;
      return real(options);
    };
    const server = await startServer(fx.paperscope, '127.0.0.1', 0);
    try {
      const received: string[] = [];
      let firstArrived!: () => void;
      const first = new Promise<void>((resolve) => {
        firstArrived = resolve;
      });
      const done = new Promise<number>((resolve, reject) => {
        httpGet(`${server.url}${PATH}`, { headers: { cookie } }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            received.push(chunk);
            firstArrived();
          });
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', reject)
          .end();
      });
      await first;
      const early = received.join('');
      expect(early).toContain('notice working');
      expect(early).not.toContain('tag-results');
      release();
      expect(await done).toBe(200);
      expect(received.join('')).toContain('<div class="tag-results"><ol class="papers">');
    } finally {
      recommender.recommend = real;
      await server.close();
    }
  });

  it('says so when the tag has no papers, before working anything out', async () => {
    const res = await fx.app.request('/library/recommendations?tag=nothing', { headers: { cookie } });
    expect(res.status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, SEED_FILES, seedPath } from '../../../test/shared.ts';
import { signedIn, webFixture } from '../../../test/web-helpers.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';

describe('the home page', () => {
  let fx: Awaited<ReturnType<typeof webFixture>>;
  beforeAll(async () => {
    fx = await webFixture([SEED_FILES.adsAuthor]);
  });
  afterAll(() => fx.close());

  it('lists the papers added last when none has a date, and counts what is here', async () => {
    const html = await (await fx.app.request('/')).text();
    expect(html).toContain('10 papers');
    expect(html).toContain('Recently added');
    expect([...html.matchAll(/<a class="title" href="\/paper\//g)].length).toBe(10);
    // Newest first.
    const order = [...html.matchAll(/<a class="title" href="\/paper\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('recommends papers like those a signed-in person saved, never one they saved', async () => {
    const fx2 = await webFixture([SEED_FILES.adsAuthor, SEED_FILES.hfPapers]);
    try {
      const reader = await signedIn(fx2, 'reader@example.org');
      const home = async () =>
        (await (await fx2.app.request('/', { headers: { cookie: reader.cookie } })).text()).replace(
          /\n/g,
          ' ',
        );
      expect(await home()).toContain('Save papers to your library and papers like them will show up here.');
      const kernel = (await fx2.paperscope.store.findAuthors('Lechao Xiao'))[0]!;
      const his = await fx2.paperscope.store.listPapers({ authorId: kernel.id, limit: 3 });
      for (const p of his) await fx2.paperscope.library.save(reader.user.id, p.id);
      // The first question builds the similarity index (small collection: inline).
      await fx2.paperscope.similarity.index();
      const html = await home();
      const section = html.slice(html.indexOf('id="for-you"'), html.indexOf('id="trending"'));
      const titles = [...section.matchAll(/<a class="title" href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(titles.length).toBeGreaterThan(0);
      for (const p of his) expect(titles).not.toContain(p.title);
      expect(section).toMatch(/<div class="reason">[^<]+<\/div>/);
      // Nobody else sees them.
      expect(await (await fx2.app.request('/')).text()).not.toContain('id="for-you"');

      // Computed once and shared: reloads (at once, or later) do not ask the recommender again
      // until the saved papers change.
      const recommender = fx2.paperscope.recommender;
      const recommend = recommender.recommend.bind(recommender);
      let asked = 0;
      recommender.recommend = (options) => {
        asked++;
        return recommend(options);
      };
      const reloads = await Promise.all([home(), home(), home()]);
      for (const page of reloads) expect(page).toContain(titles[0]!);
      expect(asked).toBe(0);
      const more = (await fx2.paperscope.store.listPapers({ limit: 10 })).find(
        (p) => !his.some((h) => h.id === p.id),
      )!;
      await fx2.paperscope.library.save(reader.user.id, more.id);
      await Promise.all([home(), home()]);
      expect(asked).toBe(1);
    } finally {
      fx2.close();
    }
  });

  it('counts papers imported just after a visit to the empty page, not a minute later', async () => {
    const empty = await webFixture([]);
    try {
      expect(await (await empty.app.request('/')).text()).toContain('The knowledge base is empty.');
      await new ImportService(empty.paperscope.store, defaultRegistry).importFile(
        seedPath(SEED_FILES.adsAuthor),
      );
      const html = await (await empty.app.request('/')).text();
      expect(html).not.toContain('The knowledge base is empty.');
      expect(html).toContain('10 papers');
    } finally {
      empty.close();
    }
  });

  it('refuses a day that is not one', async () => {
    const res = await fx.app.request('/?day=2024-13');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('is not a day');
  });
});

describe('the home page over dated arXiv papers', () => {
  let fx: Awaited<ReturnType<typeof webFixture>>;
  beforeAll(async () => {
    fx = await webFixture([]);
    await new ImportService(fx.paperscope.store, defaultRegistry).importFile(
      fixturePath('arxiv-bulk', 'unarxive-sample-metadata.jsonl'),
    );
  });
  afterAll(() => fx.close());

  it('shows the papers of a day by category, with links to the day before and other categories', async () => {
    const html = await (await fx.app.request('/?day=2022-12-22')).text();
    expect(html).toContain('New on 2022-12-22 in all categories');
    // 40 of the 49 sample papers were first submitted that day (counted in the JSON lines).
    expect(html).toContain('40 papers; the first 25');
    expect(html).toContain('href="/?day=2022-12-21"');
    const inPr = await (await fx.app.request('/?cat=math.PR&day=2022-12-22')).text();
    expect(inPr).toContain('Zeros of a growing number of derivatives');
    const catLink = /<a href="(\/\?cat=([^&"]+)&amp;day=2022-12-22)">/.exec(html);
    expect(catLink).not.toBeNull();
    const narrowed = await (await fx.app.request(catLink![1]!.replace('&amp;', '&'))).text();
    expect(narrowed).toContain(`in `);
    const titles = (h: string) => [...h.matchAll(/<a class="title"/g)].length;
    expect(titles(narrowed)).toBeGreaterThan(0);
    expect(titles(narrowed)).toBeLessThanOrEqual(titles(html));
  });

  it('shows trending papers with their reasons once people read them', async () => {
    for (let i = 0; i < 3; i++) await fx.app.request('/paper/2212.11867');
    await fx.paperscope.views.flush();
    const html = await (await fx.app.request('/')).text();
    const trending = html.slice(html.indexOf('id="trending"'));
    expect(trending).toContain('Zeros of a growing number of derivatives');
    expect(trending).toMatch(/<div class="reason">[^<]*3 views/);
  });
});

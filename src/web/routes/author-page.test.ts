import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FILES } from '../../../test/shared.ts';
import { signedIn, webFixture } from '../../../test/web-helpers.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';

let fx: Awaited<ReturnType<typeof webFixture>>;

// The ADS page gives no years; this dates one of Lechao Xiao's ten papers.
const ONE_DATED = `@article{xiao2024rethinking,
  title = {Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling},
  author = {Xiao, Lechao},
  year = {2024}
}`;

beforeAll(async () => {
  fx = await webFixture([SEED_FILES.adsAuthor, SEED_FILES.catalyzex]);
  await new ImportService(fx.paperscope.store, defaultRegistry).importText(ONE_DATED, 'one.bib');
});
afterAll(() => fx.close());

describe('the author page', () => {
  it('says how many papers the papers-per-year chart leaves out for want of a year', async () => {
    const id = (await fx.paperscope.store.findAuthors('Lechao Xiao'))[0]!.id;
    const html = await (await fx.app.request(`/author/${id}`)).text();
    expect([...html.matchAll(/<rect class="bar" data-year="(\d+)"/g)].map((m) => m[1])).toEqual(['2024']);
    // One dated paper in the chart; the note counts all the others.
    const note = /(\d+) of (\d+) papers have no year yet and are not in the chart\./.exec(html);
    expect(Number(note?.[2]) - Number(note?.[1])).toBe(1);
    expect(Number(note?.[2])).toBeGreaterThanOrEqual(10);
  });

  it('names untitled papers by their openings in the admin split form', async () => {
    const admin = await signedIn(fx, 'admin@example.org');
    const id = (await fx.paperscope.store.findAuthors('Roman Novak'))[0]!.id;
    const html = await (await fx.app.request(`/author/${id}`, { headers: { cookie: admin.cookie } })).text();
    expect(html).toContain('Papers that are someone else');
    expect(html).toMatch(/aria-label="Open \(untitled\) “The Neural Tangent Kernel \(NTK\)/);
    expect(html).not.toMatch(/aria-label="Open paper \d+"/);
  });

  it('names untitled papers by their openings in the author feed too', async () => {
    const id = (await fx.paperscope.store.findAuthors('Roman Novak'))[0]!.id;
    const atom = await (await fx.app.request(`/feeds/author/${id}.atom`)).text();
    expect(atom).toContain('<![CDATA[(untitled) “The Neural Tangent Kernel (NTK)');
    expect(atom).not.toContain('<![CDATA[(untitled)]]>');
  });

  it('names the sources of the papers as readers know them', async () => {
    const id = (await fx.paperscope.store.findAuthors('Lechao Xiao'))[0]!.id;
    const html = await (await fx.app.request(`/author/${id}`)).text();
    expect(html).toContain('an ADS author page (pasted) <span class="muted">(10)</span>');
    expect(html).toContain('CatalyzeX (pasted) <span class="muted">');
    expect(html).not.toContain('page-ads-author');
  });
});

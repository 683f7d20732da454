import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FILES } from '../../test/shared.ts';
import { signedIn, webFixture } from '../../test/web-helpers.ts';
import { LibraryService } from './library.service.ts';

/*
 * A tag's papers come newest saved first, like the whole library: "papers like those tagged"
 * takes the first 200 of them as its seeds, so the order decides which ones count.
 */
let fx: Awaited<ReturnType<typeof webFixture>>;
let userId: number;
let library: LibraryService;

beforeAll(async () => {
  fx = await webFixture([SEED_FILES.adsAuthor]);
  userId = (await signedIn(fx, 'ada@example.org')).user.id;
  let minute = 0;
  library = new LibraryService(fx.paperscope.store, {
    now: () => new Date(Date.UTC(2026, 0, 1, 12, minute++)),
  });
  for (const id of [5, 2, 9, 4]) await library.save(userId, id);
  for (const id of [2, 9, 5]) await library.addTag(userId, id, 'kernels');
});
afterAll(() => fx.close());

describe('library order', () => {
  it('lists the whole library newest saved first', () => {
    expect(library.paperIds(userId)).toEqual([4, 9, 2, 5]);
  });

  it('lists a tag newest saved first, not by paper id', () => {
    expect(library.paperIds(userId, 'kernels')).toEqual([9, 2, 5]);
    expect(library.paperIds(userId, 'KERNELS')).toEqual([9, 2, 5]);
    expect(library.paperIds(userId, 'nothing')).toEqual([]);
  });
});

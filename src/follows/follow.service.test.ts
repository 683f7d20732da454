import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../test/shared.ts';
import { Paperscope } from '../app/paperscope.ts';
import { loadConfig } from '../config.ts';
import { DomainError } from '../domain/errors.ts';

let data: ReturnType<typeof tempDataDir>;
let paperscope: Paperscope;
let userId: number;

beforeAll(async () => {
  data = tempDataDir();
  expect((await runCli(data.dir, ['import', seedPath(SEED_FILES.adsAuthor)])).code).toBe(0);
  paperscope = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
  userId = (await paperscope.accounts.createUser({ email: 'f@example.org', password: 'a long passphrase' }))
    .id;
  await paperscope.store.write((db) =>
    db.prepare("INSERT INTO tags (user_id, name) VALUES (?, 'Kernels')").run(userId),
  );
}, 60_000);
afterAll(() => {
  paperscope?.close();
  data?.cleanup();
});

describe('following', () => {
  it('finds authors by any spelling and keeps one follow per thing', async () => {
    const a = await paperscope.follows.follow(userId, 'author', 'Xiao, Lechao');
    const b = await paperscope.follows.follow(userId, 'author', 'Lechao Xiao');
    expect(b.id).toBe(a.id);
    expect(a.label).toBe((await paperscope.store.findAuthors('Lechao Xiao'))[0]!.displayName);
    expect(paperscope.follows.list(userId)).toHaveLength(1);
  });

  it('follows a library tag by any case, and only one the person has', async () => {
    const tag = await paperscope.follows.follow(userId, 'tag', 'kernels');
    expect(tag).toMatchObject({ value: 'kernels', label: 'Kernels' });
    await expect(paperscope.follows.follow(userId, 'tag', 'physics')).rejects.toThrow(
      'You have no tag "physics" in your library.',
    );
    expect(await paperscope.follows.unfollow(userId, { kind: 'tag', value: 'KERNELS' })).toBe(true);
    expect(await paperscope.follows.unfollow(userId, { kind: 'tag', value: 'KERNELS' })).toBe(false);
  });

  it('names what is wrong with a bad kind, category or query', async () => {
    await expect(paperscope.follows.follow(userId, 'journal', 'Nature')).rejects.toThrow(
      'Unknown kind of follow "journal" (known: author, search, category, tag).',
    );
    await expect(paperscope.follows.follow(userId, 'category', 'not a category')).rejects.toThrow(
      'Following a category: "not a category" is not an arXiv category such as cs.LG.',
    );
    await expect(paperscope.follows.follow(userId, 'search', 'title:(kernel')).rejects.toThrow(
      /^Following the search "title:\(kernel": "\(" at column 7 is never closed\.$/,
    );
  });

  it('takes any text: a follow, or a clear refusal — never a crash and nothing half-written (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('author', 'search', 'category', 'tag', 'x'),
        fc.string(),
        async (kind, value) => {
          const before = paperscope.follows.list(userId).length;
          try {
            const follow = await paperscope.follows.follow(userId, kind, value);
            expect(follow.value).toBe(
              kind === 'tag' ? value.trim().toLowerCase() : kind === 'author' ? follow.value : value.trim(),
            );
            expect(paperscope.follows.find(userId, follow.kind, follow.value)?.id).toBe(follow.id);
            await paperscope.follows.unfollow(userId, { id: follow.id });
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            expect(paperscope.follows.list(userId)).toHaveLength(before);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { SEED_FILES, seedPath } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../domain/errors.ts';
import { nameKey, personFromDisplay } from '../../domain/names.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../../sources/registry.ts';
import type { Decider } from './service.ts';

/**
 * The author service on a real SQLite store loaded with the four seed pages, plus small
 * hand-made BibTeX files that write Lechao Xiao as `Xiao, L.` on papers the seeds do not have.
 */

const ADMIN: Decider = { label: 'admin@example.org', isAdmin: true };

// A paper by `Xiao, L.` with a new co-author: no evidence yet, so the importer keeps this
// `L. Xiao` apart from Lechao Xiao; and a second paper by the same initials with someone else.
const LONE_INITIALS = `@article{lx-ntk,
  title = {Wide networks: the neural tangent kernel and the NNGP at infinite width},
  author = {Xiao, L. and Doe, Jane},
  year = {2020},
  journal = {Hand-made test entry},
  abstract = {We study the NNGP kernel and the neural tangent kernel of infinitely wide networks, and the finite width corrections to the kernel regime of wide networks.}
}
@article{lx-roe,
  title = {Kernel regimes of deep networks at finite width},
  author = {Xiao, L. and Roe, Richard},
  year = {2021},
  journal = {Hand-made test entry},
  abstract = {The kernel regime and the NNGP of deep networks, at finite and infinite width.}
}`;

// Later: Lechao Xiao writes with Jane Doe (now a co-author in common with that `L. Xiao`);
// `Xiao, L.` writes with Roman Novak, a co-author of Lechao's (the importer joins that one
// itself); and Lei Xiao, another person, also writes with Jane Doe.
const LATER = `@article{lechao-doe,
  title = {Kernel regression in the infinite width limit},
  author = {Xiao, Lechao and Doe, Jane},
  year = {2022},
  journal = {Hand-made test entry}
}
@article{lx-novak,
  title = {A paper by initials with a known co-author},
  author = {Xiao, L. and Novak, Roman},
  year = {2023},
  journal = {Hand-made test entry}
}
@article{lei-doe,
  title = {Optical fibres for something else entirely},
  author = {Xiao, Lei and Doe, Jane},
  year = {2022},
  journal = {Hand-made test entry}
}`;

/** The same paper as `lx-roe`, from another entry: its authors are linked again when it merges. */
const ROE_AGAIN = `@inproceedings{roe-proceedings,
  title = {Kernel regimes of deep networks at finite width},
  author = {Xiao, L. and Roe, Richard},
  year = {2021},
  booktitle = {Proceedings of a hand-made workshop}
}`;

const NTK_AGAIN = `@inproceedings{ntk-proceedings,
  title = {Wide networks: the neural tangent kernel and the NNGP at infinite width},
  author = {Xiao, L. and Doe, Jane},
  year = {2020},
  booktitle = {Proceedings of a hand-made workshop}
}`;

let data: { dir: string; cleanup: () => void };
let app: Paperscope;
let importer: ImportService;
const write = (name: string, text: string) => {
  const path = join(data.dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  data = tempDataDir('paperscope-authors-');
  app = Paperscope.open(loadConfig({}, { data: join(data.dir, 'db') }), {
    now: () => new Date('2026-03-04T05:06:07Z'),
  });
  importer = new ImportService(app.store, defaultRegistry);
  for (const seed of Object.values(SEED_FILES)) await importer.importFile(seedPath(seed));
}, 60_000);

afterAll(() => {
  app.close();
  data.cleanup();
});

const lechaoId = async () => (await app.authors.find('Lechao Xiao')).id;

describe('the profile of a merged author, from the seed pages', () => {
  it('has Lechao Xiao’s 12 papers and his co-authors with the right counts', async () => {
    const profile = await app.authors.profile('Xiao, Lechao', { limit: 100 });
    expect(profile.displayName).toBe('Lechao Xiao');
    expect(profile.paperCount).toBe(12);
    expect(profile.papers).toHaveLength(12);
    // Counted a second way: spellings on the papers' own author lists, folded to name keys,
    // without the author ids the profile is built from.
    const byKey = new Map<string, number>();
    for (const p of profile.papers) {
      for (const key of new Set(p.authors.map((a) => nameKey(a.name)))) {
        if (key !== 'lechao xiao') byKey.set(key, (byKey.get(key) ?? 0) + 1);
      }
    }
    const count = (name: string) => profile.coauthors.find((c) => c.displayName === name)?.count;
    for (const name of [
      'Jeffrey Pennington',
      'Jaehoon Lee',
      'Roman Novak',
      'Ben Adlam',
      'Jascha Sohl-Dickstein',
    ]) {
      expect(count(name), name).toBe(byKey.get(nameKey(personFromDisplay(name))));
    }
    expect(count('Jeffrey Pennington')).toBe(8);
    // The ADS page lists him on each of its papers: each is one of the twelve.
    // Each entry there is a title line, an author line (`Last, First, …`), an abstract line.
    const lines = readFileSync(seedPath(SEED_FILES.adsAuthor), 'utf8').split('\n');
    const adsTitles = lines.filter(
      (_, i) =>
        /(^|, )Xiao, Lechao(,|$)/.test(lines[i + 1]?.trim() ?? '') && (lines[i + 2]?.length ?? 0) > 200,
    );
    expect(adsTitles).toHaveLength(10);
    const titles = new Set(profile.papers.map((p) => p.title));
    for (const t of adsTitles) expect(titles, t).toContain(t.trim());
  });

  it('sorts and pages his papers by title both ways', async () => {
    const asc = await app.authors.profile('Lechao Xiao', { sort: 'title', direction: 'asc', limit: 5 });
    const titled = asc.papers.map((p) => p.title!);
    expect(titled).toEqual(
      [...titled].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })),
    );
    expect(asc.paperPage).toMatchObject({ total: 12, limit: 5, offset: 0, sort: 'title', direction: 'asc' });
    const desc = await app.authors.profile('Lechao Xiao', { sort: 'title', direction: 'desc', limit: 100 });
    const descTitles = desc.papers.flatMap((p) => (p.title ? [p.title] : []));
    expect(descTitles).toEqual(
      [...descTitles].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base', numeric: true })),
    );
    const page2 = await app.authors.profile('Lechao Xiao', {
      sort: 'title',
      direction: 'asc',
      limit: 5,
      offset: 5,
    });
    expect(page2.papers.map((p) => p.id)).not.toContain(asc.papers[0]!.id);
  });

  it('names terms that set him apart from the corpus, and where his papers came from', async () => {
    const profile = await app.authors.profile('Lechao Xiao');
    const terms = profile.topTerms.map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['kernel', 'width', 'nngp']));
    // Words every paper page uses say nothing about him.
    expect(terms).not.toContain('model');
    expect(profile.paperSources.map((s) => s.source).sort()).toEqual([
      'page-ads-author',
      'page-arxiv-listing',
      'page-catalyzex',
    ]);
  });
});

describe('possibly the same person, and an admin’s decisions', () => {
  let lone: number;

  it('keeps a lone `Xiao, L.` apart for lack of evidence, then suggests him with the evidence', async () => {
    await importer.importFile(write('lone.bib', LONE_INITIALS));
    const lechao = await lechaoId();
    const initials = (await app.authors.profile('L. Xiao')).id;
    expect(initials).not.toBe(lechao);
    lone = initials;
    expect((await app.authors.profile(lone)).paperCount).toBe(2);

    await importer.importFile(write('later.bib', LATER));
    const profile = await app.authors.profile(lechao);
    // 12 + the paper with Jane Doe + the initials paper the importer joined through Roman Novak.
    expect(profile.paperCount).toBe(14);
    const suggestions = await app.authors.suggestions(lechao);
    const ids = suggestions.map((s) => s.id);
    expect(ids).toContain(lone);
    const lei = (await app.authors.find('Lei Xiao')).id;
    expect(ids).not.toContain(lei);
    const lx = suggestions.find((s) => s.id === lone)!;
    expect(lx.evidence.coauthors.map((c) => c.displayName)).toEqual(['Jane Doe']);
    expect(lx.evidence.terms).toEqual(expect.arrayContaining(['kernel', 'nngp']));
    expect(lx.summary).toContain('co-authors in common: Jane Doe');
    // It works both ways.
    expect((await app.authors.suggestions(lone)).map((s) => s.id)).toContain(lechao);
  });

  it('lets only an admin decide', async () => {
    const lechao = await lechaoId();
    const viewer: Decider = { label: 'someone@example.org', isAdmin: false };
    await expect(app.authors.merge(lechao, lone, viewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(app.authors.reject(lechao, lone, viewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(app.authors.split(lechao, { papers: [1] }, viewer)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('remembers "not the same person": never suggested again, even after re-imports', async () => {
    const lechao = await lechaoId();
    const other = await app.authors.find('Lei Xiao');
    const decision = await app.authors.reject(lechao, lone, ADMIN);
    expect(decision.alreadyKnown).toBe(false);
    expect((await app.authors.suggestions(lechao)).map((s) => s.id)).not.toContain(lone);
    expect((await app.authors.suggestions(lone)).map((s) => s.id)).not.toContain(lechao);
    await importer.importFile(write('lone.bib', LONE_INITIALS));
    expect((await app.authors.suggestions(lechao)).map((s) => s.id)).not.toContain(lone);
    expect((await app.authors.reject(lone, lechao, ADMIN)).alreadyKnown).toBe(true);
    const history = (await app.authors.profile(lechao)).decisions;
    expect(history[0]).toMatchObject({
      kind: 'reject',
      authorId: lechao,
      otherId: lone,
      actor: 'admin@example.org',
    });
    expect(history[0]!.at).toBe('2026-03-04T05:06:07.000Z');
    expect(other.id).not.toBe(lone);
  });

  it('refuses to merge two people on one author list', async () => {
    const lechao = await lechaoId();
    const pennington = (await app.authors.find('Jeffrey Pennington')).id;
    await expect(app.authors.merge(lechao, pennington, ADMIN)).rejects.toBeInstanceOf(ConflictError);
  });

  it('merges (the other id redirects), and neither re-imports nor new records undo it', async () => {
    const lechao = await lechaoId();
    const result = await app.authors.merge(lechao, lone, ADMIN);
    expect(result).toMatchObject({ kept: lechao, mergedAway: lone, papersMoved: 2 });
    const merged = await app.authors.profile(lone);
    expect(merged.id).toBe(lechao);
    expect(merged.redirectedFrom).toBe(lone);
    expect(merged.paperCount).toBe(16);
    expect(merged.names.map((n) => n.display)).toEqual(expect.arrayContaining(['Lechao Xiao', 'L. Xiao']));
    expect(merged.coauthors.find((c) => c.displayName === 'Richard Roe')?.count).toBe(1);

    const stats = JSON.stringify(await app.store.stats());
    const again = await importer.importFile(write('lone.bib', LONE_INITIALS));
    expect(again).toMatchObject({ new: 0, merged: 0, updated: 0, unchanged: 2 });
    expect(JSON.stringify(await app.store.stats())).toBe(stats);

    // A new record of the paper with Richard Roe (no co-author in common with Lechao):
    // without the merge's pin the importer would make `L. Xiao` a new person again.
    const roe = await importer.importFile(write('roe-again.bib', ROE_AGAIN));
    expect(roe.merged).toBe(1);
    const after = await app.authors.profile(lechao);
    expect(after.paperCount).toBe(16);
    expect(after.coauthors.find((c) => c.displayName === 'Richard Roe')?.count).toBe(1);
  });

  it('splits a wrong merge off to a new author, and re-linking keeps the split', async () => {
    const lechao = await lechaoId();
    const before = await app.authors.profile(lechao, { limit: 100 });
    const ntk = before.papers.find((p) => p.title?.startsWith('Wide networks'))!;
    const result = await app.authors.split(lechao, { papers: [ntk.id] }, ADMIN);
    const created = await app.authors.profile(result.created);
    expect(created.paperCount).toBe(1);
    expect(created.papers[0]!.id).toBe(ntk.id);
    expect(created.names.map((n) => n.display)).toEqual(['L. Xiao']);
    const rest = await app.authors.profile(lechao);
    expect(rest.paperCount).toBe(15);
    // `L. Xiao` still names him on the paper with Richard Roe.
    expect(rest.names.map((n) => n.display)).toContain('L. Xiao');
    // A split says they are two people: not suggested to each other.
    expect((await app.authors.suggestions(lechao)).map((s) => s.id)).not.toContain(result.created);

    // A new record of that paper: Jane Doe is a co-author in common with Lechao, so without the
    // split's pin the importer would give it back to him.
    const ntkAgain = await importer.importFile(write('ntk-again.bib', NTK_AGAIN));
    expect(ntkAgain.merged).toBe(1);
    expect((await app.authors.profile(result.created)).paperCount).toBe(1);
    expect((await app.authors.profile(lechao)).paperCount).toBe(15);
    // And the paper with Richard Roe, linked again, stays with Lechao.
    await importer.importFile(
      write('roe-again.bib', `${ROE_AGAIN}\n`.replace('hand-made workshop', 'hand-made workshop (2nd)')),
    );
    expect((await app.authors.profile(lechao)).paperCount).toBe(15);
  });

  it('says what is wrong with a split that cannot be made', async () => {
    const lechao = await lechaoId();
    await expect(app.authors.split(lechao, {}, ADMIN)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(app.authors.split(lechao, { names: ['Nobody Atall'] }, ADMIN)).rejects.toThrow(
      /no name variant "Nobody Atall"/,
    );
    await expect(app.authors.split(lechao, { papers: [999_999] }, ADMIN)).rejects.toThrow(
      /not an author of paper 999999/,
    );
    const all = (await app.authors.profile(lechao, { limit: 100 })).papers.map((p) => p.id);
    await expect(app.authors.split(lechao, { papers: all }, ADMIN)).rejects.toThrow(/nothing would remain/);
    expect((await app.authors.profile(lechao)).paperCount).toBe(15);
  });
});

describe('the profile cache', () => {
  it('outlives writes that are not the knowledge base (page views), not new records', async () => {
    const lechao = await lechaoId();
    const before = await app.authors.profile(lechao);
    // Changed behind the service's back, in place (no record, paper or person added) …
    await app.store.write((db) =>
      db.prepare('UPDATE authors SET display_name = ? WHERE id = ?').run('Renamed In Place', lechao),
    );
    // … and a page view logged, as the paper page does every second while people read.
    await app.store.write((db) =>
      db
        .prepare("INSERT INTO paper_events (paper_id, user_id, kind, at) VALUES (?, NULL, 'view', ?)")
        .run(before.papers[0]!.id, '2026-03-04T05:06:07Z'),
    );
    expect((await app.authors.profile(lechao)).displayName).toBe('Lechao Xiao');
    // A new record is the knowledge base changing: the profile is read again.
    await importer.importFile(
      write(
        'fresh.bib',
        '@article{fresh, title={A fresh paper}, author={Xiao, Lechao}, year={2024}, journal={X}}',
      ),
    );
    const after = await app.authors.profile(lechao);
    expect(after.displayName).toBe('Renamed In Place');
    expect(after.paperCount).toBe(before.paperCount + 1);
  });
});

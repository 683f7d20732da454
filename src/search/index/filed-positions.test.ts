import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expected, found, random } from '../../../test/phrase-oracle.ts';
import { type IndexedPaper, SearchIndex } from './search-index.ts';
import { loadSnapshot, saveSnapshot } from './snapshot.ts';

/**
 * Postings and positions read from the snapshot file on demand (`FiledPages`,
 * `FiledStreamReader`) give the answers the held ones gave: after a load, after papers are
 * added to the loaded index (what they write held, the file's last blocks copied and written
 * to), after saving that and loading again; and a snapshot written by the code before
 * (b0a9075) still loads. Words (every paper with its weighted count: the postings) and
 * phrases (the positions) are checked against an index that held everything and against the
 * texts.
 */

const VOCAB = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma'];
const MARK = { updatedAt: '2026-11-24T00:00:00Z', idsAtMark: [1] };

function paper(id: number, next: () => number, vocab = VOCAB): IndexedPaper {
  const text = (n: number) =>
    Array.from({ length: n }, () => vocab[Math.floor(next() * vocab.length)]!).join(' ');
  return {
    id,
    year: 2020,
    published: null,
    flags: 0,
    sources: 0,
    categories: [],
    authorIds: [],
    title: text(3 + Math.floor(next() * 5)),
    abstract: text(5 + Math.floor(next() * 40)),
    authors: text(2),
  };
}

const PHRASES = [
  ['"alpha beta"', 'alpha beta', -1],
  ['"beta alpha gamma"', 'beta alpha gamma', -1],
  ['"sigma sigma"', 'sigma sigma', -1],
  ['title:"gamma delta"', 'gamma delta', 0],
  ['abs:"omega alpha"', 'omega alpha', 1],
  ['"delta omega"', 'delta omega', -1],
  // One word: its postings alone, every paper with its count weighted by column.
  ['alpha', 'alpha', -1],
  ['omega', 'omega', -1],
  ['title:gamma', 'gamma', 0],
  ['abs:sigma', 'sigma', 1],
] as const;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-filed-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('postings and positions read from the snapshot file', () => {
  const next = random(11);
  const held = new SearchIndex();
  const papers = new Map<number, IndexedPaper>();
  const putHeld = (p: IndexedPaper) => {
    held.put(p);
    papers.set(p.id, p);
  };
  for (let id = 1; id <= 6000; id++) putHeld(paper(id, next));
  for (let id = 3; id <= 6000; id += 29) putHeld(paper(id, next));
  const dir = tempDir();
  const file = join(dir, 'search-index.bin');
  saveSnapshot(file, held.state, MARK).close();
  const loaded = loadSnapshot(file)!;
  const filed = new SearchIndex(loaded.state);

  it('holds no postings or positions once loaded, and finds every word and phrase as the held index does', () => {
    // Long lists (skip tables, blocks of 32 KiB read in windows) and short ones.
    expect(held.text.postingsOf('alpha')).toBeGreaterThan(4096);
    expect(filed.text.filedBytes).toBeGreaterThan(100_000);
    // Only the per-word bookkeeping is held (a few bytes a word).
    expect(filed.text.heldPositionBytes).toBeLessThan(1000);
    expect(filed.text.heldPostingBytes).toBeLessThan(1000);
    expect(held.text.heldPositionBytes + held.text.heldPostingBytes).toBeGreaterThan(filed.text.filedBytes);
    for (const [query, phrase, column] of PHRASES) {
      const want = expected(papers, phrase, column);
      expect(want.size).toBeGreaterThan(0);
      expect(found(held, query)).toEqual(want);
      expect(found(filed, query)).toEqual(want);
    }
  });

  it('keeps finding them as papers are added to the loaded index and re-indexed (held until the save)', () => {
    const more = random(12);
    const added: IndexedPaper[] = [];
    for (let id = 6001; id <= 6600; id++) added.push(paper(id, more));
    for (let id = 5; id <= 6600; id += 37) added.push(paper(id, more));
    // A word first seen now: a stream of its own on a page in memory.
    added.push(paper(6601, more, ['zeta', 'alpha']));
    const heldBefore = filed.text.heldPositionBytes;
    for (const p of added) {
      putHeld(p);
      filed.put(p);
    }
    expect(filed.text.heldPositionBytes).toBeGreaterThan(heldBefore);
    expect(filed.text.heldPostingBytes).toBeGreaterThan(1000);
    for (const [query, phrase, column] of [...PHRASES, ['"zeta alpha"', 'zeta alpha', -1] as const]) {
      const want = expected(papers, phrase, column);
      expect(want.size).toBeGreaterThan(0);
      expect(found(filed, query)).toEqual(want);
      expect(found(held, query)).toEqual(want);
    }
  });

  it('saves what it holds with what is in the file, and answers the same from the new file', () => {
    const second = join(dir, 'second.bin');
    const saved = saveSnapshot(second, filed.state, MARK);
    filed.text.fileStreams(saved);
    expect(filed.text.heldPositionBytes).toBeLessThan(1000);
    expect(filed.text.heldPostingBytes).toBeLessThan(1000);
    const reloaded = new SearchIndex(loadSnapshot(second)!.state);
    const inMemory = new SearchIndex(loadSnapshot(second, { inMemory: true })!.state);
    expect(inMemory.text.filedBytes).toBe(0);
    for (const [query, phrase, column] of [...PHRASES, ['"zeta alpha"', 'zeta alpha', -1] as const]) {
      const want = expected(papers, phrase, column);
      expect(found(filed, query)).toEqual(want);
      expect(found(reloaded, query)).toEqual(want);
      expect(found(inMemory, query)).toEqual(want);
    }
    // And papers added after that save are found too.
    const p = paper(6602, random(13));
    putHeld(p);
    reloaded.put(p);
    expect(found(reloaded, '"alpha beta"')).toEqual(expected(papers, 'alpha beta', -1));
    reloaded.text.close();
    inMemory.text.close();
  });

  it('reads from the file it loaded even when a newer snapshot is renamed over its name', () => {
    const name = join(dir, 'renamed.bin');
    copyFileSync(file, name);
    const before = new SearchIndex(loadSnapshot(name)!.state);
    saveSnapshot(name, new SearchIndex().state, MARK).close();
    const first = PHRASES[0]!;
    expect(found(before, first[0]).size).toBeGreaterThan(0);
    before.text.close();
  });
});

/** The papers of `fixtures/snapshot-b0a9075.bin`, written by that revision's code. */
function fixturePaper(id: number): IndexedPaper {
  const vocab = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma', 'kappa', 'theta'];
  let s = (id * 2654435761) >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const text = (n: number) =>
    Array.from({ length: n }, () => vocab[Math.floor(next() * vocab.length)]!).join(' ');
  return {
    id,
    year: 2000 + (id % 20),
    published: null,
    flags: 0,
    sources: 0,
    categories: [],
    authorIds: [],
    title: text(3 + Math.floor(next() * 4)),
    abstract: text(8 + Math.floor(next() * 16)),
    authors: text(2),
  };
}

describe('a snapshot written before positions stayed in the file', () => {
  it('loads, its positions read from the file, with the answers of the same papers indexed now', () => {
    const papers = new Map<number, IndexedPaper>();
    const fresh = new SearchIndex();
    for (let id = 1; id <= 400; id++) papers.set(id, fixturePaper(id));
    for (let id = 1; id <= 400; id++) fresh.put(papers.get(id)!);
    for (let id = 7; id <= 400; id += 13) {
      const p = { ...fixturePaper(id + 100000), id };
      papers.set(id, p);
      fresh.put(p);
    }
    const loaded = loadSnapshot(join(import.meta.dirname, 'fixtures', 'snapshot-b0a9075.bin'));
    expect(loaded?.mark.idsAtMark).toEqual([400]);
    const old = new SearchIndex(loaded!.state);
    expect(old.docs.live).toBe(400);
    expect(old.text.filedBytes).toBeGreaterThan(0);
    for (const [query, phrase, column] of [
      ['"kappa theta"', 'kappa theta', -1],
      ['kappa', 'kappa', -1],
      ['title:theta', 'theta', 0],
      ['"alpha beta gamma"', 'alpha beta gamma', -1],
      ['abs:"sigma omega"', 'sigma omega', 1],
    ] as const) {
      const want = expected(papers, phrase, column);
      expect(want.size).toBeGreaterThan(0);
      expect(found(old, query)).toEqual(want);
      expect(found(fresh, query)).toEqual(want);
    }
    old.text.close();
  });
});

import { mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteStreams, type StreamPlace } from './byte-streams.ts';
import { FiledPages, OpenFile } from './filed-pages.ts';

/**
 * A pool read from a file gives back every stream as the pool in memory does: read whole, and
 * from places met along the way (as skip tables keep them), one reader moved from place to
 * place; and after more is appended to the filed pool (its last blocks copied, new blocks in
 * memory). Thousands of streams of random lengths, so blocks and their links fall across the
 * file's chunks at every offset.
 */

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'paperscope-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pool's pages written to a file one after another, as a snapshot lays them out. */
function fileOf(pool: ByteStreams, name: string): FiledPages {
  const state = pool.state;
  const fd = openSync(join(dir, name), 'w+');
  const at: number[] = [];
  const length: number[] = [];
  let position = 24; // not at 0, as in a snapshot
  writeSync(fd, Buffer.alloc(24), 0, 24, 0);
  for (const page of state.pages) {
    at.push(position);
    length.push(page.length);
    writeSync(fd, page, 0, page.length, position);
    position += page.length + 8;
  }
  return new FiledPages(new OpenFile(fd), at, length);
}

function fill(pool: ByteStreams, values: number[][], next: () => number, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    const s = Math.floor(next() * values.length);
    const v = next() < 0.8 ? Math.floor(next() * 200) : Math.floor(next() * 2 ** 31);
    pool.appendVarint(s, v);
    values[s]!.push(v);
  }
}

/** Every stream read whole, and from every 7th value on through one reader moved between places. */
function expectStreams(pool: ByteStreams, values: number[][]): void {
  const places: { s: number; k: number; place: StreamPlace }[] = [];
  for (let s = 0; s < values.length; s++) {
    const r = pool.reader(s);
    for (let k = 0; k < values[s]!.length; k++) {
      if (k % 7 === 3) places.push({ s, k, place: r.place });
      expect(r.varint()).toBe(values[s]![k]);
    }
  }
  // In a random order: a reader moved to a place near the last one may reuse what it read.
  const next = random(places.length);
  for (let i = places.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [places[i], places[j]] = [places[j]!, places[i]!];
  }
  let moved: ReturnType<ByteStreams['reader']> | undefined;
  for (const { s, k, place } of places) {
    if (moved) moved.moveTo(place);
    else moved = pool.readerAt(place);
    const want = values[s]!.slice(k, k + 9);
    expect(want.map(() => moved!.varint())).toEqual(want);
    const onward = pool.readerAt(place);
    expect(values[s]!.slice(k).map(() => onward.varint())).toEqual(values[s]!.slice(k));
  }
  expect(places.length).toBeGreaterThan(1000);
}

describe('a byte-stream pool read from the file', () => {
  it('gives back every stream, whole and from the middle, before and after appends', () => {
    const next = random(5);
    const pool = new ByteStreams();
    const values: number[][] = [];
    for (let s = 0; s < 3000; s++) {
      pool.create();
      values.push([]);
    }
    fill(pool, values, next, 400_000);
    const filed = new ByteStreams({ ...pool.state, filed: fileOf(pool, 'pool.bin') });
    filed.file(fileOf(pool, 'pool-again.bin'));
    expect(filed.bytes).toBeLessThan(100_000);
    expectStreams(pool, values);
    expectStreams(filed, values);

    // Appends: to filed streams' last blocks (copied first) and to new blocks in memory.
    const more = values.map((v) => [...v]);
    fill(filed, more, random(6), 200_000);
    for (let s = 0; s < 10; s++) {
      filed.create();
      more.push([]);
    }
    fill(filed, more, random(7), 50_000);
    expect(filed.bytes).toBeGreaterThan(100_000);
    expectStreams(filed, more);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, READER_CACHE_KIB, WRITER_CACHE_KIB } from './database.ts';

describe('openDatabase page cache', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperscope-db-'));
    dirs.push(dir);
    return join(dir, 'paperscope.sqlite');
  };

  it('gives the writer 64 MiB and each read-only connection 16 MiB, or what it is told', () => {
    const path = file();
    const writer = openDatabase(path);
    const reader = openDatabase(path, { readonly: true });
    const small = openDatabase(path, { readonly: true, cacheKiB: 2048 });
    try {
      // A negative cache_size is a size in KiB.
      expect(writer.pragma('cache_size', { simple: true })).toBe(-WRITER_CACHE_KIB);
      expect(reader.pragma('cache_size', { simple: true })).toBe(-READER_CACHE_KIB);
      expect(small.pragma('cache_size', { simple: true })).toBe(-2048);
      expect(READER_CACHE_KIB).toBeLessThan(WRITER_CACHE_KIB);
    } finally {
      small.close();
      reader.close();
      writer.close();
    }
  });
});

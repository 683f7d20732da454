import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linesByChunk } from './read-lines.ts';

/** The worker reads lines itself: they must be readline's lines, whatever the chunks. */

async function byReadline(chunks: string[]): Promise<string[]> {
  const lines: string[] = [];
  const input = Readable.from(chunks, { objectMode: false });
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) lines.push(line);
  return lines;
}

async function byChunks(chunks: string[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of linesByChunk(Readable.from(chunks, { objectMode: true }))) lines.push(...batch);
  return lines;
}

describe('linesByChunk', () => {
  it('gives readline its lines on line endings of every kind', async () => {
    for (const text of ['a\nb\n', 'a\r\nb', 'a\rb\r', 'a\r\r\n\nb', '\n\n', 'x\r', '', 'one line']) {
      expect(await byChunks([text])).toEqual(await byReadline([text]));
    }
    // A `\r\n` split across two chunks is one line ending.
    expect(await byChunks(['a\r', '\nb'])).toEqual(['a', 'b']);
    expect(await byChunks(['a\r', 'b'])).toEqual(['a', 'b']);
  });

  it('gives readline its lines for any text cut into any chunks', async () => {
    const text = fc
      .array(fc.constantFrom('a', 'bc', '{"id": 1}', '\n', '\r', '\r\n', ' ', 'é', '\n\n'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 6 }), async (t, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((x, y) => x - y);
        const chunks: string[] = [];
        let from = 0;
        for (const p of points) {
          chunks.push(t.slice(from, p));
          from = p;
        }
        chunks.push(t.slice(from));
        const nonEmpty = chunks.filter(Boolean);
        expect(await byChunks(nonEmpty)).toEqual(await byReadline([t]));
      }),
      { numRuns: 500 },
    );
  });
});

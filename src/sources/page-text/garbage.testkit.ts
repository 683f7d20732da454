import fc from 'fast-check';
import { expect } from 'vitest';
import type { FormatAdapter } from '../format.ts';

const ctx = { origin: 'garbage.txt', fetchedAt: '2024-05-01T00:00:00.000Z' };

/** Feed an adapter random text, binary bytes and cut real pages: it never throws and every problem names where. */
export function checkGarbage(adapter: FormatAdapter, real: string): void {
  const check = (text: string) => {
    const score = adapter.sniff(text);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
    const out = adapter.parse(text, ctx);
    expect(out.records.length + out.problems.length).toBeGreaterThan(0);
    for (const p of out.problems) {
      expect(p.source).toBe(adapter.format);
      expect(p.origin).toBe('garbage.txt');
      expect(p.locator).toMatch(/^(?:file|line \d+)$/);
    }
    for (const r of out.records) {
      expect(r.provenance.source).toBe(adapter.format);
      expect(r.provenance.locator).toMatch(/^line \d+$/);
      expect(r.key).toMatch(/^[\w./-]+$/);
    }
  };
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), check), { numRuns: 200 });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => check(Buffer.from(bytes).toString('latin1'))),
    { numRuns: 100 },
  );
  fc.assert(
    fc.property(fc.nat(real.length), fc.nat(real.length), (a, b) =>
      check(real.slice(Math.min(a, b), Math.max(a, b))),
    ),
    { numRuns: 100 },
  );
  const lines = real.split('\n');
  fc.assert(
    fc.property(fc.shuffledSubarray(lines), (picked) => check(picked.join('\n'))),
    { numRuns: 50 },
  );
}

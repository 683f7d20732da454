import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestBudget } from './request-budget.ts';

describe('RequestBudget', () => {
  it('allows the allowance per window, then says when the window ends, then allows again', () => {
    const budget = new RequestBudget(3, 60_000);
    expect([0, 1, 2].map((t) => budget.take('a', t).ok)).toEqual([true, true, true]);
    expect(budget.take('a', 10_000)).toEqual({ ok: false, retryAfterSeconds: 50 });
    // Another client has its own allowance.
    expect(budget.take('b', 10_000).ok).toBe(true);
    expect(budget.take('a', 60_000).ok).toBe(true);
  });

  it('allows at most twice the allowance in any 60 s span (a fixed window’s edge), whatever the timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(200_000), { maxLength: 200 }),
        fc.integer({ min: 1, max: 10 }),
        (times, n) => {
          const budget = new RequestBudget(n, 60_000);
          const sorted = [...times].sort((a, b) => a - b);
          const allowed = sorted.filter((t) => budget.take('x', t).ok);
          // A window starts at a request; across the edge of two windows a span can hold both allowances.
          for (const start of allowed) {
            expect(allowed.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(2 * n);
          }
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageInDays, decay, TRENDING_PARAMETERS, trendingReason, trendingScore } from './score.ts';

const age = fc.double({ min: 0, max: 60, noNaN: true });
const upvotes = fc.integer({ min: 0, max: 5000 });
const event = fc.record({ kind: fc.constantFrom('view' as const, 'save' as const), ageDays: age });
const events = fc.array(event, { maxLength: 20 });

describe('trending score', () => {
  it('ranks the fresher paper higher when every other signal is equal', () => {
    fc.assert(
      fc.property(age, age, upvotes, events, (a, b, votes, evs) => {
        fc.pre(Math.abs(a - b) > 1e-6);
        const [fresh, old] = a < b ? [a, b] : [b, a];
        const f = trendingScore({ paperAgeDays: fresh, upvotes: votes, events: evs });
        const o = trendingScore({ paperAgeDays: old, upvotes: votes, events: evs });
        expect(f.score).toBeGreaterThan(o.score);
      }),
    );
  });

  it('ranks more upvotes higher at equal age', () => {
    fc.assert(
      fc.property(age, upvotes, upvotes, events, (a, x, y, evs) => {
        fc.pre(x !== y);
        const [more, fewer] = x > y ? [x, y] : [y, x];
        const m = trendingScore({ paperAgeDays: a, upvotes: more, events: evs });
        const f = trendingScore({ paperAgeDays: a, upvotes: fewer, events: evs });
        expect(m.score).toBeGreaterThan(f.score);
      }),
    );
  });

  it('counts a save for more than a view of the same age', () => {
    fc.assert(
      fc.property(age, upvotes, age, events, (a, votes, eventAge, evs) => {
        const base = { paperAgeDays: a, upvotes: votes };
        const saved = trendingScore({ ...base, events: [...evs, { kind: 'save', ageDays: eventAge }] });
        const viewed = trendingScore({ ...base, events: [...evs, { kind: 'view', ageDays: eventAge }] });
        expect(saved.score).toBeGreaterThan(viewed.score);
      }),
    );
  });

  it('halves each signal at its half-life', () => {
    const p = TRENDING_PARAMETERS;
    fc.assert(
      fc.property(age, fc.integer({ min: 1, max: 5000 }), (a, votes) => {
        const now = trendingScore({ paperAgeDays: a, upvotes: votes, events: [] });
        const later = trendingScore({ paperAgeDays: a + p.recency.halfLifeDays, upvotes: votes, events: [] });
        expect(later.recency).toBeCloseTo(now.recency / 2, 12);
        const laterVotes = trendingScore({
          paperAgeDays: a + p.upvotes.halfLifeDays,
          upvotes: votes,
          events: [],
        });
        expect(laterVotes.upvotes).toBeCloseTo(now.upvotes / 2, 12);
        for (const kind of ['view', 'save'] as const) {
          const h = p[kind].halfLifeDays;
          const e0 = trendingScore({ paperAgeDays: a, upvotes: 0, events: [{ kind, ageDays: a }] });
          const e1 = trendingScore({ paperAgeDays: a, upvotes: 0, events: [{ kind, ageDays: a + h }] });
          const part = kind === 'view' ? 'views' : 'saves';
          expect(e1[part]).toBeCloseTo(e0[part] / 2, 12);
        }
      }),
    );
    expect(decay(3, 3)).toBe(0.5);
    expect(decay(-2, 3)).toBe(1);
  });

  it('is the sum of its parts, and gives no recency or upvotes to a paper without a date', () => {
    fc.assert(
      fc.property(fc.option(age, { nil: undefined }), upvotes, events, (a, votes, evs) => {
        const s = trendingScore({ paperAgeDays: a, upvotes: votes, events: evs });
        expect(s.score).toBeCloseTo(s.recency + s.upvotes + s.views + s.saves, 9);
        if (a === undefined) expect(s.recency + s.upvotes).toBe(0);
      }),
    );
  });

  it('measures ages from dates and timestamps, and says which signals carry a paper', () => {
    const now = new Date('2024-01-03T12:00:00Z');
    expect(ageInDays('2024-01-02', now)).toBe(1.5);
    expect(ageInDays('2024-01-03T00:00:00Z', now)).toBe(0.5);
    expect(ageInDays('not a date', now)).toBeUndefined();
    const parts = trendingScore({ paperAgeDays: 0, upvotes: 40, events: [{ kind: 'save', ageDays: 1 }] });
    expect(trendingReason(parts, { upvotes: 40, saves: 1, views: 0 })).toBe('40 upvotes, new, 1 save');
  });
});

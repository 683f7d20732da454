/**
 * The trending score: a sum of signals, each weighed and decayed exponentially with age.
 *
 *   score = w_recency · 2^(−a_p / h_recency)
 *         + w_upvotes · ln(1 + upvotes) · 2^(−a_p / h_upvotes)
 *         + Σ over views  w_view · 2^(−a_e / h_view)
 *         + Σ over saves  w_save · 2^(−a_e / h_save)
 *
 * a_p is the paper's age (days since publication), a_e an event's age (days since it
 * happened), h a half-life in days: a signal counts half as much one half-life later.
 * - Recency alone ranks the newest papers first when nothing else is known.
 * - Upvotes (Hugging Face) grow by their logarithm, so a paper with 500 upvotes does not bury
 *   everything for weeks; they decay with the paper's age because a source gives a count,
 *   not when each vote was cast, and votes come in the first days.
 * - Local views and saves are events with their own time: each decays from when it happened,
 *   so an old paper that people here are reading now rises again. A save is a stronger
 *   statement than a view (a larger weight, a longer half-life).
 * Every parameter is here and nowhere else; docs/trending.md explains them with examples.
 */

export interface SignalParameters {
  /** What the signal is worth at age 0. */
  weight: number;
  /** Days after which it is worth half. */
  halfLifeDays: number;
}

export interface TrendingParameters {
  recency: SignalParameters;
  /** Per natural-log unit of upvotes: ln(1 + 10) ≈ 2.4 units for 10 upvotes. */
  upvotes: SignalParameters;
  view: SignalParameters;
  save: SignalParameters;
}

export const TRENDING_PARAMETERS: TrendingParameters = {
  recency: { weight: 1, halfLifeDays: 2 },
  upvotes: { weight: 0.5, halfLifeDays: 4 },
  view: { weight: 0.25, halfLifeDays: 2 },
  save: { weight: 1, halfLifeDays: 5 },
};

export type ActivityKind = 'view' | 'save';

export interface TrendingSignals {
  /** Days since publication; undefined when the paper's date is not known (no recency, no upvotes). */
  paperAgeDays: number | undefined;
  upvotes: number;
  /** Ages in days of the local events on this paper. */
  events: readonly { kind: ActivityKind; ageDays: number }[];
}

/** Each signal's share of the score, so a page can say why a paper is there. */
export interface TrendingParts {
  score: number;
  recency: number;
  upvotes: number;
  views: number;
  saves: number;
}

const DAY_MS = 86_400_000;

/** 2^(−age / halfLife); ages below zero (a clock behind a source's date) count as zero. */
export function decay(ageDays: number, halfLifeDays: number): number {
  return 2 ** (-Math.max(0, ageDays) / halfLifeDays);
}

export function trendingScore(
  signals: TrendingSignals,
  parameters: TrendingParameters = TRENDING_PARAMETERS,
): TrendingParts {
  const { recency, upvotes, view, save } = parameters;
  const age = signals.paperAgeDays;
  const parts = {
    recency: age === undefined ? 0 : recency.weight * decay(age, recency.halfLifeDays),
    upvotes:
      age === undefined || signals.upvotes <= 0
        ? 0
        : upvotes.weight * Math.log1p(signals.upvotes) * decay(age, upvotes.halfLifeDays),
    views: 0,
    saves: 0,
  };
  for (const e of signals.events) {
    if (e.kind === 'view') parts.views += view.weight * decay(e.ageDays, view.halfLifeDays);
    else parts.saves += save.weight * decay(e.ageDays, save.halfLifeDays);
  }
  return { score: parts.recency + parts.upvotes + parts.views + parts.saves, ...parts };
}

/** Days from `then` (an ISO date or timestamp) to `now`; undefined for a date that does not parse. */
export function ageInDays(then: string | undefined, now: Date): number | undefined {
  if (!then) return undefined;
  const t = Date.parse(then.length === 10 ? `${then}T00:00:00Z` : then);
  return Number.isNaN(t) ? undefined : (now.getTime() - t) / DAY_MS;
}

/** "42 upvotes, 3 saves, 5 views, new" — the signals that carry a paper, largest first. */
export function trendingReason(
  parts: TrendingParts,
  counts: { upvotes: number; saves: number; views: number },
): string {
  const pieces: { weight: number; text: string }[] = [
    { weight: parts.upvotes, text: plural(counts.upvotes, 'upvote') },
    { weight: parts.saves, text: plural(counts.saves, 'save') },
    { weight: parts.views, text: plural(counts.views, 'view') },
    { weight: parts.recency, text: 'new' },
  ];
  return pieces
    .filter((p) => p.weight > 0.005 * parts.score && p.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((p) => p.text)
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

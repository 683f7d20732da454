import { InvalidInputError } from '../../domain/errors.ts';
import type { Paper } from '../../domain/paper.ts';
import { categoryName } from '../../search/engine/category-names.ts';
import type { Db } from '../../store/sqlite/database.ts';
import {
  type ActivityKind,
  ageInDays,
  TRENDING_PARAMETERS,
  type TrendingParameters,
  type TrendingParts,
  trendingReason,
  trendingScore,
} from './score.ts';

/** What the service needs of the store: papers by id and the read connection. */
export interface TrendingStore {
  getPaper(id: number): Paper | undefined | Promise<Paper | undefined>;
  readonly readDb: Db;
}

export interface NewPapersOptions {
  /** An arXiv category (`cs.LG`), an archive (`cs`, every subject in it) or a subject's name. */
  category?: string;
  /** One day, `YYYY-MM-DD`. Without `day` or `since`: the latest day that has papers. */
  day?: string;
  /** Every day from this one (`YYYY-MM-DD`) on. */
  since?: string;
  limit?: number;
  offset?: number;
}

export interface NewPapers {
  category?: string;
  /** `Computer Science - Machine Learning` where the code is known. */
  categoryName?: string;
  day?: string;
  since?: string;
  /** Papers in the listing (the page is `papers`). */
  total: number;
  limit: number;
  offset: number;
  papers: Paper[];
}

export interface TrendingOptions {
  category?: string;
  /** Papers published, viewed or saved in the last `days` days are candidates. Default 7. */
  days?: number;
  limit?: number;
}

export interface TrendingPaper {
  paper: Paper;
  score: number;
  parts: TrendingParts;
  counts: { upvotes: number; views: number; saves: number };
  /** "12 upvotes, 2 saves, new" */
  reason: string;
}

export interface Trending {
  category?: string;
  days: number;
  /** The moment the ages were measured from. */
  at: string;
  parameters: TrendingParameters;
  papers: TrendingPaper[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CATEGORY = /^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$/;

interface Candidate {
  published: string | undefined;
  upvotes: number;
  events: { kind: ActivityKind; ageDays: number }[];
}

/**
 * New papers by category and day (an arXiv listing) and trending papers (score.ts), read from
 * `paper_categories` (migration 005), `papers` and `paper_events`. Candidates are the papers
 * published in the window and those with activity in it, found through indexes: the cost
 * follows the window, not the size of the knowledge base.
 */
export class TrendingService {
  private readonly q;

  constructor(
    private readonly store: TrendingStore,
    private readonly now: () => Date = () => new Date(),
    private readonly parameters: TrendingParameters = TRENDING_PARAMETERS,
  ) {
    const db = store.readDb;
    this.q = {
      codeOfName: db.prepare('SELECT code FROM category_codes WHERE name = ?').pluck(),
      latestInCategory: db.prepare('SELECT max(published) FROM paper_categories WHERE category = ?').pluck(),
      latest: db.prepare('SELECT max(published) FROM papers').pluck(),
      inCategory: db
        .prepare(
          `SELECT paper_id FROM paper_categories WHERE category = ? AND published >= ? AND published < ?
           ORDER BY published DESC, paper_id DESC LIMIT ? OFFSET ?`,
        )
        .pluck(),
      countInCategory: db
        .prepare(
          'SELECT count(*) FROM paper_categories WHERE category = ? AND published >= ? AND published < ?',
        )
        .pluck(),
      inAll: db
        .prepare(
          `SELECT id FROM papers WHERE published >= ? AND published < ?
           ORDER BY published DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .pluck(),
      countInAll: db.prepare('SELECT count(*) FROM papers WHERE published >= ? AND published < ?').pluck(),
      recentInCategory: db.prepare(
        `SELECT p.id, p.published, json_extract(p.view, '$.upvotes') AS upvotes
         FROM paper_categories c JOIN papers p ON p.id = c.paper_id
         WHERE c.category = ? AND c.published >= ? AND c.published < ?`,
      ),
      recent: db.prepare(
        `SELECT id, published, json_extract(view, '$.upvotes') AS upvotes FROM papers WHERE published >= ? AND published < ?`,
      ),
      eventsSince: db.prepare('SELECT paper_id, kind, at FROM paper_events WHERE at >= ?').raw(),
      paperSignals: db.prepare(
        `SELECT id, published, json_extract(view, '$.upvotes') AS upvotes FROM papers WHERE id = ?`,
      ),
      isInCategory: db
        .prepare('SELECT 1 FROM paper_categories WHERE paper_id = ? AND category = ? LIMIT 1')
        .pluck(),
    };
  }

  /** The arXiv code for what a person typed: `cs.LG`, `cs`, or `Computer Science - Machine Learning`. */
  categoryCode(category: string): string {
    const given = category.trim();
    const byName = this.q.codeOfName.get(given) as string | undefined;
    if (byName) return byName;
    if (!CATEGORY.test(given)) {
      throw new InvalidInputError(
        `"${category}" is not an arXiv category: give a code such as cs.LG or hep-th, or an archive such as cs.`,
      );
    }
    return given;
  }

  async newPapers(options: NewPapersOptions = {}): Promise<NewPapers> {
    const limit = wholeNumber(options.limit ?? 50, 'limit', 1, 1000);
    const offset = wholeNumber(options.offset ?? 0, 'offset', 0, Number.MAX_SAFE_INTEGER);
    if (options.day !== undefined && options.since !== undefined) {
      throw new InvalidInputError('Give a day or a first day (since), not both.');
    }
    const category = options.category === undefined ? undefined : this.categoryCode(options.category);
    let day = options.day === undefined ? undefined : validDay(options.day, 'day');
    const since = options.since === undefined ? undefined : validDay(options.since, 'since');
    if (day === undefined && since === undefined) {
      const latest = (category === undefined ? this.q.latest.get() : this.q.latestInCategory.get(category)) as
        | string
        | null;
      day = latest ? latest.slice(0, 10) : undefined;
    }
    const from = day ?? since;
    const result: NewPapers = {
      ...(category === undefined ? {} : { category }),
      ...(category && categoryName(category) ? { categoryName: categoryName(category) } : {}),
      ...(day === undefined ? {} : { day }),
      ...(since === undefined ? {} : { since }),
      total: 0,
      limit,
      offset,
      papers: [],
    };
    if (from === undefined) return result;
    // The day after, as a string bound: '2024-01-02' ≤ '2024-01-02T10:00Z' < '2024-01-03'.
    const until = day === undefined ? '\uffff' : nextDay(day);
    const ids = (
      category === undefined
        ? this.q.inAll.all(from, until, limit, offset)
        : this.q.inCategory.all(category, from, until, limit, offset)
    ) as number[];
    result.total = (
      category === undefined
        ? this.q.countInAll.get(from, until)
        : this.q.countInCategory.get(category, from, until)
    ) as number;
    result.papers = await this.papers(ids);
    return result;
  }

  async trending(options: TrendingOptions = {}): Promise<Trending> {
    const days = wholeNumber(options.days ?? 7, 'days', 1, 3650);
    const limit = wholeNumber(options.limit ?? 20, 'limit', 1, 1000);
    const category = options.category === undefined ? undefined : this.categoryCode(options.category);
    const now = this.now();
    const start = new Date(now.getTime() - days * 86_400_000);
    const candidates = new Map<number, Candidate>();
    // A date after today is a source's mistake, not news: such papers wait for their day.
    const from = start.toISOString().slice(0, 10);
    const until = nextDay(now.toISOString().slice(0, 10));
    type SignalRow = { id: number; published: string | null; upvotes: number | null };
    const recent = (
      category === undefined
        ? this.q.recent.all(from, until)
        : this.q.recentInCategory.all(category, from, until)
    ) as SignalRow[];
    for (const row of recent) {
      candidates.set(row.id, {
        published: row.published ?? undefined,
        upvotes: row.upvotes ?? 0,
        events: [],
      });
    }
    for (const [paperId, kind, at] of this.q.eventsSince.iterate(start.toISOString()) as Iterable<
      [number, ActivityKind, string]
    >) {
      let candidate = candidates.get(paperId);
      if (!candidate) {
        if (category !== undefined && !this.q.isInCategory.get(paperId, category)) continue;
        const row = this.q.paperSignals.get(paperId) as SignalRow | undefined;
        if (!row) continue;
        candidate = { published: row.published ?? undefined, upvotes: row.upvotes ?? 0, events: [] };
        candidates.set(paperId, candidate);
      }
      candidate.events.push({ kind, ageDays: ageInDays(at, now) ?? 0 });
    }
    const scored = [...candidates].map(([id, c]) => {
      const parts = trendingScore(
        { paperAgeDays: ageInDays(c.published, now), upvotes: c.upvotes, events: c.events },
        this.parameters,
      );
      return { id, c, parts };
    });
    scored.sort((a, b) => b.parts.score - a.parts.score || b.id - a.id);
    const top = scored.slice(0, limit);
    const papers = await this.papers(top.map((t) => t.id));
    const byId = new Map(papers.map((p) => [p.id, p]));
    return {
      ...(category === undefined ? {} : { category }),
      days,
      at: now.toISOString(),
      parameters: this.parameters,
      papers: top.flatMap(({ id, c, parts }) => {
        const paper = byId.get(id);
        if (!paper) return [];
        const counts = {
          upvotes: c.upvotes,
          views: c.events.filter((e) => e.kind === 'view').length,
          saves: c.events.filter((e) => e.kind === 'save').length,
        };
        return [{ paper, score: parts.score, parts, counts, reason: trendingReason(parts, counts) }];
      }),
    };
  }

  private async papers(ids: number[]): Promise<Paper[]> {
    const papers = await Promise.all(ids.map((id) => this.store.getPaper(id)));
    return papers.filter((p): p is Paper => p !== undefined);
  }
}

function wholeNumber(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${name} must be a whole number from ${min} to ${max} (got ${value}).`);
  }
  return value;
}

function validDay(value: string, name: string): string {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    throw new InvalidInputError(`${name} must be a date as YYYY-MM-DD (got "${value}").`);
  }
  return value;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

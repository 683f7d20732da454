import type { Recommender } from '../discovery/recommend/recommender.ts';
import type { Paper } from '../domain/paper.ts';
import type { Db } from '../store/sqlite/database.ts';
import type { LibraryService } from './library.service.ts';

export interface TagRecommendation {
  paper: Paper;
  score: number;
  /** Why, in words: what it shares with the tagged papers, and the one it is nearest to. */
  reason: string;
}

export interface TagRecommendations {
  seeds: number;
  recommendations: TagRecommendation[];
}

/** Where the recommendations come from; `knowledgeVersion` changes whenever papers do. */
export interface TagRecommendationSource {
  library: LibraryService;
  recommender: Pick<Recommender, 'recommend'>;
  knowledgeVersion?: () => string;
}

const versionQueries = new WeakMap<Db, () => string>();

/**
 * A value that changes when papers are added or merged (new source records, papers, authors):
 * four primary-key lookups, so it costs nothing at millions of papers. A record updated in place
 * keeps its id; its paper's place in the recommendations moves little, and the next import
 * that adds anything refreshes them.
 */
export function knowledgeVersion(db: Db): string {
  let query = versionQueries.get(db);
  if (!query) {
    const statement = db
      .prepare(
        `SELECT (SELECT coalesce(max(id), 0) FROM source_records) || ':' || (SELECT coalesce(max(id), 0) FROM papers)
           || ':' || (SELECT coalesce(max(id), 0) FROM authors)`,
      )
      .pluck();
    query = () => String(statement.get());
    versionQueries.set(db, query);
  }
  return query();
}

/** A tag of hundreds of papers says no more than its latest few hundred. */
export const MAX_TAG_SEEDS = 200;

/** Answers kept per library service (one per instance): a few per person is plenty. */
const MAX_KEPT = 200;
const kept = new WeakMap<LibraryService, Map<string, { answer: Promise<unknown>; value?: unknown }>>();

/**
 * The answer under `key`, computed once and shared: a visit while it is being computed waits
 * for the same computation instead of starting another (a page that stops waiting leaves it
 * running, so quick reloads would otherwise pile computations up), and later visits get it
 * from memory until the key changes. A failure is not kept. Keys name what the answer depends
 * on (the person, their papers, `knowledgeVersion`); the newest MAX_KEPT are kept.
 */
export function keptAnswer<T>(library: LibraryService, key: string, compute: () => Promise<T>): Promise<T> {
  let answers = kept.get(library);
  if (!answers) {
    answers = new Map();
    kept.set(library, answers);
  }
  const known = answers.get(key);
  if (known) return known.answer as Promise<T>;
  const entry: { answer: Promise<T>; value?: T } = {
    answer: compute().then(
      (value) => {
        entry.value = value;
        return value;
      },
      (err: unknown) => {
        answers.delete(key);
        throw err;
      },
    ),
  };
  answers.set(key, entry);
  if (answers.size > MAX_KEPT) answers.delete(answers.keys().next().value!);
  return entry.answer;
}

/** The answer under `key` if it has been computed (not one still being computed). */
function knownAnswer<T>(library: LibraryService, key: string): T | undefined {
  return kept.get(library)?.get(key)?.value as T | undefined;
}

/**
 * The answer depends only on the tagged papers, the saved ones and the knowledge base, so a
 * repeat visit (back from a paper, a reload) is answered from memory: with 200 tagged papers
 * the recommender takes over a second (30,000 candidates scored).
 */
function keyOf(
  userId: number,
  seeds: readonly number[],
  saved: ReadonlySet<number>,
  k: number,
  version: string,
): string {
  let h = 0;
  for (const id of saved) h = (h + Math.imul(id ^ 0x9e3779b9, 0x85ebca6b)) | 0;
  return `${userId}|${k}|${version}|${seeds.join(',')}|${saved.size}:${h}`;
}

interface Request {
  seeds: number[];
  saved: Set<number>;
  key: string | undefined;
}

function request(source: TagRecommendationSource, userId: number, tag: string, k: number): Request {
  const seeds = source.library.paperIds(userId, tag).slice(0, MAX_TAG_SEEDS);
  const saved = new Set(source.library.paperIds(userId));
  const key =
    seeds.length > 0 && source.knowledgeVersion
      ? keyOf(userId, seeds, saved, k, source.knowledgeVersion())
      : undefined;
  return { seeds, saved, key };
}

/**
 * The answer if it is already known (nothing changed since it was computed), without
 * computing it: the page then shows it at once instead of a progress note first.
 */
export function knownRecommendationsFromTag(
  source: TagRecommendationSource,
  userId: number,
  tag: string,
  k = 10,
): TagRecommendations | undefined {
  const { seeds, key } = request(source, userId, tag, k);
  if (seeds.length === 0) return { seeds: 0, recommendations: [] };
  return key === undefined ? undefined : knownAnswer<TagRecommendations>(source.library, key);
}

/**
 * Papers like those under one of someone's tags, ranked by the recommender with the tagged
 * papers as what they like, less everything they already saved.
 */
export async function recommendFromTag(
  source: TagRecommendationSource,
  userId: number,
  tag: string,
  k = 10,
): Promise<TagRecommendations> {
  const { library, recommender } = source;
  const { seeds, saved, key } = request(source, userId, tag, k);
  if (seeds.length === 0) return { seeds: 0, recommendations: [] };
  const compute = async (): Promise<TagRecommendations> => {
    const found = await recommender.recommend({ like: seeds, limit: Math.min(500, k + saved.size) });
    const recommendations = found.papers
      .filter((r) => !saved.has(r.paper.id))
      .slice(0, k)
      .map((r) => ({ paper: r.paper, score: r.score, reason: r.reason }));
    return { seeds: seeds.length, recommendations };
  };
  return key === undefined ? compute() : keptAnswer(library, key, compute);
}

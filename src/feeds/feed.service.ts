import { Feed } from 'feed';
import type { DigestService } from '../digest/digest.service.ts';
import { digestPaper } from '../digest/digest.service.ts';
import { type DigestReason, paperUrl, reasonText } from '../domain/digest.ts';
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { Paper } from '../domain/paper.ts';
import { createAuthorResolver } from '../search/engine/authors.ts';
import { compile } from '../search/engine/compile.ts';
import type { SearchEngine } from '../search/engine/search.ts';
import { InvalidQueryError } from '../search/engine/search.ts';
import { parseQuery } from '../search/query/index.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';

export type FeedFormat = 'rss' | 'atom';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/** Items in one feed. */
export const FEED_SIZE = 50;

export interface FeedEntry {
  paper: Paper;
  reason?: DigestReason;
}

export interface FeedSpec {
  title: string;
  description: string;
  /** The site path the feed mirrors (`/search?q=…`), and its own path without the extension. */
  pagePath: string;
  feedPath: string;
  entries: FeedEntry[];
}

/**
 * RSS 2.0 and Atom 1.0 feeds: any search, any author, the newest papers in a category, and
 * someone's recommendations behind a secret address. Written by the `feed` library.
 */
export class FeedService {
  constructor(
    private readonly store: SqliteStore,
    private readonly deps: {
      baseUrl: string;
      search: () => SearchEngine;
      digests: () => DigestService;
      now: () => Date;
    },
  ) {}

  search(query: string): FeedSpec {
    const q = String(query ?? '').trim();
    if (!q) throw new InvalidInputError('A search feed needs a query: /feeds/search.rss?q=…');
    const result = this.deps.search().search({ query: q, sort: 'date', limit: FEED_SIZE });
    return {
      title: `Paperscope: ${q}`,
      description: `Papers matching the search ${q}, newest first.`,
      pagePath: `/search?q=${encodeURIComponent(q)}`,
      feedPath: `/feeds/search?q=${encodeURIComponent(q)}`,
      entries: result.hits.map((h) => ({ paper: h.paper, reason: { kind: 'search', query: q } })),
    };
  }

  async author(authorId: number): Promise<FeedSpec> {
    const author = await this.store.getAuthor(authorId);
    if (!author) throw new NotFoundError(`No author ${authorId}.`);
    const papers = await this.store.listPapers({ authorId, limit: FEED_SIZE });
    return {
      title: `Paperscope: papers by ${author.displayName}`,
      description: `Papers by ${author.displayName}, newest first.`,
      pagePath: `/author/${authorId}`,
      feedPath: `/feeds/author/${authorId}`,
      entries: papers.map((paper) => ({ paper, reason: { kind: 'author', name: author.displayName } })),
    };
  }

  /** The papers that arrived last in a category (`cat:` in the query language: any spelling arXiv uses). */
  category(category: string): FeedSpec {
    if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(category)) {
      throw new InvalidInputError(`"${category}" is not an arXiv category such as cs.LG.`);
    }
    const parsed = parseQuery(`cat:${category}`);
    if (!parsed.ok) throw new InvalidQueryError(parsed.error);
    const compiled = compile(parsed.query, createAuthorResolver(this.store.readDb));
    const ids = this.store.readDb
      .prepare(`SELECT p.id FROM papers p WHERE ${compiled.where} ORDER BY p.id DESC LIMIT ?`)
      .pluck()
      .all(...compiled.params, FEED_SIZE) as number[];
    return {
      title: `Paperscope: new in ${category}`,
      description: `The papers that arrived last in ${category}.`,
      pagePath: `/search?q=${encodeURIComponent(`cat:${category}`)}`,
      feedPath: `/feeds/category/${category}`,
      entries: ids.flatMap((id) => {
        const paper = this.store.getPaper(id);
        return paper ? [{ paper, reason: { kind: 'category', category } as DigestReason }] : [];
      }),
    };
  }

  /** Someone's recommendations: what their next digest holds, then what their digests carried. */
  async recommendations(token: string): Promise<FeedSpec> {
    const digests = this.deps.digests();
    const user = digests.userForFeedToken(token);
    if (!user) throw new NotFoundError('No feed at this address (the link may have been replaced).');
    const upcoming = await digests.collect(user.id);
    const sent = this.store.readDb
      .prepare(
        `SELECT d.paper_id AS paperId, d.reason FROM digest_papers d JOIN digest_outbox o ON o.id = d.outbox_id
         WHERE d.user_id = ? ORDER BY o.id DESC, d.paper_id DESC LIMIT ?`,
      )
      .all(user.id, FEED_SIZE) as { paperId: number; reason: string }[];
    const entries: FeedEntry[] = [];
    const seen = new Set<number>();
    for (const item of upcoming) {
      const paper = this.store.getPaper(item.paper.id);
      if (paper && !seen.has(paper.id)) {
        seen.add(paper.id);
        entries.push({ paper, reason: item.reason });
      }
    }
    for (const row of sent) {
      const paper = seen.has(row.paperId) ? undefined : this.store.getPaper(row.paperId);
      if (paper) {
        seen.add(paper.id);
        entries.push({ paper, reason: JSON.parse(row.reason) as DigestReason });
      }
    }
    return {
      title: `Paperscope: recommendations for ${user.name || user.email}`,
      description: 'New papers from what you follow and like what you saved, each with its reason.',
      pagePath: '/account/follows',
      feedPath: `/feeds/recommendations/${token}`,
      entries: entries.slice(0, FEED_SIZE),
    };
  }

  render(spec: FeedSpec, format: FeedFormat): string {
    const base = this.deps.baseUrl;
    const selfUrl = (f: FeedFormat) => {
      const [path, query] = spec.feedPath.split('?');
      return `${base}${path}.${f}${query ? `?${query}` : ''}`;
    };
    const dated = spec.entries.map((e) => ({ ...e, date: paperDate(e.paper) ?? this.deps.now() }));
    const updated = dated.reduce<Date | undefined>(
      (max, e) => (!max || e.date > max ? e.date : max),
      undefined,
    );
    const feed = new Feed({
      title: spec.title,
      description: spec.description,
      id: `${base}${spec.pagePath}`,
      link: `${base}${spec.pagePath}`,
      updated: updated ?? this.deps.now(),
      generator: 'Paperscope',
      copyright: 'Metadata as given by arXiv, Semantic Scholar, Hugging Face and the other sources',
      feedLinks: { rss: selfUrl('rss'), atom: selfUrl('atom') },
      language: 'en',
    });
    for (const { paper, reason, date } of dated) {
      const shown = digestPaper(paper);
      const link = paperUrl(base, shown);
      const why = reason ? `Why: ${reasonText(reason)}. ` : '';
      feed.addItem({
        title: shown.title,
        id: link,
        link,
        date,
        description: `${why}${paper.abstractText ?? paper.abstract ?? ''}`.trim(),
        author: shown.authors.slice(0, 20).map((name) => ({ name })),
        category: paper.categories.map((name) => ({ name, term: name })),
      });
    }
    return format === 'rss' ? feed.rss2() : feed.atom1();
  }
}

function paperDate(paper: Paper): Date | undefined {
  const text = paper.published ?? paper.updated ?? (paper.year ? `${paper.year}-01-01` : undefined);
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ComposedDigest,
  composeDigest,
  type DigestInput,
  type DigestItem,
  type DigestPaper,
  type DigestReason,
  isDigestDue,
  isValidTimeZone,
  localTime,
  signUnsubscribe,
  verifyUnsubscribe,
} from '../domain/digest.ts';
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { Paper } from '../domain/paper.ts';
import { abstractOpening, listedTitle } from '../domain/paper-name.ts';
import { createAuthorResolver } from '../search/engine/authors.ts';
import { compile } from '../search/engine/compile.ts';
import { parseQuery } from '../search/query/index.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';

/** At most this many papers in each part of a digest. */
export const DIGEST_LIMITS = { follows: 25, recommended: 5, trending: 3 } as const;
/** Neighbours looked at per library paper, and the least similarity that counts. */
const NEIGHBOURS_PER_SEED = 40;
const MIN_SIMILARITY = 0.2;
const SEEDS = 25;
/** Sending stops retrying a digest after this many failures (it stays visible to admins). */
export const MAX_SEND_ATTEMPTS = 5;

export interface DigestSettings {
  userId: number;
  enabled: boolean;
  sendHour: number;
  timeZone: string;
  sincePaperId: number;
}

export interface DigestRecipient {
  id: number;
  email: string;
  name: string;
}

/** What sends one email; nodemailer's transport in production, the same over a test SMTP server. */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
    messageId: string;
  }): Promise<unknown>;
}

export interface OutboxEntry {
  id: number;
  userId: number;
  day: string;
  recipient: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  messageId: string;
}

/** Similar papers, as the similarity service answers them. */
export type NeighbourSource = (paperId: number, k: number) => Promise<{ paperId: number; score: number }[]>;

export interface DigestServiceOptions {
  dataDir: string;
  baseUrl: string;
  mailFrom: string;
  now: () => Date;
  neighbours: NeighbourSource;
  /** The instance's trending papers, best first, each with its reason ("12 upvotes, new"). */
  trending?: () => Promise<{ paperId: number; reason: string }[]>;
}

export interface DigestPreview {
  recipient: DigestRecipient;
  day: string;
  items: DigestItem[];
  input: DigestInput;
  composed: ComposedDigest;
}

interface SettingsRow {
  user_id: number;
  enabled: number;
  send_hour: number;
  time_zone: string;
  since_paper_id: number;
}

/**
 * Daily digests. A run composes every due digest into the outbox first — one row per person
 * and local day, with the papers it carries recorded in the same transaction — and only then
 * sends, marking each row sent once the SMTP server has accepted it. A run that dies half-way
 * leaves the rest pending and the next run sends exactly those.
 */
export class DigestService {
  private secretValue: string | undefined;

  constructor(
    private readonly store: SqliteStore,
    private readonly options: DigestServiceOptions,
  ) {}

  // ---- settings --------------------------------------------------------------------------

  settings(userId: number): DigestSettings {
    const row = this.store.readDb.prepare('SELECT * FROM digest_settings WHERE user_id = ?').get(userId) as
      | SettingsRow
      | undefined;
    return row
      ? {
          userId,
          enabled: row.enabled === 1,
          sendHour: row.send_hour,
          timeZone: row.time_zone,
          sincePaperId: row.since_paper_id,
        }
      : { userId, enabled: true, sendHour: 7, timeZone: 'UTC', sincePaperId: this.maxPaperId() };
  }

  /**
   * Start watching for someone (their first follow, their first digest run): papers that
   * arrive from now on are new to them. Does nothing when they have settings already.
   */
  async ensureSettings(userId: number): Promise<void> {
    const now = this.options.now().toISOString();
    await this.store.write((db) =>
      db
        .prepare(
          `INSERT INTO digest_settings (user_id, since_paper_id, updated_at)
           VALUES (?, (SELECT coalesce(max(id), 0) FROM papers), ?) ON CONFLICT (user_id) DO NOTHING`,
        )
        .run(userId, now),
    );
  }

  async updateSettings(
    userId: number,
    change: { enabled?: boolean; sendHour?: number; timeZone?: string },
  ): Promise<DigestSettings> {
    if (
      change.sendHour !== undefined &&
      !(Number.isInteger(change.sendHour) && change.sendHour >= 0 && change.sendHour <= 23)
    ) {
      throw new InvalidInputError(
        `The send hour must be a whole number from 0 to 23, got ${change.sendHour}.`,
      );
    }
    if (change.timeZone !== undefined && !isValidTimeZone(change.timeZone)) {
      throw new InvalidInputError(
        `Unknown time zone "${change.timeZone}" (use a name such as Europe/Paris).`,
      );
    }
    await this.ensureSettings(userId);
    const now = this.options.now().toISOString();
    await this.store.write((db) => {
      const current = db
        .prepare('SELECT * FROM digest_settings WHERE user_id = ?')
        .get(userId) as SettingsRow;
      db.prepare(
        'UPDATE digest_settings SET enabled = ?, send_hour = ?, time_zone = ?, updated_at = ? WHERE user_id = ?',
      ).run(
        change.enabled === undefined ? current.enabled : change.enabled ? 1 : 0,
        change.sendHour ?? current.send_hour,
        change.timeZone ?? current.time_zone,
        now,
        userId,
      );
    });
    return this.settings(userId);
  }

  // ---- unsubscribe and private feeds ------------------------------------------------------

  /** The link in the email's text: a page with one button (mail scanners that follow links stop nothing). */
  unsubscribeUrl(userId: number): string {
    return `${this.options.baseUrl}/digest/unsubscribe?token=${encodeURIComponent(this.unsubscribeToken(userId))}`;
  }

  /** RFC 8058 one-click: the mail client POSTs here, without cookies or a form token. */
  oneClickUnsubscribeUrl(userId: number): string {
    return `${this.options.baseUrl}/api/digest/unsubscribe?token=${encodeURIComponent(this.unsubscribeToken(userId))}`;
  }

  unsubscribeToken(userId: number): string {
    return signUnsubscribe(this.secret(), userId);
  }

  /** Stop someone's digests from a signed link; answers whose they were. */
  async unsubscribe(token: string): Promise<DigestRecipient> {
    const user = this.unsubscribeTarget(token);
    if (!user) throw new NotFoundError('This unsubscribe link is not valid (it may have been altered).');
    await this.updateSettings(user.id, { enabled: false });
    return user;
  }

  /** Whose digests a signed link would stop, or undefined for a forged or damaged one. */
  unsubscribeTarget(token: string): DigestRecipient | undefined {
    const userId = verifyUnsubscribe(this.secret(), String(token ?? ''));
    return userId === undefined ? undefined : this.recipient(userId);
  }

  /** The secret in someone's private feed address, made on first use. */
  async feedToken(userId: number): Promise<string> {
    await this.ensureSettings(userId);
    const existing = this.store.readDb
      .prepare('SELECT feed_token FROM digest_settings WHERE user_id = ?')
      .pluck()
      .get(userId) as string | null;
    if (existing) return existing;
    const token = randomBytes(24).toString('base64url');
    await this.store.write((db) =>
      db
        .prepare('UPDATE digest_settings SET feed_token = coalesce(feed_token, ?) WHERE user_id = ?')
        .run(token, userId),
    );
    return this.store.readDb
      .prepare('SELECT feed_token FROM digest_settings WHERE user_id = ?')
      .pluck()
      .get(userId) as string;
  }

  userForFeedToken(token: string): DigestRecipient | undefined {
    if (typeof token !== 'string' || token.length < 20) return undefined;
    const userId = this.store.readDb
      .prepare('SELECT user_id FROM digest_settings WHERE feed_token = ?')
      .pluck()
      .get(token) as number | undefined;
    return userId === undefined ? undefined : this.recipient(userId);
  }

  // ---- what goes in ------------------------------------------------------------------------

  recipient(userId: number): DigestRecipient | undefined {
    return this.store.readDb.prepare('SELECT id, email, name FROM users WHERE id = ?').get(userId) as
      | DigestRecipient
      | undefined;
  }

  /**
   * The papers for someone's next digest, each with its reason: new papers (arrived after
   * `sincePaperId`, up to `untilPaperId`) that match what they follow, then new papers like
   * the ones in their library, then what is trending among the new — each paper once, and
   * never one they were sent before.
   */
  async collect(
    userId: number,
    window?: { sincePaperId: number; untilPaperId: number },
  ): Promise<DigestItem[]> {
    const since = window?.sincePaperId ?? this.settings(userId).sincePaperId;
    const until = window?.untilPaperId ?? this.maxPaperId();
    const db = this.store.readDb;
    // Papers they were sent before, and the ones in their own library: never news to them.
    const alreadySent = new Set(
      db
        .prepare(
          'SELECT paper_id FROM digest_papers WHERE user_id = ? UNION SELECT paper_id FROM library_items WHERE user_id = ?',
        )
        .pluck()
        .all(userId, userId) as number[],
    );
    const chosen = new Map<number, { section: DigestItem['section']; reason: DigestReason }>();
    const take = (paperId: number, section: DigestItem['section'], reason: DigestReason): boolean => {
      if (alreadySent.has(paperId) || chosen.has(paperId)) return false;
      chosen.set(paperId, { section, reason });
      return true;
    };

    const follows = db
      .prepare('SELECT kind, value, label FROM follows WHERE user_id = ? ORDER BY id')
      .all(userId) as { kind: string; value: string; label: string }[];
    let followCount = 0;
    for (const follow of follows) {
      if (followCount >= DIGEST_LIMITS.follows) break;
      let ids: number[] = [];
      let reason: DigestReason | undefined;
      if (follow.kind === 'author') {
        ids = db
          .prepare(
            `SELECT DISTINCT paper_id FROM paper_authors WHERE author_id = ? AND paper_id > ? AND paper_id <= ?
             ORDER BY paper_id DESC LIMIT 100`,
          )
          .pluck()
          .all(Number(follow.value), since, until) as number[];
        reason = { kind: 'author', name: follow.label };
      } else if (follow.kind === 'search' || follow.kind === 'category') {
        const query = follow.kind === 'search' ? follow.value : `cat:${follow.value}`;
        ids = this.newMatches(query, since, until);
        reason =
          follow.kind === 'search'
            ? { kind: 'search', query: follow.value }
            : { kind: 'category', category: follow.value };
      }
      if (!reason) continue;
      for (const id of ids) {
        if (followCount >= DIGEST_LIMITS.follows) break;
        if (take(id, 'follows', reason)) followCount++;
      }
    }

    await this.collectRecommendations(userId, follows, since, until, take);

    let trendingCount = 0;
    for (const candidate of await this.trendingCandidates(since, until)) {
      if (trendingCount >= DIGEST_LIMITS.trending) break;
      if (take(candidate.paperId, 'trending', candidate.reason)) trendingCount++;
    }

    const items: DigestItem[] = [];
    for (const [paperId, { section, reason }] of chosen) {
      const paper = this.store.getPaper(paperId);
      // A paper no source has given a title yet cannot be told apart in an email: it waits.
      if (paper?.title) items.push({ paper: digestPaper(paper), section, reason });
    }
    return items;
  }

  private async collectRecommendations(
    userId: number,
    follows: { kind: string; value: string; label: string }[],
    since: number,
    until: number,
    take: (paperId: number, section: DigestItem['section'], reason: DigestReason) => boolean,
  ): Promise<void> {
    const db = this.store.readDb;
    const seeds: { paperId: number; reason: (title: string) => DigestReason }[] = [];
    const saved = db
      .prepare('SELECT paper_id FROM library_items WHERE user_id = ? ORDER BY saved_at DESC LIMIT ?')
      .pluck()
      .all(userId, SEEDS) as number[];
    for (const paperId of saved)
      seeds.push({ paperId, reason: (seedTitle) => ({ kind: 'saved', seedTitle }) });
    for (const follow of follows.filter((f) => f.kind === 'tag')) {
      const tagged = db
        .prepare(
          `SELECT lit.paper_id FROM library_item_tags lit JOIN tags t ON t.id = lit.tag_id
           WHERE t.user_id = ? AND t.name = ? COLLATE NOCASE LIMIT ?`,
        )
        .pluck()
        .all(userId, follow.value, SEEDS) as number[];
      for (const paperId of tagged) {
        seeds.push({ paperId, reason: (seedTitle) => ({ kind: 'tagged', seedTitle, tag: follow.label }) });
      }
    }
    if (seeds.length === 0) return;
    const seedIds = new Set(seeds.map((s) => s.paperId));
    // The best new neighbour of any seed first, so one prolific seed cannot fill the section.
    const candidates: { paperId: number; score: number; seed: (typeof seeds)[number] }[] = [];
    for (const seed of seeds) {
      const neighbours = await this.options.neighbours(seed.paperId, NEIGHBOURS_PER_SEED);
      for (const n of neighbours) {
        if (n.paperId > since && n.paperId <= until && !seedIds.has(n.paperId) && n.score >= MIN_SIMILARITY) {
          candidates.push({ ...n, seed });
        }
      }
    }
    candidates.sort((a, b) => b.score - a.score || b.paperId - a.paperId);
    let count = 0;
    for (const c of candidates) {
      if (count >= DIGEST_LIMITS.recommended) break;
      const seed = this.store.getPaper(c.seed.paperId);
      // An untitled paper (pasted abstracts) is quoted by its opening words, not as "paper 274".
      const seedTitle = seed?.title ?? (seed && abstractOpening(seed)) ?? `paper ${c.seed.paperId}`;
      if (take(c.paperId, 'recommended', c.seed.reason(seedTitle))) count++;
    }
  }

  /**
   * What is trending on the instance (the trending service: recency, Hugging Face upvotes,
   * local views and saves), or — without one — the new papers with the most upvotes.
   */
  private async trendingCandidates(
    since: number,
    until: number,
  ): Promise<{ paperId: number; reason: DigestReason }[]> {
    if (this.options.trending) {
      return (await this.options.trending()).map((t) => ({
        paperId: t.paperId,
        reason: { kind: 'trending', detail: `trending: ${t.reason}` },
      }));
    }
    const rows = this.store.readDb
      .prepare(
        `SELECT id, CAST(json_extract(view, '$.upvotes') AS INTEGER) AS upvotes FROM papers
         WHERE id > ? AND id <= ? AND json_extract(view, '$.upvotes') > 0
         ORDER BY upvotes DESC, id DESC LIMIT 50`,
      )
      .all(since, until) as { id: number; upvotes: number }[];
    return rows.map((r) => ({ paperId: r.id, reason: { kind: 'trending', upvotes: r.upvotes } }));
  }

  private newMatches(query: string, since: number, until: number): number[] {
    const parsed = parseQuery(query);
    if (!parsed.ok) return [];
    const compiled = compile(parsed.query, createAuthorResolver(this.store.readDb));
    return this.store.readDb
      .prepare(
        `SELECT p.id FROM papers p WHERE (${compiled.where}) AND p.id > ? AND p.id <= ? ORDER BY p.id DESC LIMIT 100`,
      )
      .pluck()
      .all(...compiled.params, since, until) as number[];
  }

  /** Someone's next digest as it would be sent now, without sending or recording anything. */
  async preview(userId: number): Promise<DigestPreview> {
    const recipient = this.recipient(userId);
    if (!recipient) throw new NotFoundError(`No user ${userId}.`);
    const settings = this.settings(userId);
    const day = localTime(this.options.now(), settings.timeZone).day;
    const items = await this.collect(userId);
    const input = this.input(recipient, day, items);
    return { recipient, day, items, input, composed: composeDigest(input) };
  }

  private input(recipient: DigestRecipient, day: string, items: DigestItem[]): DigestInput {
    return {
      recipientName: recipient.name || recipient.email,
      day,
      items,
      baseUrl: this.options.baseUrl,
      unsubscribeUrl: this.unsubscribeUrl(recipient.id),
    };
  }

  // ---- the run -----------------------------------------------------------------------------

  /**
   * Compose the digest of everyone whose send hour has come in their time zone and who has
   * none for their local day yet, into the outbox. People with nothing new get no email (and
   * are looked at again on the next run that day).
   */
  async prepareDue(): Promise<{ composed: number; empty: number }> {
    const now = this.options.now();
    const users = this.store.readDb
      .prepare(
        `SELECT u.id, u.email, u.name, s.enabled, s.send_hour, s.time_zone, s.since_paper_id
         FROM users u LEFT JOIN digest_settings s ON s.user_id = u.id ORDER BY u.id`,
      )
      .all() as (DigestRecipient & Partial<Omit<SettingsRow, 'user_id'>>)[];
    let composed = 0;
    let empty = 0;
    for (const user of users) {
      if (user.enabled === undefined || user.enabled === null) {
        // Never watched for before: from now on, papers that arrive are new to them.
        await this.ensureSettings(user.id);
        continue;
      }
      if (user.enabled !== 1) continue;
      const zone = user.time_zone ?? 'UTC';
      if (!isDigestDue(now, user.send_hour ?? 7, zone)) continue;
      const day = localTime(now, zone).day;
      const has = this.store.readDb
        .prepare('SELECT 1 FROM digest_outbox WHERE user_id = ? AND day = ?')
        .get(user.id, day);
      if (has) continue;
      const until = this.maxPaperId();
      const items = await this.collect(user.id, {
        sincePaperId: user.since_paper_id ?? until,
        untilPaperId: until,
      });
      if (items.length === 0) {
        empty++;
        continue;
      }
      const { subject, text, html } = composeDigest(this.input(user, day, items));
      const unsubscribe = this.oneClickUnsubscribeUrl(user.id);
      const headers = {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      };
      const messageId = `<digest-${user.id}-${day}-${randomBytes(6).toString('hex')}@${hostOf(this.options.baseUrl)}>`;
      const created = await this.store.write((db) => {
        // The idempotency key (person, day) decides: a second run composing the same day adds nothing.
        const id = db
          .prepare(
            `INSERT INTO digest_outbox (user_id, day, recipient, subject, text_body, html_body, headers, message_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, day) DO NOTHING RETURNING id`,
          )
          .pluck()
          .get(
            user.id,
            day,
            user.email,
            subject,
            text,
            html,
            JSON.stringify(headers),
            messageId,
            now.toISOString(),
          ) as number | undefined;
        if (id === undefined) return false;
        const remember = db.prepare(
          'INSERT OR IGNORE INTO digest_papers (user_id, paper_id, outbox_id, section, reason) VALUES (?, ?, ?, ?, ?)',
        );
        for (const item of items) {
          remember.run(user.id, item.paper.id, id, item.section, JSON.stringify(item.reason));
        }
        db.prepare('UPDATE digest_settings SET since_paper_id = ? WHERE user_id = ?').run(until, user.id);
        return true;
      });
      if (created) composed++;
    }
    return { composed, empty };
  }

  /**
   * Send what the outbox holds, oldest first, one at a time: a row is marked sent only after
   * the server accepted it. A failure is counted and retried on later runs, up to a limit.
   */
  async sendPending(
    transport: MailTransport,
    hooks: { onSent?: (entry: OutboxEntry) => void } = {},
  ): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    const pending = this.store.readDb
      .prepare("SELECT * FROM digest_outbox WHERE status = 'pending' ORDER BY id")
      .all() as OutboxRow[];
    for (const row of pending) {
      try {
        await transport.sendMail({
          from: this.options.mailFrom,
          to: row.recipient,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          headers: JSON.parse(row.headers) as Record<string, string>,
          messageId: row.message_id,
        });
      } catch (err) {
        failed++;
        const message = (err as Error).message || String(err);
        await this.store.write((db) =>
          db
            .prepare(
              `UPDATE digest_outbox SET attempts = attempts + 1, last_error = ?,
               status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?`,
            )
            .run(message, MAX_SEND_ATTEMPTS, row.id),
        );
        continue;
      }
      const at = this.options.now().toISOString();
      await this.store.write((db) =>
        db
          .prepare(
            "UPDATE digest_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
          )
          .run(at, row.id),
      );
      sent++;
      hooks.onSent?.(toEntry({ ...row, status: 'sent', sent_at: at }));
    }
    return { sent, failed };
  }

  /** One whole run: compose what is due, then send everything pending (older leftovers too). */
  async run(
    transport: MailTransport,
    hooks: { onSent?: (entry: OutboxEntry) => void } = {},
  ): Promise<{ composed: number; empty: number; sent: number; failed: number }> {
    const prepared = await this.prepareDue();
    const sending = await this.sendPending(transport, hooks);
    return { ...prepared, ...sending };
  }

  outbox(options: { userId?: number; limit?: number } = {}): OutboxEntry[] {
    const rows = (
      options.userId === undefined
        ? this.store.readDb
            .prepare('SELECT * FROM digest_outbox ORDER BY id DESC LIMIT ?')
            .all(options.limit ?? 100)
        : this.store.readDb
            .prepare('SELECT * FROM digest_outbox WHERE user_id = ? ORDER BY id DESC LIMIT ?')
            .all(options.userId, options.limit ?? 100)
    ) as OutboxRow[];
    return rows.map(toEntry);
  }

  private maxPaperId(): number {
    return this.store.readDb.prepare('SELECT coalesce(max(id), 0) FROM papers').pluck().get() as number;
  }

  /** The HMAC key for unsubscribe links: random, made once, kept in the data folder (mode 600). */
  private secret(): string {
    if (this.secretValue) return this.secretValue;
    const file = join(this.options.dataDir, 'digest-secret');
    if (!existsSync(file)) {
      try {
        writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
      } catch (err) {
        // Another process made it first: use theirs.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      chmodSync(file, 0o600);
    }
    this.secretValue = readFileSync(file, 'utf8').trim();
    if (this.secretValue.length < 32)
      throw new Error(`The digest secret in ${file} is too short; delete it to make a new one.`);
    return this.secretValue;
  }
}

interface OutboxRow {
  id: number;
  user_id: number;
  day: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: string;
  message_id: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    userId: row.user_id,
    day: row.day,
    recipient: row.recipient,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    messageId: row.message_id,
  };
}

export function digestPaper(paper: Paper): DigestPaper {
  const summary = paper.tldr ?? firstSentences(paper.abstractText ?? paper.abstract ?? '');
  return {
    id: paper.id,
    title: listedTitle(paper),
    authors: paper.authors.map((a) => a.name.display),
    ...(paper.ids.arxiv ? { arxivId: paper.ids.arxiv } : {}),
    ...(paper.published ? { published: paper.published } : {}),
    ...(summary ? { summary } : {}),
  };
}

/** The abstract's first sentences, enough for a line or two. */
function firstSentences(text: string): string {
  const sentences = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z])/);
  let out = '';
  for (const sentence of sentences) {
    out = out ? `${out} ${sentence}` : sentence;
    if (out.length >= 120) break;
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'paperscope.local';
  } catch {
    return 'paperscope.local';
  }
}

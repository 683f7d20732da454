import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  attemptVerdict,
  checkGrantable,
  normalizeDisplayName,
  normalizeEmail,
  parseScopes,
  passwordProblems,
  type Scope,
} from '../domain/accounts.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './passwords.ts';

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

export interface TokenInfo {
  readonly id: number;
  readonly name: string;
  /** The token's first characters, to tell tokens apart in a list. */
  readonly prefix: string;
  readonly scopes: Scope[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'wrong' }
  | { readonly ok: false; readonly reason: 'limited'; readonly retryAt: Date };

export const SESSION_DAYS = 30;
const TOKEN_PREFIX = 'pst_';

interface UserRow {
  id: number;
  email: string;
  name: string;
  is_admin: number;
  created_at: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  isAdmin: r.is_admin === 1,
  createdAt: r.created_at,
});

/** 256 random bits, URL-safe. */
const randomSecret = (): string => randomBytes(32).toString('base64url');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * People, their sessions and API tokens, sign-in attempts and the instance's settings. Session
 * ids and tokens are handed out once and kept only as hashes: a copy of the database signs
 * nobody in. Reads use the store's read connection with statements prepared once (a session is
 * looked up on every request); writes go through the store's one serialized writer.
 */
export class AccountService {
  private readonly store: SqliteStore;
  private readonly now: () => Date;
  private readonly closedByConfig: boolean;
  private readonly q: {
    userBySession: Statement;
    userByToken: Statement;
    userByEmail: Statement;
    userById: Statement;
    setting: Statement;
  };
  private csrfKey: Buffer | undefined;

  constructor(store: SqliteStore, options: { now?: () => Date; registration?: 'open' | 'closed' } = {}) {
    this.store = store;
    this.now = options.now ?? (() => new Date());
    this.closedByConfig = options.registration === 'closed';
    const db = store.readDb;
    this.q = {
      userBySession: db.prepare(
        `SELECT u.id, u.email, u.name, u.is_admin, u.created_at, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
      ),
      userByToken: db.prepare(
        `SELECT u.id, u.email, u.name, u.is_admin, u.created_at,
                t.id AS token_id, t.scopes, t.revoked_at, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
      ),
      userByEmail: db.prepare(
        'SELECT id, email, name, is_admin, created_at, password_hash FROM users WHERE email = ?',
      ),
      userById: db.prepare('SELECT id, email, name, is_admin, created_at FROM users WHERE id = ?'),
      setting: db.prepare('SELECT value FROM settings WHERE name = ?').pluck(),
    };
  }

  // ------------------------------------------------------------ people

  userCount(): number {
    return this.store.readDb.prepare('SELECT count(*) FROM users').pluck().get() as number;
  }

  getUser(id: number): User | undefined {
    const row = this.q.userById.get(id) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  findUserByEmail(email: string): User | undefined {
    const row = this.q.userByEmail.get(email.trim()) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  listUsers(): User[] {
    return (
      this.store.readDb
        .prepare('SELECT id, email, name, is_admin, created_at FROM users ORDER BY id')
        .all() as UserRow[]
    ).map(toUser);
  }

  /**
   * Whether people may sign themselves up from the web: the configuration can close it for
   * good; otherwise the admin's setting decides (open until they close it).
   */
  registration(): { open: boolean; closedBy?: 'config' | 'admin' } {
    if (this.closedByConfig) return { open: false, closedBy: 'config' };
    return this.q.setting.get('registration_open') === 'false'
      ? { open: false, closedBy: 'admin' }
      : { open: true };
  }

  async setRegistrationOpen(actor: Pick<User, 'isAdmin'>, open: boolean): Promise<void> {
    if (!actor.isAdmin) throw new ForbiddenError('Only an admin can open or close registration');
    await this.store.write((db) =>
      db
        .prepare(
          `INSERT INTO settings (name, value) VALUES ('registration_open', ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        )
        .run(String(open)),
    );
  }

  /** Sign-up from the web: refused while registration is closed. The first account is the admin. */
  register(input: { email: string; name?: string; password: string }): Promise<User> {
    if (!this.registration().open) {
      throw new ForbiddenError('Registration is closed on this instance: ask its admin for an account');
    }
    return this.createUser(input);
  }

  /**
   * Make an account (the CLI's way in, whatever registration says). The first account on an
   * instance is always its admin; `admin` makes a later one an admin too.
   */
  async createUser(input: {
    email: string;
    name?: string;
    password: string;
    admin?: boolean;
  }): Promise<User> {
    const email = normalizeEmail(input.email);
    const name = normalizeDisplayName(input.name ?? '', email);
    const problems = passwordProblems(input.password, { email, name });
    if (problems.length > 0) throw new InvalidInputError(`Password: ${problems.join('; ')}`);
    const hash = await hashPassword(input.password);
    const createdAt = this.now().toISOString();
    return this.store.write((db) => {
      if (db.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) {
        throw new ConflictError(`There is already an account for ${email}`);
      }
      const first = (db.prepare('SELECT count(*) FROM users').pluck().get() as number) === 0;
      const isAdmin = first || input.admin === true;
      const id = Number(
        db
          .prepare(
            'INSERT INTO users (email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(email, name, hash, isAdmin ? 1 : 0, createdAt).lastInsertRowid,
      );
      return { id, email, name, isAdmin, createdAt };
    });
  }

  /**
   * Check a password, counting failures per account and per address. Once either has too many
   * in the window, answer "limited" without looking at the password — so guessing goes no
   * faster for knowing the limit — until the oldest failure leaves the window.
   */
  async signIn(emailInput: string, password: string, address: string): Promise<SignInResult> {
    const email = emailInput.trim().slice(0, 254);
    const now = this.now();
    const limited = this.attemptLimit(email, address, now);
    if (limited) return { ok: false, reason: 'limited', retryAt: limited };
    const row = this.q.userByEmail.get(email) as (UserRow & { password_hash: string }) | undefined;
    const valid = row
      ? await verifyPassword(row.password_hash, password.slice(0, 4096))
      : await verifyAgainstNothing(password.slice(0, 4096));
    if (!row || !valid) {
      await this.store.write((db) =>
        db
          .prepare('INSERT INTO sign_in_failures (email, address, at) VALUES (?, ?, ?)')
          .run(email, address, now.toISOString()),
      );
      return { ok: false, reason: 'wrong' };
    }
    const rehashed = needsRehash(row.password_hash) ? await hashPassword(password) : undefined;
    await this.store.write((db) => {
      db.prepare('DELETE FROM sign_in_failures WHERE email = ?').run(email);
      const old = new Date(now.getTime() - 24 * 3600_000).toISOString();
      db.prepare('DELETE FROM sign_in_failures WHERE at < ?').run(old);
      db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now.toISOString());
      if (rehashed) db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(rehashed, row.id);
    });
    return { ok: true, user: toUser(row) };
  }

  /** When sign-in may be tried again for this email or from this address; undefined when now. */
  private attemptLimit(email: string, address: string, now: Date): Date | undefined {
    const since = new Date(
      now.getTime() - Math.max(ACCOUNT_RULE.windowMs, ADDRESS_RULE.windowMs),
    ).toISOString();
    const times = (column: 'email' | 'address', value: string): Date[] =>
      (
        this.store.readDb
          .prepare(`SELECT at FROM sign_in_failures WHERE ${column} = ? AND at > ?`)
          .pluck()
          .all(value, since) as string[]
      ).map((t) => new Date(t));
    const verdicts = [
      attemptVerdict(times('email', email), now, ACCOUNT_RULE),
      attemptVerdict(times('address', address), now, ADDRESS_RULE),
    ];
    const retry = verdicts.flatMap((v) => (v.allowed ? [] : [v.retryAt.getTime()]));
    return retry.length === 0 ? undefined : new Date(Math.max(...retry));
  }

  async changePassword(userId: number, current: string, next: string, keepSession?: string): Promise<void> {
    const user = this.getUser(userId);
    if (!user) throw new NotFoundError(`No user ${userId}`);
    const row = this.q.userByEmail.get(user.email) as { password_hash: string };
    if (!(await verifyPassword(row.password_hash, current))) {
      throw new InvalidInputError('The current password is not right');
    }
    const problems = passwordProblems(next, user);
    if (problems.length > 0) throw new InvalidInputError(`New password: ${problems.join('; ')}`);
    const hash = await hashPassword(next);
    const keep = keepSession === undefined ? '' : sha256(keepSession);
    await this.store.write((db) => {
      db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
      // Whoever else was signed in with the old password is signed out.
      db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?').run(userId, keep);
    });
  }

  // ------------------------------------------------------------ sessions

  /** A new session; the id is returned once (for the cookie) and stored only as its hash. */
  async createSession(userId: number): Promise<{ id: string; expiresAt: Date }> {
    const id = randomSecret();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 24 * 3600_000);
    await this.store.write((db) =>
      db
        .prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(sha256(id), userId, now.toISOString(), expiresAt.toISOString()),
    );
    return { id, expiresAt };
  }

  userForSession(sessionId: string | undefined): User | undefined {
    if (!sessionId || sessionId.length > 100) return undefined;
    const row = this.q.userBySession.get(sha256(sessionId)) as (UserRow & { expires_at: string }) | undefined;
    if (!row || row.expires_at <= this.now().toISOString()) return undefined;
    return toUser(row);
  }

  async endSession(sessionId: string): Promise<void> {
    await this.store.write((db) =>
      db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(sessionId)),
    );
  }

  // ------------------------------------------------------------ API tokens

  /** A new token: the secret is in the answer and nowhere else, ever. */
  async createToken(
    user: Pick<User, 'id' | 'isAdmin'>,
    name: string,
    scopesInput: string | readonly string[],
  ): Promise<{ token: string; info: TokenInfo }> {
    const scopes = parseScopes(scopesInput);
    checkGrantable(scopes, user.isAdmin);
    const label =
      name
        .replace(/[\p{Cc}\p{Cf}]/gu, '')
        .trim()
        .slice(0, 100) || 'token';
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
    const createdAt = this.now().toISOString();
    const id = await this.store.write((db) =>
      Number(
        db
          .prepare(
            `INSERT INTO api_tokens (user_id, name, prefix, token_hash, scopes, created_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(user.id, label, prefix, sha256(token), scopes.join(' '), createdAt).lastInsertRowid,
      ),
    );
    return { token, info: { id, name: label, prefix, scopes, createdAt, lastUsedAt: null, revokedAt: null } };
  }

  listTokens(userId: number): TokenInfo[] {
    const rows = this.store.readDb
      .prepare(
        `SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at
         FROM api_tokens WHERE user_id = ? ORDER BY revoked_at IS NOT NULL, id DESC`,
      )
      .all(userId) as {
      id: number;
      name: string;
      prefix: string;
      scopes: string;
      created_at: string;
      last_used_at: string | null;
      revoked_at: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scopes: parseScopes(r.scopes),
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  }

  /** Revoke one of your own tokens; someone else's id is "not found", like one that never was. */
  async revokeToken(userId: number, tokenId: number): Promise<void> {
    const at = this.now().toISOString();
    const changed = await this.store.write(
      (db) =>
        db
          .prepare('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND user_id = ?')
          .run(at, tokenId, userId).changes,
    );
    if (changed === 0) throw new NotFoundError(`You have no token ${tokenId}`);
  }

  /** Who a bearer token speaks for, with its scopes; undefined when unknown or revoked. */
  userForToken(token: string): { user: User; scopes: Scope[]; tokenId: number } | undefined {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
    const row = this.q.userByToken.get(sha256(token)) as
      | (UserRow & {
          token_id: number;
          scopes: string;
          revoked_at: string | null;
          last_used_at: string | null;
        })
      | undefined;
    if (!row || row.revoked_at !== null) return undefined;
    const now = this.now();
    // Last use to the minute is enough to spot a forgotten token; no write on every request.
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
      void this.store
        .write((db) =>
          db
            .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
            .run(now.toISOString(), row.token_id),
        )
        .catch(() => undefined);
    }
    return { user: toUser(row), scopes: parseScopes(row.scopes), tokenId: row.token_id };
  }

  // ------------------------------------------------------------ CSRF

  /**
   * The form token for a session (or, before sign-in, for a visitor cookie): an HMAC of it
   * under a key kept in the database, so it is tied to that session, needs no storage of its
   * own, and reveals nothing of the session id.
   */
  async csrfToken(kind: 'session' | 'visitor', id: string): Promise<string> {
    const key = await this.csrfSecret();
    return createHmac('sha256', key).update(`${kind}:${id}`).digest('base64url');
  }

  async csrfTokenMatches(
    kind: 'session' | 'visitor',
    id: string,
    given: string | undefined,
  ): Promise<boolean> {
    if (!given) return false;
    const expected = Buffer.from(await this.csrfToken(kind, id));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private async csrfSecret(): Promise<Buffer> {
    if (this.csrfKey) return this.csrfKey;
    let value = this.q.setting.get('csrf_key') as string | undefined;
    if (!value) {
      const fresh = randomSecret();
      value = await this.store.write((db) => {
        db.prepare(
          "INSERT INTO settings (name, value) VALUES ('csrf_key', ?) ON CONFLICT (name) DO NOTHING",
        ).run(fresh);
        return db.prepare("SELECT value FROM settings WHERE name = 'csrf_key'").pluck().get() as string;
      });
    }
    this.csrfKey = Buffer.from(value, 'base64url');
    return this.csrfKey;
  }
}

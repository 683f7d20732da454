import argon2 from 'argon2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/cli-helpers.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { AccountService } from './accounts.service.ts';

const PASSWORD = 'correct horse battery staple';
let data: ReturnType<typeof tempDataDir>;
let store: SqliteStore;
let clock: { now: Date };
let accounts: AccountService;

beforeEach(() => {
  data = tempDataDir('paperscope-accounts-service-');
  store = SqliteStore.inDataDir(data.dir);
  clock = { now: new Date('2026-03-01T10:00:00Z') };
  accounts = new AccountService(store, { now: () => clock.now });
});
afterEach(() => {
  store.close();
  data.cleanup();
});

describe('AccountService', () => {
  it('re-hashes a password stored with weaker parameters at its next sign-in', async () => {
    const user = await accounts.createUser({ email: 'ada@example.org', password: PASSWORD });
    const weak = await argon2.hash(PASSWORD, {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    await store.write((db) =>
      db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(weak, user.id),
    );
    const result = await accounts.signIn('ada@example.org', PASSWORD, '127.0.0.1');
    expect(result.ok).toBe(true);
    const now = store.readDb
      .prepare('SELECT password_hash FROM users WHERE id = ?')
      .pluck()
      .get(user.id) as string;
    expect(now).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2.verify(now, PASSWORD)).toBe(true);
  });

  it('changes a password only with the current one, and signs out every other session', async () => {
    const user = await accounts.createUser({ email: 'ada@example.org', password: PASSWORD });
    const here = await accounts.createSession(user.id);
    const elsewhere = await accounts.createSession(user.id);
    await expect(
      accounts.changePassword(user.id, 'not the password', 'a new long passphrase', here.id),
    ).rejects.toThrow('The current password is not right');
    await expect(accounts.changePassword(user.id, PASSWORD, 'short', here.id)).rejects.toThrow(
      InvalidInputError,
    );
    await accounts.changePassword(user.id, PASSWORD, 'a new long passphrase', here.id);
    expect(accounts.userForSession(here.id)?.id).toBe(user.id);
    expect(accounts.userForSession(elsewhere.id)).toBeUndefined();
    expect((await accounts.signIn('ada@example.org', PASSWORD, 'a')).ok).toBe(false);
    expect((await accounts.signIn('ada@example.org', 'a new long passphrase', 'a')).ok).toBe(true);
  });

  it('ties form tokens to one session, with a key that outlives the process', async () => {
    const user = await accounts.createUser({ email: 'ada@example.org', password: PASSWORD });
    const one = await accounts.createSession(user.id);
    const two = await accounts.createSession(user.id);
    const token = await accounts.csrfToken('session', one.id);
    expect(token).not.toBe(await accounts.csrfToken('session', two.id));
    expect(token).not.toBe(await accounts.csrfToken('visitor', one.id));
    expect(await accounts.csrfTokenMatches('session', one.id, token)).toBe(true);
    expect(await accounts.csrfTokenMatches('session', two.id, token)).toBe(false);
    expect(await accounts.csrfTokenMatches('session', one.id, undefined)).toBe(false);
    expect(await accounts.csrfTokenMatches('session', one.id, `${token}x`)).toBe(false);
    // A restarted server (a new service on the same file) accepts the forms it served before.
    const restarted = new AccountService(store, { now: () => clock.now });
    expect(await restarted.csrfTokenMatches('session', one.id, token)).toBe(true);
  });

  it('records when a token was last used, at most once a minute', async () => {
    const user = await accounts.createUser({ email: 'ada@example.org', password: PASSWORD });
    const { token, info } = await accounts.createToken(user, 'cli', ['read']);
    const lastUsed = async () => {
      await store.write(() => undefined);
      return accounts.listTokens(user.id).find((t) => t.id === info.id)!.lastUsedAt;
    };
    expect(accounts.userForToken(token)?.scopes).toEqual(['read']);
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    clock.now = new Date('2026-03-01T10:00:30Z');
    accounts.userForToken(token);
    expect(await lastUsed()).toBe('2026-03-01T10:00:00.000Z');
    clock.now = new Date('2026-03-01T10:02:00Z');
    accounts.userForToken(token);
    expect(await lastUsed()).toBe('2026-03-01T10:02:00.000Z');
    expect(accounts.userForToken(token.slice(0, -1))).toBeUndefined();
    expect(accounts.userForToken(`x${token}`)).toBeUndefined();
  });

  it('deleting a person takes their sessions, tokens and library with them', async () => {
    const user = await accounts.createUser({ email: 'ada@example.org', password: PASSWORD });
    const session = await accounts.createSession(user.id);
    const { token } = await accounts.createToken(user, 'cli', ['read']);
    await store.write((db) => db.prepare('DELETE FROM users WHERE id = ?').run(user.id));
    expect(accounts.userForSession(session.id)).toBeUndefined();
    expect(accounts.userForToken(token)).toBeUndefined();
    expect(store.readDb.prepare('SELECT count(*) FROM api_tokens').pluck().get()).toBe(0);
  });
});

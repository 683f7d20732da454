import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_RULE,
  attemptVerdict,
  checkGrantable,
  NOTE_MAX_LENGTH,
  normalizeDisplayName,
  normalizeEmail,
  normalizeNote,
  normalizeTagName,
  parseScopes,
  passwordProblems,
  SCOPES,
  safeReturnPath,
  scopeAllows,
} from './accounts.ts';
import { InvalidInputError } from './errors.ts';

describe('password policy', () => {
  it('wants ten characters, counted as characters rather than UTF-16 units', () => {
    expect(passwordProblems('short')).toEqual(['at least 10 characters, please']);
    expect(passwordProblems('🔑🔑🔑🔑🔑🔑🔑🔑🔑')).toHaveLength(1);
    expect(passwordProblems('correct horse battery')).toEqual([]);
  });

  it('refuses passwords from the top of leaked lists, repeated characters, the email and the name', () => {
    expect(passwordProblems('1234567890')).toEqual(['this one is among the first any attacker tries']);
    expect(passwordProblems('aaaaaaaaaaaa')).toEqual(['this one is among the first any attacker tries']);
    expect(passwordProblems('ada.lovelace@example.org', { email: 'Ada.Lovelace@example.org' })).toEqual([
      'not your email address',
    ]);
    expect(passwordProblems('adalovelace', { email: 'adalovelace@example.org' })).toEqual([
      'not your email address',
    ]);
    expect(passwordProblems('Ada Lovelace', { name: 'ada lovelace' })).toEqual(['not your name']);
  });

  it('caps the length so that hashing cannot be used to burn the CPU', () => {
    expect(passwordProblems('x'.repeat(513) + 'y')).toContain('at most 512 characters, please');
  });
});

describe('emails and names', () => {
  it('keeps a plausible address, trimmed, and names the bad one', () => {
    expect(normalizeEmail('  ada@example.org ')).toBe('ada@example.org');
    expect(() => normalizeEmail('ada@localhost')).toThrow(/"ada@localhost" is not an email address/);
    expect(() => normalizeEmail('<script>@x.y')).toThrow(InvalidInputError);
  });

  it('tidies a display name and falls back to the address before the @', () => {
    expect(normalizeDisplayName('  Ada \u0000\n Lovelace ', 'ada@example.org')).toBe('Ada Lovelace');
    expect(normalizeDisplayName('   ', 'ada@example.org')).toBe('ada');
  });
});

describe('token scopes', () => {
  it('parses lists and comma/space separated text, in a fixed order, without repeats', () => {
    expect(parseScopes('library, read')).toEqual(['read', 'library']);
    expect(parseScopes(['import', 'read read'])).toEqual(['read', 'import']);
  });

  it('names unknown scopes and refuses an empty list', () => {
    expect(() => parseScopes('read,write')).toThrow(
      'Unknown scope "write": the scopes are read, library, import, admin',
    );
    expect(() => parseScopes(' , ')).toThrow(/at least one scope/);
  });

  it('lets a token do only what its scopes say; admin includes everything', () => {
    expect(scopeAllows(['read'], 'read')).toBe(true);
    expect(scopeAllows(['read'], 'library')).toBe(false);
    expect(scopeAllows(['library'], 'read')).toBe(false);
    expect(scopeAllows(['import'], 'admin')).toBe(false);
    for (const s of SCOPES) expect(scopeAllows(['admin'], s)).toBe(true);
  });

  it('grants the admin scope only to admins', () => {
    expect(() => checkGrantable(['read', 'admin'], false)).toThrow(/Only an admin/);
    expect(() => checkGrantable(['read', 'admin'], true)).not.toThrow();
    expect(() => checkGrantable(['read', 'library', 'import'], false)).not.toThrow();
  });

  it('either parses garbage into known scopes or says what is wrong', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const scopes = parseScopes(text);
          expect(scopes.length).toBeGreaterThan(0);
          for (const s of scopes) expect(SCOPES).toContain(s);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
        }
      }),
    );
  });
});

describe('sign-in attempts', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  it('allows four failures in the window, refuses the sixth attempt after five', () => {
    expect(attemptVerdict([1, 2, 3, 4].map(minutesAgo), now, ACCOUNT_RULE)).toEqual({ allowed: true });
    const verdict = attemptVerdict([1, 2, 3, 4, 10].map(minutesAgo), now, ACCOUNT_RULE);
    // The oldest of the five, ten minutes ago, leaves the 15-minute window in five minutes.
    expect(verdict).toEqual({ allowed: false, retryAt: new Date(now.getTime() + 5 * 60_000) });
  });

  it('forgets failures older than the window', () => {
    expect(attemptVerdict([1, 2, 3, 4, 16, 20].map(minutesAgo), now, ACCOUNT_RULE)).toEqual({
      allowed: true,
    });
  });

  it('with more failures than the limit, waits for enough of them to leave', () => {
    const verdict = attemptVerdict([1, 2, 3, 4, 5, 6, 7].map(minutesAgo), now, ACCOUNT_RULE);
    // Seven failures, five allowed: the third oldest (5 minutes ago) must leave: in 10 minutes.
    expect(verdict).toEqual({ allowed: false, retryAt: new Date(now.getTime() + 10 * 60_000) });
  });

  it('always names a retry time in the future, and once there the attempt is allowed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * 60_000 }), { maxLength: 20 }), (agesMs) => {
        const failures = agesMs.map((a) => new Date(now.getTime() - a));
        const verdict = attemptVerdict(failures, now, ACCOUNT_RULE);
        if (verdict.allowed) return;
        expect(verdict.retryAt.getTime()).toBeGreaterThan(now.getTime());
        expect(attemptVerdict(failures, verdict.retryAt, ACCOUNT_RULE).allowed).toBe(true);
      }),
    );
  });
});

describe('tags and notes', () => {
  it('tidies a tag: control characters and runs of spaces become one space', () => {
    expect(normalizeTagName('  to\tread\u200b  later ')).toBe('to read later');
    expect(normalizeTagName('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });

  it('refuses an empty or overlong tag with the reason', () => {
    expect(() => normalizeTagName(' \n ')).toThrow('A tag needs a name');
    expect(() => normalizeTagName('x'.repeat(51))).toThrow(/at most 50 characters/);
  });

  it('keeps a note’s lines and tabs, drops other control characters', () => {
    expect(normalizeNote('line 1\r\nline\t2\u0007\r\n\n')).toBe('line 1\nline\t2');
    expect(() => normalizeNote('x'.repeat(NOTE_MAX_LENGTH + 1))).toThrow(/at most 10000 characters/);
  });

  it('never lets garbage through as an empty or control-laden tag', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        try {
          const tag = normalizeTagName(text);
          expect(tag).not.toBe('');
          expect(tag).toBe(tag.trim());
          expect(/[\p{Cc}\p{Cf}]/u.test(tag)).toBe(false);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
        }
      }),
    );
  });
});

describe('where a sign-in returns to', () => {
  it('keeps paths on this site', () => {
    expect(safeReturnPath('/library?tag=to%20read')).toBe('/library?tag=to%20read');
    expect(safeReturnPath('/paper/2006.10540')).toBe('/paper/2006.10540');
  });

  it('refuses anything a browser could take to another site', () => {
    for (const next of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/\tevil',
      '/a\\b',
      '',
    ]) {
      expect(safeReturnPath(next)).toBe('/');
    }
    expect(safeReturnPath(undefined)).toBe('/');
  });

  it('gives, for any input, a path that a URL parser resolves on this origin', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.string().map((s) => `/${s}`),
        ),
        (next) => {
          const path = safeReturnPath(next);
          expect(new URL(path, 'https://paperscope.example').origin).toBe('https://paperscope.example');
        },
      ),
    );
  });
});

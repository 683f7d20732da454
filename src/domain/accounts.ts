import { InvalidInputError } from './errors.ts';

/**
 * The rules of accounts, free of IO: what a password, an email, a tag and a note may be, what
 * an API token's scopes allow, when sign-in attempts are refused, where a sign-in may return.
 */

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 hashes any length, but a megabyte password is a way to burn the server's CPU. */
export const PASSWORD_MAX_LENGTH = 512;

/** A few of the passwords every list of leaked passwords starts with, that pass the length rule. */
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'abcdefghij',
  '1q2w3e4r5t',
  'qwerty12345',
  'paperscope',
  'paperscope1',
]);

/** What is wrong with a new password, in words for the person choosing it (empty when fine). */
export function passwordProblems(
  password: string,
  context: { email?: string; name?: string } = {},
): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters, please`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`at most ${PASSWORD_MAX_LENGTH} characters, please`);
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) {
    problems.push('this one is among the first any attacker tries');
  }
  const email = context.email?.trim().toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) problems.push('not your email address');
  const name = context.name?.trim().toLowerCase();
  if (name && lower === name) problems.push('not your name');
  return problems;
}

/** An email, trimmed; thrown out unless it looks like one (the address is only an account name here). */
export function normalizeEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > 254 || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(email)) {
    throw new InvalidInputError(`"${email.slice(0, 80)}" is not an email address`);
  }
  return email;
}

export function normalizeDisplayName(raw: string, email: string): string {
  const name = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if ([...name].length > 100) throw new InvalidInputError('A name of at most 100 characters, please');
  return name || (email.split('@')[0] ?? email);
}

// ---------------------------------------------------------------- API token scopes

/**
 * What a token may do. `read`: read your library and account; `library`: change your library
 * (save, tag, note); `import`: add papers to the shared knowledge base; `admin`: everything,
 * including instance settings — granted only to admins. Reading the shared knowledge base
 * needs no scope: it is public to anyone who can reach the instance.
 */
export const SCOPES = ['read', 'library', 'import', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  read: 'read your library, tags, notes and account',
  library: 'save and unsave papers, tag them, write notes',
  import: 'import papers into the shared knowledge base',
  admin: 'everything, including instance settings (admins only)',
};

/** Scopes from a list or a comma/space separated string; unknown names are an error. */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const names = (typeof input === 'string' ? input.split(/[\s,]+/) : input.flatMap((s) => s.split(/[\s,]+/)))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (names.length === 0) throw new InvalidInputError(`Give at least one scope (${SCOPES.join(', ')})`);
  const unknown = names.filter((n) => !(SCOPES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `Unknown scope ${unknown.map((u) => `"${u}"`).join(', ')}: the scopes are ${SCOPES.join(', ')}`,
    );
  }
  return SCOPES.filter((s) => names.includes(s));
}

/** Whether a token with `granted` scopes may do what needs `needed`: `admin` includes all. */
export function scopeAllows(granted: readonly Scope[], needed: Scope): boolean {
  return granted.includes(needed) || granted.includes('admin');
}

/** The scopes someone may put on a token they create. */
export function checkGrantable(scopes: readonly Scope[], isAdmin: boolean): void {
  if (scopes.includes('admin') && !isAdmin) {
    throw new InvalidInputError('Only an admin can create a token with the admin scope');
  }
}

// ---------------------------------------------------------------- sign-in rate limit

export interface AttemptRule {
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** Five wrong passwords for one account in 15 minutes, then wait. */
export const ACCOUNT_RULE: AttemptRule = { maxFailures: 5, windowMs: 15 * 60_000 };
/** One address trying many accounts (password spraying) gets more room, but not unlimited. */
export const ADDRESS_RULE: AttemptRule = { maxFailures: 20, windowMs: 15 * 60_000 };

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAt: Date };

/**
 * Whether one more attempt may be made now, given the times of earlier failures. When not,
 * `retryAt` is when the oldest failure that counts leaves the window.
 */
export function attemptVerdict(failures: readonly Date[], now: Date, rule: AttemptRule): AttemptVerdict {
  const since = now.getTime() - rule.windowMs;
  const recent = failures
    .map((d) => d.getTime())
    .filter((t) => t > since && t <= now.getTime())
    .sort((a, b) => a - b);
  if (recent.length < rule.maxFailures) return { allowed: true };
  const unlocking = recent[recent.length - rule.maxFailures]!;
  return { allowed: false, retryAt: new Date(unlocking + rule.windowMs) };
}

// ---------------------------------------------------------------- library

export const TAG_MAX_LENGTH = 50;
export const NOTE_MAX_LENGTH = 10_000;

/** A tag as typed, tidied: no control characters, single spaces, 1–50 characters. */
export function normalizeTagName(raw: string): string {
  const tag = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (tag === '') throw new InvalidInputError('A tag needs a name');
  if ([...tag].length > TAG_MAX_LENGTH) {
    throw new InvalidInputError(
      `A tag of at most ${TAG_MAX_LENGTH} characters, please ("${tag.slice(0, 60)}…")`,
    );
  }
  return tag;
}

/** A note as typed: line ends unified, other control characters dropped, trailing space trimmed. */
export function normalizeNote(raw: string): string {
  const note = raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\p{Cc}\p{Cf}]/gu, (ch) => (ch === '\n' || ch === '\t' ? ch : ''))
    .trimEnd();
  if (note.length > NOTE_MAX_LENGTH)
    throw new InvalidInputError(`A note of at most ${NOTE_MAX_LENGTH} characters, please`);
  return note;
}

// ---------------------------------------------------------------- navigation

/**
 * Where to go after signing in: a path on this site, or home. Anything that a browser could
 * read as another origin (`//evil`, `/\evil`, `https:…`) or that carries control characters
 * is refused, so a link to /signin cannot send people elsewhere.
 */
export function safeReturnPath(next: string | undefined): string {
  if (!next || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\p{Cc}\\]/u.test(next)) return '/';
  return next;
}

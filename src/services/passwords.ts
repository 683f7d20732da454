import argon2 from 'argon2';

/**
 * Password hashing with argon2id, through `argon2` (node-argon2): the reference C
 * implementation of the Password Hashing Competition winner, hashing on libuv's thread pool so
 * a sign-in never blocks the event loop, with prebuilt binaries inside the npm package (nothing
 * downloaded at install, and a source build as fallback). `@node-rs/argon2` would do as well;
 * `hash-wasm` runs on the main thread.
 *
 * Parameters: OWASP's recommended argon2id setting (19 MiB, 2 passes, 1 lane) — tens of milliseconds
 * here, cheap enough for a small shared machine and costly for anyone guessing offline. The
 * parameters live in each stored hash (`$argon2id$v=19$m=19456,p=1,t=2$…`), so raising them
 * later re-hashes each password at its owner's next sign-in.
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash at all. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spend the time of one verification when there is no account to verify against, so that how
 * long a failed sign-in takes does not tell whether the email has an account.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  decoy ??= hashPassword('a password that nobody has: only its cost matters');
  await verifyPassword(await decoy, password);
  return false;
}

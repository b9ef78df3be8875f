// Password hashing with argon2id (the `argon2` package's defaults: 64 MiB, 3 passes), and the rules a password meets.
import argon2 from 'argon2';
import { XpearsError } from '../../lib/errors.js';

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

// Verified against when the login is unknown, so a wrong login costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Hashes a password after checking its length. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new XpearsError('INVALID_ARGUMENT', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Whether the password matches the hash; with no hash, spends the same time and says no. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    dummyHash ??= argon2.hash('not-a-password-of-anyone', { type: argon2.argon2id });
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

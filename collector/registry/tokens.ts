// Agent tokens: "xpr_<agentId>_<secret>". Only the SHA-256 of the whole token is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new token for an agent; shown once to the person who enrolls it. */
export function newAgentToken(agentId: string): string {
  return `xpr_${agentId}_${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The agent id a token claims, before it is verified; undefined when it is not a token of ours. */
export function agentIdOfToken(token: string): string | undefined {
  const m = /^xpr_([a-z0-9][a-z0-9-]{0,63})_[A-Za-z0-9_-]{40,}$/.exec(token);
  return m?.[1];
}

/** Compares a presented token with a stored hash in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

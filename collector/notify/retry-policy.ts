// When a failed notification is tried again: exponential backoff with jitter, a cap, and a last attempt.
import { z } from 'zod';

/** The retry settings of the outbox: first delay, longest delay, attempts before a message is dead. */
export const retryPolicySchema = z.strictObject({
  /** The delay after the first failure; doubles with each failure after it. */
  baseMs: z.number().int().min(100).default(30_000),
  /** No delay grows past this. */
  maxMs: z.number().int().min(1_000).default(3_600_000),
  /** After this many failed attempts a message is dead (24 ≈ a day at the default base and cap). */
  maxAttempts: z.number().int().min(1).max(1_000).default(24),
}).refine((p) => p.maxMs >= p.baseMs, { message: 'maxMs must not be below baseMs', path: ['maxMs'] });

/** A validated retry policy. */
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/** The defaults: 30 s, doubling to at most an hour, dead after 24 failed attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze(retryPolicySchema.parse({}));

/** The wait before the next attempt after `attempts` failures: "equal jitter", half fixed and half random, so a
 *  crowd of messages that failed together (the SMTP server went down) does not come back in one burst, and no
 *  message retries at once. `random` returns [0, 1) and is injected so tests can pin it. */
export function backoffDelay(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity long before it matters; the cap keeps the result finite.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 40));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

// When a failed notification is tried again: exponential backoff with jitter (lib/backoff.ts), a cap, and a last
// attempt.
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

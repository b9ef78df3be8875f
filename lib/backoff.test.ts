import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../collector/notify/retry-policy.js';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt within [half, full] of the ceiling and stops at the cap', () => {
    const p = { baseMs: 1_000, maxMs: 10_000, maxAttempts: 5 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, p.baseMs, p.maxMs, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
    expect(backoffDelay(3, p.baseMs, p.maxMs, () => 0.999_999)).toBe(4_000);
    expect(backoffDelay(500, DEFAULT_RETRY_POLICY.baseMs, DEFAULT_RETRY_POLICY.maxMs, () => 0)).toBe(DEFAULT_RETRY_POLICY.maxMs / 2);
  });
});

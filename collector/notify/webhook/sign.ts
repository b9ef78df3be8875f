// The webhook signature: HMAC-SHA256 over "<timestamp>.<raw body>", so a captured request cannot be replayed later
// with a fresh timestamp, nor its body altered.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header with the signature: `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-xpears-signature';
/** The header with the signing time, in Unix seconds; part of the signed string. */
export const TIMESTAMP_HEADER = 'x-xpears-timestamp';
/** The header with the outbox id: the same delivery retried carries the same id, so a receiver can dedupe. */
export const DELIVERY_HEADER = 'x-xpears-delivery';

/** The value of the signature header for a body signed at `timestamp` (Unix seconds). */
export function signWebhookBody(secret: string, timestamp: number, rawBody: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

/** What a receiver checks: the signature matches and the timestamp is within `toleranceSec` of `now`. */
export function verifyWebhookSignature(opts: {
  secret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: Date;
  toleranceSec?: number;
}): boolean {
  if (!opts.signature || !opts.timestamp || !/^\d+$/.test(opts.timestamp)) return false;
  const ts = Number(opts.timestamp);
  if (Math.abs(opts.now.getTime() / 1000 - ts) > (opts.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(opts.secret, ts, opts.rawBody));
  const given = Buffer.from(opts.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// The `limit` of every listing route: a whole number from 1 to 10,000; anything else (-1, 0, NaN, 1e9, "abc") is a
// 400 with a clear message, never "all rows" (a limit of -1 is no limit to SQLite) nor a 500.
import { z } from 'zod';
import { XpearsError } from './errors.js';

/** The largest page a listing route gives. */
export const MAX_LIST_LIMIT = 10_000;

const MESSAGE = `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`;

/** A listing's `limit` query parameter, for zod query schemas. */
export const listLimitSchema = z.coerce.number({ error: MESSAGE }).int(MESSAGE).min(1, MESSAGE).max(MAX_LIST_LIMIT, MESSAGE);

/** The limit asked in a query string, `fallback` when absent; throws BODY_INVALID (400) when it is not valid. */
export function parseListLimit(raw: unknown, fallback: number): number {
  if (raw === undefined) return fallback;
  const r = listLimitSchema.safeParse(raw);
  if (!r.success) throw new XpearsError('BODY_INVALID', MESSAGE);
  return r.data;
}

// `xpears collector compact`, with the collector stopped: rewrites the events still stored in the old shape (the
// whole event in `detail`) to the new one (event-row.ts), and the envelopes whose payload still repeats their id and
// capture time (envelope-payload.ts), in batches, each its own transaction, then VACUUMs the file
// with auto_vacuum INCREMENTAL (space.ts). Interrupted, it is run again: a row already rewritten is left as it is.
// Without it nothing is wrong: both shapes read the same, and old rows leave with retention; the file just does not
// shrink until then (a shorter row leaves its page partly empty, and only a VACUUM packs the pages again).
import type { Db } from './db.js';
import { eventRest } from './event-row.js';
import { compactDatabase } from './space.js';
import { newShapePayload } from './envelope-payload.js';

/** What a compaction did. */
export interface CompactResult {
  /** Events whose `detail` held the whole event and now holds only the rest. */
  detailsRewritten: number;
  /** Envelopes whose payload repeated their id and capture time and no longer does. */
  payloadsRewritten: number;
  /** Database bytes before and after (page count × page size). */
  before: number;
  after: number;
}

/** The `detail` of an old-shape row in the new shape, or null when the row has the new shape already. */
export function newShapeDetail(detail: string): string | null {
  const stored = JSON.parse(detail) as Record<string, unknown>;
  if (!('summary' in stored)) return null; // the whole event always has a summary; the rest never does
  const rest = eventRest(stored as never);
  // A row from before the raw text moved to the envelope keeps its own copy: it is what that row reads.
  if (typeof stored.raw === 'string') rest.raw = stored.raw;
  return JSON.stringify(rest);
}

/** Rewrites old-shape `detail`s, `batchRows` rows per transaction, in rowid order; returns the rows rewritten. */
export function rewriteEventDetails(db: Db, batchRows = 2000, onBatch?: (rowsSeen: number) => void): number {
  const page = db.prepare('SELECT rowid AS r, detail FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?');
  const update = db.prepare('UPDATE events SET detail = ? WHERE rowid = ?');
  let after = 0;
  let seen = 0;
  let rewritten = 0;
  for (;;) {
    const rows = page.all(after, batchRows) as { r: number; detail: string }[];
    if (rows.length === 0) return rewritten;
    db.transaction(() => {
      for (const row of rows) {
        const next = newShapeDetail(row.detail);
        if (next !== null) { update.run(next, row.r); rewritten += 1; }
      }
    })();
    after = rows[rows.length - 1]!.r;
    seen += rows.length;
    onBatch?.(seen);
  }
}

/** Rewrites old-shape envelope payloads, `batchRows` rows per transaction, in rowid order; returns the rows rewritten. */
export function rewriteEnvelopePayloads(db: Db, batchRows = 2000): number {
  const page = db.prepare('SELECT rowid AS r, id, captured_at, payload FROM envelopes WHERE rowid > ? ORDER BY rowid LIMIT ?');
  const update = db.prepare('UPDATE envelopes SET payload = ? WHERE rowid = ?');
  let after = 0;
  let rewritten = 0;
  for (;;) {
    const rows = page.all(after, batchRows) as { r: number; id: string; captured_at: string; payload: string }[];
    if (rows.length === 0) return rewritten;
    db.transaction(() => {
      for (const row of rows) {
        const next = newShapePayload(row.id, row.captured_at, row.payload);
        if (next !== null) { update.run(next, row.r); rewritten += 1; }
      }
    })();
    after = rows[rows.length - 1]!.r;
  }
}

/** The whole compaction: old details and payloads rewritten, then the file rewritten (VACUUM) to hand its free pages back. */
export function compactStore(db: Db, onBatch?: (rowsSeen: number) => void): CompactResult {
  const detailsRewritten = rewriteEventDetails(db, 2000, onBatch);
  const payloadsRewritten = rewriteEnvelopePayloads(db);
  return { detailsRewritten, payloadsRewritten, ...compactDatabase(db) };
}

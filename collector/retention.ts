// Retention: what leaves the collector's database, and when. Each kind has its own age (days); old rows leave in
// small batches, each its own short transaction, with a turn of the event loop between them, so ingest (same
// connection, same thread) is never held for more than one batch. The prune runs at start-up and every hour while
// today's is not done (the schedule ledger), so a collector down at the hour catches up and never prunes twice a day.
// After each batch the pages it freed go back to the disk, a few at a time (store/space.ts): the file stops growing,
// and shrinks when more leaves than comes (docs/operations.md).
import { z } from 'zod';
import type { Db } from './store/db.js';
import type { ScheduleLedger } from './schedule/ledger.js';
import { reclaimFreePages } from './store/space.js';
import { pruneHeartbeatDays, rollUpBefore, rollUpHeartbeats } from './store/heartbeat-rollup.js';
import type { Logger } from '../lib/logger.js';
import type { Clock } from '../lib/clock.js';

/** The `retention` section of the collector's configuration: days each kind is kept (0: forever). */
export const retentionConfigSchema = z.object({
  /** Raw captures; an envelope's events leave with it (they are read with its payload). At least `eventsDays`. */
  envelopesDays: z.number().int().min(0).default(400),
  /** Parsed events, by when they occurred: 400 days keep the 13 months the monthly report compares. */
  eventsDays: z.number().int().min(0).default(400),
  /** Heartbeats, raw or rolled up (the latest of each agent is kept apart, always): 400 days keep 13 months of the
   *  report's availability. */
  heartbeatsDays: z.number().int().min(0).default(400),
  /** Raw heartbeats older than this are rolled up into one row per agent per UTC day (the minutes that held one, the
   *  count, first and last, version, deepest outbox: collector/store/heartbeat-rollup.ts); 0: never. Three days: a
   *  weekend's raw bodies for whoever looks on Monday; each raw day of 300 agents is about 300 MB. */
  heartbeatsRawDays: z.number().int().min(0).default(3),
  /** Closed tickets, by when they closed, with their history and links. */
  closedTicketsDays: z.number().int().min(0).default(800),
  /** Sent notifications (dead ones are kept for a person); overridden by notify.dispatch.sentRetentionDays when set. */
  notificationsDays: z.number().int().min(0).default(30),
  /** Records of advisory relays and digests; the advisories themselves stay (they are what keeps a feed item from
   *  being relayed twice). */
  advisoryDeliveriesDays: z.number().int().min(0).default(400),
  /** Rows per batch. */
  batchRows: z.number().int().min(10).max(100_000).default(500),
}).strict().refine((r) => r.heartbeatsRawDays === 0 || r.heartbeatsDays === 0 || r.heartbeatsRawDays <= r.heartbeatsDays, {
  message: 'heartbeatsRawDays must be 0 (never rolled up) or at most heartbeatsDays: raw heartbeats leave rolled up',
}).refine((r) => r.envelopesDays === 0 || (r.eventsDays !== 0 && r.envelopesDays >= r.eventsDays), {
  message: 'envelopesDays must be 0 (forever) or at least eventsDays: an event leaves with its envelope',
});
export type RetentionConfig = z.infer<typeof retentionConfigSchema>;

/** Rows removed, per kind. */
export type PruneReport = Record<'envelopes' | 'events' | 'heartbeats' | 'tickets' | 'notifications' | 'advisoryDeliveries', number>;

/** What a prune needs. */
export interface RetentionDeps {
  db: Db;
  config: RetentionConfig;
  clock: Clock;
  logger: Logger;
  /** Deletes sent notifications older than their retention (Notifier.prune, or the outbox's pruneSent); returns rows. */
  pruneNotifications: (now: Date) => number;
  ledger?: Pick<ScheduleLedger, 'done' | 'markDone'>;
}

const DAY = 86_400_000;
const yieldTurn = () => new Promise<void>((r) => setImmediate(r));

// Deletes what `select` names (up to `limit` keys per batch) until a batch comes back short; returns the rows removed.
async function inBatches(db: Db, sql: string, args: readonly unknown[], limit: number, stopping: () => boolean): Promise<number> {
  const stmt = db.prepare(sql);
  let total = 0;
  for (;;) {
    const n = db.transaction(() => stmt.run(...args, limit).changes)();
    total += n;
    if (n > 0) reclaimFreePages(db);
    if (n < limit || stopping()) return total;
    await yieldTurn();
  }
}

/** Removes what is past its retention, kind by kind, in batches. `stopping` ends it between batches. */
export async function pruneOnce(deps: RetentionDeps, stopping: () => boolean = () => false): Promise<PruneReport> {
  const { db, config: c } = deps;
  const now = deps.clock();
  const before = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const n = c.batchRows;
  const report: PruneReport = { envelopes: 0, events: 0, heartbeats: 0, tickets: 0, notifications: 0, advisoryDeliveries: 0 };
  if (c.eventsDays > 0) {
    report.events = await inBatches(db, 'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE occurred_at < ? ORDER BY occurred_at LIMIT ?)', [before(c.eventsDays)], n, stopping);
  }
  if (c.envelopesDays > 0) {
    report.envelopes = await inBatches(db, `DELETE FROM envelopes WHERE (customer_id, id) IN
      (SELECT customer_id, id FROM envelopes WHERE received_at < ? ORDER BY received_at LIMIT ?)`, [before(c.envelopesDays)], n, stopping);
  }
  if (c.heartbeatsRawDays > 0) report.heartbeats += await rollUpHeartbeats(db, rollUpBefore(now, c.heartbeatsRawDays), n, stopping);
  if (c.heartbeatsDays > 0) {
    await pruneHeartbeatDays(db, before(c.heartbeatsDays).slice(0, 10), n, stopping);
    // Agent by agent, along the (agent_id, received_at) index: never a scan of every heartbeat.
    const agents = db.prepare('SELECT agent_id FROM agent_last_heartbeat').pluck().all() as string[];
    for (const agent of agents) {
      report.heartbeats += await inBatches(db, `DELETE FROM heartbeats WHERE rowid IN
        (SELECT rowid FROM heartbeats WHERE agent_id = ? AND received_at < ? LIMIT ?)`, [agent, before(c.heartbeatsDays)], n, stopping);
    }
  }
  if (c.closedTicketsDays > 0) {
    report.tickets = await inBatches(db, `DELETE FROM tickets WHERE id IN
      (SELECT id FROM tickets WHERE state = 'closed' AND closed_at < ? LIMIT ?)`, [before(c.closedTicketsDays)], n, stopping);
  }
  report.notifications = deps.pruneNotifications(now);
  if (c.advisoryDeliveriesDays > 0) {
    report.advisoryDeliveries = await inBatches(db, `DELETE FROM advisory_deliveries WHERE rowid IN
      (SELECT rowid FROM advisory_deliveries WHERE created_at < ? LIMIT ?)`, [before(c.advisoryDeliveriesDays)], n, stopping);
  }
  // What the steps without batches of their own freed (notifications, cascades), handed back a step at a time too.
  while (!stopping() && reclaimFreePages(db) > 0) await yieldTurn();
  return report;
}

/** The ledger's name for the daily prune. */
export const PRUNE_JOB = 'retention.prune';

/** Runs today's prune unless the ledger has it; records it done. Returns what it removed, or null when done already. */
export async function retentionTick(deps: RetentionDeps, stopping: () => boolean = () => false): Promise<PruneReport | null> {
  const day = deps.clock().toISOString().slice(0, 10);
  if (deps.ledger?.done(PRUNE_JOB, day)) return null;
  const report = await pruneOnce(deps, stopping);
  if (stopping()) return report; // cut short: today's prune stays due
  deps.ledger?.markDone(PRUNE_JOB, day, deps.clock(), report);
  deps.logger.info({ ...report, day }, 'retention prune done');
  return report;
}

/** Prunes at start-up and checks every hour; stop() ends a prune between batches and waits for it. */
export function startRetention(deps: RetentionDeps, everyMs = 3_600_000): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(() => retentionTick(deps, () => stopped)).catch((err: unknown) => deps.logger.error({ err }, 'retention prune failed'));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { async stop() { stopped = true; clearInterval(timer); await running; } };
}

// The heartbeat roll-up (issue 20): 300 agents at one heartbeat a minute make 158 million rows a year (~86 GB at
// 547 B each), and what the monthly report needs of an old heartbeat is only that its minute held one. So raw
// heartbeats older than `retention.heartbeatsRawDays` become one row per agent per UTC day in heartbeat_days: a
// 1,440-bit mask of the minutes that held a heartbeat (exact for any minute-aligned month window, whatever the
// customer's zone), the count, the first and last, the last agent version and the deepest outbox reported. The raw
// rows leave in the same transaction that merges them into their day (retention.batchRows rows of one agent per
// transaction, a turn of the event loop between them, so ingest is never held long). It runs inside the daily prune (the schedule
// ledger's retention.prune) and its state is the data itself: an interrupted run leaves raw rows that the next one
// rolls up; a heartbeat stored late for a day already rolled up is merged (OR of the masks) by the next run, and the
// report counts it in the meantime (availabilityMinutes reads the union).
import type { Db, Migration } from './db.js';

/** Bytes of a day's minute mask: 1,440 bits. */
export const MASK_BYTES = 180;
const DAY_MS = 86_400_000;
const yieldTurn = () => new Promise<void>((r) => setImmediate(r));

/** The rolled-up table. Keyed by customer first: the report reads one customer's days. */
export const heartbeatRollupMigrations: readonly Migration[] = [{
  id: 'store/007-heartbeat-days',
  up(db) {
    db.exec(`
      CREATE TABLE heartbeat_days (
        customer_id TEXT NOT NULL,
        day TEXT NOT NULL,                -- YYYY-MM-DD, UTC
        agent_id TEXT NOT NULL,
        minutes INTEGER NOT NULL,         -- bits set in mask
        mask BLOB NOT NULL,               -- 180 bytes: bit m (byte m >> 3, bit m & 7) = minute m of the day held a heartbeat
        beats INTEGER NOT NULL,
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL,
        agent_version TEXT,               -- of the last heartbeat of the day
        max_outbox_depth INTEGER,
        PRIMARY KEY (customer_id, day, agent_id)
      ) WITHOUT ROWID;
      CREATE INDEX heartbeat_days_day ON heartbeat_days (day);
    `);
  },
}];

/** The minute of the UTC day of an ISO instant ("YYYY-MM-DDTHH:MM…Z"). */
function minuteOfDay(iso: string): number {
  return Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16));
}

function popcount(mask: Uint8Array, from = 0, to = 1440): number {
  let n = 0;
  for (let m = from; m < to; m++) if ((mask[m >> 3]! >> (m & 7)) & 1) n++;
  return n;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString().slice(0, 10);

interface DayRow { customer_id: string; day: string; agent_id: string; minutes: number; mask: Buffer; beats: number;
  first_at: string; last_at: string; agent_version: string | null; max_outbox_depth: number | null }

/** Statements of the roll-up, prepared once per run. */
function statements(db: Db) {
  return {
    agents: db.prepare('SELECT agent_id FROM agent_last_heartbeat ORDER BY agent_id').pluck(),
    // Along the (agent_id, received_at) index, oldest first.
    chunk: db.prepare(`SELECT rowid AS id, customer_id, received_at, body FROM heartbeats
      WHERE agent_id = ? AND received_at < ? ORDER BY received_at LIMIT ?`),
    existing: db.prepare('SELECT * FROM heartbeat_days WHERE customer_id = ? AND day = ? AND agent_id = ?'),
    upsert: db.prepare(`INSERT OR REPLACE INTO heartbeat_days (customer_id, day, agent_id, minutes, mask, beats, first_at, last_at,
      agent_version, max_outbox_depth) VALUES (@customer_id, @day, @agent_id, @minutes, @mask, @beats, @first_at, @last_at,
      @agent_version, @max_outbox_depth)`),
    remove: db.prepare('DELETE FROM heartbeats WHERE rowid = ?'),
  };
}

function fromBody(body: string): { version: string | null; depth: number | null } {
  try {
    const b = JSON.parse(body) as { agentVersion?: unknown; outbox?: { depth?: unknown } };
    return { version: typeof b.agentVersion === 'string' ? b.agentVersion : null,
      depth: typeof b.outbox?.depth === 'number' ? b.outbox.depth : null };
  } catch {
    return { version: null, depth: null };
  }
}

// The agent's oldest `limit` raw heartbeats before `before`, merged into their days' rows (OR of the masks, counts
// added), then deleted. Returns the rows removed.
function rollChunk(s: ReturnType<typeof statements>, agentId: string, before: string, limit: number): number {
  const rows = s.chunk.all(agentId, before, limit) as { id: number; customer_id: string; received_at: string; body: string }[];
  const days = new Map<string, DayRow>();
  for (const r of rows) {
    const day = r.received_at.slice(0, 10);
    const key = `${r.customer_id}\u0000${day}`;
    let d = days.get(key);
    if (!d) {
      const old = s.existing.get(r.customer_id, day, agentId) as DayRow | undefined;
      d = old ? { ...old, mask: Buffer.from(old.mask) } : { customer_id: r.customer_id, day, agent_id: agentId, minutes: 0,
        mask: Buffer.alloc(MASK_BYTES), beats: 0, first_at: r.received_at, last_at: r.received_at, agent_version: null, max_outbox_depth: null };
      days.set(key, d);
    }
    const m = minuteOfDay(r.received_at);
    d.mask[m >> 3] = d.mask[m >> 3]! | (1 << (m & 7));
    d.beats += 1;
    if (r.received_at < d.first_at) d.first_at = r.received_at;
    const { version, depth } = fromBody(r.body);
    if (r.received_at >= d.last_at) { d.last_at = r.received_at; if (version !== null) d.agent_version = version; }
    if (depth !== null) d.max_outbox_depth = Math.max(d.max_outbox_depth ?? 0, depth);
  }
  for (const d of days.values()) s.upsert.run({ ...d, minutes: popcount(d.mask) });
  for (const r of rows) s.remove.run(r.id);
  return rows.length;
}

/**
 * Rolls up the raw heartbeats received before `before` (an ISO instant; rollUpBefore gives a midnight, so whole UTC
 * days leave) into heartbeat_days, agent by agent, `limit` rows a transaction with a turn of the event loop after
 * each; `stopping` ends it between transactions. Returns the raw rows removed.
 */
export async function rollUpHeartbeats(db: Db, before: string, limit = 500, stopping: () => boolean = () => false): Promise<number> {
  const s = statements(db);
  let removed = 0;
  for (const agentId of s.agents.all() as string[]) {
    for (;;) {
      if (stopping()) return removed;
      const n = db.transaction(() => rollChunk(s, agentId, before, limit))();
      removed += n;
      await yieldTurn();
      if (n < limit) break;
    }
  }
  return removed;
}

/** The midnight (UTC) `days` days before `now`: raw heartbeats before it are rolled up. */
export function rollUpBefore(now: Date, days: number): string {
  return `${new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10)}T00:00:00.000Z`;
}

/** Deletes rolled-up days before `beforeDay` (YYYY-MM-DD), `limit` rows a transaction. Returns rows removed. */
export async function pruneHeartbeatDays(db: Db, beforeDay: string, limit: number, stopping: () => boolean = () => false): Promise<number> {
  const stmt = db.prepare(`DELETE FROM heartbeat_days WHERE (customer_id, day, agent_id) IN
    (SELECT customer_id, day, agent_id FROM heartbeat_days WHERE day < ? ORDER BY day LIMIT ?)`);
  let total = 0;
  for (;;) {
    const n = db.transaction(() => stmt.run(beforeDay, limit).changes)();
    total += n;
    if (n < limit || stopping()) return total;
    await yieldTurn();
  }
}

/**
 * Per agent of a customer, the distinct UTC minutes of [startUtc, endUtc) (minute-aligned instants) that held a
 * heartbeat, from the raw rows and the rolled-up days together: a minute counts once whether it is in a day's mask,
 * in a raw row, or both (a raw row stored late for a day already rolled up). Without heartbeat_days, raw rows only.
 */
export function availabilityMinutes(db: Db, customerId: string, startUtc: string, endUtc: string): { agentId: string; minutes: number }[] {
  const p = { customerId, startUtc, endUtc };
  const rolledTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'heartbeat_days'").get() !== undefined;
  if (!rolledTable) {
    return db.prepare(`SELECT agent_id AS agentId, COUNT(DISTINCT substr(received_at, 1, 16)) AS minutes
      FROM heartbeats WHERE customer_id = @customerId AND received_at >= @startUtc AND received_at < @endUtc
      GROUP BY agent_id ORDER BY agent_id`).all(p) as { agentId: string; minutes: number }[];
  }
  const total = new Map<string, number>();
  const add = (agent: string, n: number) => total.set(agent, (total.get(agent) ?? 0) + n);
  // Raw rows of days not rolled up (the usual case: the recent days), counted by SQLite.
  const raw = db.prepare(`SELECT h.agent_id AS agentId, COUNT(DISTINCT substr(h.received_at, 1, 16)) AS minutes
    FROM heartbeats h WHERE h.customer_id = @customerId AND h.received_at >= @startUtc AND h.received_at < @endUtc
      AND NOT EXISTS (SELECT 1 FROM heartbeat_days d WHERE d.customer_id = h.customer_id AND d.day = substr(h.received_at, 1, 10) AND d.agent_id = h.agent_id)
    GROUP BY h.agent_id`).all(p) as { agentId: string; minutes: number }[];
  for (const r of raw) add(r.agentId, r.minutes);
  // Rolled-up days: each mask cut to the window, with any raw row of that day added to it.
  const days = db.prepare(`SELECT agent_id, day, mask FROM heartbeat_days
    WHERE customer_id = @customerId AND day >= substr(@startUtc, 1, 10) AND day <= substr(@endUtc, 1, 10)`).all(p) as
    { agent_id: string; day: string; mask: Buffer }[];
  const lateRows = db.prepare(`SELECT DISTINCT substr(received_at, 1, 16) FROM heartbeats
    WHERE agent_id = ? AND received_at >= ? AND received_at < ? AND customer_id = ?`).pluck();
  for (const d of days) {
    const mask = Buffer.from(d.mask);
    const dayStart = `${d.day}T00:00:00.000Z`;
    const from = startUtc > dayStart ? minuteOfDay(startUtc) : 0;
    const to = endUtc < `${nextDay(d.day)}T00:00:00.000Z` ? minuteOfDay(endUtc) : 1440;
    for (const minute of lateRows.all(d.agent_id, dayStart, nextDay(d.day), customerId) as string[]) {
      const m = minuteOfDay(minute);
      mask[m >> 3] = mask[m >> 3]! | (1 << (m & 7));
    }
    add(d.agent_id, popcount(mask, from, to));
  }
  return [...total].filter(([, minutes]) => minutes > 0).map(([agentId, minutes]) => ({ agentId, minutes })).sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

// Maintenance windows, silences and what they suppressed, in the collector's database. Windows and silences are
// never deleted: ending one stamps it, so the list and the reports keep what was quiet and why.
import type { Db, Migration } from '../store/db.js';
import { XpearsError } from '../../lib/errors.js';
import { windowScheduleSchema, type WindowSchedule } from './schedule.js';
import { silenceMatchersSchema, type SilenceMatchers } from './match.js';

/** The tables of noise control. */
export const noiseMigrations: Migration[] = [{
  id: 'noise/001-windows-silences',
  up(db) {
    db.exec(`
      CREATE TABLE maintenance_windows (
        id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, agent_id TEXT, computer TEXT,
        schedule TEXT NOT NULL, reason TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL, ended_at TEXT
      );
      CREATE TABLE silences (
        id INTEGER PRIMARY KEY AUTOINCREMENT, matchers TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
        comment TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL, expired_at TEXT
      );
      CREATE TABLE event_suppressions (
        event_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL, at TEXT NOT NULL
      );
      CREATE INDEX event_suppressions_customer ON event_suppressions (customer_id, kind);
    `);
  },
}];

/** A maintenance window: a customer's, or one agent's or one computer's of it. */
export interface MaintenanceWindow {
  id: string;
  customerId: string;
  agentId: string | null;
  computer: string | null;
  schedule: WindowSchedule;
  reason: string;
  author: string;
  createdAt: string;
  endedAt: string | null;
}

/** A silence: every matcher must equal the event's field; it ends at `endsAt` (or when expired by hand). */
export interface Silence {
  id: string;
  matchers: SilenceMatchers;
  startsAt: string;
  endsAt: string;
  comment: string;
  author: string;
  createdAt: string;
  expiredAt: string | null;
}

/** What suppressed an event: a window (`M-3`) or a silence (`S-7`). */
export interface Suppression {
  kind: 'maintenance' | 'silence';
  ref: string;
}

type Row = Record<string, unknown>;
const windowOf = (r: Row): MaintenanceWindow => ({
  id: `M-${r.id}`, customerId: r.customer_id as string, agentId: (r.agent_id as string | null) ?? null,
  computer: (r.computer as string | null) ?? null, schedule: JSON.parse(r.schedule as string) as WindowSchedule,
  reason: r.reason as string, author: r.author as string, createdAt: r.created_at as string, endedAt: (r.ended_at as string | null) ?? null,
});
const silenceOf = (r: Row): Silence => ({
  id: `S-${r.id}`, matchers: JSON.parse(r.matchers as string) as SilenceMatchers, startsAt: r.starts_at as string,
  endsAt: r.ends_at as string, comment: r.comment as string, author: r.author as string, createdAt: r.created_at as string,
  expiredAt: (r.expired_at as string | null) ?? null,
});

function numericId(id: string, prefix: 'M' | 'S'): number {
  const m = new RegExp(`^(?:${prefix}-)?(\\d+)$`, 'i').exec(id.trim());
  if (!m) throw new XpearsError('INVALID_ARGUMENT', `"${id}" is not a ${prefix === 'M' ? 'maintenance window' : 'silence'} id (${prefix}-N)`);
  return Number(m[1]);
}

/** Reads and writes windows, silences and suppressions. */
export class NoiseStore {
  constructor(readonly db: Db) {}

  /** Adds a window; the schedule is validated again here (the API and CLI both pass through). */
  addWindow(w: Omit<MaintenanceWindow, 'id' | 'endedAt' | 'createdAt'>, now: Date): MaintenanceWindow {
    const schedule = windowScheduleSchema.parse(w.schedule);
    if (schedule.kind === 'once' && Date.parse(schedule.to) <= Date.parse(schedule.from)) {
      throw new XpearsError('INVALID_ARGUMENT', 'a maintenance window must end after it starts');
    }
    if (!w.reason.trim()) throw new XpearsError('INVALID_ARGUMENT', 'a maintenance window needs a reason');
    const r = this.db.prepare(`INSERT INTO maintenance_windows (customer_id, agent_id, computer, schedule, reason, author, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(w.customerId, w.agentId, w.computer, JSON.stringify(schedule), w.reason, w.author, now.toISOString());
    return this.window(`M-${r.lastInsertRowid}`)!;
  }

  /** One window by id (`M-3` or `3`). */
  window(id: string): MaintenanceWindow | undefined {
    const r = this.db.prepare('SELECT * FROM maintenance_windows WHERE id = ?').get(numericId(id, 'M')) as Row | undefined;
    return r ? windowOf(r) : undefined;
  }

  /** Windows not ended by hand (a one-off past its end is still listed until ended), optionally one customer's. */
  windows(opts: { customerId?: string; all?: boolean } = {}): MaintenanceWindow[] {
    const rows = this.db.prepare(`SELECT * FROM maintenance_windows WHERE (@all = 1 OR ended_at IS NULL)
      AND (@customer IS NULL OR customer_id = @customer) ORDER BY id`).all({ all: opts.all ? 1 : 0, customer: opts.customerId ?? null }) as Row[];
    return rows.map(windowOf);
  }

  /** Ends a window now; false when it was already ended. */
  endWindow(id: string, now: Date): boolean {
    if (!this.window(id)) throw new XpearsError('NOT_FOUND', `no maintenance window ${id}`);
    return this.db.prepare('UPDATE maintenance_windows SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(now.toISOString(), numericId(id, 'M')).changes === 1;
  }

  /** Adds a silence; its end is mandatory, after now and within `maxHours`. */
  addSilence(s: { matchers: SilenceMatchers; endsAt: string; comment: string; author: string }, now: Date, maxHours: number): Silence {
    const matchers = silenceMatchersSchema.parse(s.matchers);
    const end = Date.parse(s.endsAt);
    if (!s.endsAt || Number.isNaN(end)) throw new XpearsError('INVALID_ARGUMENT', 'a silence needs an end time');
    if (end <= now.getTime()) throw new XpearsError('INVALID_ARGUMENT', 'a silence must end in the future');
    if (end - now.getTime() > maxHours * 3_600_000) throw new XpearsError('INVALID_ARGUMENT', `a silence may last at most ${maxHours} h`);
    if (!s.comment.trim()) throw new XpearsError('INVALID_ARGUMENT', 'a silence needs a comment');
    const r = this.db.prepare(`INSERT INTO silences (matchers, starts_at, ends_at, comment, author, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(JSON.stringify(matchers), now.toISOString(), new Date(end).toISOString(), s.comment, s.author, now.toISOString());
    return this.silence(`S-${r.lastInsertRowid}`)!;
  }

  /** One silence by id (`S-7` or `7`). */
  silence(id: string): Silence | undefined {
    const r = this.db.prepare('SELECT * FROM silences WHERE id = ?').get(numericId(id, 'S')) as Row | undefined;
    return r ? silenceOf(r) : undefined;
  }

  /** Silences active at `now`, and those that ended within `recentHours` before it (so a forgotten one is seen). */
  silences(now: Date, recentHours = 0): Silence[] {
    const since = new Date(now.getTime() - recentHours * 3_600_000).toISOString();
    const rows = this.db.prepare(`SELECT * FROM silences WHERE starts_at <= @now AND COALESCE(MIN(ends_at, expired_at), ends_at) > @since
      ORDER BY id`).all({ now: now.toISOString(), since }) as Row[];
    return rows.map(silenceOf);
  }

  /** Expires a silence now; false when it had already ended. */
  expireSilence(id: string, now: Date): boolean {
    const s = this.silence(id);
    if (!s) throw new XpearsError('NOT_FOUND', `no silence ${id}`);
    if (s.expiredAt || Date.parse(s.endsAt) <= now.getTime()) return false;
    this.db.prepare('UPDATE silences SET expired_at = ? WHERE id = ?').run(now.toISOString(), numericId(id, 'S'));
    return true;
  }

  /** Records what suppressed an event (the first record stays: a re-run does not move it). */
  recordSuppression(eventId: string, customerId: string, s: Suppression, now: Date): void {
    this.db.prepare('INSERT OR IGNORE INTO event_suppressions (event_id, customer_id, kind, ref, at) VALUES (?, ?, ?, ?, ?)')
      .run(eventId, customerId, s.kind, s.ref, now.toISOString());
  }

  /** What suppressed each of these events (those suppressed only). */
  suppressionsOf(eventIds: readonly string[]): Map<string, Suppression> {
    const out = new Map<string, Suppression>();
    const q = this.db.prepare('SELECT kind, ref FROM event_suppressions WHERE event_id = ?');
    for (const id of eventIds) {
      const r = q.get(id) as Suppression | undefined;
      if (r) out.set(id, { kind: r.kind, ref: r.ref });
    }
    return out;
  }
}

/** Counts for the metrics scrape: suppressed events by kind, storm incidents and the computers grouped into them. */
export function noiseCounts(db: Db): { suppressed: Record<'maintenance' | 'silence', number>; incidents: number; grouped: number } {
  const rows = db.prepare('SELECT kind, COUNT(*) AS n FROM event_suppressions GROUP BY kind').all() as { kind: string; n: number }[];
  const n = (kind: string) => rows.find((r) => r.kind === kind)?.n ?? 0;
  const incidents = db.prepare('SELECT COUNT(*) FROM storm_incidents').pluck().get() as number;
  const grouped = db.prepare(`SELECT COUNT(*) FROM ticket_computers c JOIN storm_incidents i ON i.ticket_id = c.ticket_id`).pluck().get() as number;
  return { suppressed: { maintenance: n('maintenance'), silence: n('silence') }, incidents, grouped };
}

// SQL over the collector's `events` table for one customer-month: every figure is a GROUP BY on the index
// (customer_id, occurred_at); no event row is loaded into memory. Occurrences are SUM(count).
import type { ActionTaken, EventType, Severity } from '../protocol/event.js';
import type { Db } from '../collector/store/db.js';
import type { ComputerIssueRow, ComputerRow, Counted, OutbreakRow, ThreatRow } from './model.js';
import type { MonthWindow } from './month.js';

/** Event types that are a threat found on a computer. */
export const THREAT_EVENT_TYPES: readonly EventType[] = ['threat-detected', 'threat-not-cleaned', 'ransomware'];
const THREATS_SQL = `event_type IN (${THREAT_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`;
/** A threat the product did not resolve: said so, or an action that failed or did nothing. */
export const UNHANDLED_SQL = `(handled = 0 OR action IN ('failed', 'left-alone') OR event_type = 'threat-not-cleaned')`;
const IN_MONTH = 'customer_id = @customerId AND occurred_at >= @startUtc AND occurred_at < @endUtc';

type Params = { customerId: string; startUtc: string; endUtc: string };
const params = (w: MonthWindow): Params => ({ customerId: w.customerId, startUtc: w.startUtc, endUtc: w.endUtc });

// The local days as a VALUES table, so a range join assigns each event its day in the customer's zone.
function daysCte(w: MonthWindow): { sql: string; args: Record<string, string | number> } {
  const rows: string[] = [];
  const args: Record<string, string | number> = {};
  for (let d = 0; d < w.daysInMonth; d++) {
    rows.push(`(${d + 1}, @s${d}, @e${d})`);
    args[`s${d}`] = w.dayStartsUtc[d] ?? '';
    args[`e${d}`] = w.dayStartsUtc[d + 1] ?? '';
  }
  return { sql: `days(day, s, e) AS (VALUES ${rows.join(', ')})`, args };
}

/** Event queries of one database. */
export class SqliteEventQueries {
  constructor(private readonly db: Db) {}

  /** Notifications, occurrences, threat and unhandled-threat occurrences, distinct computers. */
  totals(w: MonthWindow): { notifications: number; occurrences: number; threats: number; unhandledThreats: number;
    computers: number } {
    const row = this.db.prepare(`SELECT COUNT(*) AS notifications, COALESCE(SUM(count), 0) AS occurrences,
        COALESCE(SUM(CASE WHEN ${THREATS_SQL} THEN count ELSE 0 END), 0) AS threats,
        COALESCE(SUM(CASE WHEN ${THREATS_SQL} AND ${UNHANDLED_SQL} THEN count ELSE 0 END), 0) AS unhandledThreats,
        COUNT(DISTINCT computer_name) AS computers
      FROM events WHERE ${IN_MONTH}`).get(params(w)) as Record<string, number>;
    return { notifications: row.notifications ?? 0, occurrences: row.occurrences ?? 0, threats: row.threats ?? 0,
      unhandledThreats: row.unhandledThreats ?? 0, computers: row.computers ?? 0 };
  }

  /** Occurrences per event type, most first. */
  byType(w: MonthWindow): Counted<EventType>[] {
    return this.db.prepare(`SELECT event_type AS key, SUM(count) AS count FROM events WHERE ${IN_MONTH}
      GROUP BY event_type ORDER BY count DESC, key`).all(params(w)) as Counted<EventType>[];
  }

  /** Occurrences per normalized severity. */
  bySeverity(w: MonthWindow): Counted<Severity>[] {
    return this.db.prepare(`SELECT severity AS key, SUM(count) AS count FROM events WHERE ${IN_MONTH}
      GROUP BY severity ORDER BY count DESC, key`).all(params(w)) as Counted<Severity>[];
  }

  /** Occurrences per local day, day 1 first. */
  perDay(w: MonthWindow): number[] {
    const days = daysCte(w);
    const rows = this.db.prepare(`WITH ${days.sql}
      SELECT day, (SELECT COALESCE(SUM(count), 0) FROM events
        WHERE customer_id = @customerId AND occurred_at >= s AND occurred_at < e) AS count
      FROM days ORDER BY day`).all({ ...days.args, customerId: w.customerId }) as { day: number; count: number }[];
    return rows.map((r) => r.count);
  }

  /** What the product did about threats (no action recorded counts as unknown). */
  threatActions(w: MonthWindow): Counted<ActionTaken>[] {
    return this.db.prepare(`SELECT COALESCE(action, 'unknown') AS key, SUM(count) AS count FROM events
      WHERE ${IN_MONTH} AND ${THREATS_SQL} GROUP BY key ORDER BY count DESC, key`).all(params(w)) as Counted<ActionTaken>[];
  }

  /** The threats seen most. */
  topThreats(w: MonthWindow, limit: number): ThreatRow[] {
    return this.db.prepare(`SELECT threat_name AS name, SUM(count) AS occurrences,
        COUNT(DISTINCT computer_name) AS computers,
        SUM(CASE WHEN ${UNHANDLED_SQL} THEN count ELSE 0 END) AS unhandled,
        MIN(occurred_at) AS firstSeen, MAX(occurred_at) AS lastSeen
      FROM events WHERE ${IN_MONTH} AND ${THREATS_SQL} AND threat_name IS NOT NULL
      GROUP BY threat_name ORDER BY occurrences DESC, name LIMIT @limit`).all({ ...params(w), limit }) as ThreatRow[];
  }

  /** The computers with most threats, with the number of local days they had one. */
  topComputers(w: MonthWindow, limit: number): ComputerRow[] {
    const days = daysCte(w);
    return this.db.prepare(`WITH ${days.sql}
      SELECT computer_name AS name, SUM(count) AS occurrences, COUNT(DISTINCT threat_name) AS threats,
        SUM(CASE WHEN ${UNHANDLED_SQL} THEN count ELSE 0 END) AS unhandled, COUNT(DISTINCT day) AS days
      FROM events JOIN days ON occurred_at >= s AND occurred_at < e
      WHERE ${IN_MONTH} AND ${THREATS_SQL} AND computer_name IS NOT NULL
      GROUP BY computer_name ORDER BY occurrences DESC, name LIMIT @limit`)
      .all({ ...days.args, ...params(w), limit }) as ComputerRow[];
  }

  /** Outbreak notifications, latest first. */
  outbreaks(w: MonthWindow, limit: number): OutbreakRow[] {
    return this.db.prepare(`SELECT occurred_at AS occurredAt, threat_name AS threatName,
        COALESCE(computers_affected, 0) AS computersAffected, count AS occurrences
      FROM events WHERE ${IN_MONTH} AND event_type = 'outbreak'
      ORDER BY occurred_at DESC LIMIT @limit`).all({ ...params(w), limit }) as OutbreakRow[];
  }

  /** Computers named by events of one type (outdated definitions, not connected), most notifications first. */
  computersWith(w: MonthWindow, type: 'definitions-outdated' | 'client-not-connected'): ComputerIssueRow[] {
    return this.db.prepare(`SELECT computer_name AS name, COUNT(*) AS notifications, MAX(occurred_at) AS lastSeen
      FROM events WHERE ${IN_MONTH} AND event_type = @type AND computer_name IS NOT NULL
      GROUP BY computer_name ORDER BY notifications DESC, name`).all({ ...params(w), type }) as ComputerIssueRow[];
  }
}

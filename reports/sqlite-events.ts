// SQL over the collector's `events` table for one customer-month: every figure is a GROUP BY on the index
// (customer_id, occurred_at); no event row is loaded into memory. Occurrences are SUM(count).
import type { ActionTaken, EventType, Severity } from '../protocol/event.js';

/** What the month says about one computer. */
export interface ComputerSummary {
  name: string;
  /** Threat occurrences, distinct threats, unresolved threat occurrences, local days with a threat. */
  occurrences: number;
  threats: number;
  unhandled: number;
  days: number;
  /** Outdated-definitions and not-connected notifications, with the last of each. */
  outdated: number;
  outdatedLast: string | null;
  notConnected: number;
  notConnectedLast: string | null;
}

/** Events of one local day with the same type, severity, action and resolution. */
export interface BreakdownRow {
  /** Local day of the month, 1-based. */
  day: number;
  eventType: EventType;
  severity: Severity;
  action: ActionTaken | null;
  unhandled: boolean;
  notifications: number;
  occurrences: number;
}
import type { Db } from '../collector/store/db.js';
import type { OutbreakRow, ThreatRow } from './model.js';
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

  /** Every event of the month counted once, grouped by local day, type, severity, action and resolution: the
   *  totals, the per-type, per-severity, per-day and per-action figures are all folds of these few rows. */
  breakdown(w: MonthWindow): BreakdownRow[] {
    const days = daysCte(w);
    // days drives the join: one index range scan per local day, so each event row is read exactly once.
    const rows = this.db.prepare(`WITH ${days.sql}
      SELECT day, event_type AS eventType, severity, action, ${UNHANDLED_SQL} AS unhandled,
        COUNT(*) AS notifications, SUM(count) AS occurrences
      FROM days JOIN events ON customer_id = @customerId AND occurred_at >= s AND occurred_at < e
      GROUP BY day, event_type, severity, action, unhandled`).all({ ...days.args, customerId: w.customerId }) as
      (Omit<BreakdownRow, 'unhandled'> & { unhandled: number | null })[];
    return rows.map((r) => ({ ...r, unhandled: r.unhandled === 1 }));
  }

  /** One row per computer named in the month: its threats (occurrences, distinct, unresolved, local days) and its
   *  outdated-definitions and not-connected notifications, all in one pass over the month. */
  computers(w: MonthWindow): ComputerSummary[] {
    const days = daysCte(w);
    const threat = `CASE WHEN ${THREATS_SQL}`;
    return this.db.prepare(`WITH ${days.sql}
      SELECT computer_name AS name,
        COALESCE(SUM(${threat} THEN count END), 0) AS occurrences,
        COUNT(DISTINCT ${threat} THEN threat_name END) AS threats,
        COALESCE(SUM(${threat} AND ${UNHANDLED_SQL} THEN count END), 0) AS unhandled,
        COUNT(DISTINCT ${threat} THEN day END) AS days,
        SUM(CASE WHEN event_type = 'definitions-outdated' THEN 1 ELSE 0 END) AS outdated,
        MAX(CASE WHEN event_type = 'definitions-outdated' THEN occurred_at END) AS outdatedLast,
        SUM(CASE WHEN event_type = 'client-not-connected' THEN 1 ELSE 0 END) AS notConnected,
        MAX(CASE WHEN event_type = 'client-not-connected' THEN occurred_at END) AS notConnectedLast
      FROM days JOIN events ON customer_id = @customerId AND occurred_at >= s AND occurred_at < e
      WHERE computer_name IS NOT NULL
      GROUP BY computer_name`).all({ ...days.args, customerId: w.customerId }) as ComputerSummary[];
  }

  /** Distinct computer names in the month (the cheap count, when the per-computer detail is not needed). */
  distinctComputers(w: MonthWindow): number {
    return this.db.prepare(`SELECT COUNT(DISTINCT computer_name) FROM events WHERE ${IN_MONTH}`).pluck()
      .get(params(w)) as number;
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

  /** Outbreak notifications, latest first. */
  outbreaks(w: MonthWindow, limit: number): OutbreakRow[] {
    return this.db.prepare(`SELECT occurred_at AS occurredAt, threat_name AS threatName,
        COALESCE(computers_affected, 0) AS computersAffected, count AS occurrences
      FROM events WHERE ${IN_MONTH} AND event_type = 'outbreak'
      ORDER BY +occurred_at DESC LIMIT @limit`).all({ ...params(w), limit }) as OutbreakRow[];
  }
}

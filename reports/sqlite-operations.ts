// SQL over the tables other modules own: tickets (collector/tickets), advisory deliveries (collector/advisories) and
// agent heartbeats (collector/store). Each is guarded: when its table or a column we read is missing, the
// figure says "no data" (available: false) rather than failing the report.
import { CASE_KINDS, type CaseKind } from '../config/plans.js';
import type { Db } from '../collector/store/db.js';
import { availabilityMinutes } from '../collector/store/heartbeat-rollup.js';
import type { AdvisoryFigures, TicketFigures, TicketKindRow, TicketRow } from './model.js';
import type { MonthWindow } from './month.js';

const TICKET_COLUMNS = ['customer_id', 'number', 'title', 'case_kind', 'opened_at', 'first_response_at', 'response_met'];
const DELIVERY_COLUMNS = ['kind', 'customer_id', 'advisory_ids', 'created_at'];
const ADVISORY_COLUMNS = ['id', 'title', 'vendor', 'risk'];
// The store's heartbeat table (store/002-heartbeats, collector/store/store.ts): one row per heartbeat received, the
// older days rolled up into heartbeat_days (collector/store/heartbeat-rollup.ts).
const HEARTBEAT_COLUMNS = ['agent_id', 'customer_id', 'received_at'];

/** Empty ticket figures: what a store without the tickets table reports. */
export const NO_TICKETS: TicketFigures = { available: false, opened: 0, met: 0, missed: 0, byKind: [],
  medianFirstResponseMinutes: null, averageFirstResponseMinutes: null, list: [] };

/** The median of sorted numbers; null for none. */
export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const asKind = (k: string): CaseKind | 'other' => ((CASE_KINDS as readonly string[]).includes(k) ? k as CaseKind : 'other');

/** Queries of the tables owned by tickets, advisories and ingest. */
export class SqliteOperationsQueries {
  constructor(private readonly db: Db) {}

  /** True when the table exists with every column named. */
  hasTable(name: string, columns: readonly string[]): boolean {
    const cols = this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(name) as string[];
    return cols.length > 0 && columns.every((c) => cols.includes(c));
  }

  /** Tickets opened in the month: counts per case kind, response met or missed, time to first response. */
  tickets(w: MonthWindow, limit: number): TicketFigures {
    if (!this.hasTable('tickets', TICKET_COLUMNS)) return NO_TICKETS;
    const p = { customerId: w.customerId, startUtc: w.startUtc, endUtc: w.endUtc };
    const inMonth = 'customer_id = @customerId AND opened_at >= @startUtc AND opened_at < @endUtc';
    const kinds = this.db.prepare(`SELECT case_kind AS kind, COUNT(*) AS opened,
        SUM(CASE WHEN response_met = 1 THEN 1 ELSE 0 END) AS met,
        SUM(CASE WHEN response_met = 0 THEN 1 ELSE 0 END) AS missed,
        SUM(CASE WHEN response_met IS NULL THEN 1 ELSE 0 END) AS pending
      FROM tickets WHERE ${inMonth} GROUP BY case_kind`).all(p) as (Omit<TicketKindRow, 'kind'> & { kind: string })[];
    const byKind: TicketKindRow[] = kinds.map((k) => ({ ...k, kind: asKind(k.kind) }))
      .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
    // Per-ticket durations: a month holds tens of tickets, not thousands, so sorting them here is cheap.
    const minutes = this.db.prepare(`SELECT (julianday(first_response_at) - julianday(opened_at)) * 1440.0 AS m
      FROM tickets WHERE ${inMonth} AND first_response_at IS NOT NULL ORDER BY m`).pluck().all(p) as number[];
    const rounded = minutes.map((m) => Math.round(m * 10) / 10);
    const list = (this.db.prepare(`SELECT number AS ref, title AS subject, case_kind AS kind, opened_at AS openedAt,
        first_response_at AS firstResponseAt, response_met AS met
      FROM tickets WHERE ${inMonth} ORDER BY opened_at DESC, number DESC LIMIT @limit`).all({ ...p, limit }) as
      { ref: string; subject: string; kind: string; openedAt: string; firstResponseAt: string | null; met: number | null }[])
      .map((r): TicketRow => ({ ref: r.ref, subject: r.subject, kind: asKind(r.kind), openedAt: r.openedAt,
        firstResponseAt: r.firstResponseAt, responseMet: r.met === null ? null : r.met === 1 }));
    const sum = (key: 'opened' | 'met' | 'missed') => byKind.reduce((a, k) => a + k[key], 0);
    return {
      available: true, opened: sum('opened'), met: sum('met'), missed: sum('missed'), byKind,
      medianFirstResponseMinutes: median(rounded),
      averageFirstResponseMinutes: rounded.length === 0 ? null
        : Math.round((rounded.reduce((a, b) => a + b, 0) / rounded.length) * 10) / 10,
      list,
    };
  }

  /** Advisories relayed to any contact of the customer in the month (one per advisory, however many contacts or
   *  mails): a delivery row (collector/advisories, migration 003) is written when the customer's mails are queued,
   *  at once (kind 'pass') or in a digest (kind 'digest'), and lists the advisories they held; an advisory still
   *  waiting for its digest has no row yet. */
  advisories(w: MonthWindow, limit: number): AdvisoryFigures {
    if (!this.hasTable('advisory_deliveries', DELIVERY_COLUMNS) || !this.hasTable('advisories', ADVISORY_COLUMNS)) {
      return { available: false, relayed: 0, list: [] };
    }
    const p = { customerId: w.customerId, startUtc: w.startUtc, endUtc: w.endUtc, limit };
    const sent = `FROM advisory_deliveries d, json_each(d.advisory_ids) j JOIN advisories a ON a.id = j.value
      WHERE d.customer_id = @customerId AND d.created_at >= @startUtc AND d.created_at < @endUtc`;
    const relayed = this.db.prepare(`SELECT COUNT(DISTINCT a.id) ${sent}`).pluck().get(p) as number;
    const list = this.db.prepare(`SELECT MIN(d.created_at) AS relayedAt, a.title AS title, a.vendor AS vendor,
        a.risk AS risk ${sent} GROUP BY a.id ORDER BY relayedAt DESC LIMIT @limit`).all(p) as AdvisoryFigures['list'];
    return { available: true, relayed, list };
  }

  /** Per agent, the distinct UTC minutes holding a heartbeat; null when the store keeps no heartbeats. */
  heartbeatMinutes(w: MonthWindow): { agentId: string; minutes: number }[] | null {
    if (!this.hasTable('heartbeats', HEARTBEAT_COLUMNS)) return null;
    // Raw rows (a minute is substr(received_at, 1, 16)) and the days rolled up from them (heartbeat_days), together.
    return availabilityMinutes(this.db, w.customerId, w.startUtc, w.endUtc);
  }

  /** Events of the month that arrived during a maintenance window (collector/noise/); 0 without that table. */
  duringMaintenance(w: MonthWindow): number {
    if (!this.hasTable('event_suppressions', ['event_id', 'kind'])) return 0;
    return this.db.prepare(`SELECT COUNT(*) FROM events e JOIN event_suppressions s ON s.event_id = e.id AND s.kind = 'maintenance'
      WHERE e.customer_id = @customerId AND e.occurred_at >= @startUtc AND e.occurred_at < @endUtc`).pluck()
      .get({ customerId: w.customerId, startUtc: w.startUtc, endUtc: w.endUtc }) as number;
  }
}

function kindOrder(kind: CaseKind | 'other'): number {
  const i = (CASE_KINDS as readonly string[]).indexOf(kind);
  return i < 0 ? CASE_KINDS.length : i;
}

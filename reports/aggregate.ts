// The figures of one customer-month, gathered through a ReportSource (SQL at the collector's store) and the
// registry, for this month and the previous one (the trend).
import { DateTime } from 'luxon';
import type { ActionTaken, EventType, Severity } from '../protocol/event.js';
import type { Db } from '../collector/store/db.js';
import type { AgentRecord, Customer, RegistryReader } from '../collector/registry/types.js';
import { DEFAULT_PLANS, type Plan } from '../config/plans.js';
import type { PlanId } from '../collector/registry/types.js';
import type { Language } from '../collector/notify/types.js';
import { XpearsError } from '../lib/errors.js';
import {
  MAINTENANCE_WINDOW_DAYS, TABLE_LIMIT, type AdvisoryFigures, type AvailabilityFigures, type ComputerIssueRow,
  type ComputerRow, type Counted, type MaintenanceRow, type MonthFigures, type MonthlyReportData, type OutbreakRow,
  type ThreatRow, type TicketFigures,
} from './model.js';
import { monthWindow, previousMonthKey, reportMonthOf, type MonthWindow } from './month.js';
import { SqliteEventQueries, THREAT_EVENT_TYPES, type BreakdownRow, type ComputerSummary } from './sqlite-events.js';
import { SqliteOperationsQueries } from './sqlite-operations.js';

/** What the report reads from the collector's store; every method covers one customer-month window. */
export interface ReportSource {
  /** Events grouped by local day, type, severity, action and resolution (each event counted once). */
  eventBreakdown(w: MonthWindow): BreakdownRow[];
  /** One summary per computer named in the month. */
  computers(w: MonthWindow): ComputerSummary[];
  /** How many distinct computers were named in the month. */
  distinctComputers(w: MonthWindow): number;
  topThreats(w: MonthWindow, limit: number): ThreatRow[];
  outbreaks(w: MonthWindow, limit: number): OutbreakRow[];
  /** `available: false` when the store has no ticket data. */
  tickets(w: MonthWindow, limit: number): TicketFigures;
  /** `available: false` when the store has no advisory data. */
  advisories(w: MonthWindow, limit: number): AdvisoryFigures;
  /** Distinct 1-minute slots with a heartbeat per agent; null when the store has no heartbeat data. */
  heartbeatMinutes(w: MonthWindow): { agentId: string; minutes: number }[] | null;
  /** Events that arrived during a maintenance window (stored, no ticket); absent: not counted. */
  duringMaintenance?(w: MonthWindow): number;
}

/** The ReportSource of a collector's SQLite file (read-only use of the events, tickets, advisories, heartbeats). */
export function createSqliteReportSource(db: Db): ReportSource {
  const ev = new SqliteEventQueries(db);
  const ops = new SqliteOperationsQueries(db);
  return {
    eventBreakdown: (w) => ev.breakdown(w), computers: (w) => ev.computers(w),
    distinctComputers: (w) => ev.distinctComputers(w),
    topThreats: (w, n) => ev.topThreats(w, n), outbreaks: (w, n) => ev.outbreaks(w, n),
    tickets: (w, n) => ops.tickets(w, n), advisories: (w, n) => ops.advisories(w, n),
    heartbeatMinutes: (w) => ops.heartbeatMinutes(w), duringMaintenance: (w) => ops.duringMaintenance(w),
  };
}

/** What aggregation needs besides the store. */
export interface AggregateDeps {
  source: ReportSource;
  registry: Pick<RegistryReader, 'getCustomer' | 'listAgents'>;
  /** The plan catalogue with the configuration's overrides (resolvePlans); default: the shipped one. */
  plans?: Readonly<Record<PlanId, Plan>>;
  now: Date;
}

/** Gathers the figures of one customer and month ("YYYY-MM" in the customer's zone). */
export function aggregateMonthlyReport(deps: AggregateDeps, customerId: string, month: string,
  options: { language?: Language } = {}): MonthlyReportData {
  const customer = deps.registry.getCustomer(customerId);
  if (!customer) throw new XpearsError('CUSTOMER_NOT_FOUND', `no customer has the id "${customerId}"`);
  const zone = customer.timezone || 'America/Argentina/Buenos_Aires';
  const agents = deps.registry.listAgents(customerId);
  const current = monthFigures(deps.source, monthWindow(customerId, month, zone), agents, deps.now);
  const previous = monthFigures(deps.source, monthWindow(customerId, previousMonthKey(month), zone), agents, deps.now,
    { detail: false });
  const plans = deps.plans ?? DEFAULT_PLANS;
  return {
    customer: { id: customer.id, name: customer.name, plan: customer.plan, planName: plans[customer.plan]?.name ?? customer.plan,
      timezone: zone },
    language: options.language ?? customer.language ?? 'es',
    generatedAt: deps.now.toISOString(),
    current, previous,
    maintenance: expiringMaintenance(customer, current.month.key, current.month.daysInMonth),
  };
}

/** Every figure of one month window; with `detail: false` (the previous month, for the trend) the lists stay empty
 *  and the store is spared the top-N queries. */
export function monthFigures(source: ReportSource, w: MonthWindow, agents: AgentRecord[], now: Date,
  options: { detail?: boolean } = {}): MonthFigures {
  const detail = options.detail !== false;
  const computers = detail ? source.computers(w) : [];
  return {
    month: reportMonthOf(w),
    ...foldBreakdown(source.eventBreakdown(w), w.daysInMonth),
    computers: detail ? computers.length : source.distinctComputers(w),
    topThreats: detail ? source.topThreats(w, TABLE_LIMIT) : [],
    topComputers: detail ? topComputers(computers) : [],
    outbreaks: detail ? source.outbreaks(w, TABLE_LIMIT) : [],
    outdatedDefinitions: detail ? issues(computers, 'outdated', 'outdatedLast') : [],
    notConnected: detail ? issues(computers, 'notConnected', 'notConnectedLast') : [],
    tickets: source.tickets(w, TABLE_LIMIT),
    advisories: source.advisories(w, TABLE_LIMIT),
    availability: availability(source.heartbeatMinutes(w), w, agents, now),
    duringMaintenance: source.duringMaintenance?.(w) ?? 0,
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The computers with most threat occurrences (name breaks ties). */
export function topComputers(computers: ComputerSummary[], limit = TABLE_LIMIT): ComputerRow[] {
  return computers.filter((c) => c.occurrences > 0)
    .sort((a, b) => b.occurrences - a.occurrences || byName(a, b)).slice(0, limit)
    .map((c) => ({ name: c.name, occurrences: c.occurrences, threats: c.threats, unhandled: c.unhandled, days: c.days }));
}

/** The computers with notifications of one kind, most first. */
export function issues(computers: ComputerSummary[], count: 'outdated' | 'notConnected',
  last: 'outdatedLast' | 'notConnectedLast'): ComputerIssueRow[] {
  return computers.filter((c) => c[count] > 0).sort((a, b) => b[count] - a[count] || byName(a, b))
    .map((c) => ({ name: c.name, notifications: c[count], lastSeen: c[last] ?? '' }));
}

type Folded = Pick<MonthFigures, 'notifications' | 'occurrences' | 'threats' | 'unhandledThreats' | 'byType' |
  'bySeverity' | 'perDay' | 'actions'>;

/** Folds the breakdown rows into totals and the per-type, per-severity, per-day and per-action counts. */
export function foldBreakdown(rows: BreakdownRow[], daysInMonth: number): Folded {
  const byType = new Map<EventType, number>();
  const bySeverity = new Map<Severity, number>();
  const actions = new Map<ActionTaken, number>();
  const perDay = Array<number>(daysInMonth).fill(0);
  let notifications = 0;
  let occurrences = 0;
  let threats = 0;
  let unhandledThreats = 0;
  const add = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const r of rows) {
    notifications += r.notifications;
    occurrences += r.occurrences;
    add(byType, r.eventType, r.occurrences);
    add(bySeverity, r.severity, r.occurrences);
    if (r.day >= 1 && r.day <= daysInMonth) perDay[r.day - 1] = (perDay[r.day - 1] ?? 0) + r.occurrences;
    if (THREAT_EVENT_TYPES.includes(r.eventType)) {
      threats += r.occurrences;
      if (r.unhandled) unhandledThreats += r.occurrences;
      add(actions, r.action ?? 'unknown', r.occurrences);
    }
  }
  return { notifications, occurrences, threats, unhandledThreats, perDay,
    byType: sorted(byType), bySeverity: sorted(bySeverity), actions: sorted(actions) };
}

// Most first; ties by key, so the order never depends on the database's.
function sorted<K extends string>(m: Map<K, number>): Counted<K>[] {
  return [...m].map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const MINUTE = 60_000;

/** Availability per agent: heartbeat minutes over the minutes it was due (enrolled, not revoked, not future). */
export function availability(minutes: { agentId: string; minutes: number }[] | null, w: MonthWindow,
  agents: AgentRecord[], now: Date): AvailabilityFigures {
  if (minutes === null) return { available: false, ratio: null, agents: [] };
  const start = Date.parse(w.startUtc);
  const end = Math.min(Date.parse(w.endUtc), now.getTime());
  const seen = new Map(minutes.map((m) => [m.agentId, m.minutes]));
  const known = new Map(agents.map((a) => [a.id, a]));
  const ids = [...new Set([...agents.map((a) => a.id), ...seen.keys()])].sort();
  const rows: AvailabilityFigures['agents'] = [];
  for (const id of ids) {
    const agent = known.get(id);
    const from = Math.max(start, agent ? Date.parse(agent.enrolledAt) : start);
    const to = Math.min(end, agent?.revokedAt ? Date.parse(agent.revokedAt) : end);
    const slots = Math.floor((to - from) / MINUTE);
    if (slots <= 0) continue;
    const withBeat = Math.min(slots, seen.get(id) ?? 0);
    rows.push({ agentId: id, name: agent?.name ?? id, slots, slotsWithHeartbeat: withBeat, ratio: withBeat / slots });
  }
  const slots = rows.reduce((a, r) => a + r.slots, 0);
  const beats = rows.reduce((a, r) => a + r.slotsWithHeartbeat, 0);
  return { available: true, ratio: slots === 0 ? null : beats / slots, agents: rows };
}

/** Products whose maintenance ends within 60 days after the month's last day (or ended before it). */
export function expiringMaintenance(customer: Customer, month: string, daysInMonth: number): MaintenanceRow[] {
  const lastDay = DateTime.fromISO(`${month}-${String(daysInMonth).padStart(2, '0')}`, { zone: 'UTC' });
  return customer.products
    .map((p) => ({ vendor: p.vendor, product: p.product, expires: p.maintenanceExpires,
      daysLeft: Math.round(DateTime.fromISO(p.maintenanceExpires, { zone: 'UTC' }).diff(lastDay, 'days').days) }))
    .filter((p) => Number.isFinite(p.daysLeft) && p.daysLeft <= MAINTENANCE_WINDOW_DAYS)
    .sort((a, b) => a.expires.localeCompare(b.expires) || a.product.localeCompare(b.product));
}

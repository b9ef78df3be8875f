// The detail sections after the summary: events (charts), threats, computers, support cases, advisories,
// availability and licences, recommendations. A name a console reported is always quoted (s.quote).
import { SEVERITIES } from '../../protocol/event.js';
import { recommendationsFor } from '../insights.js';
import { TABLE_LIMIT, type ComputerIssueRow, type MonthlyReportData } from '../model.js';
import { dailyBars, horizontalBars, type BarItem } from './charts.js';
import type { ReportStrings } from './i18n.js';
import { COLORS, FONT, type Pen } from './layout.js';
import { table } from './tables.js';

const VENDOR_NAMES: Record<string, string> = { eset: 'ESET', symantec: 'Symantec', broadcom: 'Broadcom' };
const vendorName = (v: string | null): string => (v === null ? '—' : VENDOR_NAMES[v] ?? v);
const riskName = (s: ReportStrings, risk: string | null): string =>
  (risk === null ? '—' : (s.severities as Record<string, string>)[risk] ?? risk);

function chartTitle(pen: Pen, text: string, height: number): void {
  pen.ensure(height + 24);
  pen.doc.font(FONT.bold).fontSize(10).fillColor(COLORS.brand).text(text, pen.left, pen.y, { width: pen.width });
  pen.y += 6;
  pen.body();
}

// Horizontal bars at the cursor (the chart's own text calls move pdfkit's y, so the top is kept here).
function bars(pen: Pen, items: BarItem[]): void {
  const top = pen.y;
  const h = horizontalBars(pen.doc, pen.left, top, pen.width, items, { int: pen.f.int, labelWidth: 150 });
  pen.y = top + h + 14;
}

/** Events per day, by type and by severity. */
export function drawEvents(pen: Pen, data: MonthlyReportData): void {
  const { s, f, doc } = pen;
  const cur = data.current;
  pen.section('events', { newPage: true });
  chartTitle(pen, s.charts.perDay, 160);
  const prevAvg = data.previous.occurrences / data.previous.month.daysInMonth;
  const top = pen.y;
  dailyBars(doc, { x: pen.left, y: top, w: pen.width, h: 160 }, cur.perDay,
    { int: f.int, num: f.num, reference: prevAvg > 0 ? Math.round(prevAvg * 10) / 10 : undefined,
      referenceLabel: s.charts.previousAverage });
  pen.y = top + 178;
  const types = cur.byType.filter((t) => t.count > 0);
  chartTitle(pen, s.charts.byType, types.length * 15);
  bars(pen, types.map((t) => ({ label: s.eventTypes[t.key], value: t.count })));
  chartTitle(pen, s.charts.bySeverity, SEVERITIES.length * 15);
  bars(pen, SEVERITIES.map((sev) => ({ label: s.severities[sev],
    value: cur.bySeverity.find((b) => b.key === sev)?.count ?? 0, color: COLORS.severity[sev] })));
}

/** Actions on threats, top threats and outbreaks. */
export function drawThreats(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  const cur = data.current;
  pen.section('threats');
  if (cur.threats === 0) {
    pen.paragraph(s.noThreats);
    return;
  }
  const actions = cur.actions.filter((a) => a.count > 0);
  chartTitle(pen, s.charts.actions, actions.length * 15);
  bars(pen, actions.map((a) => ({ label: s.actions[a.key], value: a.count,
    color: a.key === 'failed' || a.key === 'left-alone' ? COLORS.bad : COLORS.good })));
  pen.subheading(s.topThreats);
  table(pen, [
    { header: s.col.threat, width: 3.2 }, { header: s.col.occurrences, width: 1, align: 'right' },
    { header: s.col.computers, width: 1, align: 'right' }, { header: s.col.unhandled, width: 1.1, align: 'right' },
    { header: s.col.firstSeen, width: 1.7 }, { header: s.col.lastSeen, width: 1.7 },
  ], cur.topThreats.map((t) => [s.quote(t.name), f.int(t.occurrences), f.int(t.computers), f.int(t.unhandled),
    f.dateTime(t.firstSeen), f.dateTime(t.lastSeen)]));
  if (cur.outbreaks.length > 0) {
    pen.subheading(s.outbreaks);
    table(pen, [
      { header: s.col.date, width: 1.6 }, { header: s.col.threat, width: 3 },
      { header: s.col.affected, width: 1.3, align: 'right' }, { header: s.col.occurrences, width: 1, align: 'right' },
    ], cur.outbreaks.map((o) => [f.dateTime(o.occurredAt), o.threatName ? s.quote(o.threatName) : '—', f.int(o.computersAffected),
      f.int(o.occurrences)]));
  }
}

function issueTable(pen: Pen, title: string, rows: ComputerIssueRow[]): void {
  const { s, f } = pen;
  pen.subheading(title);
  if (rows.length === 0) {
    pen.paragraph(s.noneInMonth, { color: COLORS.muted });
    return;
  }
  table(pen, [{ header: s.col.computer, width: 3 }, { header: s.col.notifications, width: 1, align: 'right' },
    { header: s.col.lastSeen, width: 1.6 }],
  rows.slice(0, TABLE_LIMIT).map((r) => [s.quote(r.name), f.int(r.notifications), f.dateTime(r.lastSeen)]),
  rows.length > TABLE_LIMIT ? s.moreRows(f.int(rows.length - TABLE_LIMIT)) : undefined);
}

/** Computers with most threats, outdated definitions, not connected. */
export function drawComputers(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  const cur = data.current;
  pen.section('computers');
  if (cur.topComputers.length > 0) {
    pen.subheading(s.topComputers);
    table(pen, [
      { header: s.col.computer, width: 3 }, { header: s.col.occurrences, width: 1, align: 'right' },
      { header: s.col.threats, width: 1.4, align: 'right' }, { header: s.col.unhandled, width: 1.1, align: 'right' },
      { header: s.col.days, width: 0.8, align: 'right' },
    ], cur.topComputers.map((c) => [s.quote(c.name), f.int(c.occurrences), f.int(c.threats), f.int(c.unhandled), f.int(c.days)]));
  }
  issueTable(pen, s.outdatedDefinitions, cur.outdatedDefinitions);
  issueTable(pen, s.notConnected, cur.notConnected);
}

/** Support cases opened in the month. */
export function drawTickets(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  const t = data.current.tickets;
  pen.section('tickets');
  if (!t.available) return pen.paragraph(s.noTicketData, { color: COLORS.muted });
  if (t.opened === 0) return pen.paragraph(s.noneInMonth, { color: COLORS.muted });
  const mins = (m: number | null) => (m === null ? null : f.minutes(m));
  pen.paragraph(s.ticketsSummary({ opened: f.int(t.opened), met: f.int(t.met), missed: f.int(t.missed),
    median: mins(t.medianFirstResponseMinutes), average: mins(t.averageFirstResponseMinutes) }));
  table(pen, [
    { header: s.col.kind, width: 2.4 }, { header: s.col.opened, width: 1, align: 'right' },
    { header: s.col.met, width: 1, align: 'right' }, { header: s.col.missed, width: 1, align: 'right' },
    { header: s.col.pending, width: 1, align: 'right' },
  ], t.byKind.map((k) => [s.caseKinds[k.kind], f.int(k.opened), f.int(k.met), f.int(k.missed), f.int(k.pending)]));
  pen.subheading(s.ticketList);
  table(pen, [
    { header: s.col.ticket, width: 1.5 }, { header: s.col.subject, width: 2.35 }, { header: s.col.kind, width: 1.95 },
    { header: s.col.opened, width: 1.55 }, { header: s.col.firstResponse, width: 1.55 },
    { header: s.col.result, width: 1 },
  ], t.list.map((r) => [r.ref, r.subject, s.caseKinds[r.kind], f.dateTime(r.openedAt),
    r.firstResponseAt ? f.dateTime(r.firstResponseAt) : '—',
    r.responseMet === null ? '—' : r.responseMet ? s.metYes : s.metNo]),
  t.opened > t.list.length ? s.moreRows(f.int(t.opened - t.list.length)) : undefined);
}

/** Advisories relayed to the customer's contacts. */
export function drawAdvisories(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  const a = data.current.advisories;
  pen.section('advisories');
  if (!a.available) return pen.paragraph(s.noAdvisoryData, { color: COLORS.muted });
  if (a.relayed === 0) return pen.paragraph(s.noneInMonth, { color: COLORS.muted });
  table(pen, [{ header: s.col.date, width: 1.5 }, { header: s.col.title, width: 4.4 },
    { header: s.col.vendor, width: 1.1 }, { header: s.col.risk, width: 1 }],
  a.list.map((r) => [f.dateTime(r.relayedAt), r.title, vendorName(r.vendor), riskName(s, r.risk)]),
  a.relayed > a.list.length ? s.moreRows(f.int(a.relayed - a.list.length)) : undefined);
}

/** Agent availability and licence maintenance. */
export function drawOperations(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  const av = data.current.availability;
  pen.section('operations');
  if (!av.available || av.ratio === null) pen.paragraph(s.noHeartbeatData, { color: COLORS.muted });
  else {
    pen.paragraph(s.availabilityLine(f.pct(av.ratio, 2)));
    table(pen, [{ header: s.col.agent, width: 3 }, { header: s.col.availability, width: 1, align: 'right' }],
      av.agents.map((a) => [a.name, f.pct(a.ratio, 2)]));
  }
  pen.subheading(s.maintenance);
  if (data.maintenance.length === 0) return pen.paragraph(s.noMaintenance, { color: COLORS.muted });
  table(pen, [{ header: s.col.product, width: 3 }, { header: s.col.vendor, width: 1.2 },
    { header: s.col.expires, width: 1.3 }, { header: s.col.daysLeft, width: 1.1, align: 'right' }],
  data.maintenance.map((m) => [m.product, vendorName(m.vendor), f.date(m.expires),
    m.daysLeft < 0 ? s.expired : f.int(m.daysLeft)]));
}

/** Every recommendation derived from the figures. */
export function drawRecommendations(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  pen.section('recommendations');
  const recs = recommendationsFor(data);
  if (recs.length === 0) pen.bullet(s.noRecommendations, COLORS.good);
  for (const r of recs) pen.bullet(s.recommendation(r, f));
}

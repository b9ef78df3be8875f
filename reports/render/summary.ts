// The executive summary: key-figure cards, what happened in plain words, the trend and what needs attention.
import { recommendationsFor, trendOf } from '../insights.js';
import type { MonthlyReportData } from '../model.js';
import { monthLabelOf } from './cover.js';
import { COLORS, type Pen } from './layout.js';
import { cards, table } from './tables.js';

const ATTENTION_SHOWN = 4;

/** Writes the executive summary section. */
export function drawSummary(pen: Pen, data: MonthlyReportData): void {
  const { s, f } = pen;
  const cur = data.current;
  const prev = data.previous;
  const label = monthLabelOf(s, cur.month);
  const prevLabel = monthLabelOf(s, prev.month);
  const trend = trendOf(cur, prev);
  pen.section('summary', { newPage: true });

  const changeNote = trend.occurrences.change === null ? undefined
    : `${trend.occurrences.change >= 0 ? '+' : '−'}${f.pct(Math.abs(trend.occurrences.change))} ${s.vsPrevious}`;
  cards(pen, [
    { caption: s.cards.occurrences, value: f.int(cur.occurrences), note: changeNote },
    { caption: s.cards.threats, value: f.int(cur.threats) },
    { caption: s.cards.unhandled, value: f.int(cur.unhandledThreats),
      color: cur.unhandledThreats > 0 ? COLORS.bad : COLORS.good },
    { caption: s.cards.tickets, value: cur.tickets.available ? f.int(cur.tickets.opened) : s.noData },
    { caption: s.cards.availability, value: cur.availability.ratio === null ? s.noData : f.pct(cur.availability.ratio, 1) },
  ]);

  if (cur.notifications === 0) {
    pen.paragraph(s.quietMonth(label));
  } else {
    pen.paragraph(s.opening({ monthLabel: label, occurrences: f.int(cur.occurrences),
      notifications: f.int(cur.notifications), computers: f.int(cur.computers) }));
    pen.paragraph(cur.threats === 0 ? s.noThreats : s.threatsLine({ threats: f.int(cur.threats),
      handled: f.int(cur.threats - cur.unhandledThreats), unhandled: f.int(cur.unhandledThreats) }));
  }
  pen.paragraph(s.trendLine({ previousLabel: prevLabel, change: trend.occurrences.change,
    pct: trend.occurrences.change === null ? '' : f.pct(Math.abs(trend.occurrences.change)),
    before: f.int(prev.occurrences) }));
  if (cur.tickets.available && cur.tickets.opened > 0) {
    const median = cur.tickets.medianFirstResponseMinutes;
    pen.paragraph(s.ticketsLine({ opened: f.int(cur.tickets.opened), met: f.int(cur.tickets.met),
      missed: f.int(cur.tickets.missed), median: median === null ? null : f.minutes(median) }));
  }
  if ((cur.duringMaintenance ?? 0) > 0) pen.paragraph(s.maintenanceLine(f.int(cur.duringMaintenance ?? 0)));

  pen.subheading(s.needsAttention);
  const recs = recommendationsFor(data);
  if (recs.length === 0) pen.bullet(s.nothingNeeded, COLORS.good);
  for (const r of recs.slice(0, ATTENTION_SHOWN)) pen.bullet(s.recommendation(r, f), COLORS.bad);
  if (recs.length > ATTENTION_SHOWN) pen.paragraph(s.seeAllRecommendations(f.int(recs.length - ATTENTION_SHOWN)), { color: COLORS.muted });
  pen.y += 6;

  const avail = (r: number | null) => (r === null ? s.noData : f.pct(r, 1));
  const tickets = (t: typeof cur.tickets) => (t.available ? f.int(t.opened) : s.noData);
  const advisories = (a: typeof cur.advisories) => (a.available ? f.int(a.relayed) : s.noData);
  table(pen, [
    { header: s.col.figure, width: 3 },
    { header: s.col.thisMonth, width: 1.3, align: 'right' },
    { header: s.col.lastMonth, width: 1.3, align: 'right' },
  ], [
    [s.cards.occurrences, f.int(cur.occurrences), f.int(prev.occurrences)],
    [s.col.notifications, f.int(cur.notifications), f.int(prev.notifications)],
    [s.cards.threats, f.int(cur.threats), f.int(prev.threats)],
    [s.cards.unhandled, f.int(cur.unhandledThreats), f.int(prev.unhandledThreats)],
    [s.col.computers, f.int(cur.computers), f.int(prev.computers)],
    [s.cards.tickets, tickets(cur.tickets), tickets(prev.tickets)],
    [s.sections.advisories, advisories(cur.advisories), advisories(prev.advisories)],
    [s.cards.availability, avail(cur.availability.ratio), avail(prev.availability.ratio)],
  ]);
}

// What the figures mean: recommendations and trend derived from a month's data. Pure; language-free codes that
// render/i18n turns into sentences, so the same rules drive both languages and are tested once.
import { REPEATED_INFECTION_THRESHOLD, type MonthlyReportData, type MonthFigures } from './model.js';

/** One recommendation, with the figures its sentence needs. */
export type Recommendation =
  | { code: 'ransomware'; count: number }
  | { code: 'failed-actions'; count: number }
  | { code: 'repeated-infection'; computers: { name: string; occurrences: number; days: number }[]; total: number }
  | { code: 'outbreak'; count: number }
  | { code: 'outdated-definitions'; computers: string[]; total: number }
  | { code: 'not-connected'; computers: string[]; total: number }
  | { code: 'maintenance-expired'; product: string; expires: string }
  | { code: 'maintenance-expiring'; product: string; expires: string; daysLeft: number }
  | { code: 'response-missed'; missed: number; opened: number }
  | { code: 'low-availability'; ratio: number };

/** Below this mean agent availability the report recommends checking the agent's host and network. */
export const AVAILABILITY_TARGET = 0.99;
const NAMES_SHOWN = 5;

/** Recommendations in order of urgency; empty when the month needs nothing from the customer. */
export function recommendationsFor(data: MonthlyReportData): Recommendation[] {
  const m = data.current;
  const out: Recommendation[] = [];
  const ransomware = m.byType.find((t) => t.key === 'ransomware')?.count ?? 0;
  if (ransomware > 0) out.push({ code: 'ransomware', count: ransomware });
  if (m.unhandledThreats > 0) out.push({ code: 'failed-actions', count: m.unhandledThreats });
  // A computer hit again on another day is a likely reinfection: one recommendation names the worst few.
  const repeated = m.topComputers.filter((c) => c.occurrences >= REPEATED_INFECTION_THRESHOLD && c.days >= 2);
  if (repeated.length > 0) {
    out.push({ code: 'repeated-infection', total: repeated.length, computers: repeated.slice(0, 3)
      .map((c) => ({ name: c.name, occurrences: c.occurrences, days: c.days })) });
  }
  if (m.outbreaks.length > 0) out.push({ code: 'outbreak', count: m.outbreaks.length });
  if (m.outdatedDefinitions.length > 0) {
    out.push({ code: 'outdated-definitions', total: m.outdatedDefinitions.length,
      computers: m.outdatedDefinitions.slice(0, NAMES_SHOWN).map((c) => c.name) });
  }
  if (m.notConnected.length > 0) {
    out.push({ code: 'not-connected', total: m.notConnected.length,
      computers: m.notConnected.slice(0, NAMES_SHOWN).map((c) => c.name) });
  }
  for (const p of data.maintenance) {
    if (p.daysLeft < 0) out.push({ code: 'maintenance-expired', product: p.product, expires: p.expires });
    else out.push({ code: 'maintenance-expiring', product: p.product, expires: p.expires, daysLeft: p.daysLeft });
  }
  if (m.tickets.missed > 0) out.push({ code: 'response-missed', missed: m.tickets.missed, opened: m.tickets.opened });
  if (m.availability.ratio !== null && m.availability.ratio < AVAILABILITY_TARGET) {
    out.push({ code: 'low-availability', ratio: m.availability.ratio });
  }
  return out;
}

/** Relative change from `before` to `now`: null when there is nothing to compare against. */
export function change(now: number, before: number): number | null {
  if (before === 0) return null;
  return (now - before) / before;
}

/** The headline comparisons of the executive summary. */
export interface Trend {
  occurrences: { now: number; before: number; change: number | null };
  threats: { now: number; before: number; change: number | null };
  unhandled: { now: number; before: number; change: number | null };
}

/** Compares the month's headline figures with the previous month's. */
export function trendOf(current: MonthFigures, previous: MonthFigures): Trend {
  const pair = (now: number, before: number) => ({ now, before, change: change(now, before) });
  return {
    occurrences: pair(current.occurrences, previous.occurrences),
    threats: pair(current.threats, previous.threats),
    unhandled: pair(current.unhandledThreats, previous.unhandledThreats),
  };
}

/** True when the month has nothing at all to show beyond the cover and the summary. */
export function isQuietMonth(m: MonthFigures): boolean {
  return m.notifications === 0 && m.tickets.opened === 0 && m.advisories.relayed === 0;
}

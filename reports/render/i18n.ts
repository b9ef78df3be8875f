// The report's words: one table per language with the same shape, so a missing sentence is a type error.
import type { ActionTaken, EventType, Severity } from '../../protocol/event.js';
import type { CaseKind } from '../../config/plans.js';
import type { Language } from '../../collector/notify/types.js';
import type { Recommendation } from '../insights.js';
import { ES } from './i18n-es.js';
import { EN } from './i18n-en.js';

/** Section titles, in document order. */
export interface SectionTitles {
  summary: string;
  events: string;
  threats: string;
  computers: string;
  tickets: string;
  advisories: string;
  operations: string;
  recommendations: string;
}

/** Every text of the report in one language. Functions take figures already formatted for that language. */
export interface ReportStrings {
  /** BCP 47 locale for Intl number formatting. */
  locale: string;
  months: readonly [string, string, string, string, string, string, string, string, string, string, string, string];
  /** "octubre de 2026" / "October 2026". */
  monthLabel(monthName: string, year: number): string;
  docTitle(customer: string, monthLabel: string): string;
  docSubject: string;
  coverTitle: string;
  coverSubtitle: string;
  customer: string;
  period: string;
  plan: string;
  preparedBy: string;
  generatedOn: string;
  contents: string;
  page(n: number, of: number): string;
  sections: SectionTitles;
  cards: { occurrences: string; threats: string; unhandled: string; tickets: string; availability: string };
  noData: string;
  quietMonth(monthLabel: string): string;
  opening(p: { monthLabel: string; occurrences: string; notifications: string; computers: string }): string;
  threatsLine(p: { threats: string; handled: string; unhandled: string }): string;
  noThreats: string;
  trendLine(p: { previousLabel: string; change: number | null; pct: string; before: string }): string;
  ticketsLine(p: { opened: string; met: string; missed: string; median: string | null }): string;
  /** Events that arrived during maintenance windows (stored, no case opened). */
  maintenanceLine(count: string): string;
  needsAttention: string;
  seeAllRecommendations(more: string): string;
  nothingNeeded: string;
  vsPrevious: string;
  topThreats: string;
  topComputers: string;
  ticketList: string;
  charts: { perDay: string; byType: string; bySeverity: string; actions: string; previousAverage: string };
  col: {
    threat: string; occurrences: string; computers: string; unhandled: string; firstSeen: string; lastSeen: string;
    computer: string; threats: string; days: string; notifications: string; ticket: string; subject: string;
    kind: string; opened: string; firstResponse: string; result: string; met: string; missed: string; pending: string;
    date: string; title: string; vendor: string; risk: string; agent: string; availability: string;
    product: string; expires: string; daysLeft: string; affected: string; figure: string; thisMonth: string;
    lastMonth: string;
  };
  outbreaks: string;
  outdatedDefinitions: string;
  notConnected: string;
  noneInMonth: string;
  noTicketData: string;
  noAdvisoryData: string;
  noHeartbeatData: string;
  ticketsSummary(p: { opened: string; met: string; missed: string; median: string | null; average: string | null }): string;
  metYes: string;
  metNo: string;
  availabilityLine(pct: string): string;
  maintenance: string;
  noMaintenance: string;
  expired: string;
  moreRows(n: string): string;
  /** A name a console reported (a computer, a threat), quoted as the console's words: «PC-01» / “PC-01”. */
  quote(consoleText: string): string;
  eventTypes: Record<EventType, string>;
  severities: Record<Severity, string>;
  actions: Record<ActionTaken, string>;
  caseKinds: Record<CaseKind | 'other', string>;
  recommendation(r: Recommendation, f: Formatters): string;
  noRecommendations: string;
}

/** Number, percentage, duration and date formatting in the report's language and the customer's zone. */
export interface Formatters {
  int(n: number): string;
  /** A number with up to `digits` decimals. */
  num(n: number, digits: number): string;
  pct(ratio: number, digits?: number): string;
  minutes(m: number): string;
  date(isoDate: string): string;
  dateTime(iso: string): string;
}

/** The words of one language. */
export function stringsFor(language: Language): ReportStrings {
  return language === 'en' ? EN : ES;
}

// The typed figures of one customer-month: what aggregate.ts produces and render/ draws. Plain data, no behaviour.
import type { ActionTaken, EventType, Severity } from '../protocol/event.js';
import type { CaseKind } from '../config/plans.js';
import type { Language } from '../collector/notify/types.js';
import type { PlanId } from '../collector/registry/types.js';

/** A calendar month in the customer's zone, with its bounds as UTC instants [startUtc, endUtc). */
export interface ReportMonth {
  /** "YYYY-MM". */
  key: string;
  year: number;
  /** 1–12. */
  month: number;
  daysInMonth: number;
  zone: string;
  startUtc: string;
  endUtc: string;
}

/** A name with how many occurrences it stands for. */
export interface Counted<K extends string = string> {
  key: K;
  count: number;
}

/** One row of the top-threats table. */
export interface ThreatRow {
  name: string;
  occurrences: number;
  computers: number;
  unhandled: number;
  firstSeen: string;
  lastSeen: string;
}

/** One row of the top-computers table (threat events only). */
export interface ComputerRow {
  name: string;
  occurrences: number;
  threats: number;
  unhandled: number;
  /** Local days (customer's zone) with at least one threat: a repeated infection spans several. */
  days: number;
}

/** An outbreak notification. */
export interface OutbreakRow {
  occurredAt: string;
  threatName: string | null;
  computersAffected: number;
  occurrences: number;
}

/** A computer reported with outdated definitions or not connected. */
export interface ComputerIssueRow {
  name: string;
  notifications: number;
  lastSeen: string;
}

/** Tickets opened in the month, per case kind. */
export interface TicketKindRow {
  kind: CaseKind | 'other';
  opened: number;
  met: number;
  missed: number;
  /** No first response yet and still inside the target, or unknown. */
  pending: number;
}

/** One ticket line of the tickets table. */
export interface TicketRow {
  ref: string;
  subject: string;
  kind: CaseKind | 'other';
  openedAt: string;
  firstResponseAt: string | null;
  responseMet: boolean | null;
}

/** Ticket figures; `available` false when the store has no ticket table (then every count is zero). */
export interface TicketFigures {
  available: boolean;
  opened: number;
  met: number;
  missed: number;
  byKind: TicketKindRow[];
  /** Wall-clock minutes from opening to first response, over tickets that had one. */
  medianFirstResponseMinutes: number | null;
  averageFirstResponseMinutes: number | null;
  /** The most recent tickets, at most TABLE_LIMIT. */
  list: TicketRow[];
}

/** An advisory relayed to this customer. */
export interface AdvisoryRow {
  relayedAt: string;
  title: string;
  vendor: string | null;
  risk: string | null;
}

/** Advisory figures; `available` false when the store has no advisory tables. */
export interface AdvisoryFigures {
  available: boolean;
  relayed: number;
  list: AdvisoryRow[];
}

/** Agent availability: the fraction of 1-minute slots that held a heartbeat. */
export interface AvailabilityFigures {
  available: boolean;
  /** Heartbeat minutes over due minutes, all agents together, 0–1; null when no agent was due in the month. */
  ratio: number | null;
  agents: { agentId: string; name: string; slots: number; slotsWithHeartbeat: number; ratio: number }[];
}

/** Everything counted over one month. Occurrences are SUM(count): one aggregated notification may stand for many. */
export interface MonthFigures {
  month: ReportMonth;
  /** Stored event rows (notifications received). */
  notifications: number;
  /** Occurrences: the sum of every event's count. */
  occurrences: number;
  /** Occurrences of threat events (threat-detected, threat-not-cleaned, ransomware, outbreak). */
  threats: number;
  /** Threat occurrences the product did not resolve (handled = 0 or action failed / left alone). */
  unhandledThreats: number;
  /** Distinct computer names seen in any event. */
  computers: number;
  byType: Counted<EventType>[];
  bySeverity: Counted<Severity>[];
  /** One entry per local day of the month, day 1 first. */
  perDay: number[];
  actions: Counted<ActionTaken>[];
  topThreats: ThreatRow[];
  topComputers: ComputerRow[];
  outbreaks: OutbreakRow[];
  outdatedDefinitions: ComputerIssueRow[];
  notConnected: ComputerIssueRow[];
  tickets: TicketFigures;
  advisories: AdvisoryFigures;
  availability: AvailabilityFigures;
  /** Events that arrived during a maintenance window: stored and counted here, no ticket (docs/noise.md). */
  duringMaintenance?: number;
}

/** A product whose maintenance ends within the warning window after the month's end (or has ended). */
export interface MaintenanceRow {
  vendor: string;
  product: string;
  expires: string;
  /** Days from the month's last day to the expiry; negative when already expired. */
  daysLeft: number;
}

/** The whole input of one monthly report. */
export interface MonthlyReportData {
  customer: { id: string; name: string; plan: PlanId; planName: string; timezone: string };
  language: Language;
  /** When the report was produced (document metadata); fixed in tests for deterministic output. */
  generatedAt: string;
  current: MonthFigures;
  previous: MonthFigures;
  maintenance: MaintenanceRow[];
}

/** Rows kept in each top-N list and table. */
export const TABLE_LIMIT = 10;
/** Threat occurrences on one computer (on two local days or more) from which it counts as a repeated infection. */
export const REPEATED_INFECTION_THRESHOLD = 3;
/** Days after the month's end within which expiring maintenance is reported. */
export const MAINTENANCE_WINDOW_DAYS = 60;

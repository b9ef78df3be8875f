// The one typed event model every vendor parser produces and every later stage (triage, tickets, reports) reads.
// Event types are a closed list; docs/events.md describes each one.

/** The vendors we understand. `unknown` when detection found none. */
export const VENDORS = ['eset', 'symantec', 'unknown'] as const;
export type Vendor = (typeof VENDORS)[number];

/** What happened, in the product's terms. Closed list: a parser maps every input to one of these. */
export const EVENT_TYPES = [
  'threat-detected',
  'threat-not-cleaned',
  'outbreak',
  'ransomware',
  'firewall-attack',
  'hips',
  'web-filtered',
  'blocked-file',
  'definitions-outdated',
  'client-not-connected',
  'licence',
  'server-health',
  'authentication-failure',
  'audit',
  'edr-alert',
  'unclassified',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Normalized severity, one scale for every vendor. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the product did about a threat. */
export const ACTIONS = ['cleaned', 'quarantined', 'deleted', 'blocked', 'left-alone', 'failed', 'unknown'] as const;
export type ActionTaken = (typeof ACTIONS)[number];

/** The computer an event concerns. */
export interface Computer {
  name?: string;
  ip?: string;
  user?: string;
  domain?: string;
  os?: string;
}

/** The threat an event concerns. */
export interface Threat {
  name?: string;
  /** Vendor's own category: trojan, virus, PUA, ransomware, exploit, … */
  type?: string;
  /** File path, URL or process involved. */
  object?: string;
  hash?: string;
}

/** One event understood from a capture. A capture may yield several (a table of detections). */
export interface ParsedEvent {
  vendor: Vendor;
  /** Product as named by the source: "ESET PROTECT", "Symantec Endpoint Protection Manager", … */
  product?: string;
  eventType: EventType;
  /** The vendor's severity exactly as sent ("Warning", "4", "Crítico"). */
  vendorSeverity?: string;
  severity: Severity;
  /** ISO 8601 UTC instant the event happened, as the source says; the capture time when it says nothing. */
  occurredAt: string;
  computer?: Computer;
  threat?: Threat;
  action?: ActionTaken;
  /** The product's own words for the action ("cleaned by deleting", "Quarantined"). */
  actionText?: string;
  /** True when the product resolved it (cleaned, quarantined, blocked); false when it needs a person. */
  handled?: boolean;
  /** Aggregated notifications: how many occurrences and computers this one event stands for. */
  count?: number;
  computersAffected?: number;
  /** One line a person reads first. */
  summary: string;
  /** Which parser produced it and from which format (e.g. "eset/json", "symantec/syslog-risk"). */
  format: string;
  /** Field names the parser could not place, kept for a later parser. */
  extra?: Record<string, string>;
}

/** A parsed event as stored at the collector, with its identity and origin. */
export interface StoredEvent extends ParsedEvent {
  id: string;
  envelopeId: string;
  customerId: string;
  agentId: string;
  /** The raw text the event came from. */
  raw: string;
  receivedAt: string;
}

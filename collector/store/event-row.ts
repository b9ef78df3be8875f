// An event as one row of `events`: every field the columns hold is stored there only, and `detail` keeps the rest
// (the computer's domain and OS, the product's action text, the fields no parser placed) as a small JSON object, so
// an event is stored once, not as columns plus a second full copy (issue 20). Reading puts the event back together
// from both. Rows written before this (a `detail` with the whole event, summary included) read the same way: their
// column fields are taken from the columns and the rest from `detail`, so both shapes live side by side until
// `compactEventDetails` rewrites the old ones.
import type { ActionTaken, EventType, ParsedEvent, Severity, Vendor } from '../../protocol/event.js';

/** The event columns a read selects (after the row's identity), in the order eventOfRow reads them. */
export const EVENT_FIELD_COLUMNS = `ev.vendor, ev.product, ev.event_type, ev.severity, ev.vendor_severity, ev.occurred_at, ev.computer_name,
  ev.computer_ip, ev.computer_user, ev.threat_name, ev.threat_type, ev.threat_object, ev.threat_hash, ev.action, ev.handled, ev.count,
  ev.computers_affected, ev.summary, ev.format, ev.detail`;

/** The event's fields as the columns hold them. */
export interface EventFieldsRow {
  vendor: string; product: string | null; event_type: string; severity: string; vendor_severity: string | null; occurred_at: string;
  computer_name: string | null; computer_ip: string | null; computer_user: string | null; threat_name: string | null;
  threat_type: string | null; threat_object: string | null; threat_hash: string | null; action: string | null;
  handled: number | null; count: number; computers_affected: number | null; summary: string; format: string; detail: string;
}

// Top-level fields a column holds exactly (absent is NULL). `count` is special: absent is stored as 1, so an explicit
// 1 is the one value `detail` must mark. `computer` and `threat` are partly in columns.
const IN_COLUMNS = new Set(['vendor', 'product', 'eventType', 'severity', 'vendorSeverity', 'occurredAt', 'action', 'handled',
  'computersAffected', 'summary', 'format']);
// What a stored event carries beyond the parsed one: never part of `detail` (the raw text is the envelope's).
const IDENTITY = new Set(['id', 'envelopeId', 'customerId', 'agentId', 'raw', 'receivedAt']);
const COMPUTER_COLUMNS = ['name', 'ip', 'user'] as const;
const THREAT_COLUMNS = ['name', 'type', 'object', 'hash'] as const;

// What of `part` the columns do not hold; `{}` for a part present but with nothing in its columns (so it reads back
// present), undefined when the columns hold it all.
function partRest(part: Record<string, unknown> | undefined, columns: readonly string[]): Record<string, unknown> | undefined {
  if (part === undefined || part === null) return undefined;
  const rest: Record<string, unknown> = {};
  let inColumns = false;
  for (const k in part) {
    const v = part[k];
    if (v === undefined) continue;
    if (columns.includes(k)) inColumns = true;
    else rest[k] = v;
  }
  return inColumns && Object.keys(rest).length === 0 ? undefined : rest;
}

/** What of an event its columns do not hold, as an object (empty for most events). */
export function eventRest(ev: ParsedEvent): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  const fields = ev as unknown as Record<string, unknown>;
  // for…in rather than Object.entries: this runs for every event stored, on the thread that stores.
  for (const k in fields) {
    const v = fields[k];
    if (v === undefined || IN_COLUMNS.has(k) || IDENTITY.has(k)) continue;
    if (k === 'computer' || k === 'threat') {
      const r = partRest(v as Record<string, unknown>, k === 'computer' ? COMPUTER_COLUMNS : THREAT_COLUMNS);
      if (r !== undefined) rest[k] = r;
    } else if (k === 'count') {
      if (v === 1) rest.count = 1;
    } else {
      rest[k] = v;
    }
  }
  return rest;
}

/** The `detail` stored for an event: eventRest as JSON. */
export function eventDetail(ev: ParsedEvent): string {
  const rest = eventRest(ev);
  for (const _ in rest) return JSON.stringify(rest);
  return '{}';
}

// A part (computer, threat) put back together: its columns, then the rest; absent when neither has anything.
function part(columns: Record<string, string | null>, rest: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = rest !== undefined && rest !== null;
  for (const [k, v] of Object.entries(columns)) if (v !== null) { out[k] = v; any = true; }
  if (any && rest && typeof rest === 'object') Object.assign(out, rest);
  return any ? out : undefined;
}

/**
 * The parsed event of a row, and the raw text a row written before the raw text moved to the envelope still carries.
 * `detail` in either shape (only the rest, or the whole event) is first reduced to its rest, so the columns are what
 * a read believes.
 */
export function eventOfRow(r: EventFieldsRow): { event: ParsedEvent; raw?: string } {
  const stored = JSON.parse(r.detail) as Record<string, unknown> & { raw?: string };
  const rest = eventRest(stored as unknown as ParsedEvent);
  // Fields in the order ParsedEvent declares them, so an event printed as JSON reads as the parser made it.
  const ev = { vendor: r.vendor as Vendor } as ParsedEvent;
  if (r.product !== null) ev.product = r.product;
  ev.eventType = r.event_type as EventType;
  if (r.vendor_severity !== null) ev.vendorSeverity = r.vendor_severity;
  ev.severity = r.severity as Severity;
  ev.occurredAt = r.occurred_at;
  const computer = part({ name: r.computer_name, ip: r.computer_ip, user: r.computer_user }, rest.computer);
  if (computer) ev.computer = computer;
  const threat = part({ name: r.threat_name, type: r.threat_type, object: r.threat_object, hash: r.threat_hash }, rest.threat);
  if (threat) ev.threat = threat;
  if (r.action !== null) ev.action = r.action as ActionTaken;
  if (typeof rest.actionText === 'string') ev.actionText = rest.actionText;
  if (r.handled !== null) ev.handled = r.handled === 1;
  if (r.count !== 1 || rest.count === 1) ev.count = r.count;
  if (r.computers_affected !== null) ev.computersAffected = r.computers_affected;
  ev.summary = r.summary;
  ev.format = r.format;
  for (const [k, v] of Object.entries(rest)) {
    if (k !== 'computer' && k !== 'threat' && k !== 'count' && k !== 'actionText') (ev as unknown as Record<string, unknown>)[k] = v;
  }
  return typeof stored.raw === 'string' ? { event: ev, raw: stored.raw } : { event: ev };
}

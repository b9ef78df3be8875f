// One exported ESET event (JSON keys; CEF and LEEF are translated to the same keys first) → ParsedEvent. The keys
// are read lower-cased and in both spellings seen on the wire (`occured`/`occurred`, `group_desription`).
import type { Computer, ParsedEvent, Severity } from '../../../protocol/event.js';
import { maxSeverity, stringOf } from '../common/normalize.js';
import { parseVendorTime } from '../common/time.js';
import { mapTypedEvent } from './event-types.js';
import { esetSeverity } from './severity.js';

/** An exported event as key → value, keys lower-cased. */
export type EsetRecord = Record<string, unknown>;

/** The event kinds of ESET's export, as our closed names; `other` for a type we do not know. */
export type EsetExportKind = 'threat' | 'firewall' | 'hips' | 'audit' | 'website' | 'inspect' | 'blocked-file' | 'other';

/** ESET's `event_type` → its kind, case-insensitively and tolerant of the names seen on the wire. */
export function exportKind(eventType: string | undefined): EsetExportKind {
  const t = (eventType ?? '').toLowerCase().replace(/[\s_-]/g, '');
  if (t.startsWith('threat')) return 'threat';
  if (t.startsWith('firewall')) return 'firewall';
  if (t.startsWith('hips')) return 'hips';
  if (t.startsWith('audit')) return 'audit';
  if (t.startsWith('filteredwebsite')) return 'website';
  if (t.startsWith('enterpriseinspector') || t.includes('inspectalert') || t.startsWith('esetinspect')) return 'inspect';
  if (t.startsWith('blockedfile')) return 'blocked-file';
  return 'other';
}

/** Keys placed in the event's own fields; every other non-empty key (audit's domain, target, detail, result…) is
 *  kept in `extra`. */
const PLACED_KEYS = new Set([
  'event_type', 'ipv4', 'ipv6', 'hostname', 'occured', 'occurred', 'severity', 'os_name', 'username', 'user',
  'threat_name', 'threat_type', 'object_uri', 'hash', 'action_taken', 'threat_handled', 'handled', 'action',
  'event', 'aggregate_count', 'count', 'rulename', 'rule_name', 'product',
]);

/** Reads a key in any case; the first of several spellings that has a value. */
export function field(record: EsetRecord, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = stringOf(record[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Lower-cases the keys of a parsed JSON object, so `Event_Type` and `event_type` read the same. */
export function lowerKeys(object: Record<string, unknown>): EsetRecord {
  // The export writes its keys in lower case: then the object already is the record, and is not copied. (A
  // `__proto__` key is left to the copy, where assigning it sets the prototype instead of adding a key.)
  if (Object.keys(object).every((key) => key !== '__proto__' && key.toLowerCase() === key)) return object;
  const record: EsetRecord = {};
  for (const key of Object.keys(object)) record[key.toLowerCase()] = object[key];
  return record;
}

/** What every exported event shares, already normalized. */
export interface CommonFields {
  vendorSeverity?: string;
  baseSeverity?: Severity;
  occurredAt: string;
  computer?: Computer;
  hostLabel: string;
  extra: Record<string, string>;
}

function commonFields(record: EsetRecord, fallbackTime: string): CommonFields {
  const vendorSeverity = field(record, 'severity');
  const occurredAt = parseVendorTime(field(record, 'occured', 'occurred')) ?? fallbackTime;
  const computer: Computer = {};
  const name = field(record, 'hostname');
  const ip = field(record, 'ipv4', 'ipv6');
  const os = field(record, 'os_name');
  if (name) computer.name = name;
  if (ip) computer.ip = ip;
  if (os) computer.os = os;
  const extra: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : stringOf(value);
    if (text !== undefined && !PLACED_KEYS.has(key)) extra[key] = text.length > 1024 ? `${text.slice(0, 1023)}…` : text;
  }
  // Datadog saw the server's own typo; keep one spelling for later readers.
  if (extra.group_desription !== undefined && extra.group_description === undefined) {
    extra.group_description = extra.group_desription;
    delete extra.group_desription;
  }
  const fields: CommonFields = { occurredAt, hostLabel: name ?? ip ?? 'unknown computer', extra };
  if (vendorSeverity !== undefined) fields.vendorSeverity = vendorSeverity;
  const base = esetSeverity(vendorSeverity);
  if (base !== undefined) fields.baseSeverity = base;
  if (Object.keys(computer).length > 0) fields.computer = computer;
  return fields;
}

/** One exported record → one event. `format` names the wire format ("eset/json", "eset/cef", "eset/leef"). */
export function recordToEvent(record: EsetRecord, format: string, fallbackTime: string): ParsedEvent {
  const common = commonFields(record, fallbackTime);
  const kind = exportKind(field(record, 'event_type'));
  const typed = mapTypedEvent(kind, record, common);
  const event: ParsedEvent = {
    vendor: 'eset',
    product: field(record, 'product') ?? 'ESET PROTECT',
    eventType: typed.eventType,
    severity: bounded(common.baseSeverity ?? typed.fallback, typed.floor, typed.cap),
    occurredAt: common.occurredAt,
    summary: typed.summary,
    format,
  };
  if (common.vendorSeverity !== undefined) event.vendorSeverity = common.vendorSeverity;
  const computer = { ...common.computer, ...typed.computer };
  if (Object.keys(computer).length > 0) event.computer = computer;
  if (typed.threat && Object.keys(typed.threat).length > 0) event.threat = typed.threat;
  if (typed.action !== undefined) event.action = typed.action;
  if (typed.actionText !== undefined) event.actionText = typed.actionText;
  if (typed.handled !== undefined) event.handled = typed.handled;
  if (typed.count !== undefined) event.count = typed.count;
  const extra = typed.extra === undefined ? common.extra : { ...common.extra, ...typed.extra };
  if (Object.keys(extra).length > 0) event.extra = extra;
  return event;
}

// Raised to the floor first, then lowered to the cap: a cap only applies when the kind sets no floor.
function bounded(severity: Severity, floor: Severity | undefined, cap: Severity | undefined): Severity {
  const raised = floor ? maxSeverity(severity, floor) : severity;
  return cap && maxSeverity(raised, cap) !== cap ? cap : raised;
}

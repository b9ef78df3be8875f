// The event for a capture no parser understood: never dropped, never an error. It keeps enough for a person to
// read it (the first line as summary) and the reason it fell through, so a later parser can pick it up.
import type { ParsedEvent, Vendor } from '../../protocol/event.js';
import { splitLines } from './common/labels.js';
import { severityFromSyslog } from './common/normalize.js';
import type { ParserInput } from './types.js';

const SUMMARY_MAX = 200;

/** Why an input ended unclassified: no parser claimed it, or one failed on it. */
export interface UnclassifiedReason {
  vendor: Vendor;
  /** A short note for `extra.reason`, e.g. "no parser recognized the content" or "eset parser failed: …". */
  reason: string;
}

/** The first non-empty line of a text, cut to a length a list can show. */
export function firstLine(text: string, max = SUMMARY_MAX): string {
  const line = splitLines(text).map((l) => l.trim()).find((l) => l !== '') ?? '';
  const flat = line.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** An `unclassified` event for an input, keeping the channel's own clues (subject, program, trap OID). */
export function unclassifiedEvent(input: ParserInput, why: UnclassifiedReason): ParsedEvent {
  const extra: Record<string, string> = { reason: why.reason, channel: input.channel };
  if (input.syslog?.appName) extra.appName = input.syslog.appName;
  if (input.syslog?.hostname) extra.hostname = input.syslog.hostname;
  if (input.snmp?.trapOid) extra.trapOid = input.snmp.trapOid;
  if (input.snmp?.enterprise) extra.enterprise = input.snmp.enterprise;
  if (input.from) extra.from = input.from;

  const lead = input.subject?.trim() || firstLine(input.text) || describeEmpty(input);
  const event: ParsedEvent = {
    vendor: why.vendor,
    eventType: 'unclassified',
    // Unknown content is looked at by a person at low priority; the syslog level may raise it.
    severity: severityFromSyslog(input.syslog?.severity) === 'critical' ? 'medium' : 'low',
    occurredAt: input.syslog?.timestamp ?? input.capturedAt,
    summary: `Unclassified ${input.channel} message: ${firstLine(lead, SUMMARY_MAX - 40)}`,
    format: `${why.vendor === 'unknown' ? 'unknown' : why.vendor}/unclassified`,
    extra,
  };
  if (input.syslog?.hostname) event.computer = { name: input.syslog.hostname };
  return event;
}

function describeEmpty(input: ParserInput): string {
  if (input.snmp) return `trap ${input.snmp.trapOid ?? input.snmp.enterprise ?? 'without OID'}`;
  return '(empty)';
}

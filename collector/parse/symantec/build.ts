// What every SEPM record family shares when it becomes an event: the product name, the fallback time, hashes,
// the one-line summary, and the computer block without empty members.
import type { Computer, ParsedEvent, Threat } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';
import type { SepmFields } from './fields.js';

/** The product name every SEPM event carries. */
export const SEPM_PRODUCT = 'Symantec Endpoint Protection Manager';

/** The parts of an event a record family decides; the rest is filled in by `sepmEvent`. */
export type SepmEventParts = Omit<ParsedEvent, 'vendor' | 'product' | 'occurredAt' | 'format'> & {
  occurredAt?: string;
  /** The family part of `format`: "syslog-risk" becomes "symantec/syslog-risk". */
  kind: string;
};

/** Completes an event: vendor, product, a time (the record's, else the syslog header's, else capture). */
export function sepmEvent(input: ParserInput, fields: SepmFields | undefined, parts: SepmEventParts): ParsedEvent {
  const { kind, occurredAt, computer, threat, ...rest } = parts;
  const event: ParsedEvent = {
    vendor: 'symantec',
    product: SEPM_PRODUCT,
    ...rest,
    occurredAt: occurredAt ?? input.syslog?.timestamp ?? input.capturedAt,
    format: `symantec/${kind}`,
  };
  const cleanComputer = compact(computer);
  if (cleanComputer !== undefined) event.computer = cleanComputer;
  const cleanThreat = compact(threat);
  if (cleanThreat !== undefined) event.threat = cleanThreat;
  const extra = { ...(fields?.unread() ?? {}), ...(parts.extra ?? {}) };
  event.extra = Object.keys(extra).length > 0 ? extra : undefined;
  event.summary = oneLine(event.summary);
  // Absent means absent: no `count: undefined` keys reach the store or a deep-equal comparison. Copied rather than
  // deleted from, in the same key order: `delete` turns the object into a slow dictionary.
  const present: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (value !== undefined) present[key] = value;
  return present as unknown as ParsedEvent;
}

/** Drops undefined and empty members; undefined when nothing is left. */
function compact<T extends Computer | Threat>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, member] of Object.entries(value)) {
    if (typeof member === 'string' && member.trim() !== '') out[key] = member.trim();
  }
  return Object.keys(out).length > 0 ? (out as unknown as T) : undefined;
}

/** A SHA-256 in lower-case hex, or undefined for anything else (SEPM writes placeholders and all-zero hashes). */
export function sha256Of(...candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const hex = candidate?.trim().replace(/^sha#/i, '');
    if (hex !== undefined && /^[0-9a-f]{64}$/i.test(hex) && !/^0+$/.test(hex)) return hex.toLowerCase();
  }
  return undefined;
}

/** One line, no control characters, at most 300 characters: what a person reads first. */
export function oneLine(text: string): string {
  const flat = text.slice(0, 2000).replace(/[\s\p{Cc}]+/gu, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** Joins the parts of a summary that are present. */
export function phrase(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
}

/** A value that is a plain IPv4 or IPv6 address, for positional fields that may or may not hold one. */
export function isIpAddress(value: string | undefined): boolean {
  if (value === undefined) return false;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(value);
}

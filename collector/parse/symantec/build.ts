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

// The parts sepmEvent places itself, apart from the family's other members.
const PLACED_APART = new Set(['kind', 'occurredAt', 'computer', 'threat']);

/** Completes an event: vendor, product, a time (the record's, else the syslog header's, else capture). */
export function sepmEvent(input: ParserInput, fields: SepmFields | undefined, parts: SepmEventParts): ParsedEvent {
  // Absent means absent: no `count: undefined` keys reach the store or a deep-equal comparison. The event is built
  // member by member in this key order, skipping what is undefined: vendor, product, the family's members
  // in their order (`extra` among them when the family names it, even as undefined), occurredAt, format, computer,
  // threat, then `extra` when the family did not name it. (Building it whole and then deleting members would turn
  // every event into a slow dictionary-mode object.)
  const event: Record<string, unknown> = { vendor: 'symantec', product: SEPM_PRODUCT };
  const extra = mergedExtra(fields, parts.extra);
  const members = parts as unknown as Record<string, unknown>;
  let extraPlaced = false;
  for (const key of Object.keys(members)) {
    if (PLACED_APART.has(key)) continue;
    let value = members[key];
    if (key === 'summary') value = oneLine(parts.summary);
    else if (key === 'extra') {
      value = extra;
      extraPlaced = true;
    }
    if (value !== undefined) event[key] = value;
  }
  event.occurredAt = parts.occurredAt ?? input.syslog?.timestamp ?? input.capturedAt;
  event.format = `symantec/${parts.kind}`;
  const cleanComputer = compact(parts.computer);
  if (cleanComputer !== undefined) event.computer = cleanComputer;
  const cleanThreat = compact(parts.threat);
  if (cleanThreat !== undefined) event.threat = cleanThreat;
  if (!extraPlaced && extra !== undefined) event.extra = extra;
  return event as unknown as ParsedEvent;
}

// The record's unread values, then the family's own `extra` (which wins on a shared key); undefined when empty.
function mergedExtra(fields: SepmFields | undefined, own: Record<string, string> | undefined): Record<string, string> | undefined {
  const unread = fields?.unread();
  if (own === undefined) return unread;
  if (unread === undefined) {
    const extra = { ...own };
    return Object.keys(extra).length > 0 ? extra : undefined;
  }
  // unread() made a fresh object: the family's members are written into it, as `{ ...unread, ...own }` would place
  // them (a shared key keeps its place and takes the family's value), without copying every unread value again.
  // The family's keys are its own fixed names, never `__proto__`.
  for (const key of Object.keys(own)) unread[key] = own[key]!;
  return unread;
}

/** Drops undefined and empty members; undefined when nothing is left. */
function compact<T extends Computer | Threat>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  const members = value as Record<string, unknown>;
  let out: Record<string, string> | undefined;
  for (const key of Object.keys(members)) {
    const member = members[key];
    if (typeof member !== 'string') continue;
    const trimmed = member.trim();
    if (trimmed === '') continue;
    out ??= {};
    out[key] = trimmed;
  }
  return out as T | undefined;
}

/** A SHA-256 in lower-case hex, or undefined for anything else (SEPM writes placeholders and all-zero hashes). */
export function sha256Of(...candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const hex = candidate?.trim().replace(/^sha#/i, '');
    if (hex !== undefined && /^[0-9a-f]{64}$/i.test(hex) && !/^0+$/.test(hex)) return hex.toLowerCase();
  }
  return undefined;
}

// What replacing runs of [\s\x00-\x1f\x7f-\x9f] by one space would change: a run of two, or one that is not a space.
// eslint-disable-next-line no-control-regex
const BREAKS_ONE_LINE = /[\s\x00-\x1f\x7f-\x9f]{2}|[^\S ]|[\x00-\x1f\x7f-\x9f]/;

/** One line, no control characters, at most 300 characters: what a person reads first. */
export function oneLine(text: string): string {
  // [\s\p{Cc}] without the Unicode flag: both sets hold only BMP characters, so the result is the same, cheaper.
  // The global replace (a runtime call) only runs when it has something to change.
  const head = text.slice(0, 2000);
  // eslint-disable-next-line no-control-regex
  const flat = (BREAKS_ONE_LINE.test(head) ? head.replace(/[\s\x00-\x1f\x7f-\x9f]+/g, ' ') : head).trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** Joins the parts of a summary that are present. */
export function phrase(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
}

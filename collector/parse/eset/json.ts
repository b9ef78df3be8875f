// ESET PROTECT's syslog export in JSON. A message holds one object; the server cuts messages at 8 KB, so a
// truncated object is salvaged key by key rather than lost.
import type { ParsedEvent } from '../../../protocol/event.js';
import { allMatches } from '../common/labels.js';
import type { EsetRecord } from './record.js';
import { lowerKeys, recordToEvent } from './record.js';

/** True when the text looks like an ESET JSON export (an object with an `event_type`). */
export function looksLikeEsetJson(text: string): boolean {
  return /^\s*[[{]/.test(text) && /"event_type"\s*:/i.test(text);
}

/** The records in a JSON message; `truncated` when the object had to be salvaged from a cut message. */
export function readJsonRecords(text: string): { records: EsetRecord[]; truncated: boolean } | null {
  const trimmed = text.trim();
  const parsed = parseJson(trimmed);
  if (parsed !== NOT_JSON) {
    const objects = Array.isArray(parsed) ? parsed : [parsed];
    const records = objects.filter(isObject).map(lowerKeys);
    return records.length > 0 ? { records, truncated: false } : null;
  }
  // Several objects in one capture (a relay that joined lines): each line is read on its own.
  const lines = trimmed.includes('\n') ? trimmed.split(/\r?\n(?=\s*\{)/) : [trimmed];
  if (lines.length > 1) {
    const records = lines.flatMap((line) => readJsonRecords(line)?.records ?? []);
    if (records.length > 0) return { records, truncated: false };
  }
  const salvaged = salvage(trimmed);
  return salvaged === null ? null : { records: [salvaged], truncated: true };
}

const NOT_JSON = Symbol('not JSON');

// JSON.parse, or NOT_JSON when the text is not JSON. A message cut at 8 KB is an object (or array) whose closing
// bracket is missing: it is known not to parse without JSON.parse building and throwing a SyntaxError. (trim()
// removes every blank JSON allows, and more, so the last character is the closing bracket of a whole text.)
function parseJson(trimmed: string): unknown {
  const first = trimmed.charCodeAt(0);
  const last = trimmed.charCodeAt(trimmed.length - 1);
  if ((first === 0x7b && last !== 0x7d) || (first === 0x5b && last !== 0x5d)) return NOT_JSON;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// "key":"value" | "key":123 | "key":true, read one pair at a time; the cut last pair is dropped.
// A string value is read as `(?=((?:[^"\\]|\\.)*))\3`: the longest run of characters and escapes, taken whole. The
// plain `(?:[^"\\]|\\.)*"` means the same (a shorter run always ends before a character that cannot be the closing
// quote) but, when the closing quote is missing (the cut value, kilobytes long), backs off one character at a time.
const PAIR = /"((?:[^"\\]|\\.){1,128})"\s*:\s*("(?=((?:[^"\\]|\\.)*))\3"|-?\d+(?:\.\d+)?|true|false|null)\s*[,}]/g;

function salvage(text: string): EsetRecord | null {
  if (!text.startsWith('{')) return null;
  const record: EsetRecord = {};
  for (const m of allMatches(text, PAIR)) {
    const key = (m[1] ?? '').toLowerCase();
    try {
      record[key] = JSON.parse(m[2] ?? 'null') as unknown;
    } catch {
      // A pair whose value was cut inside an escape: skip it, keep the rest.
    }
  }
  return 'event_type' in record ? record : null;
}

/** Parses an ESET JSON export message into events; null when it is not one. */
export function parseEsetJson(text: string, fallbackTime: string): ParsedEvent[] | null {
  const read = readJsonRecords(text);
  if (read === null) return null;
  const events = read.records
    .filter((record) => 'event_type' in record)
    .map((record) => {
      const event = recordToEvent(record, 'eset/json', fallbackTime);
      if (read.truncated) event.extra = { ...event.extra, truncated: 'true' };
      return event;
    });
  return events.length > 0 ? events : null;
}

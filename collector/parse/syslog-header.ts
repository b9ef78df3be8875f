// Syslog header parsing (RFC 5424 and RFC 3164), tolerant of what consoles really send: missing PRI, a "-"
// hostname, a UTF-8 BOM before the message, a program name where the hostname should be. Pure.
import { isoOf, parseIsoMs, utcYearOf } from './common/time.js';
import type { SyslogHeader } from './types.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const BOMS = ['\uFEFF', 'ï»¿'];

/** The header of one syslog line and the message after it. `referenceTime` (ISO) gives RFC 3164 its year. */
export function parseSyslogHeader(line: string, referenceTime?: string): { header: SyslogHeader; message: string } {
  let rest = dropLeadingLineBreaks(stripBom(line));
  const header: SyslogHeader = { format: 'none' };
  const pri = /^<(\d{1,3})>/.exec(rest);
  if (pri) {
    const value = Number(pri[1]);
    if (value <= 191) {
      header.facility = value >> 3;
      header.severity = value & 7;
    }
    rest = rest.slice(pri[0].length);
  }
  if (pri && /^[1-9]\d{0,2} /.test(rest)) {
    const parsed = parse5424(rest, header);
    if (parsed !== null) return { header, message: parsed };
  }
  const message = parse3164(rest, header, referenceTime);
  if (message !== null) return { header, message };
  if (pri) header.format = 'rfc3164';
  return { header, message: stripBom(rest) };
}

// Line breaks left before the header by a relay; the regular expression only runs when there is one.
function dropLeadingLineBreaks(text: string): string {
  const first = text.charCodeAt(0);
  return first === 0x0a || first === 0x0d ? text.replace(/^[\r\n]+/, '') : text;
}

/** Removes a leading UTF-8 byte order mark, also in its Latin-1 misreading. */
export function stripBom(text: string): string {
  for (const bom of BOMS) if (text.startsWith(bom)) return text.slice(bom.length);
  return text;
}

function nil(token: string | undefined): string | undefined {
  return token === undefined || token === '-' || token === '' ? undefined : token;
}

// VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
function parse5424(rest: string, header: SyslogHeader): string | null {
  // A space is added so that a line ending right after MSGID still matches; made once, since the pattern and the
  // slice each copy a joined string whole.
  const padded = `${rest} `;
  const m = /^(\d{1,3}) (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(padded);
  if (!m) return null;
  const [, , time, host, app, proc, msgId] = m;
  const afterHeader = padded.slice(m[0].length);
  const sdEnd = structuredDataEnd(afterHeader);
  if (sdEnd < 0) return null;
  header.format = 'rfc5424';
  const timestamp = time === '-' || time === undefined ? undefined : isoOrUndefined(time);
  if (timestamp) header.timestamp = timestamp;
  const hostname = nil(host);
  if (hostname) header.hostname = hostname;
  const appName = nil(app);
  if (appName) header.appName = appName;
  const procId = nil(proc);
  if (procId) header.procId = procId;
  const msgIdValue = nil(msgId);
  if (msgIdValue) header.msgId = msgIdValue;
  const sd = afterHeader.slice(0, sdEnd);
  if (sd !== '-') header.structuredData = sd;
  // One space before the message and the added one after it go (as replacing /^ / and / $/ did, without a
  // pattern scanning the whole message for a space at its end).
  let message = afterHeader.slice(sdEnd);
  if (message.startsWith(' ')) message = message.slice(1);
  if (message.endsWith(' ')) message = message.slice(0, -1);
  return stripBom(message);
}

// Returns the index just past STRUCTURED-DATA: "-" or one or more [id param="v\]alue"] elements.
function structuredDataEnd(text: string): number {
  if (text.startsWith('-')) return 1;
  let i = 0;
  while (text[i] === '[') {
    let inQuotes = false;
    i += 1;
    for (; i < text.length; i += 1) {
      const c = text[i];
      if (c === '\\' && inQuotes) i += 1;
      else if (c === '"') inQuotes = !inQuotes;
      else if (c === ']' && !inQuotes) break;
    }
    if (i >= text.length) return -1;
    i += 1;
  }
  return i === 0 ? -1 : i;
}

// Mmm dd hh:mm:ss | Mmm dd yyyy hh:mm:ss | ISO 8601, then an optional hostname, then an optional TAG[pid]:
// BSD_TIME = /^([A-Za-z]{3}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.\d+)? /, read by readBsdTime.
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))? ?/;
// "CEF:0|…" and "LEEF:1.0|…" look like a tag but are the message.
const TAG = /^([^\s[\]:{}"'=|,]{1,64})(?:\[([^\]\s]{0,32})\])?:(?!\d+(?:\.\d+)?\|) ?/;
// A token that opens JSON, CEF or key=value text is the message itself, not a hostname.
const HOSTNAME = /^([^\s{}"'=|,[\]]+) /;

function parse3164(rest: string, header: SyslogHeader, referenceTime?: string): string | null {
  let body = rest;
  const bsd = readBsdTime(body);
  const iso = bsd ? null : /^\d{4}-/.test(body) ? ISO_TIME.exec(body) : null;
  if (bsd) {
    const timestamp = bsdToIso(bsd, referenceTime);
    if (timestamp) header.timestamp = timestamp;
    body = body.slice(bsd.length);
  } else if (iso?.[1]) {
    const timestamp = isoOrUndefined(iso[1]);
    if (timestamp) header.timestamp = timestamp;
    body = body.slice(iso[0].length);
  } else {
    return null;
  }
  header.format = 'rfc3164';
  const firstTag = TAG.exec(body);
  if (!firstTag) {
    const host = HOSTNAME.exec(body);
    if (host) {
      const hostname = nil(host[1]);
      if (hostname) header.hostname = hostname;
      body = body.slice(host[0].length);
    }
  }
  // A tag found first is still the tag: the body has not moved.
  const tag = firstTag ?? TAG.exec(body);
  if (tag) {
    if (tag[1]) header.appName = tag[1];
    if (tag[2]) header.procId = tag[2];
    body = body.slice(tag[0].length);
  }
  return stripBom(body);
}

/** A BSD time at the start of a line as BSD_TIME reads it: its fields and the length of the match. */
export interface BsdTime {
  month: string;
  day: number;
  year: number | undefined;
  hh: number;
  mm: number;
  ss: number;
  length: number;
}

/**
 * BSD_TIME.exec(text), read by hand (every RFC 3164 line starts with one, and the match array of six groups was the
 * header's main allocation). Every part of the pattern is read greedily: no shorter choice could match instead
 * (a digit or a colon follows where a blank is needed).
 */
export function readBsdTime(text: string): BsdTime | null {
  if (!isAsciiLetter(text.charCodeAt(0)) || !isAsciiLetter(text.charCodeAt(1)) || !isAsciiLetter(text.charCodeAt(2))) return null;
  let at = 3;
  if (text.charCodeAt(at) !== SPACE) return null;
  at += text.charCodeAt(at + 1) === SPACE ? 2 : 1;
  const dayDigits = digitRun(text, at, 2);
  if (dayDigits === 0 || text.charCodeAt(at + dayDigits) !== SPACE) return null;
  const day = numberAt(text, at, dayDigits);
  at += dayDigits + 1;
  let year: number | undefined;
  if (digitRun(text, at, 4) === 4 && text.charCodeAt(at + 4) === SPACE) {
    year = numberAt(text, at, 4);
    at += 5;
  }
  if (digitRun(text, at, 2) !== 2 || text.charCodeAt(at + 2) !== COLON || digitRun(text, at + 3, 2) !== 2 ||
    text.charCodeAt(at + 5) !== COLON || digitRun(text, at + 6, 2) !== 2) {
    return null;
  }
  const hh = numberAt(text, at, 2);
  const mm = numberAt(text, at + 3, 2);
  const ss = numberAt(text, at + 6, 2);
  at += 8;
  if (text.charCodeAt(at) === DOT) {
    const fraction = digitRun(text, at + 1, Infinity);
    if (fraction > 0) at += 1 + fraction;
  }
  if (text.charCodeAt(at) !== SPACE) return null;
  return { month: text.slice(0, 3), day, year, hh, mm, ss, length: at + 1 };
}

const SPACE = 0x20;
const COLON = 0x3a;
const DOT = 0x2e;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

// How many ASCII digits (at most `max`) start at `at`.
function digitRun(text: string, at: number, max: number): number {
  let n = 0;
  while (n < max && at + n < text.length) {
    const code = text.charCodeAt(at + n);
    if (code < 0x30 || code > 0x39) break;
    n += 1;
  }
  return n;
}

function numberAt(text: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i += 1) n = n * 10 + text.charCodeAt(i) - 0x30;
  return n;
}

function bsdToIso(m: BsdTime, referenceTime?: string): string | undefined {
  const month = MONTHS.indexOf(m.month.toLowerCase());
  if (month < 0) return undefined;
  const day = m.day;
  const hh = m.hh;
  const mm = m.mm;
  const ss = m.ss;
  let year = m.year;
  if (year === undefined) {
    const reference = referenceTime ? parseIsoMs(referenceTime) : NaN;
    if (Number.isNaN(reference)) return undefined;
    year = utcYearOf(reference);
    // A December line read in January belongs to the year before.
    if (Date.UTC(year, month, day, hh, mm, ss) - reference > 7 * 86_400_000) year -= 1;
  }
  const ms = Date.UTC(year, month, day, hh, mm, ss);
  return Number.isNaN(ms) ? undefined : isoOf(ms);
}

function isoOrUndefined(text: string): string | undefined {
  const ms = parseIsoMs(text);
  return Number.isNaN(ms) ? undefined : isoOf(ms);
}

// Vendor timestamps → ISO 8601 UTC. Consoles write time in many shapes: ESET's JSON `21-Jun-2021 09:46:15` (UTC),
// its localized notification time `2/20/25, 4:27:59 PM UTC+1`, the Spanish `20/2/25, 16:27:59 UTC-3`, CEF's
// `Jun 21 2021 09:46:15` or epoch milliseconds, LEEF's `Dec 19 2019 08:24:15 GMT`, `20231026T132530`, SEPM's
// `2019-09-03 08:12:25`. A time without a zone is read as UTC (the exports document UTC). Pure.

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
  ene: 0, abr: 3, ago: 7, dic: 11, sept: 8, set: 8, mrz: 2, mai: 4, okt: 9, dez: 11,
};

/** How to read an all-numeric date: `dayFirst` for d/m/y consoles (Spanish, German), otherwise m/d/y. */
export interface TimeReading {
  dayFirst?: boolean;
}

/** Parses a vendor timestamp into an ISO 8601 UTC string, or undefined when it is not a time we understand. */
export function parseVendorTime(text: string | undefined, reading: TimeReading = {}): string | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (value === '') return undefined;
  if (/^\d{12,13}$/.test(value)) return fromMs(Number(value));
  if (/^\d{10}$/.test(value)) return fromMs(Number(value) * 1000);
  let m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i.exec(value);
  if (m) {
    const ms = utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), m[7] ? Math.round(+m[7] * 1000) : 0);
    return shift(ms, m[8]);
  }
  m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z)?$/.exec(value);
  if (m) return shift(utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!), m[7]);
  // 21-Jun-2021 09:46:15
  m = /^(\d{1,2})[-\s]([A-Za-z]{3,4})\.?[-\s](\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/.exec(value);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return undefined;
    return shift(utc(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0)), m[7]);
  }
  // Jun 21 2021 09:46:15 [GMT]
  m = /^([A-Za-z]{3,4})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/.exec(value);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    if (month === undefined) return undefined;
    return shift(utc(+m[3]!, month, +m[2]!, +m[4]!, +m[5]!, +(m[6] ?? 0)), m[7]);
  }
  // 2/20/25, 4:27:59 PM UTC+1 | 20/2/25, 16:27:59 UTC-3 | 20.02.2025 16:27 (numeric dates, 2 or 4 digit years)
  m = /^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s?[Mm]\.?)?\s*(.*)$/.exec(
    value,
  );
  if (m) {
    const a = +m[1]!;
    const b = +m[3]!;
    // A number above 12 can only be the day, whatever the console's language says; dotted dates are European.
    const dayFirst = a > 12 ? true : b > 12 ? false : m[2] === '.' ? true : (reading.dayFirst ?? !m[8]);
    const [day, month] = dayFirst ? [a, b] : [b, a];
    let year = +m[4]!;
    if (year < 100) year += 2000;
    let hour = +m[5]!;
    const meridiem = m[8]?.toLowerCase();
    if (meridiem === 'p' && hour < 12) hour += 12;
    if (meridiem === 'a' && hour === 12) hour = 0;
    return shift(utc(year, month - 1, day, hour, +m[6]!, +(m[7] ?? 0)), m[9]);
  }
  return undefined;
}

/** A UTC offset written as `UTC+1`, `GMT-03:00`, `+0200`, `Z`: minutes east of UTC, or undefined if unreadable. */
export function parseUtcOffset(zone: string | undefined): number | undefined {
  const z = (zone ?? '').trim();
  if (z === '' || /^(z|utc|gmt|ut)$/i.test(z)) return 0;
  const m = /^(?:utc|gmt|ut)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(z);
  if (!m) return undefined;
  const minutes = +m[2]! * 60 + +(m[3] ?? 0);
  return m[1] === '+' ? minutes : -minutes;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
  return Date.UTC(y, mo, d, h, mi, s, ms);
}

// Local wall time with an offset → UTC instant. An unknown zone word is treated as UTC rather than failing.
function shift(ms: number, zone: string | undefined): string | undefined {
  if (Number.isNaN(ms)) return undefined;
  const offset = parseUtcOffset(zone) ?? 0;
  return fromMs(ms - offset * 60_000);
}

function fromMs(ms: number): string | undefined {
  // The instants a Date can hold (TimeClip): anything else is an Invalid Date.
  return Math.abs(ms) <= 8.64e15 ? isoOf(ms) : undefined;
}

const YEAR_0 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const YEAR_10000 = 253_402_300_800_000; // 10000-01-01T00:00:00.000Z
const DAY = 86_400_000;

/** A civil date in the proleptic Gregorian calendar (month 1–12). */
interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// Days since 1970-01-01 → civil date, by Hinnant's algorithm (exact for any integer day count).
function civilOfDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * `new Date(ms).toISOString()`, the same text, computed without a Date (which cost ≈ 0.5 µs, several times per event):
 * days to a civil date by Hinnant's algorithm for years 0–9999; any other value goes to Date, errors included.
 */
export function isoOf(ms: number): string {
  if (!(ms >= YEAR_0 && ms < YEAR_10000)) return new Date(ms).toISOString();
  const t = Math.trunc(ms);
  const days = Math.floor(t / DAY);
  const inDay = t - days * DAY;
  const { year, month, day } = civilOfDays(days);
  const h = Math.floor(inDay / 3_600_000);
  const m = Math.floor((inDay % 3_600_000) / 60_000);
  const s = Math.floor((inDay % 60_000) / 1000);
  const milli = inDay % 1000;
  // One string of 24 character codes: a template literal joined 13 pieces, one new (cons) string per piece, and the
  // result was copied again when first read whole.
  return String.fromCharCode(
    digit(year / 1000), digit(year / 100), digit(year / 10), digit(year), DASH, digit(month / 10), digit(month), DASH,
    digit(day / 10), digit(day), LETTER_T, digit(h / 10), digit(h), COLON, digit(m / 10), digit(m), COLON,
    digit(s / 10), digit(s), DOT, digit(milli / 100), digit(milli / 10), digit(milli), LETTER_Z,
  );
}

// The character code of the units digit of Math.floor(n), for 0 <= n.
function digit(n: number): number {
  return 0x30 + (Math.floor(n) % 10);
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

/** `new Date(ms).getUTCFullYear()` without the Date, for years 0–9999 (NaN and the rest go through Date). */
export function utcYearOf(ms: number): number {
  if (!(ms >= YEAR_0 && ms < YEAR_10000)) return new Date(ms).getUTCFullYear();
  return civilOfDays(Math.floor(Math.trunc(ms) / DAY)).year;
}

/** `new Date(ms).getUTCDate()` without the Date, for years 0–9999 (NaN and the rest go through Date). */
export function utcDayOfMonthOf(ms: number): number {
  if (!(ms >= YEAR_0 && ms < YEAR_10000)) return new Date(ms).getUTCDate();
  return civilOfDays(Math.floor(Math.trunc(ms) / DAY)).day;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

// The characters of `2026-11-20T12:00:00.000Z` that are not digits, by position.
const CANONICAL_SEPARATORS: readonly [number, number][] = [[4, 0x2d], [7, 0x2d], [10, 0x54], [13, 0x3a], [16, 0x3a], [19, 0x2e], [23, 0x5a]];

// The number written by `length` ASCII digits at `at`, or -1 when one of them is not a digit.
function digitsAt(text: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i += 1) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `Date.parse(text)`, the same number. Every capture carries its time as `toISOString()` wrote it
 * (`2026-11-20T12:00:00.000Z`), and Date.parse costs a general date parser per syslog line: that one shape, with
 * every field in range, is read here; anything else (other shapes, out-of-range fields) goes to Date.parse.
 */
export function parseIsoMs(text: string): number {
  if (text.length !== 24) return Date.parse(text);
  for (const [at, code] of CANONICAL_SEPARATORS) if (text.charCodeAt(at) !== code) return Date.parse(text);
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const milli = digitsAt(text, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 ||
    minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) {
    return Date.parse(text);
  }
  // Date.UTC reads years 0–99 as 1900–1999; the text means the year as written.
  if (year < 100) return Date.parse(text);
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

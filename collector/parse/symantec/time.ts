// SEPM times. External logging writes `2024-09-16 08:28:05` with no zone; SEPM keeps every event in UTC and its
// notification e-mails print event times in GMT (Broadcom KB 152100), so a time without a zone is read as UTC.
// E-mails are localized: `3/20/2026 3:00:01 PM`, `20/03/2026 15:00:01`, `20/03/2026 03:00:01 p. m.`,
// `20 de marzo de 2026 15:00`, sometimes with `GMT-03:00`, `UTC-3` or `-0300`; all of them are understood here.
import { collapseBlanks } from '../common/labels.js';
import { isoOf, utcDayOfMonthOf } from '../common/time.js';

/** The console language a text is in; decides whether `03/04` is the 3rd of April or March 4th. */
export type SepmLanguage = 'en' | 'es';

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, ene: 1, enero: 1,
  feb: 2, february: 2, febrero: 2,
  mar: 3, march: 3, marzo: 3,
  apr: 4, april: 4, abr: 4, abril: 4,
  may: 5, mayo: 5,
  jun: 6, june: 6, junio: 6,
  jul: 7, july: 7, julio: 7,
  aug: 8, august: 8, ago: 8, agosto: 8,
  sep: 9, sept: 9, september: 9, set: 9, septiembre: 9, setiembre: 9,
  oct: 10, october: 10, octubre: 10,
  nov: 11, november: 11, noviembre: 11,
  dec: 12, december: 12, dic: 12, diciembre: 12,
};

const CLOCK = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?`;
const ZONE = String.raw`(?:\s*\(?\s*(?:(?:GMT|UTC)\s*([-+−]\s*\d{1,2}(?::?\d{2})?)?|([-+−]\d{2}:?\d{2})|(Z))\s*\)?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+${CLOCK})?${ZONE}$`, 'i');
const SLASHED = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4}),?(?:\s+${CLOCK})?${ZONE}$`, 'i');
const WORDS_DMY = new RegExp(
  String.raw`^(?:[a-záéíóú]+,?\s+)?(\d{1,2})(?:\s+de)?\s+([a-záéíóú]+)\.?(?:\s+de)?\s+(\d{4}),?(?:\s+(?:a\s+las\s+)?${CLOCK})?${ZONE}$`,
  'i',
);
const WORDS_MDY = new RegExp(
  String.raw`^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}),?(?:\s+(?:at\s+)?${CLOCK})?${ZONE}$`,
  'i',
);

/** Minutes east of UTC from `-03:00`, `−3`, `+0530`; 0 when there is none. */
function offsetMinutes(zone: string | undefined): number | undefined {
  const text = zone?.replace(/[\s−]/g, (c) => (c === '−' ? '-' : ''));
  if (text === undefined) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  if (minutes > 14 * 60) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

// Every pattern above has the clock in groups 4–7 (hour, minute, second, a.m./p.m.) and the zone in 8–10 (offset
// after GMT/UTC, bare offset, Z): read from the match itself, without copying them out.
function toIso(yearWritten: number, month: number, day: number, m: RegExpExecArray): string | undefined {
  const [, , , , h, min, s, meridiem] = m;
  let hour = h === undefined ? 0 : Number(h);
  if (meridiem !== undefined) {
    const pm = meridiem.toLowerCase().startsWith('p');
    if (hour > 12) return undefined;
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const offset = offsetMinutes(m[8] ?? m[9]);
  const year = yearWritten < 100 ? 2000 + yearWritten : yearWritten;
  if (offset === undefined || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, Number(min ?? '0'), Number(s ?? '0')) - offset * 60_000;
  // Date.UTC rolls 31 April over to 1 May: refuse instead of guessing.
  if (Number.isNaN(ms) || utcDayOfMonthOf(ms + offset * 60_000) !== day) return undefined;
  return isoOf(ms);
}

/** Parses a SEPM time in any of its forms to ISO 8601 UTC; undefined when it is not a time. */
export function parseSepmTime(text: string | undefined, language: SepmLanguage = 'en'): string | undefined {
  if (text === undefined) return undefined;
  const value = collapseBlanks(text.trim());
  if (value === '') return undefined;
  let m = ISO.exec(value);
  if (m !== null) {
    return toIso(+m[1]!, +m[2]!, +m[3]!, m);
  }
  m = SLASHED.exec(value);
  if (m !== null) {
    const a = +m[1]!;
    const b = +m[2]!;
    // Spanish consoles write day first; English ones month first, unless the first number cannot be a month.
    const dayFirst = language === 'es' ? b <= 12 || a > 12 : a > 12;
    return toIso(+m[3]!, dayFirst ? b : a, dayFirst ? a : b, m);
  }
  m = WORDS_DMY.exec(value);
  const dmyMonth = m === null ? undefined : MONTHS[stripAccents(m[2]!)];
  if (m !== null && dmyMonth !== undefined) {
    return toIso(+m[3]!, dmyMonth, +m[1]!, m);
  }
  m = WORDS_MDY.exec(value);
  const mdyMonth = m === null ? undefined : MONTHS[stripAccents(m[1]!)];
  if (m !== null && mdyMonth !== undefined) {
    return toIso(+m[3]!, mdyMonth, +m[2]!, m);
  }
  return undefined;
}

function stripAccents(word: string): string {
  return word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** The first of several SEPM times that parses: callers list them from most to least precise. */
export function firstSepmTime(values: (string | undefined)[], language: SepmLanguage = 'en'): string | undefined {
  for (const value of values) {
    const iso = parseSepmTime(value, language);
    if (iso !== undefined) return iso;
  }
  return undefined;
}

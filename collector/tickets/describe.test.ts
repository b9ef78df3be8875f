// formatInstant against the luxon rendering it replaced (kept here as the reference): the same text for every
// language, zone and input shape, including DST changes, half-hour and 45-minute offsets, and inputs luxon reads
// differently from Date (date-only strings, invalid values).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatInstant } from './describe.js';

function reference(t: Date | string, language: 'es' | 'en', zone: string): string {
  const dt = (typeof t === 'string' ? DateTime.fromISO(t) : DateTime.fromJSDate(t)).setZone(zone).setLocale(language === 'es' ? 'es-AR' : 'en-GB');
  return language === 'es' ? dt.toFormat("cccc dd/MM/yyyy HH:mm '('ZZ')'") : dt.toFormat("cccc yyyy-MM-dd HH:mm '('ZZ')'");
}

const ZONES = ['America/Argentina/Buenos_Aires', 'UTC', 'Europe/Madrid', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo', 'Not/AZone'];

describe('formatInstant', () => {
  it('reads as the ticket mails show it', () => {
    expect(formatInstant('2026-03-20T19:50:00Z', 'es', 'America/Argentina/Buenos_Aires')).toBe('viernes 20/03/2026 16:50 (-03:00)');
    expect(formatInstant(new Date('2026-03-23T12:20:00Z'), 'en', 'America/Argentina/Buenos_Aires')).toBe('Monday 2026-03-23 09:20 (-03:00)');
  });

  it('matches the luxon rendering over years of instants, in every zone and both languages', () => {
    const start = Date.UTC(1965, 0, 1);
    // A prime step in seconds walks through every hour, minute, weekday and DST change over the decades.
    for (let ms = start, i = 0; ms < Date.UTC(2045, 0, 1); ms += 7_919_993_000, i++) {
      const d = new Date(ms + (i % 1000));
      for (const zone of ZONES) {
        for (const language of ['es', 'en'] as const) {
          expect(formatInstant(d, language, zone)).toBe(reference(d, language, zone));
          expect(formatInstant(d.toISOString(), language, zone)).toBe(reference(d.toISOString(), language, zone));
        }
      }
    }
  });

  it('matches around DST changes and midnight', () => {
    const instants = ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-25T00:59:00Z', '2026-10-25T01:00:00Z',
      '2026-03-08T06:59:00Z', '2026-03-08T07:00:00Z', '2026-11-01T05:59:00Z', '2026-11-01T06:00:00Z', '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.000Z', '2026-03-20T16:50:00-03:00', '2026-03-20T16:50-03:00', '2026-03-20T19:50:00.123456Z'];
    for (const t of instants) for (const zone of ZONES) for (const language of ['es', 'en'] as const) {
      expect(formatInstant(t, language, zone)).toBe(reference(t, language, zone));
    }
  });

  it('leaves other inputs to luxon', () => {
    for (const t of ['2026-03-20', '2026-03-20T16:50', 'not a date', '0999-01-01T00:00:00Z', '1880-01-01T00:00:00Z', new Date(Number.NaN)]) {
      for (const language of ['es', 'en'] as const) {
        expect(formatInstant(t, language, 'America/Argentina/Buenos_Aires')).toBe(reference(t, language, 'America/Argentina/Buenos_Aires'));
      }
    }
  });
});

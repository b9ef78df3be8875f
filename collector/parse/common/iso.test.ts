// isoOf gives exactly what new Date(ms).toISOString() gives: over the whole range of four-digit years, at the
// edges, for fractional and negative instants, and (through Date) for everything else, errors included.
import { describe, expect, it } from 'vitest';
import { isoOf, parseIsoMs, utcDayOfMonthOf, utcYearOf } from './time.js';

const viaDate = (ms: number): string => new Date(ms).toISOString();

describe('isoOf', () => {
  it('matches toISOString across years 0–9999', () => {
    // A step of prime milliseconds walks every month, day, leap rule and time of day.
    for (let ms = -62_167_219_200_000; ms < 253_402_300_800_000; ms += 9_999_999_967) {
      expect(isoOf(ms)).toBe(viaDate(ms));
      expect(isoOf(ms + 0.7)).toBe(viaDate(ms + 0.7));
      expect(isoOf(ms - 0.3)).toBe(viaDate(ms - 0.3));
    }
  });

  it('matches at the edges and around leap days', () => {
    const edges = [0, -1, 1, -0.5, 0.5, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 2, 1), Date.UTC(2100, 1, 28, 12), Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 10, 20, 12), 8.64e15, -8.64e15];
    for (const ms of edges) expect(isoOf(ms)).toBe(viaDate(ms));
  });

  it('throws as toISOString does on what a Date cannot hold', () => {
    for (const ms of [Number.NaN, Infinity, -Infinity, 8.64e15 + 1]) expect(() => isoOf(ms)).toThrow(RangeError);
  });
});

describe('parseIsoMs, utcYearOf, utcDayOfMonthOf', () => {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');

  it('equals Date.parse on canonical instants, in range or not', () => {
    // Every month and day number 0–32 (so 30 February and 31 April too), hours 0–24, minutes and seconds 0–60.
    for (const year of [0, 1, 99, 100, 1900, 1969, 1970, 2000, 2024, 2025, 2026, 2100, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const hour = (year + month + day) % 25;
          const minute = (month * 7 + day) % 61;
          const second = (day * 13 + month) % 61;
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(day * 31, 3)}Z`;
          expect(parseIsoMs(text), text).toBe(Date.parse(text));
        }
      }
    }
  });

  it('equals Date.parse on other shapes and on garbage', () => {
    const texts = ['2026-11-20T12:00:00Z', '2026-11-20T12:00:00.000+01:00', '2026-11-20 12:00:00.000Z', '2026-11-20T12:00:00.000z',
      '2026-11-20T12:00:00,000Z', '+02026-11-20T12:00:00.000Z', '2026-1a-20T12:00:00.000Z', '2026-11-20T24:00:00.000Z',
      '2026-11-20T12:00:60.000Z', ' 2026-11-20T12:00:00.000Z', '2026-11-20T12:00:00.0000Z', '', 'not a date', '２０２６-11-20T12:00:00.000Z'];
    for (const text of texts) expect(parseIsoMs(text), text).toBe(Date.parse(text));
  });

  it('gives the UTC year and day of month as a Date does', () => {
    for (let ms = -62_167_219_200_000; ms < 253_402_300_800_000; ms += 9_999_999_967) {
      for (const t of [ms, ms + 0.7, ms - 0.3]) {
        expect(utcYearOf(t)).toBe(new Date(t).getUTCFullYear());
        expect(utcDayOfMonthOf(t)).toBe(new Date(t).getUTCDate());
      }
    }
    for (const t of [Number.NaN, -62_167_219_200_001, 253_402_300_800_000, 8.64e15, -8.64e15, 8.64e15 + 1, 0, -1]) {
      expect(utcYearOf(t)).toBe(new Date(t).getUTCFullYear());
      expect(utcDayOfMonthOf(t)).toBe(new Date(t).getUTCDate());
    }
  });
});

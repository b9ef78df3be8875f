// isoOf gives exactly what new Date(ms).toISOString() gives: over the whole range of four-digit years, at the
// edges, for fractional and negative instants, and (through Date) for everything else, errors included.
import { describe, expect, it } from 'vitest';
import { isoOf } from './time.js';

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

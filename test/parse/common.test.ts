import { describe, expect, it } from 'vitest';
import { extractLabeled, parseKeyValueLines } from '../../collector/parse/common/labels.js';
import { normalizeAction, parseBooleanish, severityFromWord } from '../../collector/parse/common/normalize.js';
import { parseUtcOffset, parseVendorTime } from '../../collector/parse/common/time.js';

describe('parseVendorTime', () => {
  it.each([
    ['21-Jun-2021 09:46:15', {}, '2021-06-21T09:46:15.000Z'],
    ['2/20/25, 4:27:59 PM UTC+1', {}, '2025-02-20T15:27:59.000Z'],
    ['2/20/25, 12:05:00 AM UTC', {}, '2025-02-20T00:05:00.000Z'],
    ['20/2/25, 16:27:59 UTC-3', {}, '2025-02-20T19:27:59.000Z'],
    ['5/11/26, 09:15:00 UTC-3', { dayFirst: true }, '2026-11-05T12:15:00.000Z'],
    ['5/11/26, 09:15:00 UTC-3', { dayFirst: false }, '2026-05-11T12:15:00.000Z'],
    ['20.02.25, 16:27:59 UTC+1', {}, '2025-02-20T15:27:59.000Z'],
    ['Dec 19 2019 08:24:15 GMT', {}, '2019-12-19T08:24:15.000Z'],
    ['20231026T132530', {}, '2023-10-26T13:25:30.000Z'],
    ['2019-09-03 08:12:25', {}, '2019-09-03T08:12:25.000Z'],
    ['2026-11-20T10:00:00-03:00', {}, '2026-11-20T13:00:00.000Z'],
    ['1624268775000', {}, '2021-06-21T09:46:15.000Z'],
    ['12/02/2025 10:00:00 UTC-03:00', { dayFirst: true }, '2025-02-12T13:00:00.000Z'],
  ])('%s → %s', (text, reading, iso) => {
    expect(parseVendorTime(text, reading)).toBe(iso);
  });

  it.each(['', 'yesterday', '32-Jan-2021 10:00:00', '13/13/25, 10:00', '2021-02-30x'])('rejects %j', (text) => {
    expect(parseVendorTime(text)).toBeUndefined();
  });

  it('reads offsets in every spelling', () => {
    expect(parseUtcOffset('UTC+1')).toBe(60);
    expect(parseUtcOffset('GMT-03:00')).toBe(-180);
    expect(parseUtcOffset('-0330')).toBe(-210);
    expect(parseUtcOffset('Z')).toBe(0);
    expect(parseUtcOffset('CEST')).toBeUndefined();
  });
});

describe('parseBooleanish', () => {
  it('reads booleans sent as text in English and Spanish, and nothing else', () => {
    expect([true, 'true', 'TRUE', '1', 'sí', 1].map(parseBooleanish)).toEqual([true, true, true, true, true, true]);
    expect([false, 'false', '0', 'no', 0].map(parseBooleanish)).toEqual([false, false, false, false, false]);
    expect(['maybe', 2, null, undefined, {}].map(parseBooleanish)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('normalizeAction', () => {
  it.each([
    ['Quarantined', 'quarantined', true],
    ['Puesto en cuarentena', 'quarantined', true],
    ['Cleaned by deleting', 'deleted', true],
    ['Desinfectado mediante eliminación', 'deleted', true],
    ['Cleaned', 'cleaned', true],
    ['Connection terminated', 'blocked', true],
    ['Bloqueado', 'blocked', true],
    ['Retained', 'left-alone', false],
    ['Process terminate pending restart', 'left-alone', false],
    ['Cleaning failed', 'failed', false],
    ['Error al desinfectar', 'failed', false],
  ] as const)('%s → %s', (text, action, handled) => {
    expect(normalizeAction(text)).toEqual({ action, handled });
  });

  it('says unknown, without a handled verdict, for words it does not know or none', () => {
    expect(normalizeAction('Submitted to ESET LiveGrid')).toEqual({ action: 'unknown' });
    expect(normalizeAction(undefined)).toEqual({ action: 'unknown' });
  });
});

describe('severityFromWord', () => {
  it('maps English and Spanish words and rejects others', () => {
    expect(['Fatal', 'Crítico', 'Error', 'Advertencia', 'Notice', 'Información'].map(severityFromWord)).toEqual([
      'critical', 'critical', 'high', 'medium', 'low', 'info',
    ]);
    expect(severityFromWord('purple')).toBeUndefined();
  });
});

describe('labels', () => {
  it('splits known labels flattened on one line, longest label first', () => {
    const found = extractLabeled('Computer name: pc-1 Logged user: SYSTEM Action performed: Blocked', [
      'Computer', 'Computer name', 'Logged user', 'Action performed', 'Action',
    ]);
    expect(Object.fromEntries(found)).toEqual({ 'Computer name': 'pc-1', 'Logged user': 'SYSTEM', 'Action performed': 'Blocked' });
  });

  it('matches labels without accents or case and keeps values to their line', () => {
    const found = extractLabeled('NOMBRE DEL EQUIPO: pc-2\nAccion realizada:\tBloqueado\nfooter text', ['Nombre del equipo', 'Acción realizada']);
    expect(Object.fromEntries(found)).toEqual({ 'Nombre del equipo': 'pc-2', 'Acción realizada': 'Bloqueado' });
  });

  it('reads Label: value lines and skips sentences and URLs', () => {
    const pairs = parseKeyValueLines('Risk name: W32.X\nThis is a long sentence that happens to have: a colon in it ok\nhttp://x.test/a\nUser:  bob ');
    expect(pairs).toEqual([['Risk name', 'W32.X'], ['User', 'bob']]);
  });
});

describe('parseVendorTime day order', () => {
  it('reads a dotted date day-first even when the reader expects month-first', () => {
    expect(parseVendorTime('05.11.26, 09:00:00 UTC', { dayFirst: false })).toBe('2026-11-05T09:00:00.000Z');
  });

  it('reads Spanish "p. m." times day-first when told so', () => {
    expect(parseVendorTime('05/11/26, 3:00:00 p. m. UTC-3', { dayFirst: true })).toBe('2026-11-05T18:00:00.000Z');
  });
});

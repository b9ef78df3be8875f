// SEPM's words and times, table by table: action texts (English and Spanish) to the closed ACTIONS list, localized
// times to UTC, record splitting with quoted commas, and the free-text rules of system records.
import { describe, expect, it } from 'vitest';
import { SepmFields, splitRecord } from './fields.js';
import { parseSepmTime } from './time.js';
import { classifyText, mapSepmAction, riskOutcome, severityFromCode } from './vocabulary.js';

describe('mapSepmAction', () => {
  it.each([
    ['Cleaned', 'cleaned', true],
    ['Quarantined', 'quarantined', true],
    ['Deleted', 'deleted', true],
    ['Cleaned by deletion', 'deleted', true],
    ['Access denied', 'blocked', true],
    ['Blocked', 'blocked', true],
    ['Left alone', 'left-alone', false],
    ['All actions failed', 'failed', false],
    ['Clean failed', 'failed', false],
    ['Quarantine failed', 'failed', false],
    ['Action invalid', 'failed', false],
    ['Process terminate pending restart', 'unknown', false],
    ['Limpiado', 'cleaned', true],
    ['En cuarentena', 'quarantined', true],
    ['Limpiado por eliminación', 'deleted', true],
    ['Eliminado', 'deleted', true],
    ['Acceso denegado', 'blocked', true],
    ['Dejado como está', 'left-alone', false],
    ['Todas las acciones fallaron', 'failed', false],
    ['Error al limpiar', 'failed', false],
    ['attack detected but not blocked', 'left-alone', false],
    ['Something SEPM invented', 'unknown', false],
  ] as const)('%s → %s', (text, action, handled) => {
    expect(mapSepmAction(text)).toEqual({ action, handled });
  });

  it('says nothing for an absent or empty action', () => {
    expect(mapSepmAction(undefined)).toBeUndefined();
    expect(mapSepmAction('  ')).toBeUndefined();
  });

  it('lets the secondary action speak only when the actual one is in unknown words', () => {
    expect(riskOutcome('Clean failed', 'Quarantined')).toMatchObject({ action: 'failed', text: 'Clean failed' });
    expect(riskOutcome('Bad', 'Quarantined')).toMatchObject({ action: 'quarantined', text: 'Quarantined' });
    expect(riskOutcome(undefined, 'Left alone')).toMatchObject({ action: 'left-alone', handled: false });
    expect(riskOutcome(undefined, undefined)).toEqual({ action: 'unknown', handled: false });
  });

  it('reads SEPM database severity codes and words', () => {
    expect(severityFromCode('1')).toBe('critical');
    expect(severityFromCode('5')).toBe('high');
    expect(severityFromCode('9')).toBe('medium');
    expect(severityFromCode('13')).toBe('info');
    expect(severityFromCode('Major')).toBe('high');
    expect(severityFromCode('Crítico')).toBe('critical');
    expect(severityFromCode('42')).toBeUndefined();
  });
});

describe('parseSepmTime', () => {
  it.each([
    ['2024-09-16 08:28:05', 'en', '2024-09-16T08:28:05.000Z'],
    ['2021-11-16T05:14:15.000003-07:00', 'en', '2021-11-16T12:14:15.000Z'],
    ['2026-03-20 12:00:00 GMT-03:00', 'en', '2026-03-20T15:00:00.000Z'],
    ['2026-03-20 12:00:00 UTC-3', 'en', '2026-03-20T15:00:00.000Z'],
    ['2026-03-20 12:00:00 -0300', 'en', '2026-03-20T15:00:00.000Z'],
    ['2026-03-20 18:00:00 (UTC+03:00)', 'en', '2026-03-20T15:00:00.000Z'],
    ['3/20/2026 3:00:01 PM', 'en', '2026-03-20T15:00:01.000Z'],
    ['3/20/2026 12:10:00 AM', 'en', '2026-03-20T00:10:00.000Z'],
    ['03/04/2026 10:00', 'en', '2026-03-04T10:00:00.000Z'],
    ['13/04/2026 10:00', 'en', '2026-04-13T10:00:00.000Z'],
    ['03/04/2026 10:00', 'es', '2026-04-03T10:00:00.000Z'],
    ['20/03/2026 15:00:01', 'es', '2026-03-20T15:00:01.000Z'],
    ['20/03/2026 03:00:01 p. m.', 'es', '2026-03-20T15:00:01.000Z'],
    ['20/03/26 09:15', 'es', '2026-03-20T09:15:00.000Z'],
    ['20 de marzo de 2026 15:00', 'es', '2026-03-20T15:00:00.000Z'],
    ['viernes, 20 de marzo de 2026 15:00 GMT-03:00', 'es', '2026-03-20T18:00:00.000Z'],
    ['March 20, 2026 3:00 PM', 'en', '2026-03-20T15:00:00.000Z'],
    ['2026-03-20', 'en', '2026-03-20T00:00:00.000Z'],
  ] as const)('%s (%s) → %s', (text, language, iso) => {
    expect(parseSepmTime(text, language)).toBe(iso);
  });

  it.each(['', 'garbage', '2026-02-30 10:00:00', '2026-03-20 25:00:00', '31/04/2026 10:00', '2026-03-20 10:00 UTC+19'])(
    'refuses %j',
    (text) => {
      expect(parseSepmTime(text, 'es')).toBeUndefined();
    },
  );
});

describe('SEPM records', () => {
  it('splits on commas outside double quotes and keeps doubled quotes literal', () => {
    expect(splitRecord('a,"b, c",Label: "x, y",d')).toEqual(['a', 'b, c', 'Label: x, y', 'd']);
    expect(splitRecord('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
  });

  it('keeps paths and URLs positional and labels labelled', () => {
    const fields = SepmFields.of('Virus found,E:\\autorun.inf,https://x.example/a,Risk name: W32.X,[SID: 1] text,MD-5:');
    expect(fields.positional.map((f) => f.value)).toEqual(['Virus found', 'E:\\autorun.inf', 'https://x.example/a', '[SID: 1] text']);
    expect(fields.get('Risk name')).toBe('W32.X');
    expect(fields.has('MD-5')).toBe(true);
    expect(fields.get('MD-5')).toBeUndefined();
  });

  it('reads the first non-empty spelling and leaves the unread labels for extra', () => {
    const fields = SepmFields.of('User: ,User Name: rbrown,Domain Name: CORP,Disposition: Bad,Sensitivity: ');
    expect(fields.get('User', 'User Name')).toBe('rbrown');
    expect(fields.get('Domain', 'domain name')).toBe('CORP');
    expect(fields.unread()).toEqual({ Disposition: 'Bad' });
  });

  it.each([
    ["The administrator's user name or password is incorrect.", 'authentication-failure'],
    ['Administrator  log on failed', 'authentication-failure'],
    ['La contraseña es incorrecta', 'authentication-failure'],
    ['could not update Intrusion Prevention Signatures', 'definitions-outdated'],
    ['No se pudo actualizar las definiciones de virus', 'definitions-outdated'],
    ['The license has expired', 'licence'],
    ['The database service has stopped unexpectedly', 'server-health'],
    ['The client could not connect to the management server', 'client-not-connected'],
    ['Policy has been edited: Edited shared Firewall policy', 'audit'],
    ['LiveUpdate started.', 'unclassified'],
  ])('classifies %j as %s', (text, eventType) => {
    expect(classifyText(text, { eventType: 'unclassified', severity: 'info' }).eventType).toBe(eventType);
  });
});

// parseSymantec and looksLikeSymantec on hand-built inputs: both risk-log label sets, e-mails in both languages,
// times and fallbacks, and everything that is not SEPM (which must give null, never an event).
import { describe, expect, it } from 'vitest';
import type { ParserInput } from '../types.js';
import { looksLikeSymantec, parseSymantec } from './index.js';

const CAPTURED = '2026-03-20T15:00:05.000Z';

function syslog(text: string, appName = 'SymantecServer', extra: Partial<ParserInput['syslog']> = {}): ParserInput {
  return {
    channel: 'syslog',
    text,
    capturedAt: CAPTURED,
    syslog: { format: 'rfc3164', appName, hostname: 'sepm01', timestamp: '2026-03-20T15:00:01.000Z', severity: 6, ...extra },
  };
}

function email(subject: string, text: string, from = 'SEPM <sepm@cliente.com.ar>'): ParserInput {
  return { channel: 'email', subject, text, from, capturedAt: CAPTURED };
}

function only(input: ParserInput) {
  const events = parseSymantec(input);
  expect(events).not.toBeNull();
  expect(events).toHaveLength(1);
  return events![0]!;
}

const OLD_RISK =
  'Virus found,IP Address: 10.0.0.7,Computer name: PC-07,Source: Auto-Protect scan,Risk name: W32.Ramnit,Occurrences: 2,' +
  'C:\\tmp\\a.exe,,Actual action: Quarantined,Requested action: Cleaned,Secondary action: Quarantined,' +
  'Event time: 2026-03-20 14:00:00,Inserted: 2026-03-20 14:01:00,End: 2026-03-20 14:00:30,Domain: Default,Group: My Company\\Sales,' +
  'Server: sepm01,User: ana,Source computer: ,Source IP: ';
const NEW_RISK =
  'Virus found,IP Address: 10.0.0.7,Computer name: PC-07,Source: Auto-Protect scan,Risk name: W32.Ramnit,Occurrences: 2,' +
  'File path: C:\\tmp\\a.exe,Description: ,Actual action: Quarantined,Requested action: Cleaned,Secondary action: Quarantined,' +
  'Event time: 2026-03-20 14:00:00,Event Insert Time: 2026-03-20 14:01:00,End Time: 2026-03-20 14:00:30,Domain Name: Default,' +
  'Group Name: My Company\\Sales,Server Name: sepm01,User Name: ana,Source Computer Name: ,Source Computer IP: ,Future label: 42';

describe('parseSymantec: external logging', () => {
  it('reads the old and the 14.3 RU1+ risk labels into the same event', () => {
    const old = only(syslog(OLD_RISK));
    const renamed = only(syslog(NEW_RISK));
    for (const event of [old, renamed]) {
      expect(event).toMatchObject({
        vendor: 'symantec',
        product: 'Symantec Endpoint Protection Manager',
        eventType: 'threat-detected',
        severity: 'medium',
        occurredAt: '2026-03-20T14:00:00.000Z',
        computer: { name: 'PC-07', ip: '10.0.0.7', user: 'ana', domain: 'Default' },
        threat: { name: 'W32.Ramnit', object: 'C:\\tmp\\a.exe' },
        action: 'quarantined',
        handled: true,
        count: 2,
        format: 'symantec/syslog-risk',
      });
    }
    expect(old.extra).toMatchObject({ Group: 'My Company\\Sales', Server: 'sepm01' });
    expect(renamed.extra).toMatchObject({ 'Group Name': 'My Company\\Sales', 'Future label': '42' });
  });

  it('falls back to the syslog header time, then to the capture time', () => {
    const noTime = 'Virus found,Computer name: PC-1,Risk name: X,Occurrences: 1,Actual action: Cleaned';
    expect(only(syslog(noTime)).occurredAt).toBe('2026-03-20T15:00:01.000Z');
    const input = syslog(noTime);
    delete input.syslog!.timestamp;
    expect(only(input).occurredAt).toBe(CAPTURED);
  });

  it('reads a traffic record by its labels even when the header names another program', () => {
    const line =
      'host-a,Local Host IP: 10.0.0.9,Local Port: 445,Remote Host IP: 10.0.0.66,Remote Port: 50000,TCP,Inbound,' +
      'Begin: 2026-03-20 10:00:00,End Time: 2026-03-20 10:00:05,Occurrences: 3,Rule: Block SMB,Action: Blocked';
    expect(looksLikeSymantec(syslog(line, 'myproc'))).toBe(true);
    expect(only(syslog(line, 'myproc'))).toMatchObject({ format: 'symantec/syslog-traffic', action: 'blocked', count: 3 });
  });

  it('gives one event per record line and keeps an unknown SymantecServer line as unclassified', () => {
    const events = parseSymantec(syslog(`${OLD_RISK}\nSomething new from SEPM 15\n${NEW_RISK}`));
    expect(events?.map((e) => e.eventType)).toEqual(['threat-detected', 'unclassified', 'threat-detected']);
    expect(events?.[1]?.summary).toBe('SEPM: Something new from SEPM 15');
  });

  it('raises a server record sent with syslog severity Error to at least medium', () => {
    const line = 'Site: Main,Server Name: sepm01,Event Description: LiveUpdate started.';
    expect(only(syslog(line)).severity).toBe('info');
    const error = only(syslog(line, 'SymantecServer', { severity: 3 }));
    expect(error).toMatchObject({ severity: 'medium', vendorSeverity: 'Error' });
  });

  it('reads the same record from an SNMP trap a batch-file bridge sent', () => {
    const input: ParserInput = { channel: 'snmp', text: OLD_RISK, capturedAt: CAPTURED, snmp: { varbinds: [] } };
    expect(only(input)).toMatchObject({ eventType: 'threat-detected', occurredAt: '2026-03-20T14:00:00.000Z' });
  });

  it('is pure: the same input gives the same events and is left untouched', () => {
    const input = syslog(NEW_RISK);
    const copy = structuredClone(input);
    expect(parseSymantec(input)).toEqual(parseSymantec(input));
    expect(input).toEqual(copy);
  });
});

describe('parseSymantec: not SEPM content', () => {
  it.each([
    ['an empty message', syslog('', 'sshd')],
    ['a line of another program', syslog('Accepted password for root from 10.0.0.1 port 22', 'sshd')],
    ['garbage bytes', syslog('\u0000\u0001,,,:::,"', 'kernel')],
    ['ESET JSON export', syslog('{"event_type":"Threat_Event","occured":"06-May-2021 09:59:37"}', 'ERAServer')],
    ['ESET notification text', syslog('Detection type: Trojan Detection name: JS/Nemucod Computer name: pc1', 'ERAServer')],
  ])('returns null for %s', (_name, input) => {
    expect(parseSymantec(input)).toBeNull();
    expect(looksLikeSymantec(input)).toBe(false);
  });

  it('returns null for an ESET e-mail and for a plain mail', () => {
    expect(parseSymantec(email('ESET PROTECT: Risk outbreak', 'Number of antivirus events reached', 'era@x.com'))).toBeNull();
    expect(parseSymantec(email('Lunch on Friday?', 'See you at noon.', 'bob@x.com'))).toBeNull();
  });

  it('stays fast on a huge hostile message (no regular expression may backtrack over it)', () => {
    const started = performance.now();
    const hostile = ['virus found '.repeat(80_000), `Site: a,${'server failed '.repeat(60_000)}`, ','.repeat(300_000), '7'.repeat(300_000)];
    for (const text of hostile) {
      expect(parseSymantec(syslog(text))?.[0]?.summary.length).toBeLessThanOrEqual(300);
      expect(parseSymantec(email('Risk outbreak', `contenido ${text}`))).toHaveLength(1);
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('still answers with an event for SymantecServer garbage: it came from SEPM, so it is kept', () => {
    expect(only(syslog('%%%'))).toMatchObject({ eventType: 'unclassified', format: 'symantec/syslog-unknown' });
  });
});

describe('parseSymantec: notification e-mails', () => {
  it('recognises a Spanish body under a customised subject', () => {
    const event = only(email('[Cliente X] Alerta SEPM', 'Evento de riesgo único\nNombre del riesgo: Trojan.Gen\nNombre del equipo: PC-9\nAcción realizada: En cuarentena\nHora del evento: 05/03/2026 10:00:00'));
    expect(event).toMatchObject({
      format: 'symantec/email-single-risk-es',
      action: 'quarantined',
      handled: true,
      occurredAt: '2026-03-05T10:00:00.000Z',
      computer: { name: 'PC-9' },
    });
  });

  it('reads outbreak counts from English and Spanish labels alike', () => {
    const en = only(email('Risk outbreak', 'Risk name: W32.X\nNumber of computers: 3\nNumber of risks: 7'));
    const es = only(email('Brote de riesgos', 'Nombre del riesgo: W32.X\nNúmero de equipos: 3\nNúmero de riesgos: 7'));
    for (const event of [en, es]) expect(event).toMatchObject({ eventType: 'outbreak', count: 7, computersAffected: 3 });
    expect(en.format).toBe('symantec/email-outbreak');
    expect(es.format).toBe('symantec/email-outbreak-es');
  });

  it('counts the listed computers when no number is given, and leaves absent counts out', () => {
    const event = only(email('Risk outbreak', 'Risk name: W32.X\nComputers: PC-1, PC-2, PC-3, PC-4'));
    expect(event.computersAffected).toBe(4);
    expect(event).not.toHaveProperty('count');
    const health = only(email('Server health', 'Status: 2 clients could not reach the server.'));
    expect(health).not.toHaveProperty('computersAffected');
  });

  it('reads a table row (label and value in cells) the HTML converter produced', () => {
    const event = only(email('Single risk event', 'Risk name:\tEICAR\nComputer name\tPC-5\nAction taken\tLeft alone'));
    expect(event).toMatchObject({ eventType: 'threat-not-cleaned', action: 'left-alone', computer: { name: 'PC-5' } });
  });

  it('treats a bare condition name as SEPM, unless the mail says ESET', () => {
    expect(looksLikeSymantec(email('Virus definitions out-of-date', 'On 3 computers.', 'it@x.com'))).toBe(true);
    expect(looksLikeSymantec(email('Virus definitions out-of-date', 'ESET PROTECT says so.', 'it@x.com'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { detectVendor } from '../../collector/parse/detect.js';
import type { ParserInput } from '../../collector/parse/types.js';

const AT = '2026-11-20T12:00:00.000Z';

function syslog(text: string, appName?: string, hostname?: string): ParserInput {
  return { channel: 'syslog', text, capturedAt: AT, syslog: { format: 'rfc3164', appName, hostname } };
}

function email(subject: string, text: string, from = 'alertas@cliente.com.ar'): ParserInput {
  return { channel: 'email', text, subject, from, capturedAt: AT };
}

describe('detectVendor', () => {
  it.each([
    ['ESET syslog program', syslog('anything', 'ERAServer'), 'eset'],
    ['SEPM syslog program', syslog('anything', 'SymantecServer'), 'symantec'],
    ['legacy SEP program in the host position', syslog('Virus found,x', 'antivirus.example.com', 'SymantecServer'), 'symantec'],
    ['ESET CEF header', syslog('CEF:0|ESET|Protect|11.0|103|Threat|5|dvchost=a'), 'eset'],
    ['ESET LEEF header', syslog('LEEF:1.0|ESET|RemoteAdministrator|7.0|logout|cat=x'), 'eset'],
    ['ESET JSON keys', syslog('{"event_type":"Threat_Event","occured":"x"}'), 'eset'],
    ['ESET labels in English', syslog('Detection type: Trojan Detection name: X'), 'eset'],
    ['ESET labels in Spanish', syslog('Tipo de detección: Troyano Nombre de detección: X'), 'eset'],
    ['SEPM risk labels', syslog('Virus found,Computer name: A,Risk name: W32.X,Actual action: Cleaned'), 'symantec'],
    ['ESET subject', email('[ESET PROTECT] Detection', 'body'), 'eset'],
    ['Symantec sender', email('Alert', 'body', 'sepm@symantec.cliente.com'), 'symantec'],
  ] as const)('%s → %s', (_name, input, vendor) => {
    expect(detectVendor(input).vendor).toBe(vendor);
  });

  it('says unknown when nothing points anywhere', () => {
    const detection = detectVendor(syslog('kernel: eth0 link up'));
    expect(detection.vendor).toBe('unknown');
    expect(detection.signals).toEqual([]);
  });

  it('lets the hint decide only a tie', () => {
    expect(detectVendor(syslog('kernel: eth0 link up'), 'symantec').vendor).toBe('symantec');
    expect(detectVendor(syslog('anything', 'ERAServer'), 'symantec').vendor).toBe('eset');
  });

  it('lets a strong signal beat a weak one of the other vendor', () => {
    const input = syslog('Site: Main,Server Name: x,Event Description: HEARTBEAT', 'ERAServer');
    expect(detectVendor(input).vendor).toBe('eset');
  });

  it('recognizes the Symantec enterprise OID of a trap', () => {
    const input: ParserInput = {
      channel: 'snmp',
      text: '',
      capturedAt: AT,
      snmp: { trapOid: '1.3.6.1.4.1.393.1.2.3', varbinds: [] },
    };
    expect(detectVendor(input).vendor).toBe('symantec');
    expect(detectVendor({ ...input, snmp: { trapOid: '1.3.6.1.4.1.3930.1', varbinds: [] } }).vendor).toBe('unknown');
  });

  it('does not mistake the month "Sep" or the Spanish word "era" in a subject for a vendor', () => {
    expect(detectVendor(email('Reporte Sep 2026: era esperado', 'nada')).vendor).toBe('unknown');
  });
});

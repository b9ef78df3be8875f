import { describe, expect, it } from 'vitest';
import { parseSyslogHeader, stripBom } from '../../collector/parse/syslog-header.js';

const REFERENCE = '2026-11-22T19:00:00.000Z';

describe('parseSyslogHeader: RFC 3164', () => {
  it('reads PRI, time (year from the reference), host, program and pid', () => {
    const { header, message } = parseSyslogHeader('<54>Sep 16 08:30:10 WIN-RQBT7BNE367 SymantecServer: Virus found,x', REFERENCE);
    expect(header).toEqual({
      format: 'rfc3164',
      facility: 6,
      severity: 6,
      timestamp: '2026-09-16T08:30:10.000Z',
      hostname: 'WIN-RQBT7BNE367',
      appName: 'SymantecServer',
    });
    expect(message).toBe('Virus found,x');
  });

  it('accepts a line without PRI and a space-padded day', () => {
    const { header, message } = parseSyslogHeader('May  6 10:59:37 XXXXX ERAServer[5032]: {"a":1}', REFERENCE);
    expect(header.format).toBe('rfc3164');
    expect(header.facility).toBeUndefined();
    expect(header.timestamp).toBe('2026-05-06T10:59:37.000Z');
    expect(header.procId).toBe('5032');
    expect(message).toBe('{"a":1}');
  });

  it('treats a "-" hostname as absent (ESET heartbeat)', () => {
    const { header, message } = parseSyslogHeader('<190>Aug 12 09:58:13 - ERAServer[16238]: HEARTBEAT', REFERENCE);
    expect(header.hostname).toBeUndefined();
    expect(header.appName).toBe('ERAServer');
    expect(header.facility).toBe(23);
    expect(message).toBe('HEARTBEAT');
  });

  it('puts a December line read in early January in the previous year', () => {
    const { header } = parseSyslogHeader('Dec 31 23:59:59 host app: x', '2027-01-01T00:00:30.000Z');
    expect(header.timestamp).toBe('2026-12-31T23:59:59.000Z');
  });

  it('leaves the time out when no reference gives a year', () => {
    expect(parseSyslogHeader('Dec 31 23:59:59 host app: x').header.timestamp).toBeUndefined();
  });

  it('keeps a legacy SEP line whose program sits where the host should be', () => {
    const { header, message } = parseSyslogHeader(
      'Dec 12 17:07:08 SymantecServer antivirus.example.com: Virus found,Computer name: A01',
      REFERENCE,
    );
    expect(header.hostname).toBe('SymantecServer');
    expect(header.appName).toBe('antivirus.example.com');
    expect(message).toBe('Virus found,Computer name: A01');
  });

  it('strips a BOM before the message', () => {
    expect(parseSyslogHeader('<14>Nov 20 10:00:00 h ERAServer[1]: \uFEFF{"x":1}', REFERENCE).message).toBe('{"x":1}');
  });
});

describe('parseSyslogHeader: RFC 5424', () => {
  it('reads every header field and strips the BOM of the message', () => {
    const { header, message } = parseSyslogHeader(
      '<14>1 2026-02-27T16:25:37.704Z YOURHOST ERAServer 3432 ID47 - \uFEFF{"event_type":"Threat_Event"}',
    );
    expect(header).toEqual({
      format: 'rfc5424',
      facility: 1,
      severity: 6,
      timestamp: '2026-02-27T16:25:37.704Z',
      hostname: 'YOURHOST',
      appName: 'ERAServer',
      procId: '3432',
      msgId: 'ID47',
    });
    expect(message).toBe('{"event_type":"Threat_Event"}');
  });

  it('keeps structured data with an escaped bracket and converts offsets to UTC', () => {
    const { header, message } = parseSyslogHeader('<165>1 2026-11-20T10:00:00-03:00 h app - - [ex@1 a="b\\]c"][x y="z"] hello');
    expect(header.structuredData).toBe('[ex@1 a="b\\]c"][x y="z"]');
    expect(header.timestamp).toBe('2026-11-20T13:00:00.000Z');
    expect(message).toBe('hello');
  });

  it('accepts nil values and an empty message', () => {
    const { header, message } = parseSyslogHeader('<14>1 - - - - - -');
    expect(header.format).toBe('rfc5424');
    expect(header.timestamp).toBeUndefined();
    expect(header.appName).toBeUndefined();
    expect(message).toBe('');
  });
});

describe('parseSyslogHeader: garbage', () => {
  it('returns the whole line as the message with format none', () => {
    const line = '\u0001\u0002 not syslog ;;; 0xdeadbeef';
    expect(parseSyslogHeader(line)).toEqual({ header: { format: 'none' }, message: line });
  });

  it('keeps a PRI-only line as 3164 without inventing fields', () => {
    const { header, message } = parseSyslogHeader('<13>hello world');
    expect(header).toEqual({ format: 'rfc3164', facility: 1, severity: 5 });
    expect(message).toBe('hello world');
  });

  it('ignores an out-of-range PRI value', () => {
    const { header } = parseSyslogHeader('<999>oops');
    expect(header.facility).toBeUndefined();
  });

  it('does not take a broken 5424 structured data as a header', () => {
    const { header } = parseSyslogHeader('<14>1 2026-01-01T00:00:00Z h a p m [unterminated');
    expect(header.format).not.toBe('rfc5424');
  });
});

describe('stripBom', () => {
  it('removes the BOM and its Latin-1 misreading, nothing else', () => {
    expect(stripBom('\uFEFFx')).toBe('x');
    expect(stripBom('ï»¿x')).toBe('x');
    expect(stripBom('x\uFEFF')).toBe('x\uFEFF');
  });
});

describe('parseSyslogHeader: messages that look like header tokens', () => {
  it('does not eat a JSON message as a hostname or tag when the host is missing', () => {
    const { header, message } = parseSyslogHeader('<14>Nov 20 10:00:00 {"event_type":"Threat_Event","a":"b c"}', REFERENCE);
    expect(header.hostname).toBeUndefined();
    expect(message).toBe('{"event_type":"Threat_Event","a":"b c"}');
  });

  it('does not take a CEF or LEEF header for a program name', () => {
    expect(parseSyslogHeader('<14>Nov 20 10:00:00 CEF:0|ESET|Protect|1|2|x|5|a=b', REFERENCE).message).toBe('CEF:0|ESET|Protect|1|2|x|5|a=b');
    expect(parseSyslogHeader('<14>Nov 20 10:00:00 h LEEF:1.0|ESET|P|1|x|a=b', REFERENCE).message).toBe('LEEF:1.0|ESET|P|1|x|a=b');
  });

  it('reads an RFC 3339 time in the 3164 position (rsyslog high precision)', () => {
    const { header, message } = parseSyslogHeader('<14>2026-11-20T10:00:00.123+00:00 host app[1]: msg');
    expect(header).toMatchObject({ format: 'rfc3164', timestamp: '2026-11-20T10:00:00.123Z', hostname: 'host', appName: 'app' });
    expect(message).toBe('msg');
  });
});

// One message's bytes to the forwarded line: BOM, UTF-8, PRI, empty lines.
import { describe, expect, it } from 'vitest';
import { decodeSyslogMessage, hasPri } from './message.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('decodeSyslogMessage', () => {
  it('keeps an RFC 3164 line exactly', () => {
    const line = '<54>Sep 16 08:30:10 WIN-RQBT7BNE367 SymantecServer: Site: SEPSite,Server: x,Event Description: ok';
    expect(decodeSyslogMessage(Buffer.from(line))).toEqual({ kind: 'message', line, invalidUtf8: false, bomStripped: false });
  });

  it('strips the BOM ESET puts before the JSON of an RFC 5424 message', () => {
    const head = '<14>1 2026-02-27T16:25:37.704Z HOST ERAServer 3432 - - ';
    const json = '{"event_type":"Threat_Event","hostname":"pc-01"}';
    const decoded = decodeSyslogMessage(Buffer.concat([Buffer.from(head), BOM, Buffer.from(json)]));
    expect(decoded).toEqual({ kind: 'message', line: head + json, invalidUtf8: false, bomStripped: true });
  });

  it('strips a BOM at the very start', () => {
    const decoded = decodeSyslogMessage(Buffer.concat([BOM, Buffer.from('<13>hello')]));
    expect(decoded).toMatchObject({ kind: 'message', line: '<13>hello', bomStripped: true });
  });

  it('replaces invalid UTF-8 and says so', () => {
    const decoded = decodeSyslogMessage(Buffer.concat([Buffer.from('<13>caf'), Buffer.from([0xe9]), Buffer.from(' ok')]));
    expect(decoded).toEqual({ kind: 'message', line: '<13>caf\uFFFD ok', invalidUtf8: true, bomStripped: false });
  });

  it('drops the trailing line end of a datagram', () => {
    expect(decodeSyslogMessage(Buffer.from('<13>udp line\r\n\0'))).toMatchObject({ line: '<13>udp line' });
  });

  it.each(['', '\r\n', '   ', '\0'])('ignores an empty message %j', (text) => {
    expect(decodeSyslogMessage(Buffer.from(text))).toEqual({ kind: 'empty' });
  });

  it.each(['hello world', '<>x', '<192>too high', '<013>leading zero', 'x<13>late'])('refuses %j as garbage', (text) => {
    expect(decodeSyslogMessage(Buffer.from(text)).kind).toBe('garbage');
  });

  it('gives a printable sample of garbage', () => {
    const decoded = decodeSyslogMessage(Buffer.from(`\u0007bell ${'z'.repeat(100)}`));
    expect(decoded.kind === 'garbage' && decoded.sample).toMatch(/^\\u0007bell z+$/);
  });
});

describe('decodeSyslogMessage with UTF-16', () => {
  const text = '<14>1 2026-12-07T10:00:00Z srv-eset ERAServer - - - Amenaza detectada en «Administración»';
  const le = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const be = (s: string): Buffer => Buffer.from(le(s).swap16());

  it('reads a whole message marked UTF-16 LE, accents kept, framing removed', () => {
    expect(decodeSyslogMessage(le(`${text}\n`))).toEqual({ kind: 'message', line: text, invalidUtf8: false, bomStripped: true });
  });

  it('reads a whole message marked UTF-16 BE', () => {
    expect(decodeSyslogMessage(be(text))).toMatchObject({ kind: 'message', line: text });
  });

  it('reads an ASCII header followed by a UTF-16 MSG after its mark', () => {
    const head = '<14>Dec  7 10:00:00 srv-eset ';
    const decoded = decodeSyslogMessage(Buffer.concat([Buffer.from(head), le('Equipo: «Café»')]));
    expect(decoded).toMatchObject({ kind: 'message', line: `${head}Equipo: «Café»` });
  });

  it('still refuses UTF-16 text that is not syslog', () => {
    expect(decodeSyslogMessage(le('hello')).kind).toBe('garbage');
  });
});

describe('hasPri', () => {
  it.each([['<0>a', true], ['<191>a', true], ['<7>', true], ['<1234>a', false], ['13>a', false]])('%s → %s', (text, ok) => {
    expect(hasPri(text)).toBe(ok);
  });
});

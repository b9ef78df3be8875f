// The front door's promises: at least one event for anything, never a throw, the raw text kept, and the input
// built the same way for every transport.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../protocol/envelope.js';
import { parseEnvelope, parseInput, rawText, toParserInput, VENDOR_PARSERS } from '../../collector/parse/index.js';
import type { ParserInput } from '../../collector/parse/types.js';

const base = { id: '0193a5e0-0000-7000-8000-000000000999', capturedAt: '2026-11-20T12:00:00.000Z', source: { address: '10.0.0.1', port: 0 } };

describe('toParserInput', () => {
  it('parses the syslog header and keeps only the message as text', () => {
    const input = toParserInput({ ...base, transport: 'syslog', syslog: { protocol: 'udp', line: '<14>Nov 20 09:00:00 h ERAServer[1]: HEARTBEAT' } });
    expect(input).toMatchObject({ channel: 'syslog', text: 'HEARTBEAT', syslog: { appName: 'ERAServer', hostname: 'h' } });
    expect(input.syslog?.timestamp).toBe('2026-11-20T09:00:00.000Z');
  });

  it('prefers the e-mail text part and converts HTML only when there is none', () => {
    const smtp = { mailFrom: 'a@b.c', rcptTo: ['x@y.z'], headers: [], attachments: [], subject: 'S' };
    const withText = toParserInput({ ...base, transport: 'smtp', smtp: { ...smtp, text: 'plain', html: '<p>rich</p>' } });
    const htmlOnly = toParserInput({ ...base, transport: 'smtp', smtp: { ...smtp, text: '  ', html: '<p>rich</p>' } });
    expect(withText).toMatchObject({ channel: 'email', text: 'plain', subject: 'S', from: 'a@b.c' });
    expect(htmlOnly.text).toBe('rich');
  });

  it('joins the text varbinds of a trap, leaving out its meta, binary and numeric ones', () => {
    const input = toParserInput({
      ...base,
      transport: 'snmp',
      snmp: {
        version: 'v2c',
        pduType: 'trap-v2',
        trapOid: '1.3.6.1.4.1.99999.0.1',
        varbinds: [
          { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: '5' },
          { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.4.1.99999.0.1' },
          { oid: '1.3.6.1.4.1.99999.1', type: 'OctetString', value: 'line one' },
          { oid: '1.3.6.1.4.1.99999.2', type: 'OctetString', value: 'AAE=', encoding: 'base64' },
          { oid: '1.3.6.1.4.1.99999.3', type: 'Integer', value: '7' },
          { oid: '1.3.6.1.4.1.99999.4', type: 'BitString', value: '0101' },
          { oid: '1.3.6.1.4.1.99999.5', type: 'OctetString', value: 'line two' },
        ],
      },
    });
    expect(input.text).toBe('line one\nline two');
    expect(input.snmp?.trapOid).toBe('1.3.6.1.4.1.99999.0.1');
  });
});

describe('rawText', () => {
  it('keeps the syslog line, the mail head and body, and every varbind', () => {
    expect(rawText({ ...base, transport: 'syslog', syslog: { protocol: 'tcp', line: 'L' } })).toBe('L');
    const mail: Envelope = {
      ...base,
      transport: 'smtp',
      smtp: { mailFrom: 'a@b.c', rcptTo: ['x@y.z'], headers: [], attachments: [], subject: 'Asunto', html: '<b>x</b>' },
    };
    expect(rawText(mail)).toBe('From: a@b.c\nSubject: Asunto\n\n<b>x</b>');
    const trap: Envelope = {
      ...base,
      transport: 'snmp',
      snmp: { version: 'v1', pduType: 'trap-v1', enterprise: '1.3.6.1.4.1.1', varbinds: [{ oid: '1.2', type: 'OctetString', value: 'AAE=', encoding: 'base64' }] },
    };
    expect(rawText(trap)).toBe('trap-v1 v1 1.3.6.1.4.1.1\n1.2 OctetString base64:AAE=');
  });
});

describe('parseInput and parseEnvelope', () => {
  const input: ParserInput = { channel: 'syslog', text: 'Detection name: X', capturedAt: base.capturedAt, syslog: { format: 'rfc3164', appName: 'ERAServer' } };

  it('turns a throwing parser into an unclassified event that says why', () => {
    const parsers = { ...VENDOR_PARSERS, eset: () => { throw new Error('boom'); } };
    const events = parseInput(input, undefined, parsers);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ vendor: 'eset', eventType: 'unclassified', extra: { reason: 'eset parser failed: boom' } });
  });

  it('turns an empty result into an unclassified event', () => {
    const events = parseInput(input, undefined, { ...VENDOR_PARSERS, eset: () => [] });
    expect(events[0]).toMatchObject({ eventType: 'unclassified', extra: { reason: 'no parser recognized the content' } });
  });

  it('tries the hinted vendor first when content names none', () => {
    const calls: string[] = [];
    const spy = (name: string) => () => { calls.push(name); return null; };
    parseInput({ channel: 'syslog', text: 'x', capturedAt: base.capturedAt }, 'symantec', { eset: spy('eset'), symantec: spy('symantec') });
    expect(calls).toEqual(['symantec', 'eset']);
  });

  it('never throws and always returns an event, even for an envelope that skipped validation', () => {
    const broken = { ...base, transport: 'syslog', syslog: {} } as unknown as Envelope;
    const events = parseEnvelope(broken);
    expect(events).toHaveLength(1);
    expect(events[0]?.eventType).toBe('unclassified');
  });
});

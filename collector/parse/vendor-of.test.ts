// vendorOf (the front door's early-stopping detection) names the same vendor as detectVendor without a hint: on the
// whole fixture corpus, and on every combination of signal snippets in every context (syslog program, e-mail sender
// and subject, SNMP enterprise), ties included.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../protocol/envelope.js';
import { detectVendor, vendorOf } from './detect.js';
import { toParserInput } from './input.js';
import type { ParserInput } from './types.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures');

const SNIPPETS = [
  'CEF:0|ESET|Protect|', 'CEF:0|Symantec|SEP|', '"event_type":"Threat_Event"', '"occured":"x"', 'ESET PROTECT',
  'Detection name: X', 'antivirus events in 10 minutes', 'HEARTBEAT', 'Symantec Endpoint Protection',
  'Risk name: X', 'Virus found', 'Server Name: X',
];

const CONTEXTS: Omit<ParserInput, 'text'>[] = [
  { channel: 'syslog', capturedAt: '2026-01-01T00:00:00Z' },
  { channel: 'syslog', capturedAt: '2026-01-01T00:00:00Z', syslog: { format: 'rfc3164', appName: 'ERAServer' } },
  { channel: 'syslog', capturedAt: '2026-01-01T00:00:00Z', syslog: { format: 'rfc3164', appName: 'SymantecServer' } },
  { channel: 'email', capturedAt: '2026-01-01T00:00:00Z', from: 'era@eset.example', subject: 'SEPM alert' },
  { channel: 'email', capturedAt: '2026-01-01T00:00:00Z', from: 'sepm@broadcom.example', subject: 'ESET' },
  { channel: 'email', capturedAt: '2026-01-01T00:00:00Z', from: 'era@eset.example' },
  { channel: 'email', capturedAt: '2026-01-01T00:00:00Z', subject: 'Symantec alert' },
  { channel: 'snmp', capturedAt: '2026-01-01T00:00:00Z', snmp: { varbinds: [], enterprise: '1.3.6.1.4.1.393.1' } },
];

describe('vendorOf', () => {
  it('agrees with detectVendor on every fixture', () => {
    for (const dir of ['eset', 'symantec']) {
      for (const name of readdirSync(join(FIXTURES, dir)).filter((n) => n.endsWith('.json'))) {
        const fixture = JSON.parse(readFileSync(join(FIXTURES, dir, name), 'utf8')) as { envelope: unknown };
        const input = toParserInput(envelopeSchema.parse(fixture.envelope));
        expect(vendorOf(input), `${dir}/${name}`).toBe(detectVendor(input).vendor);
      }
    }
  });

  it('agrees with detectVendor on every combination of signals in every context', () => {
    for (const context of CONTEXTS) {
      for (let mask = 0; mask < 1 << SNIPPETS.length; mask++) {
        const text = SNIPPETS.filter((_, i) => mask & (1 << i)).join('\n');
        const input = { ...context, text } as ParserInput;
        expect(vendorOf(input)).toBe(detectVendor(input).vendor);
      }
    }
  });
});

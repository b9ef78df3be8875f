// Realistic captures for the benchmarks: ESET syslog lines from the test fixtures and an ESET-like SNMP trap,
// each envelope 300–600 bytes of JSON, varied per index so that nothing is cached by accident.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Capture, Envelope } from '../protocol/envelope.js';
import { uuidv7 } from '../lib/ids.js';

const FIXTURES = resolve(import.meta.dirname, '../test/fixtures');

function fixtureCaptures(): Capture[] {
  const out: Capture[] = [];
  for (const vendor of ['eset', 'symantec']) {
    let files: string[] = [];
    try { files = readdirSync(join(FIXTURES, vendor)).filter((f) => f.endsWith('.json')); } catch { continue; }
    for (const f of files) {
      const doc = JSON.parse(readFileSync(join(FIXTURES, vendor, f), 'utf8')) as { envelope?: Envelope };
      const e = doc.envelope;
      if (!e || (e.transport !== 'syslog' && e.transport !== 'snmp')) continue;
      const size = JSON.stringify(e).length;
      if (size < 300 || size > 600) continue;
      const { id: _id, capturedAt: _at, ...capture } = e;
      out.push(capture as Capture);
    }
  }
  return out;
}

function snmpCapture(): Capture {
  return {
    transport: 'snmp', source: { address: '10.20.30.41', port: 162 },
    snmp: {
      version: 'v2c', pduType: 'trap-v2', trapOid: '1.3.6.1.4.1.99999.0.1', enterprise: '1.3.6.1.4.1.99999', uptime: 123456,
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: '123456' },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.4.1.99999.0.1' },
        { oid: '1.3.6.1.4.1.99999.1.2', type: 'OctetString', value: 'ESET PROTECT: Threat detected on host WS-0042 (10.1.2.42): Win32/Agent.XYZ trojan, action: cleaned by deleting, user ACME\\jdoe' },
      ],
    },
  };
}

/** A pool of distinct realistic captures (at least the SNMP one). */
export const CAPTURES: readonly Capture[] = [...fixtureCaptures(), snmpCapture()];

/** The i-th benchmark capture: a pool entry with its source port varied. */
export function benchCapture(i: number): Capture {
  const c = CAPTURES[i % CAPTURES.length]!;
  return { ...c, source: { address: c.source.address, port: 1024 + (i % 60_000) } } as Capture;
}

/** The i-th benchmark envelope, with a fresh id and capture time. */
export function benchEnvelope(i: number, capturedAt: string): Envelope {
  return { id: uuidv7(), capturedAt, ...benchCapture(i) } as Envelope;
}

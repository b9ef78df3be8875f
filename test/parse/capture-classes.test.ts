// The classes of real captures the parsers used to miss (issue 12): one test per class, on the synthetic fixtures
// written from the documented formats (test/fixtures/…, `synthetic: true`) and on variants built here. Each test
// checks what the corpus' partial match cannot: that a wrong value is absent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../protocol/envelope.js';
import type { Envelope } from '../../protocol/envelope.js';
import type { ParsedEvent } from '../../protocol/event.js';
import { parseEnvelope } from '../../collector/parse/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function fixture(path: string): { synthetic: boolean; envelope: Envelope } {
  const raw = JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as { synthetic: boolean; envelope: unknown };
  return { synthetic: raw.synthetic, envelope: envelopeSchema.parse(raw.envelope) };
}

function parsedFixture(path: string): ParsedEvent {
  const { synthetic, envelope } = fixture(path);
  expect(synthetic).toBe(true);
  const events = parseEnvelope(envelope);
  expect(events).toHaveLength(1);
  return events[0]!;
}

const base = { capturedAt: '2026-03-20T12:00:00.000Z', source: { address: '10.20.0.10', port: 514 } };
let serial = 0;

function syslogLine(line: string): ParsedEvent[] {
  serial += 1;
  const id = `0190f000-0000-7000-8000-${serial.toString(16).padStart(12, '0')}`;
  return parseEnvelope({ ...base, id, transport: 'syslog', syslog: { protocol: 'udp', line } });
}

describe('real-capture classes', () => {
  it('recognises the SEPM packet log (it was not even recognised as SEPM)', () => {
    const event = parsedFixture('symantec/syslog-packet-blocked-outbound.json');
    expect(event).toMatchObject({ vendor: 'symantec', format: 'symantec/syslog-packet', eventType: 'firewall-attack', action: 'blocked' });
    expect(event.threat).toBeUndefined();
    // The same record with no syslog header and the `Local Host:` spelling some exports write.
    const [bare] = syslogLine('PC-01,Local Host: 10.0.0.5,Local Port: 138,Remote Host IP: 10.0.0.255,Remote Host Name: ,Remote Port: 138,Inbound,Application: ,Action: Allowed');
    expect(bare).toMatchObject({ vendor: 'symantec', format: 'symantec/syslog-packet', severity: 'info', computer: { name: 'PC-01', ip: '10.0.0.5' } });
  });

  it('reads SEP 14.3 behaviour records whose positional fields are empty', () => {
    const event = parsedFixture('symantec/syslog-behavior-14-3-empty-positional.json');
    expect(event).toMatchObject({ format: 'symantec/syslog-behavior', eventType: 'hips', computer: { name: 'SRV-ARCHIVOS' } });
    expect(event.computer?.ip).toBeUndefined();
    expect(event.threat?.name).toBeUndefined();
    expect(event.extra?.['Rule']).toBeUndefined();
    expect(event.actionText).toBe('Blocked');
  });

  it('tells a dump file\'s leading date and severity from the computer name', () => {
    const security = parsedFixture('symantec/syslog-dump-security-critical.json');
    expect(security.computer?.name).toBe('SRV-WEB01');
    expect(security.vendorSeverity).toBe('Critical');
    const system = parsedFixture('symantec/syslog-dump-system-error.json');
    expect(system).toMatchObject({ computer: { name: 'SEPM01' }, occurredAt: '2026-03-20T06:00:12.000Z', vendorSeverity: 'Error' });
    // A record that really starts with its host is left as it was.
    const [plain] = syslogLine('<54>Mar 20 12:00:00 sepm01 SymantecServer: 2026-PC,Category: 0,CVE,Event Description: Downloaded new content update,Event time: 2026-03-20 11:00:00');
    expect(plain?.computer?.name).toBe('2026-PC');
  });

  it('recognises SEPM system failures in Spanish, English, French, Portuguese, German and Italian', () => {
    for (const language of ['es', 'en', 'fr', 'pt', 'de', 'it']) {
      const event = parsedFixture(`symantec/syslog-system-liveupdate-failed-${language}.json`);
      expect(event.eventType, language).toBe('definitions-outdated');
    }
    const stopped = {
      es: 'El servicio de base de datos se detuvo.',
      fr: "Le service de base de données s'est arrêté.",
      pt: 'O serviço do banco de dados parou.',
      de: 'Der Datenbankdienst wurde beendet.',
      it: 'Il servizio del database è stato arrestato.',
    };
    for (const [language, text] of Object.entries(stopped)) {
      const [event] = syslogLine(`<51>Mar 20 03:00:00 sepm01 SymantecServer: Site: Sitio,Server Name: SEPM01,${text}`);
      expect(event?.eventType, language).toBe('server-health');
    }
    const [started] = syslogLine('<54>Mar 20 03:00:00 sepm01 SymantecServer: Site: Sitio,Server Name: SEPM01,LiveUpdate a démarré.');
    expect(started?.eventType).toBe('server-health');
    expect(started?.severity).toBe('info');
  });

  it('detects UTF-16 (both byte orders) by its byte-order mark before decoding, never reading it as Latin-1', () => {
    const le = parsedFixture('symantec/snmp-utf16le-bom-system-failure.json');
    expect(le.summary).toContain('Échec de LiveUpdate');
    const be = parsedFixture('symantec/syslog-utf16be-bom-read-as-latin1.json');
    expect(be).toMatchObject({ computer: { name: 'SRV-CONTABLE' }, eventType: 'definitions-outdated' });
    // UTF-16 LE read as lenient UTF-8 by a relay: the mark becomes two U+FFFD and every other character a NUL.
    const text = 'Site: Sitio,Server Name: SEPM01,LiveUpdate failed.';
    const misread = new TextDecoder().decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const [event] = syslogLine(`<51>Mar 20 03:00:00 sepm01 SymantecServer: ${misread}`);
    expect(event).toMatchObject({ eventType: 'definitions-outdated', computer: { name: 'SEPM01' } });
    expect(event?.summary).not.toContain('\u0000');
    expect(event?.summary).not.toContain('\uFFFD');
  });

  it('fills threat only from fields that name a threat', () => {
    const traffic = parsedFixture('symantec/syslog-traffic-placeholder-addresses.json');
    expect(traffic.threat?.name).toBeUndefined();
    expect(traffic.extra?.['Rule']).toBe('Block SMB from outside');
    const hips = parsedFixture('eset/57-json-hips-unspecified-address.json');
    expect(hips.threat?.name).toBeUndefined();
    expect(hips.threat?.type).toBeUndefined();
    // SONAR with an empty `Risk name:`: the application is kept, but not as the threat.
    const [sonar] = syslogLine('<54>Mar 20 12:00:00 sepm01 SymantecServer: Potential risk found,Computer name: PC-01,Detection type: Heuristic,Application name: Planillas,Risk Level: Low,Source: Heuristic Scan,Risk name: ,Occurrences: 1,c:\\apps\\planillas.exe,,Actual action: Left alone,Event time: 2026-03-20 11:00:00');
    expect(sonar?.threat?.name).toBeUndefined();
    expect(sonar?.extra?.['Application name']).toBe('Planillas');
    // A security record whose description is a sentence names no threat; one that names an attack does.
    const [sentence] = syslogLine('<54>Mar 20 12:00:00 sepm01 SymantecServer: PC-01,Event Description: The client will block traffic from IP address 203.0.113.9 for the next 600 seconds.,Local Host IP: 10.0.0.5,Remote Host IP: 203.0.113.9,Inbound,TCP,Begin: 2026-03-20 11:00:00,CIDS Signature string: ');
    expect(sentence?.threat?.name).toBeUndefined();
    expect(sentence?.summary).toContain('The client will block traffic');
    const [attack] = syslogLine('<54>Mar 20 12:00:00 sepm01 SymantecServer: PC-01,Event Description: [SID: 1] Attack: Example Probe attack blocked. Traffic has been blocked.,Local Host IP: 10.0.0.5,Remote Host IP: 203.0.113.9,Inbound,TCP,Begin: 2026-03-20 11:00:00');
    expect(attack?.threat?.name).toBe('Attack: Example Probe');
  });

  it('keeps no unspecified or anonymised placeholder address', () => {
    const traffic = parsedFixture('symantec/syslog-traffic-placeholder-addresses.json');
    expect(traffic.computer?.ip).toBeUndefined();
    expect(traffic.summary).not.toContain('0.0.0.0');
    expect(parsedFixture('eset/57-json-hips-unspecified-address.json').computer?.ip).toBeUndefined();
    for (const address of ['::', '...', 'xxx.xxx.xxx.xxx']) {
      const [event] = syslogLine(`<54>Mar 20 12:00:00 sepm01 SymantecServer: PC-01,Local Host IP: ${address},Local Port: 1,Remote Host IP: 10.0.0.9,Remote Host Name: ,Remote Port: 2,Inbound,Application: ,Action: Blocked`);
      expect(event?.computer, address).toEqual({ name: 'PC-01' });
    }
  });
});

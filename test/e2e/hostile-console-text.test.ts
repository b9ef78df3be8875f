// Issue 13 item 2 end to end: a syslog line whose computer and threat names hold line breaks, an HTML link, a
// right-to-left override, a zero-width space and 100 KB goes over TCP to a real agent, then to a real collector that
// opens a ticket and mails the contact through a real SMTP sink. The mail, `xpears ticket list|show` and the monthly
// PDF (read back with pdftotext) each show the console's words as one bounded, quoted line; nothing is injected.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.js';
import { pdfText } from '../reports/helpers.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from './harness.js';

const run = promisify(execFile);
const HOSTILE = 'PC-07\r\nURGENTE: su equipo está infectado, descargue http://evil.example/fix.exe y llame al +54 11 5555-0000\r\n' +
  '<a href="http://evil.example/fix.exe">Descargar</a>\u202Eexe.pdf\u200B';
const HUGE = 'Z'.repeat(100 * 1024);
// What must never reach a reader: C0 (but newline; tab too), DEL, C1, bidi and zero-width formatting, the BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
// Wherever the console's words appear, a quotation mark opened before them on the same line.
const quotedOnItsLine = (text: string) => text.split('\n').filter((l) => /URGENTE|evil\.example|<a href/.test(l))
  .every((l) => /[«“][^»”]*(URGENTE|evil\.example|<a href)/.test(l));

let dir: ReturnType<typeof tempDir>;
let sink: SmtpSink;
let collector: RunningCollector;
let agent: RunningAgent;
let tcpPort = 0;
let configFile = '';
const cli = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args,
  '--config', configFile], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })).stdout;

beforeAll(async () => {
  dir = tempDir('xpears-e2e-hostile-');
  const dataDir = join(dir.path, 'collector');
  const { token } = await enrollAcme(dataDir);
  const registry = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await registry.addContact('acme', { name: 'Ana Gómez', email: 'ana@acme.example', language: 'es', products: ['ESET PROTECT Entry'] });
  sink = await startSmtpSink();
  const config = { dataDir, reports: { enabled: false } };
  configFile = join(dir.path, 'collector.json');
  writeFileSync(configFile, JSON.stringify(config));
  collector = await runCollector(collectorConfigFor(dataDir, 0, { ...config, notify: {
    smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false },
    from: { address: 'cas@xpears.example' }, dispatch: { intervalMs: 200 },
  } }));
  agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), collector.url, token, await freeUdpPort(), {
    receivers: { syslog: { tcp: { port: 0 }, maxMessageBytes: 1_000_000 } },
  }), { logger: silentLogger(), clock: systemClock });
  const listening = agent.receivers.find((r) => r.name === 'syslog')!.health().listening;
  tcpPort = Number(/tcp [^,]*:(\d+)/.exec(listening)?.[1]);
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await collector?.stop();
  await sink?.close();
  dir?.cleanup();
});

describe('a console\'s words are data, never the provider\'s voice', () => {
  it('a hostile syslog line: the mail, the CLI and the PDF show one bounded, quoted line and nothing injected', async () => {
    const body = JSON.stringify({ event_type: 'Threat_Event', ipv4: '192.168.1.107', hostname: `${HOSTILE}${HUGE}`,
      severity: 'Critical', threat_name: `${HOSTILE}${HUGE}`, action_taken: 'Cleaning failed', threat_handled: false });
    const line = `<14>1 ${new Date().toISOString()} ERA-SRV ERAServer 3432 - - ${body}`;
    expect(Buffer.byteLength(line)).toBeGreaterThan(200 * 1024);
    await new Promise<void>((resolve, reject) => {
      const s = connect(tcpPort, '127.0.0.1', () => s.end(`${line}\n`, () => resolve()));
      s.on('error', reject);
    });

    // The mail to the designated contact, read back from the SMTP sink.
    expect(await eventually(() => sink.envelopes.some((e) => e.includes('ana@acme.example')), 30_000)).toBe(true);
    const mail = sink.messages[sink.envelopes.findIndex((e) => e.includes('ana@acme.example'))]! as ParsedMail;
    const subject = mail.subject ?? '';
    expect(subject).not.toMatch(UNSAFE);
    expect(subject.length).toBeLessThan(300);
    expect(subject).toMatch(/^\[XR-\d{4}-\d{6}\] Incidente de amenaza: Amenaza no eliminada «PC-07 URGENTE[^«»]*…» en «PC-07 URGENTE[^«»]*…» — Acme SA$/);
    expect(mail.html).toBe(false);
    const text = mail.text ?? '';
    expect(text).not.toMatch(UNSAFE);
    expect(text).not.toContain('Z'.repeat(400));
    expect(quotedOnItsLine(text)).toBe(true);
    expect(text).toContain('Detalle técnico, la consola informó: «');
    const size = Buffer.byteLength(text) + mail.headerLines.reduce((n, h) => n + Buffer.byteLength(h.line) + 2, 0);
    expect(size).toBeLessThan(12 * 1024);
    const number = /\[(XR-\d{4}-\d{6})\]/.exec(subject)![1]!;

    // The ticket, as an engineer's terminal shows it.
    const list = await cli('ticket', 'list');
    expect(list).not.toMatch(UNSAFE);
    expect(list.trim().split('\n')).toHaveLength(1);
    expect(list.length).toBeLessThan(500);
    expect(list).toContain(`${number} `);
    expect(quotedOnItsLine(list)).toBe(true);
    const show = await cli('ticket', 'show', number);
    expect(show).not.toMatch(UNSAFE);
    expect(show.length).toBeLessThan(6_000);
    expect(quotedOnItsLine(show)).toBe(true);
    expect(show).toMatch(/computers \(1\): “PC-07 URGENTE[^“”]*…”/);
    const json = await cli('ticket', 'show', number, '--json');
    expect(json).not.toMatch(UNSAFE);
    expect(JSON.parse(json).ticket.number).toBe(number);

    // The events as the CLI lists them: the raw names, made visible and cut in the table; exact in JSON.
    const events = await cli('event', 'list');
    expect(events).not.toMatch(UNSAFE);
    expect(events.trim().split('\n')).toHaveLength(2);
    expect(events).toContain('PC-07\\r\\nURGENTE');
    const eventsJson = await cli('event', 'list', '--json');
    expect(eventsJson).not.toMatch(UNSAFE);
    expect(eventsJson).toContain('\\u202e');
    expect((JSON.parse(eventsJson) as { computer: { name: string } }[])[0]!.computer.name).toBe(`${HOSTILE}${HUGE}`);

    // The month's PDF report for the customer.
    const out = join(dir.path, 'report.pdf');
    const month = DateTime.now().setZone('America/Argentina/Buenos_Aires').toFormat('yyyy-MM');
    await cli('report', 'generate', '--customer', 'acme', '--month', month, '--out', out);
    const pdf = pdfText(out).replace(/\f/g, '\n'); // pdftotext's own page breaks
    expect(pdf).toContain('«PC-07 URGENTE');
    expect(pdf).not.toMatch(UNSAFE);
    expect(pdf).not.toContain('Z'.repeat(400));
    expect(quotedOnItsLine(pdf)).toBe(true);

    // The capture itself is stored as it came: only what people read is cleaned.
    const stored = collector.repo.listEvents({ limit: 10 }).find((e) => e.eventType === 'threat-not-cleaned');
    expect(stored?.computer?.name).toBe(`${HOSTILE}${HUGE}`);
  }, 120_000);
});

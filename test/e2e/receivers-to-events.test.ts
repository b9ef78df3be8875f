// Issue 3 end to end: real clients (swaks, raw UDP/TCP syslog, Debian snmptrap with SNMPv3 authPriv) → agent →
// collector → parsed events, read back with `xpears event list --json`.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import type { Envelope, SmtpEnvelope, SnmpEnvelope, SyslogEnvelope } from '../../protocol/envelope.js';
import type { ParsedEvent } from '../../protocol/event.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from './harness.js';

const run = promisify(execFile);
interface Fixture { envelope: Envelope; expected: Partial<ParsedEvent>[] }
const fixture = (path: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures', path), 'utf8')) as Fixture;

const mail = fixture('symantec/email-outbreak-es.json');
const udpLine = fixture('eset/02-json-threat-eicar-5424.json');
const tcpLine = fixture('symantec/syslog-risk-ransomware-quarantined.json');
const trap = fixture('eset/37-snmp-v2c-text-es-ransomware.json');

let dir: ReturnType<typeof tempDir>;
let collector: RunningCollector;
let agent: RunningAgent;
const ports = { snmp: 0, smtp: 0, syslogUdp: 0, syslogTcp: 0 };
const portOf = (listening: string, proto: string) => Number(new RegExp(`${proto} [^,]*:(\\d+)`).exec(listening)?.[1]);

beforeAll(async () => {
  dir = tempDir('xpears-e2e-recv-');
  collector = await runCollector(collectorConfigFor(join(dir.path, 'collector')));
  const { token } = await enrollAcme(join(dir.path, 'collector'));
  ports.snmp = await freeUdpPort();
  const config = agentConfigFor(join(dir.path, 'agent'), collector.url, token, ports.snmp, {
    receivers: {
      snmp: {
        address: '127.0.0.1', port: ports.snmp, communities: [], engineId: '8000B98380CAFE0001',
        users: [{ name: 'eraadmin', level: 'authPriv', authProtocol: 'sha', authKey: 'clave-auth-1', privProtocol: 'aes', privKey: 'clave-priv-1' }],
      },
      smtp: { host: '127.0.0.1', port: 0, recipients: { addresses: ['alertas@relay.xpears.example'], domains: [] } },
      syslog: { udp: { port: 0 }, tcp: { port: 0 } },
    },
  });
  agent = await startAgent(config, { logger: silentLogger(), clock: systemClock });
  ports.smtp = portOf(agent.receivers.find((r) => r.name === 'smtp')!.health().listening, 'tcp');
  const syslog = agent.receivers.find((r) => r.name === 'syslog')!.health().listening;
  ports.syslogUdp = portOf(syslog, 'udp');
  ports.syslogTcp = portOf(syslog, 'tcp');
});
afterAll(async () => {
  await agent.stop();
  await collector.stop();
  dir.cleanup();
});

describe('every way a console talks becomes a parsed event', () => {
  it('a SEPM outbreak mail (swaks), an ESET JSON line over UDP, a SEPM risk line over TCP and an SNMPv3 authPriv trap', async () => {
    const m = (mail.envelope as SmtpEnvelope).smtp;
    await run('swaks', ['--server', `127.0.0.1:${ports.smtp}`, '--to', m.rcptTo[0]!, '--from', m.mailFrom,
      '--header', `Subject: ${m.subject}`, '--header', `Date: ${m.date}`, '--body', m.text!, '--silent', '2']);

    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.send(Buffer.from((udpLine.envelope as SyslogEnvelope).syslog.line), ports.syslogUdp, '127.0.0.1', () => r()));
    udp.close();

    await new Promise<void>((resolve, reject) => {
      const s = connect(ports.syslogTcp, '127.0.0.1', () => s.end(`${(tcpLine.envelope as SyslogEnvelope).syslog.line}\n`, () => resolve()));
      s.on('error', reject);
    });

    const text = (trap.envelope as SnmpEnvelope).snmp.varbinds.find((v) => v.type === 'OctetString')!;
    await run('snmptrap', ['-v', '3', '-e', '0x8000B98380CAFE0001', '-l', 'authPriv', '-u', 'eraadmin', '-a', 'SHA', '-A', 'clave-auth-1',
      '-x', 'AES', '-X', 'clave-priv-1', `127.0.0.1:${ports.snmp}`, '', '1.3.6.1.4.1.99999.0.1', text.oid, 's', text.value]);

    expect(await eventually(() => collector.repo.countEnvelopes() === 4)).toBe(true);
    expect(agent.receivers.map((r) => r.health().rejected)).toEqual([0, 0, 0]);
    const configFile = join(dir.path, 'collector.json');
    writeFileSync(configFile, JSON.stringify({ dataDir: join(dir.path, 'collector') }));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'event', 'list', '--json', '--config', configFile], { cwd: ROOT });
    const events = JSON.parse(stdout) as ParsedEvent[];
    expect(events).toHaveLength(4);
    for (const f of [mail, udpLine, tcpLine, trap]) {
      const want = f.expected[0]!;
      const got = events.find((e) => e.format === want.format);
      expect(got, `an event of format ${want.format}`).toBeDefined();
      expect(got).toMatchObject(want);
    }
  });
});

// Issue 17 end to end: 300 unhandled detections of one threat on 300 computers, real ESET syslog lines over TCP to a
// real agent, forwarded to a collector running as a child process that is SIGKILLed mid-storm and started again:
// one outbreak incident listing the 300 computers, each contact mailed at most twice, no mail queued twice.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import { resolvePlans } from '../../config/plans.js';
import { Registry } from '../../collector/registry/registry.js';
import type { SyslogEnvelope } from '../../protocol/envelope.js';
import { ROOT, agentConfigFor, enrollAcme, eventually, freeTcpPort, freeUdpPort, spawnCollector, tempDir, waitForOutput } from './harness.js';

const base = (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/04-json-ransomware-occurred-spelling.json'), 'utf8')) as
  { envelope: SyslogEnvelope }).envelope.syslog.line.replace('"threat_handled":true', '"threat_handled":false');
const lineFor = (i: number) => base.replace('"hostname":"srv-files"', `"hostname":"pc-${String(i).padStart(3, '0')}"`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function sendLines(port: number, from: number, to: number): Promise<void> {
  const text = Array.from({ length: to - from }, (_, j) => lineFor(from + j)).join('\n') + '\n';
  await new Promise<void>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(text, () => resolve()));
    s.on('error', reject);
  });
}

describe('an alert storm', () => {
  it('300 computers in under two minutes, collector SIGKILLed mid-storm: one incident of 300, at most two mails per contact', { timeout: 240_000 }, async () => {
    const dir = tempDir('xpears-e2e-storm-');
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'collector');
    const port = await freeTcpPort();
    const { token } = await enrollAcme(dataDir);
    const reg = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
    await reg.addContact('acme', { name: 'Ana Pérez', email: 'ana@acme.example', language: 'es', products: ['ESET PROTECT Entry'] });
    await reg.addContact('acme', { name: 'John Smith', email: 'john@acme.example', language: 'en', products: ['ESET PROTECT Entry'] });
    const configFile = join(dir.path, 'collector.json');
    writeFileSync(configFile, JSON.stringify({ dataDir, listen: { address: '127.0.0.1', port }, advisories: { enabled: false },
      reports: { enabled: false } })); // the month's report mail is not part of the storm
    let child = spawnCollector(configFile);
    cleanups.push(() => { child.kill('SIGKILL'); });
    await waitForOutput(child, 'collector listening', 30_000);
    const agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), `http://127.0.0.1:${port}`, token, await freeUdpPort(), {
      receivers: { syslog: { tcp: { port: 0 } } },
    }), { logger: silentLogger(), clock: systemClock });
    cleanups.push(() => agent.stop());
    const tcpPort = Number(/tcp [^,]*:(\d+)/.exec(agent.receivers.find((r) => r.name === 'syslog')!.health().listening)?.[1]);
    const db = new Database(join(dataDir, 'collector.db'), { readonly: true });
    cleanups.push(() => db.close());
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const started = Date.now();

    await sendLines(tcpPort, 0, 150);
    expect(await eventually(() => count('SELECT COUNT(*) FROM events') >= 40, 60_000, 5)).toBe(true);
    child.kill('SIGKILL'); // mid-storm, no goodbye
    await new Promise((r) => child.once('exit', r));
    const beforeCrash = count('SELECT COUNT(*) FROM events');
    await sendLines(tcpPort, 150, 300);
    child = spawnCollector(configFile);
    await waitForOutput(child, 'collector listening', 30_000);
    expect(await eventually(() => count('SELECT COUNT(*) FROM events') === 300 && agent.outbox.stats().depth === 0, 90_000)).toBe(true);
    const seconds = (Date.now() - started) / 1000;

    const tickets = db.prepare('SELECT id, dedup_key AS key FROM tickets').all() as { id: string; key: string }[];
    const incident = tickets.filter((t) => t.key.startsWith('storm|'));
    expect(incident).toHaveLength(1);
    expect(tickets).toHaveLength(2);
    expect(count(`SELECT COUNT(*) FROM ticket_computers WHERE ticket_id = '${incident[0]!.id}'`)).toBe(300);
    const mails = db.prepare("SELECT recipients, subject FROM notify_outbox WHERE channel = 'email'").all() as { recipients: string; subject: string }[];
    const perContact = new Map<string, number>();
    for (const m of mails) for (const to of JSON.parse(m.recipients) as string[]) perContact.set(to, (perContact.get(to) ?? 0) + 1);
    console.log(`storm: ${seconds.toFixed(1)} s, ${beforeCrash} events before the kill, mails per recipient ${JSON.stringify(Object.fromEntries(perContact))}`);
    expect(perContact.get('ana@acme.example')).toBe(2);
    expect(perContact.get('john@acme.example')).toBe(2);
    expect(Math.max(...perContact.values())).toBeLessThanOrEqual(2);
    expect(beforeCrash).toBeLessThan(300);
  });
});

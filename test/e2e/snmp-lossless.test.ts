// Issue 2's guarantees, end to end on loopback with real processes, sockets and files.
import { describe, it, expect, afterEach } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import snmp from 'net-snmp';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import type { Envelope } from '../../protocol/envelope.js';
import {
  ROOT, agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, spawnAgent, tempDir, waitForOutput,
} from './harness.js';

const run = promisify(execFile);
const TEXT_OID = '1.3.6.1.4.1.5706.3.1.1.1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** Every message text the collector stored, with how many times. */
function storedTexts(c: RunningCollector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of c.db.prepare("SELECT payload FROM envelopes WHERE transport = 'snmp'").all() as { payload: string }[]) {
    const env = JSON.parse(row.payload) as Extract<Envelope, { transport: 'snmp' }>;
    const text = env.snmp.varbinds.find((v) => v.oid === TEXT_OID)?.value ?? '';
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

/** Sends informs msg-<from>..msg-<to-1> with `parallel` in flight; resolves with the texts that were answered. */
function sendInforms(port: number, from: number, to: number, parallel: number, onAnswered?: (n: number) => boolean | void): Promise<Set<string>> {
  const session = snmp.createSession('127.0.0.1', 'public-test', { trapPort: port, version: snmp.Version2c, retries: 0, timeout: 1500 });
  const answered = new Set<string>();
  let next = from;
  return new Promise((resolve) => {
    let active = 0;
    const pump = () => {
      while (active < parallel && next < to) {
        const text = `msg-${next++}`;
        active += 1;
        session.inform('1.3.6.1.4.1.5706.3.1.0.1', [{ oid: TEXT_OID, type: snmp.ObjectType.OctetString, value: text }], {}, (err) => {
          active -= 1;
          // onAnswered returning true ends the stream: no new informs after that.
          if (!err) { answered.add(text); if (onAnswered?.(answered.size) === true) to = next; }
          if (next >= to && active === 0) { session.close(); resolve(answered); } else pump();
        });
      }
    };
    pump();
  });
}

describe('agent → collector over loopback', () => {
  it('a v2c trap and a v2c inform sent by Debian snmptrap are listed by `xpears event list`', async () => {
    const dir = tempDir('xpears-e2e-');
    cleanups.push(dir.cleanup);
    const collector = await runCollector(collectorConfigFor(join(dir.path, 'collector')));
    cleanups.push(() => collector.stop());
    const { token } = await enrollAcme(join(dir.path, 'collector'));
    const snmpPort = await freeUdpPort();
    const agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), collector.url, token, snmpPort), { logger: silentLogger(), clock: systemClock });
    cleanups.push(() => agent.stop());

    await run('snmptrap', ['-v', '2c', '-c', 'public-test', `127.0.0.1:${snmpPort}`, '', '1.3.6.1.4.1.5706.3.1.0.1', TEXT_OID, 's', 'trap from snmptrap']);
    await run('snmpinform', ['-v', '2c', '-c', 'public-test', '-r', '0', '-t', '3', `127.0.0.1:${snmpPort}`, '', '1.3.6.1.4.1.5706.3.1.0.1', TEXT_OID, 's', 'inform from snmpinform']);
    expect(await eventually(() => collector.repo.countEnvelopes() === 2)).toBe(true);

    const configFile = join(dir.path, 'collector.json');
    writeFileSync(configFile, JSON.stringify({ dataDir: join(dir.path, 'collector') }));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'event', 'list', '--json', '--customer', 'acme', '--config', configFile], { cwd: ROOT });
    const listed = JSON.parse(stdout) as { customerId: string; raw: string }[];
    expect(listed).toHaveLength(2);
    expect(listed.every((e) => e.customerId === 'acme')).toBe(true);
    expect(listed.map((e) => e.raw).join('\n')).toContain('trap from snmptrap');
    expect(listed.map((e) => e.raw).join('\n')).toContain('inform from snmpinform');
  });

  it('collector down for a while: the agent keeps receiving, and every envelope arrives exactly once when it is back', async () => {
    const dir = tempDir('xpears-e2e-down-');
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'collector');
    let collector = await runCollector(collectorConfigFor(dataDir));
    const port = Number(new URL(collector.url).port);
    const { token } = await enrollAcme(dataDir);
    const snmpPort = await freeUdpPort();
    const agent: RunningAgent = await startAgent(agentConfigFor(join(dir.path, 'agent'), collector.url, token, snmpPort), { logger: silentLogger(), clock: systemClock });
    cleanups.push(() => agent.stop());

    const first = await sendInforms(snmpPort, 0, 50, 10);
    expect(await eventually(() => collector.repo.countEnvelopes() === 50)).toBe(true);
    await collector.stop();

    const during = await sendInforms(snmpPort, 50, 350, 10);
    for (let i = 0; i < 10; i++) await run('snmptrap', ['-v', '2c', '-c', 'public-test', `127.0.0.1:${snmpPort}`, '', '1.3.6.1.4.1.5706.3.1.0.1', TEXT_OID, 's', `trap-${i}`]);
    expect(during.size).toBe(300);
    expect(await eventually(() => agent.outbox.stats().depth === 310)).toBe(true);
    expect(await eventually(() => agent.status().problems.some((p) => p.includes('cannot reach the collector')))).toBe(true);

    collector = await runCollector(collectorConfigFor(dataDir, port));
    cleanups.push(() => collector.stop());
    expect(await eventually(() => agent.outbox.stats().depth === 0, 30_000)).toBe(true);
    const texts = storedTexts(collector);
    expect(first.size + during.size).toBe(350);
    for (const t of [...first, ...during]) expect(texts.get(t)).toBe(1);
    for (let i = 0; i < 10; i++) expect(texts.get(`trap-${i}`)).toBe(1);
    expect(collector.repo.countEnvelopes()).toBe(360);
    expect(agent.status().problems).toEqual([]);
  });

  it('the agent killed with SIGKILL mid-stream of informs, then restarted: every answered inform arrives, none twice', async () => {
    const dir = tempDir('xpears-e2e-kill-');
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'collector');
    const collector = await runCollector(collectorConfigFor(dataDir));
    cleanups.push(() => collector.stop());
    const { token } = await enrollAcme(dataDir);
    const snmpPort = await freeUdpPort();
    const config = agentConfigFor(join(dir.path, 'agent'), collector.url, token, snmpPort);

    const first = spawnAgent(dir.path, config);
    await waitForOutput(first, 'agent started');
    let killed = false;
    const answered = await sendInforms(snmpPort, 0, 3000, 20, (n) => {
      if (!killed && n >= 600) { killed = true; first.kill('SIGKILL'); return true; }
      return false;
    });
    expect(killed).toBe(true);
    expect(answered.size).toBeGreaterThanOrEqual(600);
    expect(answered.size).toBeLessThan(3000);

    const second = spawnAgent(dir.path, config);
    cleanups.push(() => { second.kill('SIGTERM'); });
    await waitForOutput(second, 'agent started');
    const after = await sendInforms(snmpPort, 5000, 5100, 10);
    expect(after.size).toBe(100);

    expect(await eventually(() => [...answered, ...after].every((t) => storedTexts(collector).has(t)), 30_000)).toBe(true);
    const texts = storedTexts(collector);
    for (const t of [...answered, ...after]) expect(texts.get(t)).toBe(1);
    expect([...texts.values()].every((n) => n === 1)).toBe(true);
  });
});

// Issue 17 end to end: a per-computer maintenance window added with `xpears maintenance add`, then a real ESET
// ransomware syslog line over UDP to a real agent → collector: stored, listed by `xpears event list` as in
// maintenance, no ticket, no mail, counted in that month's report; the same line for another computer opens a ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import type { SyslogEnvelope } from '../../protocol/envelope.js';
import { aggregateMonthlyReport, createSqliteReportSource } from '../../reports/aggregate.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from './harness.js';

const run = promisify(execFile);
const line = (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/04-json-ransomware-occurred-spelling.json'), 'utf8')) as
  { envelope: SyslogEnvelope }).envelope.syslog.line;

let dir: ReturnType<typeof tempDir>;
let collector: RunningCollector;
let agent: RunningAgent;
let configFile: string;
let udpPort = 0;
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args, '--config', configFile], { cwd: ROOT });

beforeAll(async () => {
  dir = tempDir('xpears-e2e-maint-');
  const config = collectorConfigFor(join(dir.path, 'collector'));
  configFile = join(dir.path, 'collector.json');
  writeFileSync(configFile, JSON.stringify({ dataDir: config.dataDir, advisories: { enabled: false } }));
  collector = await runCollector(config);
  const { token } = await enrollAcme(config.dataDir);
  agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), collector.url, token, await freeUdpPort(), {
    receivers: { syslog: { udp: { port: 0 } } },
  }), { logger: silentLogger(), clock: systemClock });
  udpPort = Number(/udp [^,]*:(\d+)/.exec(agent.receivers.find((r) => r.name === 'syslog')!.health().listening)?.[1]);
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await collector?.stop();
  dir?.cleanup();
});

async function send(text: string): Promise<void> {
  const udp = createSocket('udp4');
  await new Promise<void>((r) => udp.send(Buffer.from(text), udpPort, '127.0.0.1', () => r()));
  udp.close();
}

describe('a ransomware line inside a per-computer maintenance window', () => {
  it('is stored and marked, opens no ticket and sends no mail, and counts in the month report', async () => {
    const now = Date.now();
    const added = await cli('maintenance', 'add', '--customer', 'acme', '--computer', 'SRV-FILES', '--reason', 'reinstalación',
      '--from', new Date(now - 3_600_000).toISOString(), '--to', new Date(now + 3_600_000).toISOString(), '--author', 'ing.lopez');
    const id = /window (M-\d+) added/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await cli('maintenance', 'list')).stdout).toMatch(new RegExp(`${id}\\s+acme\\s+-\\s+SRV-FILES.*yes.*reinstalación`));

    await send(line);
    expect(await eventually(() => collector.repo.countEnvelopes() === 1)).toBe(true);
    const listed = JSON.parse((await cli('event', 'list', '--json')).stdout) as { eventType: string; suppressedBy: unknown }[];
    expect(listed).toMatchObject([{ eventType: 'ransomware', suppressedBy: { kind: 'maintenance', ref: id } }]);
    expect((await cli('event', 'list')).stdout).toContain(`maintenance ${id}`);
    expect(collector.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(0);
    expect(collector.outbox.list({ limit: 100 })).toEqual([]);

    const report = aggregateMonthlyReport({ source: createSqliteReportSource(collector.db), registry: collector.registry, now: new Date() }, 'acme', '2026-01');
    expect(report.current.duringMaintenance).toBe(1);

    // Another computer, same line: a ticket and its mail.
    await send(line.replace('"hostname":"srv-files"', '"hostname":"srv-other"'));
    expect(await eventually(() => collector.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get() === 1)).toBe(true);
  }, 60_000);
});

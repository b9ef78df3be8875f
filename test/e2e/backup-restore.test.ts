// Issue 20, item 5: `xpears collector backup` takes a copy while the collector runs; the restore of docs/operations.md
// (the copy as collector.db, its registry as registry.json) gives a new collector that the same agent goes on feeding:
// what it captured meanwhile and after arrives once, and no threat gets a second ticket.
import { describe, it, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { startAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from './harness.js';

const run = promisify(execFile);
const dir = tempDir('xpears-backup-');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => { for (const c of cleanups.splice(0).reverse()) await c(); dir.cleanup(); });

async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** An ESET threat that was not cleaned: it opens a ticket. */
const threatLine = (n: number, copy = 0) => `<14>1 ${new Date().toISOString()} ERA-SRV ERAServer 3432 - - ${JSON.stringify({
  event_type: 'Threat_Event', ipv4: `192.168.1.${10 + n}`, hostname: `PC-${n}`, severity: 'Critical', threat_name: `Win32/Test.${n}`,
  action_taken: 'Cleaning failed', threat_handled: false, circumstances: `copy ${copy}` })}`;

const count = (c: RunningCollector, sql: string) => c.db.prepare(sql).pluck().get() as number;

describe('backup and restore', () => {
  it('a backup taken while running, restored into a new collector, is fed on without loss or duplicate tickets', { timeout: 120_000 }, async () => {
    const dataA = join(dir.path, 'a');
    const { token } = await enrollAcme(dataA);
    const port = await freeTcpPort();
    const configA = join(dir.path, 'a.json');
    writeFileSync(configA, JSON.stringify({ dataDir: dataA, listen: { address: '127.0.0.1', port }, advisories: { enabled: false } }));
    let collector = await runCollector(collectorConfigFor(dataA, port));
    const agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), `http://127.0.0.1:${port}`, token, await freeUdpPort(), {
      receivers: { syslog: { tcp: { port: 0 } } },
    }), { logger: silentLogger(), clock: systemClock });
    cleanups.push(() => agent.stop());
    const tcpPort = Number(/tcp [^,]*:(\d+)/.exec(agent.receivers.find((r) => r.name === 'syslog')!.health().listening)?.[1]);
    const send = (lines: string[]) => new Promise<void>((resolve) => {
      const s = connect(tcpPort, '127.0.0.1', () => s.end(lines.map((l) => `${l}\n`).join(''), () => resolve()));
    });

    await send([0, 1, 2, 3, 4].map((n) => threatLine(n)));
    expect(await eventually(() => count(collector, 'SELECT COUNT(*) FROM tickets') === 5, 30_000)).toBe(true);

    // The backup, by the command, while the collector runs.
    const out = join(dir.path, 'backups', 'collector-backup.db');
    mkdirSync(join(dir.path, 'backups'));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'collector', 'backup', '--config', configA, '--out', out], { cwd: ROOT });
    expect(stdout).toMatch(/backup written: .*5 envelopes, 5 tickets\), registry /);
    await expect(run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'collector', 'backup', '--config', configA, '--out', out], { cwd: ROOT }))
      .rejects.toMatchObject({ stderr: expect.stringMatching(/never overwrites/) });

    // The collector is lost; the agent captures on meanwhile (a repeat of threat 0 among them).
    await collector.stop();
    await send([threatLine(5), threatLine(6), threatLine(0, 1)]);
    expect(await eventually(() => agent.outbox.stats().depth === 3, 10_000)).toBe(true);

    // The restore (docs/operations.md): the copy becomes collector.db, its registry registry.json; same address.
    const dataB = join(dir.path, 'b');
    mkdirSync(dataB);
    copyFileSync(out, join(dataB, 'collector.db'));
    copyFileSync(`${out}.registry.json`, join(dataB, 'registry.json'));
    collector = await runCollector(collectorConfigFor(dataB, port));
    cleanups.push(() => collector.stop());
    await send([threatLine(7), threatLine(8)]);
    expect(await eventually(() => agent.outbox.stats().depth === 0 && count(collector, 'SELECT COUNT(*) FROM envelopes') === 10, 30_000)).toBe(true);
    expect(await eventually(() => count(collector, 'SELECT COUNT(*) FROM events WHERE triaged = 0') === 0, 10_000)).toBe(true);

    // Every capture once; one ticket per threat (the repeat of threat 0 joined the restored ticket); numbers unique.
    expect(count(collector, 'SELECT COUNT(DISTINCT payload) FROM envelopes')).toBe(10);
    const tickets = collector.db.prepare('SELECT number, title FROM tickets ORDER BY number').all() as { number: string; title: string }[];
    expect(tickets).toHaveLength(9);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(9);
    for (let n = 0; n <= 8; n++) expect(tickets.filter((t) => t.title.includes(`«PC-${n}»`)).length, `threat ${n}`).toBe(1);
  });
});

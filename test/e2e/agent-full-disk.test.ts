// Issue 20, item 1: the agent's data on a real 4 MiB filesystem (tmpfs) filled by a flood of informs while the
// collector is away. It refuses loudly before the disk is full, loses nothing it acknowledged, and once the collector
// is up it drains and accepts again with nobody acting; heartbeats are accepted throughout, and the depth it reports
// equals the rows in its outbox.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import snmp from 'net-snmp';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { Outbox } from '../../agent/outbox/index.js';
import { RESERVE_FILE } from '../../agent/outbox/reserve.js';
import { createLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import type { Envelope } from '../../protocol/envelope.js';
import { agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from './harness.js';

const TEXT_OID = '1.3.6.1.4.1.5706.3.1.1.1';
const dir = tempDir('xpears-full-disk-');
const mountPoint = join(dir.path, 'agent');
const bareDisk = join(dir.path, 'bare');
const mounted: string[] = [];

/** Mounts a 4 MiB tmpfs on each folder; the reason when it cannot (not root, no mount in this container). */
function mountSmallDisks(...points: string[]): string | null {
  try {
    for (const p of points) {
      mkdirSync(p);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', p], { stdio: 'pipe' });
      mounted.push(p);
    }
    return null;
  } catch (err) {
    return `cannot mount a 4 MiB tmpfs (${(err as Error).message.split('\n')[0]})`;
  }
}
const whyNot = mountSmallDisks(mountPoint, bareDisk);
if (whyNot) console.warn(`agent-full-disk test skipped: ${whyNot}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const p of mounted) execFileSync('umount', [p]);
  dir.cleanup();
});

/** Sends informs with `parallel` in flight until `stop()` says so; resolves with the texts that were answered. */
function flood(port: number, parallel: number, stop: () => boolean, prefix = 'msg'): Promise<Set<string>> {
  const session = snmp.createSession('127.0.0.1', 'public-test', { trapPort: port, version: snmp.Version2c, retries: 0, timeout: 400 });
  const answered = new Set<string>();
  const filler = 'z'.repeat(900);
  let next = 0;
  let active = 0;
  return new Promise((resolve) => {
    const pump = () => {
      while (active < parallel && !stop()) {
        const text = `${prefix}-${next++}-${filler}`;
        active += 1;
        session.inform('1.3.6.1.4.1.5706.3.1.0.1', [{ oid: TEXT_OID, type: snmp.ObjectType.OctetString, value: text }], {}, (err) => {
          active -= 1;
          if (!err) answered.add(text);
          if (stop() && active === 0) { session.close(); resolve(answered); } else pump();
        });
      }
    };
    pump();
  });
}

/** How many times the collector stored each inform text. */
function storedTexts(c: RunningCollector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of c.db.prepare("SELECT payload FROM envelopes WHERE transport = 'snmp'").all() as { payload: string }[]) {
    const text = (JSON.parse(row.payload) as Extract<Envelope, { transport: 'snmp' }>).snmp.varbinds.find((v) => v.oid === TEXT_OID)?.value ?? '';
    counts.set(String(text), (counts.get(String(text)) ?? 0) + 1);
  }
  return counts;
}

const pendingRows = (a: RunningAgent) => a.outbox.database.prepare("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;

describe.skipIf(whyNot !== null)('agent on a small full disk', () => {
  it('refuses before the disk is full, keeps every acknowledged inform, drains and accepts again by itself', { timeout: 120_000 }, async () => {
    const collectorDir = join(dir.path, 'collector');
    // The collector's port, known before it runs: start it once, note the port, stop it.
    const probe = await runCollector(collectorConfigFor(collectorDir));
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const { token } = await enrollAcme(collectorDir);
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) as never, level: 'info' });
    const snmpPort = await freeUdpPort();
    const config = agentConfigFor(join(mountPoint, 'data'), `http://127.0.0.1:${port}`, token, snmpPort, {
      outbox: { minFreeBytes: 512 * 1024, reserveBytes: 512 * 1024 }, heartbeat: { intervalSeconds: 1 },
    });
    const agent = await startAgent(config, { logger, clock: systemClock });
    cleanups.push(() => agent.stop());

    // The flood, collector away: it goes on for 100 informs after the first refusal.
    let refusedAt = -1;
    let sent = 0;
    const answered = await flood(snmpPort, 20, () => {
      sent += 1;
      if (refusedAt < 0 && agent.outbox.stats().refusing) refusedAt = sent;
      return refusedAt >= 0 && sent > refusedAt + 100;
    });
    const free = statfsSync(mountPoint);
    console.log(`flood: ${answered.size} informs answered, refusing after ${refusedAt}, ${free.bavail * free.bsize} bytes free on the 4 MiB disk`);
    expect(answered.size).toBeGreaterThan(500);
    expect(agent.outbox.stats()).toMatchObject({ refused: expect.any(Number), lastError: expect.stringMatching(/disk nearly full/) });
    expect(agent.outbox.stats().refused).toBeGreaterThan(50);
    expect(lines.some((l) => l.includes('outbox refusing captures') && l.includes('"level":50'))).toBe(true);
    // Refused before full: the disk still has the room the guard keeps, the margin file included.
    expect(free.bavail * free.bsize).toBeGreaterThan(0);
    expect(agent.outbox.stats().depth).toBe(pendingRows(agent));
    expect(agent.outbox.stats().depth).toBe(answered.size);

    // The collector comes back: the agent drains on its own and every heartbeat is accepted.
    const collector = await runCollector(collectorConfigFor(collectorDir, port));
    cleanups.push(() => collector.stop());
    expect(await eventually(() => agent.outbox.stats().depth === 0, 60_000)).toBe(true);
    const stored = storedTexts(collector);
    for (const text of answered) expect(stored.get(text), text.slice(0, 12)).toBe(1);
    const beatsBefore = collector.db.prepare('SELECT COUNT(*) FROM heartbeats').pluck().get() as number;
    expect(await eventually(() => (collector.db.prepare('SELECT COUNT(*) FROM heartbeats').pluck().get() as number) >= beatsBefore + 2, 10_000)).toBe(true);
    expect(agent.status().heartbeat.lastError).toBeNull();
    const depths = (collector.db.prepare('SELECT body FROM heartbeats').all() as { body: string }[]).map((r) => (JSON.parse(r.body) as { outbox: { depth: number } }).outbox.depth);
    expect(Math.min(...depths)).toBeGreaterThanOrEqual(0);
    expect(lines.filter((l) => l.includes('heartbeat not delivered') && /\b400\b/.test(l))).toEqual([]);

    // Accepts again, nobody having acted.
    const after = await flood(snmpPort, 5, () => sent++ > refusedAt + 200, 'after');
    expect(after.size).toBeGreaterThan(0);
    expect(await eventually(() => agent.outbox.stats().depth === 0, 20_000)).toBe(true);
    expect(agent.outbox.stats().refusing).toBe(false);
    expect(agent.outbox.stats().depth).toBe(pendingRows(agent));
    const storedAfter = storedTexts(collector);
    for (const text of after) expect(storedAfter.get(text)).toBe(1);
  });

  it('with no minimum free, a disk filled to the last byte still takes the deletions of what was acknowledged (the margin file)', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) as never, level: 'info' });
    const outbox = Outbox.open({ path: join(bareDisk, 'outbox.db'), clock: systemClock, logger, maxBytes: 1e9, disk: { minFreeBytes: 0, reserveBytes: 512 * 1024 } });
    cleanups.push(() => outbox.close());
    expect(existsSync(join(bareDisk, RESERVE_FILE))).toBe(true);
    const capture = (i: number) => outbox.capture({ transport: 'syslog', source: { address: '192.0.2.1', port: 514 }, syslog: { protocol: 'udp', line: `<14>${i} ${'q'.repeat(1500)}` } });
    const acknowledged: string[] = [];
    for (let i = 0; ; i++) {
      const r = await Promise.allSettled(Array.from({ length: 20 }, (_, j) => capture(i * 20 + j)));
      for (const x of r) if (x.status === 'fulfilled') acknowledged.push(x.value);
      if (r.some((x) => x.status === 'rejected')) break;
    }
    expect(outbox.stats().lastError).toMatch(/full/);
    expect(statfsSync(bareDisk).bavail).toBeLessThan(8); // the disk is full: a few blocks at most
    expect(outbox.stats().depth).toBe(acknowledged.length);
    // The drain, as the forwarder does it: batch by batch, each acknowledged batch removed by its span.
    const removed: string[] = [];
    for (let batch = outbox.peek(200, 1e9); batch.length > 0; batch = outbox.peek(200, 1e9)) {
      outbox.removeSpan(batch[0]!.seq, batch.at(-1)!.seq);
      removed.push(...batch.map((b) => b.id));
    }
    expect(removed).toEqual(acknowledged);
    expect(outbox.stats()).toMatchObject({ depth: 0, bytes: 0 });
    expect(outbox.database.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
    expect(lines.some((l) => l.includes('outbox reserve released'))).toBe(true);
    // Emptied, the file was compacted and the margin is back; captures are accepted again.
    expect(existsSync(join(bareDisk, RESERVE_FILE))).toBe(true);
    await expect(capture(-1)).resolves.toMatch(/^[0-9a-f-]{36}$/);
    expect(outbox.stats().refusing).toBe(false);
  });
});

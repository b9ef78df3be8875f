// Issue 20, item 2: SIGTERM under load, with real child processes. Each process, stopped repeatedly while informs
// flow through it, exits 0 within the documented grace, and every inform an agent answered is stored once.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import snmp from 'net-snmp';
import { startAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import { SHUTDOWN_GRACE_MS } from '../../lib/shutdown.js';
import type { Envelope } from '../../protocol/envelope.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, spawnAgent, tempDir, waitForOutput } from './harness.js';

const TEXT_OID = '1.3.6.1.4.1.5706.3.1.1.1';
const STOPS = 5;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Informs sent one after another (a few in flight) until stopped; `answered` holds the texts the agent answered. */
function informStream(port: number, prefix: string): { answered: Set<string>; stop(): Promise<void> } {
  const session = snmp.createSession('127.0.0.1', 'public-test', { trapPort: port, version: snmp.Version2c, retries: 0, timeout: 500 });
  const answered = new Set<string>();
  let running = true;
  let next = 0;
  const lanes = Array.from({ length: 2 }, async () => {
    while (running) {
      const text = `${prefix}-${next++}`;
      const ok = await new Promise<boolean>((resolve) => session.inform('1.3.6.1.4.1.5706.3.1.0.1',
        [{ oid: TEXT_OID, type: snmp.ObjectType.OctetString, value: text }], {}, (err) => resolve(!err)));
      if (ok) answered.add(text);
      await new Promise((r) => setTimeout(r, ok ? 5 : 20)); // a steady stream, not a flood: the host has two cores
    }
  });
  return { answered, async stop() { if (!running) return; running = false; await Promise.all(lanes); session.close(); } };
}

/** Texts stored by the collector whose database is at `dbPath`, with their counts. */
function storedTexts(dbPath: string): Map<string, number> {
  const db = new Database(dbPath, { readonly: true });
  const counts = new Map<string, number>();
  for (const row of db.prepare("SELECT payload FROM envelopes WHERE transport = 'snmp'").all() as { payload: string }[]) {
    const text = String((JSON.parse(row.payload) as Extract<Envelope, { transport: 'snmp' }>).snmp.varbinds.find((v) => v.oid === TEXT_OID)?.value);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  db.close();
  return counts;
}

/** Sends SIGTERM and resolves with the exit code and how long the stop took. */
function terminate(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const start = Date.now();
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - start }));
    child.kill('SIGTERM');
  });
}

function expectAllOnce(answered: Set<string>, stored: Map<string, number>): void {
  const missing = [...answered].filter((t) => stored.get(t) === undefined);
  const doubled = [...answered].filter((t) => (stored.get(t) ?? 0) > 1);
  expect({ missing, doubled }).toEqual({ missing: [], doubled: [] });
}

describe('SIGTERM under load', () => {
  it(`the collector, stopped ${STOPS} times while an agent forwards, exits 0 each time and loses nothing`, { timeout: 180_000 }, async () => {
    const dir = tempDir('xpears-sigterm-c-');
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'collector');
    const port = await freeTcpPort();
    const { token } = await enrollAcme(dataDir);
    const configFile = join(dir.path, 'collector.json');
    writeFileSync(configFile, JSON.stringify({ dataDir, listen: { address: '127.0.0.1', port }, advisories: { enabled: false } }));
    const snmpPort = await freeUdpPort();
    const agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), `http://127.0.0.1:${port}`, token, snmpPort), { logger: silentLogger(), clock: systemClock });
    cleanups.push(() => agent.stop());
    const stream = informStream(snmpPort, 'c');
    cleanups.push(() => stream.stop());
    const exits = [];
    for (let i = 0; i < STOPS; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'collector', 'start', '--config', configFile], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XPEARS_LOG_LEVEL: 'info' },
      });
      await waitForOutput(child, 'collector listening', 30_000);
      const sent = agent.forwarder.state.sent;
      await eventually(() => agent.forwarder.state.sent > sent + 20, 10_000, 20); // under load
      if (i === STOPS - 1) await stream.stop(); // the last run drains what is left
      if (i === STOPS - 1) expect(await eventually(() => agent.outbox.stats().depth === 0, 30_000)).toBe(true);
      exits.push(await terminate(child));
    }
    console.log(`collector stops: ${exits.map((e) => `${e.code} in ${e.ms} ms`).join(', ')}`);
    expect(exits.map((e) => e.code)).toEqual(Array(STOPS).fill(0));
    for (const e of exits) expect(e.ms).toBeLessThan(SHUTDOWN_GRACE_MS);
    expect(stream.answered.size).toBeGreaterThan(50);
    expectAllOnce(stream.answered, storedTexts(join(dataDir, 'collector.db')));
  });

  it(`the agent, stopped ${STOPS} times while informs arrive, exits 0 each time and loses nothing it answered`, { timeout: 180_000 }, async () => {
    const dir = tempDir('xpears-sigterm-a-');
    cleanups.push(dir.cleanup);
    const collectorDir = join(dir.path, 'collector');
    const { token } = await enrollAcme(collectorDir);
    const collector = await runCollector(collectorConfigFor(collectorDir));
    cleanups.push(() => collector.stop());
    const snmpPort = await freeUdpPort();
    const config = { ...agentConfigFor(join(dir.path, 'agent'), collector.url, token, snmpPort), status: { address: '127.0.0.1', port: 0 } };
    const stream = informStream(snmpPort, 'a');
    cleanups.push(() => stream.stop());
    const exits = [];
    for (let i = 0; i < STOPS; i++) {
      const child = spawnAgent(dir.path, config);
      await waitForOutput(child, 'agent started', 30_000);
      const answered = stream.answered.size;
      await eventually(() => stream.answered.size > answered + 20, 10_000, 20); // under load
      exits.push(await terminate(child));
    }
    await stream.stop();
    // A last run, without load, forwards whatever the stopped agents left in the outbox.
    const last = spawnAgent(dir.path, config);
    await waitForOutput(last, 'agent started', 30_000);
    await eventually(() => [...stream.answered].every((t) => (storedTexts(collector.config.dataDir + '/collector.db').get(t) ?? 0) >= 1), 30_000, 500);
    exits.push(await terminate(last));
    console.log(`agent stops: ${exits.map((e) => `${e.code} in ${e.ms} ms`).join(', ')}; ${stream.answered.size} informs answered`);
    expect(exits.map((e) => e.code)).toEqual(Array(STOPS + 1).fill(0));
    for (const e of exits) expect(e.ms).toBeLessThan(SHUTDOWN_GRACE_MS);
    expectAllOnce(stream.answered, storedTexts(join(collectorDir, 'collector.db')));
  });
});

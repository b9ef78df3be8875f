// Issue 18: upgrading in place without loss. Version N holds 10,000 unsent envelopes (the collector is down); a
// deliberately broken N+1 (its outbox migration runs, its service never comes up) is rolled back and N keeps its
// data; then N+1 with a changed outbox schema is installed over N and, once the collector is up, all 10,000
// envelopes arrive exactly once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'node:net';
import { renameSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, eventually, runCollector, tempDir } from '../e2e/harness.js';
import { agentLog, freeTcpPort, installInto, stageLinuxPackage, stopAgentIn, writeRootConfig } from './harness.js';

const COUNT = 10_000;
// N+1's schema change: the outbox table rebuilt with a new column, every row copied.
const REBUILD = `CREATE TABLE outbox_next (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, captured_at TEXT NOT NULL,
  body TEXT NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'pending', error TEXT, attempts INTEGER NOT NULL DEFAULT 0);
INSERT INTO outbox_next (seq, id, captured_at, body, size, state, error) SELECT seq, id, captured_at, body, size, state, error FROM outbox;
DROP TABLE outbox; ALTER TABLE outbox_next RENAME TO outbox; CREATE INDEX outbox_state_seq ON outbox (state, seq);`;

let dir: ReturnType<typeof tempDir>;
let root: string;
let collector: RunningCollector | undefined;
const pkg = { n: '', next: '', broken: '' };
const ports = { collector: 0, status: 0, syslog: 0 };

async function status(): Promise<{ version: string; outbox: { depth: number } }> {
  const res = await fetch(`http://127.0.0.1:${ports.status}/status`);
  return (await res.json()) as { version: string; outbox: { depth: number } };
}

const outboxFile = () => join(root, 'var/lib/xpears-agent/outbox.db');
function schemaOf(): { version: number; columns: string[] } {
  const db = new Database(outboxFile(), { readonly: true });
  try {
    return { version: db.pragma('user_version', { simple: true }) as number, columns: (db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name) };
  } finally {
    db.close();
  }
}

async function sendSyslogLines(count: number): Promise<void> {
  const socket = connect(ports.syslog, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  for (let i = 0; i < count; i += 500) {
    let chunk = '';
    for (let j = i; j < Math.min(i + 500, count); j++) chunk += `<14>1 2026-12-07T01:00:00Z consola xpears-test - - - message-${String(j).padStart(5, '0')}\n`;
    if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
  }
  await new Promise<void>((r) => socket.end(() => r()));
}

beforeAll(async () => {
  dir = tempDir('xpears-pkg-upgrade-');
  root = join(dir.path, 'root');
  pkg.n = await stageLinuxPackage(join(dir.path, 'n'), '2.0.0');
  pkg.next = await stageLinuxPackage(join(dir.path, 'next'), '2.1.0', REBUILD);
  // The broken N+1: its code migrates the outbox, but its service exits at once.
  pkg.broken = await stageLinuxPackage(join(dir.path, 'broken'), '2.2.0', REBUILD);
  renameSync(join(pkg.broken, 'lib/agent.mjs'), join(pkg.broken, 'lib/agent-real.mjs'));
  writeFileSync(join(pkg.broken, 'lib/agent.mjs'),
    "if (process.argv[2] === 'start') { console.error('deliberately broken build'); process.exit(3); }\nawait import('./agent-real.mjs');\n");
  ports.collector = await freeTcpPort();
  ports.status = await freeTcpPort();
  ports.syslog = await freeTcpPort();
  const collectorDir = join(dir.path, 'collector');
  const { token } = await enrollAcme(collectorDir);
  writeRootConfig(root, {
    collector: { url: `http://127.0.0.1:${ports.collector}`, tokenFile: join(root, 'etc/xpears-agent/token'), timeoutMs: 5000 },
    forwarder: { backoffInitialMs: 50, backoffMaxMs: 500, idlePollMs: 50 },
    heartbeat: { intervalSeconds: 1 },
    status: { port: ports.status },
    receivers: { syslog: { tcp: { host: '127.0.0.1', port: ports.syslog } } },
  }, token);
}, 300_000);
afterAll(async () => {
  if (root) await stopAgentIn(root).catch(() => undefined);
  await collector?.stop();
  dir?.cleanup();
});

describe('upgrading the packaged agent in place', () => {
  it('version N holds 10,000 unsent envelopes while the collector is down', async () => {
    const first = await installInto(root, pkg.n);
    expect(first.code, first.output + agentLog(root)).toBe(0);
    await sendSyslogLines(COUNT);
    expect(await eventually(async () => (await status()).outbox.depth === COUNT, 30_000), agentLog(root)).toBe(true);
  }, 60_000);

  it('a broken N+1 is rolled back: N runs again with its 10,000 envelopes and its own schema', async () => {
    // It never comes up: a short health wait is enough to decide.
    const r = await installInto(root, pkg.broken, 10);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('2.2.0 did not come up healthy');
    expect(r.output).toContain('rolled back: the previous version runs with its outbox');
    expect(readlinkSync(join(root, 'opt/xpears-agent/current'))).toBe(join(root, 'opt/xpears-agent/2.0.0'));
    const s = await status();
    expect(s.version).toBe('2.0.0');
    expect(s.outbox.depth).toBe(COUNT);
    expect(schemaOf().columns).not.toContain('attempts');
  }, 120_000);

  it('N+1 with a changed outbox schema is installed over N; with the collector up all 10,000 arrive exactly once', async () => {
    const r = await installInto(root, pkg.next);
    expect(r.code, r.output + agentLog(root)).toBe(0);
    expect(r.output).toContain('outbox schema 1 -> 2, 10000 envelopes pending');
    const s = await status();
    expect(s.version).toBe('2.1.0');
    expect(s.outbox.depth).toBe(COUNT);
    expect(schemaOf()).toEqual({ version: 2, columns: expect.arrayContaining(['attempts', 'body']) as unknown as string[] });

    collector = await runCollector(collectorConfigFor(join(dir.path, 'collector'), ports.collector));
    const c = collector;
    expect(await eventually(async () => (await status()).outbox.depth === 0 && c.repo.countEnvelopes() >= COUNT, 60_000), agentLog(root)).toBe(true);
    expect(c.repo.countEnvelopes()).toBe(COUNT);
    const messages = (c.db.prepare("SELECT payload FROM envelopes WHERE transport = 'syslog'").all() as { payload: string }[])
      .map((row) => /message-(\d{5})/.exec(row.payload)?.[1]);
    expect(new Set(messages).size).toBe(COUNT);
    expect(messages.every((m) => m !== undefined)).toBe(true);
  }, 120_000);
});

// Issue 18: upgrading in place without loss. Version N holds 10,000 unsent envelopes (the collector is down); a
// deliberately broken N+1 (its outbox migration runs and its agent runs, but its status endpoint is not where the
// health check looks) is rolled back and N keeps its data. Mails are sent all along, each retried until the agent
// answers 250: while the broken N+1 lives it is on probation and runs no receiver, so the mails are refused and
// retried, and none is acknowledged by a version whose outbox the rollback throws away. Then N+1 with a changed
// outbox schema is installed over N and, once the collector is up, all 10,000 envelopes and every acknowledged
// mail arrive exactly once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'node:net';
import { readFileSync, renameSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTransport } from 'nodemailer';
import { parse } from 'yaml';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, eventually, runCollector, tempDir } from '../e2e/harness.js';
import { agentLog, freeTcpPort, installInto, SCHEMA_CHANGE_SQL, stageLinuxPackage, stopAgentIn, writeRootConfig } from './harness.js';

const COUNT = 10_000;

let dir: ReturnType<typeof tempDir>;
let root: string;
let collector: RunningCollector | undefined;
const pkg = { n: '', next: '', broken: '' };
const ports = { collector: 0, status: 0, syslog: 0, smtp: 0 };
const mails = { acked: [] as string[], refused: 0 };

// Sends numbered mails one after another, each retried until the agent answers 250, until `done()` and at least
// `min` more were acknowledged after it.
async function sendMails(done: () => boolean, min: number): Promise<void> {
  const transport = createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true, connectionTimeout: 5000, socketTimeout: 10_000 });
  let after = 0;
  for (let i = mails.acked.length; !done() || after < min; i++) {
    const subject = `mail-during-upgrade-${String(i).padStart(4, '0')}`;
    for (;;) {
      try {
        await transport.sendMail({ from: 'consola@cliente.example', to: 'alertas@agente.example', subject, text: 'ESET PROTECT: prueba' });
        mails.acked.push(subject);
        break;
      } catch {
        mails.refused += 1;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    if (done()) after += 1;
    else await new Promise((r) => setTimeout(r, 100));
  }
  transport.close();
}

// The agent's status; a second try when a kept-alive connection to a stopped agent's endpoint was closed under it.
async function status(): Promise<{ version: string; outbox: { depth: number } }> {
  const get = async () => (await (await fetch(`http://127.0.0.1:${ports.status}/status`)).json()) as { version: string; outbox: { depth: number } };
  return get().catch(async () => { await new Promise((r) => setTimeout(r, 300)); return get(); });
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
  pkg.next = await stageLinuxPackage(join(dir.path, 'next'), '2.1.0', SCHEMA_CHANGE_SQL);
  // The broken N+1: its code migrates the outbox and its agent starts, with everything but its status endpoint where
  // the configuration says (its start reads broken-status.json, the same configuration with another status port).
  pkg.broken = await stageLinuxPackage(join(dir.path, 'broken'), '2.2.0', SCHEMA_CHANGE_SQL);
  renameSync(join(pkg.broken, 'lib/agent.mjs'), join(pkg.broken, 'lib/agent-real.mjs'));
  writeFileSync(join(pkg.broken, 'lib/agent.mjs'), [
    "if (process.argv[2] === 'start') { const i = process.argv.indexOf('--config'); process.argv[i + 1] = process.argv[i + 1].replace(/agent\\.yaml$/, 'broken-status.json'); }",
    "await import('./agent-real.mjs');", ''].join('\n'));
  ports.collector = await freeTcpPort();
  ports.status = await freeTcpPort();
  ports.syslog = await freeTcpPort();
  ports.smtp = await freeTcpPort();
  const collectorDir = join(dir.path, 'collector');
  const { token } = await enrollAcme(collectorDir);
  writeRootConfig(root, {
    collector: { url: `http://127.0.0.1:${ports.collector}`, tokenFile: join(root, 'etc/xpears-agent/token'), timeoutMs: 5000 },
    forwarder: { backoffInitialMs: 50, backoffMaxMs: 500, idlePollMs: 50 },
    heartbeat: { intervalSeconds: 1 },
    status: { port: ports.status },
    receivers: {
      syslog: { tcp: { host: '127.0.0.1', port: ports.syslog } },
      smtp: { host: '127.0.0.1', port: ports.smtp, recipients: { addresses: ['alertas@agente.example'], domains: [] } },
    },
  }, token);
  const config = parse(readFileSync(join(root, 'etc/xpears-agent/agent.yaml'), 'utf8')) as { status: { port: number } };
  writeFileSync(join(root, 'etc/xpears-agent/broken-status.json'), JSON.stringify({ ...config, status: { port: await freeTcpPort() } }));
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

  it('a broken N+1 is rolled back: N runs again with its 10,000 envelopes, its own schema and every mail it acknowledged', async () => {
    let installed = false;
    const sending = sendMails(() => installed, 5);
    expect(await eventually(() => mails.acked.length >= 3, 20_000), agentLog(root)).toBe(true);
    // It never answers healthy: a short health wait is enough to decide.
    const r = await installInto(root, pkg.broken, 10);
    installed = true;
    await sending;
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('2.2.0 did not come up healthy');
    expect(r.output).toContain('rolled back: the previous version runs with its outbox');
    expect(readlinkSync(join(root, 'opt/xpears-agent/current'))).toBe('2.0.0');
    // The broken version did run, on probation: the mails sent meanwhile were refused and retried.
    expect(agentLog(root)).toMatch(/"version":"2\.2\.0".*on probation after an upgrade/);
    expect(agentLog(root)).not.toMatch(/"version":"2\.2\.0".*upgrade confirmed/);
    expect(mails.refused).toBeGreaterThan(0);
    const s = await status();
    expect(s.version).toBe('2.0.0');
    expect(s.outbox.depth).toBe(COUNT + mails.acked.length);
    expect(schemaOf().columns).not.toContain('attempts');
  }, 180_000);

  it('N+1 with a changed outbox schema is installed over N; with the collector up all 10,000 arrive exactly once', async () => {
    const r = await installInto(root, pkg.next);
    expect(r.code, r.output + agentLog(root)).toBe(0);
    expect(r.output).toContain(`outbox schema 1 -> 2, ${COUNT + mails.acked.length} envelopes pending`);
    expect(r.output).toContain('healthy: version 2.1.0, receivers listening');
    const s = await status();
    expect(s.version).toBe('2.1.0');
    expect(s.outbox.depth).toBe(COUNT + mails.acked.length);
    expect(schemaOf()).toEqual({ version: 2, columns: expect.arrayContaining(['attempts', 'body']) as unknown as string[] });

    collector = await runCollector(collectorConfigFor(join(dir.path, 'collector'), ports.collector));
    const c = collector;
    const total = COUNT + mails.acked.length;
    expect(await eventually(async () => (await status().catch(() => undefined))?.outbox.depth === 0 && c.repo.countEnvelopes() >= total, 60_000), agentLog(root)).toBe(true);
    expect(c.repo.countEnvelopes()).toBe(total);
    const messages = (c.db.prepare("SELECT payload FROM envelopes WHERE transport = 'syslog'").all() as { payload: string }[])
      .map((row) => /message-(\d{5})/.exec(row.payload)?.[1]);
    expect(new Set(messages).size).toBe(COUNT);
    expect(messages.every((m) => m !== undefined)).toBe(true);
    const subjects = (c.db.prepare("SELECT payload FROM envelopes WHERE transport = 'smtp'").all() as { payload: string }[])
      .map((row) => /mail-during-upgrade-\d{4}/.exec(row.payload)?.[0]);
    expect(subjects.sort()).toEqual([...mails.acked].sort());
  }, 120_000);
});

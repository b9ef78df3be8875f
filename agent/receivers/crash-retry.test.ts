// Issue 20's retry rule with real processes: the agent's receivers are SIGKILLed after a capture is durable and before
// it is acknowledged; the sender's own retry, answered by the restarted process, must not store a second copy.
import { describe, it, expect, afterEach } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import snmp from 'net-snmp';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, 'crash-fixture.ts');
const TEXT = '1.3.6.1.4.1.5706.3.1.1.1';
const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

interface Child { proc: ChildProcess; ports: { snmp: number; smtp: number }; next(key: string): Promise<Record<string, unknown>> }

/** Starts the fixture and resolves once its receivers listen; `next(key)` waits for its next line holding `key`. */
async function startChild(dir: string, mode: 'hold' | 'serve', snmpPort = 0, smtpPort = 0): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, mode, String(snmpPort), String(smtpPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); });
  const lines = createInterface({ input: proc.stdout! });
  const queue: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  lines.on('line', (l) => { queue.push(JSON.parse(l) as Record<string, unknown>); waiters.splice(0).forEach((w) => w()); });
  const next = async (key: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const i = queue.findIndex((q) => key in q);
      if (i >= 0) return queue.splice(i, 1)[0]!;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const ports = (await next('snmp')) as { snmp: number; smtp: number };
  return { proc, ports, next };
}

function kill(child: Child): Promise<void> {
  return new Promise((resolve) => { child.proc.once('exit', () => resolve()); child.proc.kill('SIGKILL'); });
}

/** How many stored envelopes contain `text`, read from the outbox file the killed processes left. */
function storedWith(dir: string, text: string): number {
  const db = new Database(join(dir, 'outbox.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM outbox WHERE instr(body, ?) > 0').pluck().get(text) as number;
  } finally {
    db.close();
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-crash-retry-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('a retry after the agent was killed between the durable write and the acknowledgement', () => {
  it('an inform re-sent by its sender (net-snmp session, same request id) is answered and stored once', async () => {
    const dir = tempDir();
    const first = await startChild(dir, 'hold');
    const session = snmp.createSession('127.0.0.1', 'c1', { trapPort: first.ports.snmp, version: snmp.Version2c, retries: 120, timeout: 500 });
    cleanups.push(() => session.close());
    const answered = new Promise<void>((resolve, reject) => {
      session.inform('1.3.6.1.4.1.5706.3.1.0.1', [{ oid: TEXT, type: snmp.ObjectType.OctetString, value: 'killed before the response' }], {},
        (err) => (err ? reject(err) : resolve()));
    });
    await first.next('durable');
    await kill(first);
    const second = await startChild(dir, 'serve', first.ports.snmp, first.ports.smtp);
    await answered;
    await kill(second);
    expect(storedWith(dir, 'killed before the response')).toBe(1);
  });

  it('a v3 inform re-sent by Debian snmpinform, after the restarted agent made it resynchronise its engine time, is stored once', async () => {
    const dir = tempDir();
    const first = await startChild(dir, 'hold');
    const args = ['-v', '3', '-l', 'authPriv', '-u', 'eraadmin', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1',
      '-r', '60', '-t', '1', `udp:127.0.0.1:${first.ports.snmp}`, '', '1.3.6.1.4.1.5706.3.1.0.1', TEXT, 's', 'v3 inform killed before the response'];
    const answered = run('snmpinform', args).then(() => 'answered', (e: Error) => e.message);
    await first.next('durable');
    await kill(first);
    const second = await startChild(dir, 'serve', first.ports.snmp, first.ports.smtp);
    expect(await answered).toBe('answered');
    await kill(second);
    expect(storedWith(dir, 'v3 inform killed before the response')).toBe(1);
  });

  it('a mail re-sent with the same Message-ID is answered with the first envelope id and stored once', async () => {
    const dir = tempDir();
    const mail = {
      from: 'era@customer.example', to: 'alerts@relay.example', subject: 'Ransomware detectado en PC-07', text: 'killed before the 250',
      messageId: '<notif-4711@era.customer.example>', date: new Date('2026-03-02T10:00:00Z'),
    };
    const first = await startChild(dir, 'hold');
    const transport = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, socketTimeout: 20_000 });
    const lost = transport(first.ports.smtp).sendMail(mail).then(() => 'answered', () => 'connection lost');
    const { durable } = await first.next('durable');
    await kill(first);
    expect(await lost).toBe('connection lost');
    const second = await startChild(dir, 'serve', first.ports.snmp, first.ports.smtp);
    const info = await transport(second.ports.smtp).sendMail(mail);
    expect(info.response).toContain(`queued as ${String(durable)}`);
    const other = await transport(second.ports.smtp).sendMail({ ...mail, messageId: '<notif-4712@era.customer.example>' });
    expect(other.response).not.toContain(String(durable));
    await kill(second);
    expect(storedWith(dir, 'killed before the 250')).toBe(2);
    expect(storedWith(dir, 'notif-4711')).toBe(1);
  });
});

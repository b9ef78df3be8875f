import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSnmpReceiver } from './receiver.js';
import { snmpReceiverConfigSchema } from './config.js';
import { Outbox } from '../../outbox/index.js';
import { fixedClock, systemClock } from '../../../lib/clock.js';
import { createLogger, silentLogger } from '../../../lib/logger.js';
import { Writable } from 'node:stream';
import snmp from 'net-snmp';
import type { Envelope, SnmpEnvelope } from '../../../protocol/envelope.js';

const run = promisify(execFile);
const ESET_TRAP = '1.3.6.1.4.1.5706.3.1.0.1';

let dir: string;
let outbox: Outbox;
let receiver: ReturnType<typeof createSnmpReceiver>;
let target: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-snmp-'));
  outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 1e9 });
  const config = snmpReceiverConfigSchema.parse({
    address: '127.0.0.1', port: 0, communities: ['xpears-demo'],
    engineId: '8000B98380AABBCCDD11',
    users: [{ name: 'eraadmin', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-secret-1', privProtocol: 'aes', privKey: 'priv-secret-1' }],
  });
  receiver = createSnmpReceiver(config, { sink: outbox, logger: silentLogger() });
  await receiver.start();
  target = `udp:127.0.0.1:${receiver.port()}`;
});
afterAll(async () => {
  await receiver.stop();
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function stored(): SnmpEnvelope[] {
  return outbox.peek(1000, 1e9).map((i) => JSON.parse(i.body) as Envelope).filter((e): e is SnmpEnvelope => e.transport === 'snmp');
}
async function waitForCount(n: number): Promise<SnmpEnvelope[]> {
  for (let i = 0; i < 100; i++) {
    const s = stored();
    if (s.length >= n) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  return stored();
}

describe('SNMP receiver with Debian snmptrap', () => {
  it('captures a v2c trap with its varbinds, without the community', async () => {
    await run('snmptrap', ['-v', '2c', '-c', 'xpears-demo', target, '', ESET_TRAP, '1.3.6.1.4.1.5706.3.1.1.1', 's', 'Detección de amenaza en PC-01']);
    const [env] = await waitForCount(1);
    expect(env!.snmp).toMatchObject({ version: 'v2c', pduType: 'trap-v2', trapOid: ESET_TRAP });
    expect(env!.snmp.varbinds.find((v) => v.oid === '1.3.6.1.4.1.5706.3.1.1.1')?.value).toBe('Detección de amenaza en PC-01');
    expect(JSON.stringify(env)).not.toContain('xpears-demo');
  });

  it('answers a v2c inform only once it is stored (snmpinform exits 0 only when answered)', async () => {
    const before = stored().length;
    await run('snmpinform', ['-v', '2c', '-c', 'xpears-demo', '-r', '0', '-t', '3', target, '', ESET_TRAP, '1.3.6.1.4.1.5706.3.1.1.1', 's', 'inform body']);
    const all = stored();
    expect(all.length).toBe(before + 1);
    expect(all.at(-1)!.snmp.pduType).toBe('inform');
  });

  it('captures a v1 trap with enterprise and specific code', async () => {
    const before = stored().length;
    await run('snmptrap', ['-v', '1', '-c', 'xpears-demo', target, '1.3.6.1.4.1.5706', '127.0.0.1', '6', '17', '', '1.3.6.1.4.1.5706.3.1.1.1', 's', 'v1 body']);
    const all = await waitForCount(before + 1);
    expect(all.at(-1)!.snmp).toMatchObject({ version: 'v1', pduType: 'trap-v1', enterprise: '1.3.6.1.4.1.5706', genericTrap: 6, specificTrap: 17 });
  });

  it('accepts an SNMPv3 authPriv (SHA/AES) inform and names its user', async () => {
    const before = stored().length;
    await run('snmpinform', ['-v', '3', '-l', 'authPriv', '-u', 'eraadmin', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1', '-r', '0', '-t', '3', target, '', ESET_TRAP, '1.3.6.1.4.1.5706.3.1.1.1', 's', 'v3 secret body']);
    const all = stored();
    expect(all.length).toBe(before + 1);
    expect(all.at(-1)!.snmp).toMatchObject({ version: 'v3', pduType: 'inform', user: 'eraadmin' });
    expect(all.at(-1)!.snmp.varbinds.some((v) => v.value === 'v3 secret body')).toBe(true);
  });

  it('accepts an SNMPv3 authPriv trap sent with the agent engine id', async () => {
    const before = stored().length;
    await run('snmptrap', ['-v', '3', '-e', '0x8000B98380AABBCCDD11', '-l', 'authPriv', '-u', 'eraadmin', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1', target, '', ESET_TRAP, '1.3.6.1.4.1.5706.3.1.1.1', 's', 'v3 trap']);
    const all = await waitForCount(before + 1);
    expect(all.at(-1)!.snmp).toMatchObject({ version: 'v3', pduType: 'trap-v2', user: 'eraadmin' });
  });

  it('counts and drops a wrong community, a wrong v3 key, random bytes and a truncated packet; stays up', async () => {
    const before = stored().length;
    const rejectedBefore = receiver.health().rejected;
    await run('snmptrap', ['-v', '2c', '-c', 'wrong-community', target, '', ESET_TRAP]);
    await run('snmpinform', ['-v', '3', '-l', 'authPriv', '-u', 'eraadmin', '-a', 'SHA', '-A', 'not-the-key', '-x', 'AES', '-X', 'priv-secret-1', '-r', '0', '-t', '1', target, '', ESET_TRAP]).catch(() => undefined);
    const sock = createSocket('udp4');
    const send = (b: Buffer) => new Promise<void>((r) => sock.send(b, receiver.port(), '127.0.0.1', () => r()));
    await send(Buffer.from([0x30, 0x82, 0xff, 0xff, 0x02, 0x01]));
    for (let i = 0; i < 50; i++) await send(Buffer.from(Array.from({ length: 64 }, () => Math.floor(Math.random() * 256))));
    sock.close();
    await new Promise((r) => setTimeout(r, 300));
    const h = receiver.health();
    expect(h.rejectedByReason.community).toBeGreaterThanOrEqual(1);
    expect(h.rejectedByReason['v3-auth']).toBeGreaterThanOrEqual(1);
    expect(h.rejectedByReason.malformed).toBeGreaterThanOrEqual(1);
    expect(h.rejected - rejectedBefore).toBeGreaterThanOrEqual(50);
    expect(h.lastError ?? '').not.toContain('wrong-community');
    expect(stored().length).toBe(before);
    // Still serving.
    await run('snmptrap', ['-v', '2c', '-c', 'xpears-demo', target, '', ESET_TRAP]);
    expect((await waitForCount(before + 1)).length).toBe(before + 1);
  });
});

describe('SNMP receiver with a refusing outbox', () => {
  it('leaves an inform unanswered (the sender retries) and counts the refusal', async () => {
    const d = mkdtempSync(join(tmpdir(), 'xpears-snmp-full-'));
    const full = Outbox.open({ path: join(d, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 10 });
    const r = createSnmpReceiver(snmpReceiverConfigSchema.parse({ address: '127.0.0.1', port: 0, communities: ['c1'] }), { sink: full, logger: silentLogger() });
    await r.start();
    const result = await run('snmpinform', ['-v', '2c', '-c', 'c1', '-r', '0', '-t', '1', `udp:127.0.0.1:${r.port()}`, '', ESET_TRAP])
      .then(() => 'answered', () => 'timeout');
    expect(result).toBe('timeout');
    expect(r.health().rejectedByReason.outbox).toBe(1);
    expect(full.stats()).toMatchObject({ depth: 0, refusing: true });
    await r.stop();
    full.close();
    rmSync(d, { recursive: true, force: true });
  });
});

describe('SNMP receiver refusals in the log', () => {
  it('logs a flood of captures the outbox refuses once per interval, and counts every one', async () => {
    const d = mkdtempSync(join(tmpdir(), 'xpears-snmp-flood-'));
    const full = Outbox.open({ path: join(d, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 10 });
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write(c: Buffer, _e, done) { lines.push(c.toString()); done(); } }) });
    const r = createSnmpReceiver(snmpReceiverConfigSchema.parse({ address: '127.0.0.1', port: 0, communities: ['c1'] }), { sink: full, logger, clock: fixedClock('2026-03-02T10:00:00Z') });
    await r.start();
    const session = snmp.createSession('127.0.0.1', 'c1', { trapPort: r.port(), version: snmp.Version2c });
    for (let i = 0; i < 40; i++) await new Promise<void>((resolve) => session.trap(ESET_TRAP, [], {}, () => resolve()));
    for (let i = 0; i < 100 && (r.health().rejectedByReason.outbox ?? 0) < 40; i++) await new Promise((w) => setTimeout(w, 20));
    session.close();
    expect(r.health().rejectedByReason.outbox).toBe(40);
    expect(lines.filter((l) => l.includes('snmp capture not stored'))).toHaveLength(1);
    await r.stop();
    full.close();
    rmSync(d, { recursive: true, force: true });
  });
});

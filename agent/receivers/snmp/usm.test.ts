// Replays, USM's time window, the allowed networks and informs' retries, with Debian's net-snmp tools and real UDP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSnmpReceiver } from './receiver.js';
import { snmpReceiverConfigSchema } from './config.js';
import { Outbox } from '../../outbox/index.js';
import { RetryLedger } from '../../outbox/retry-ledger.js';
import { systemClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { eventually } from '../../../test/helpers/eventually.js';
import type { Envelope, SnmpEnvelope } from '../../../protocol/envelope.js';
import { createAgentMetrics } from '../../metrics.js';
import { Forwarder } from '../../forwarder.js';
import { createCollectorClient } from '../../http.js';

const run = promisify(execFile);
const ESET_TRAP = '1.3.6.1.4.1.5706.3.1.0.1';
const TEXT = '1.3.6.1.4.1.5706.3.1.1.1';
const CONSOLE_ENGINE = '0x80001F8880C0FFEE01';
const V3 = ['-v', '3', '-l', 'authPriv', '-u', 'eraadmin', '-a', 'SHA', '-A', 'auth-secret-1', '-x', 'AES', '-X', 'priv-secret-1'];

let dir: string;
let outbox: Outbox;
let receiver: ReturnType<typeof createSnmpReceiver>;
let target: string;
let sentinels = 0;
let config: ReturnType<typeof snmpReceiverConfigSchema.parse>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-snmp-usm-'));
  outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 1e9 });
  config = snmpReceiverConfigSchema.parse({
    address: '127.0.0.1', port: 0, communities: ['xpears-demo'], allowedNetworks: ['127.0.0.1/32'],
    users: [{ name: 'eraadmin', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-secret-1', privProtocol: 'aes', privKey: 'priv-secret-1' }],
  });
  const retries = RetryLedger.open(outbox.database, systemClock);
  receiver = createSnmpReceiver(config, { sink: outbox, logger: silentLogger(), retries });
  await receiver.start();
  target = `udp:127.0.0.1:${receiver.port()}`;
});
afterAll(async () => {
  await receiver.stop();
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The text varbind of every stored SNMP envelope, in order. */
function storedTexts(): string[] {
  return outbox.peek(10_000, 1e9).map((i) => JSON.parse(i.body) as Envelope)
    .filter((e): e is SnmpEnvelope => e.transport === 'snmp')
    .map((e) => e.snmp.varbinds.find((v) => v.oid === TEXT)?.value ?? '');
}

/** Sends a v2c trap from an allowed source and waits until it is stored: every datagram sent before it was handled. */
async function settle(): Promise<void> {
  const text = `sentinel-${++sentinels}`;
  await run('snmptrap', ['-v', '2c', '-c', 'xpears-demo', target, '', ESET_TRAP, TEXT, 's', text]);
  await eventually(() => storedTexts().includes(text), 5_000, 25);
  expect(storedTexts()).toContain(text);
}

/** What a net-snmp tool sends (the last five arguments follow the target), caught on a socket of ours. */
async function capture(tool: string, args: string[]): Promise<Buffer> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const got = new Promise<Buffer>((r) => sock.once('message', (m) => r(m)));
  const child = run(tool, [...args.slice(0, -5), `udp:127.0.0.1:${sock.address().port}`, ...args.slice(-5)]).catch(() => undefined);
  const bytes = await got;
  await child;
  sock.close();
  return bytes;
}

function sendFrom(sock: Socket, bytes: Buffer): Promise<void> {
  return new Promise((r) => sock.send(bytes, receiver.port(), '127.0.0.1', () => r()));
}

describe('SNMPv3 replays and the USM time window (RFC 3414 §3.2)', () => {
  it('stores a captured authPriv trap once when it is replayed three times', async () => {
    const bytes = await capture('snmptrap', [...V3, '-e', CONSOLE_ENGINE, '-Z', '3,1000', '', ESET_TRAP, TEXT, 's', 'replayed trap']);
    const sock = createSocket('udp4');
    for (let i = 0; i < 3; i++) await sendFrom(sock, bytes);
    sock.close();
    await settle();
    expect(storedTexts().filter((t) => t === 'replayed trap')).toHaveLength(1);
    expect(receiver.health().rejectedByReason.replay).toBe(2);
  });

  it('refuses and counts a trap whose engine time is stale or whose boots went back; a fresh one passes', async () => {
    const trap = (stamp: string, text: string) => run('snmptrap', [...V3, '-e', CONSOLE_ENGINE, '-Z', stamp, target, '', ESET_TRAP, TEXT, 's', text]);
    await trap('3,2000', 'fresh');
    await trap('3,1500', 'stale by 500 s');
    await trap('2,9000', 'older boots');
    await trap('3,1900', 'late by 100 s, inside the window');
    await settle();
    const texts = storedTexts();
    expect(texts).toContain('fresh');
    expect(texts).toContain('late by 100 s, inside the window');
    expect(texts).not.toContain('stale by 500 s');
    expect(texts).not.toContain('older boots');
    expect(receiver.health().rejectedByReason['not-in-time-window']).toBe(2);
    // The agent's /metrics, built from the real parts (the forwarder is never started: nothing is sent).
    const client = createCollectorClient({ url: 'http://127.0.0.1:9', token: 'x'.repeat(24), timeoutMs: 1000, gzipLevel: 0 });
    const forwarder = new Forwarder(outbox, client, { batchSize: 10, maxBatchBytes: 1 << 20, backoffInitialMs: 100, backoffMaxMs: 1000, idlePollMs: 1000 }, silentLogger());
    const metrics = await createAgentMetrics(outbox, forwarder, [receiver], systemClock).metrics();
    await client.close();
    expect(metrics).toContain('xpears_agent_receiver_rejected_total{receiver="snmp",reason="not-in-time-window"} 2');
    expect(metrics).toContain('xpears_agent_receiver_rejected_total{receiver="snmp",reason="replay"} 2');
  });

  it('still answers a v3 inform, which synchronises with our engine boots and time first', async () => {
    await run('snmpinform', [...V3, '-r', '0', '-t', '3', target, '', ESET_TRAP, TEXT, 's', 'v3 inform in window']);
    expect(storedTexts()).toContain('v3 inform in window');
  });
});

describe('SNMP allowed networks', () => {
  it('neither stores nor answers a sender outside allowedNetworks', async () => {
    const rejected = receiver.health().rejectedByReason.network ?? 0;
    await run('snmptrap', ['--clientaddr=127.0.0.2', '-v', '2c', '-c', 'xpears-demo', target, '', ESET_TRAP, TEXT, 's', 'from outside']);
    const answered = await run('snmpinform', ['--clientaddr=127.0.0.2', '-v', '2c', '-c', 'xpears-demo', '-r', '0', '-t', '1', target, '', ESET_TRAP, TEXT, 's', 'inform from outside'])
      .then(() => true, () => false);
    await settle();
    expect(answered).toBe(false);
    expect(storedTexts()).not.toContain('from outside');
    expect(storedTexts()).not.toContain('inform from outside');
    expect(receiver.health().rejectedByReason.network).toBe(rejected + 2);
  });
});

describe('an inform sent again by its sender', () => {
  it('is answered each time and stored once', async () => {
    const bytes = await capture('snmpinform', ['-v', '2c', '-c', 'xpears-demo', '-r', '0', '-t', '1', '', ESET_TRAP, TEXT, 's', 'inform sent twice']);
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    let answers = 0;
    const twoAnswers = new Promise<void>((r) => sock.on('message', () => { if (++answers === 2) r(); }));
    await sendFrom(sock, bytes);
    await new Promise<void>((r) => sock.once('message', () => r()));
    await sendFrom(sock, bytes);
    await twoAnswers;
    sock.close();
    expect(storedTexts().filter((t) => t === 'inform sent twice')).toHaveLength(1);
    expect(receiver.health().rejectedByReason.duplicate).toBe(1);
  });
});

describe('after the receiver restarts on the same outbox file', () => {
  it('refuses a trap captured before the restart and replayed after it, and one older than the engine time kept', async () => {
    const engine = '0x80001F8880C0FFEE02';
    const bytes = await capture('snmptrap', [...V3, '-e', engine, '-Z', '9,5000', '', ESET_TRAP, TEXT, 's', 'before the restart']);
    const sock = createSocket('udp4');
    await sendFrom(sock, bytes);
    await settle();
    expect(storedTexts().filter((t) => t === 'before the restart')).toHaveLength(1);

    await receiver.stop();
    receiver = createSnmpReceiver(config, { sink: outbox, logger: silentLogger(), retries: RetryLedger.open(outbox.database, systemClock) });
    await receiver.start();
    target = `udp:127.0.0.1:${receiver.port()}`;

    // The older trap first: the first message of an engine would set its notion if none had been kept.
    await run('snmptrap', [...V3, '-e', engine, '-Z', '9,4000', target, '', ESET_TRAP, TEXT, 's', 'older than the time kept']);
    await sendFrom(sock, bytes);
    sock.close();
    await settle();
    expect(storedTexts().filter((t) => t === 'before the restart')).toHaveLength(1);
    expect(storedTexts()).not.toContain('older than the time kept');
    expect(receiver.health().rejectedByReason).toMatchObject({ replay: 1, 'not-in-time-window': 1 });
  });
});

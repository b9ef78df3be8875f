// Slow syslog peers cannot hold the TCP receiver: 60 connections trickling a byte every 2 s, and a real console line
// sent meanwhile is stored in the real outbox. Short timeouts are configured so that the test sees them fire.
import { describe, it, expect, afterEach } from 'vitest';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyslogReceiver, type SyslogReceiver } from './receiver.js';
import { syslogReceiverConfigSchema } from './config.js';
import { Outbox } from '../../outbox/index.js';
import { systemClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import type { Envelope } from '../../../protocol/envelope.js';

const CONSOLE_LINE = '<134>1 2026-03-02T10:00:00Z srv-eset ERAServer 1234 - - {"event_type":"Threat_Event","hostname":"PC-07"}';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function start(): Promise<{ receiver: SyslogReceiver; outbox: Outbox; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-syslog-slow-'));
  const outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 1e9 });
  const config = syslogReceiverConfigSchema.parse({
    tcp: { host: '127.0.0.1', port: 0 }, allowedNetworks: ['127.0.0.0/8'],
    maxConnections: 50, maxConnectionsPerSource: 10, idleTimeoutMs: 4000, messageTimeoutMs: 1500,
  });
  const receiver = createSyslogReceiver(config, { sink: outbox, logger: silentLogger() });
  await receiver.start();
  cleanups.push(async () => { await receiver.stop(); outbox.close(); rmSync(dir, { recursive: true, force: true }); });
  return { receiver, outbox, port: receiver.addresses().tcp!.port };
}

/** A peer that connects from `localAddress` and sends one byte every 2 s: half begin a message and never end it,
 *  half send only empty lines. Resolves `closed` when the receiver closes it. */
function slowPeer(port: number, localAddress: string, index: number): { socket: Socket; closed: Promise<void> } {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  const bytes = index % 2 === 0 ? Buffer.from('<13>never ends') : Buffer.from('\n');
  let at = 0;
  const timer = setInterval(() => { if (socket.writable) socket.write(bytes.subarray(at % bytes.length, (at++ % bytes.length) + 1)); }, 2000);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => { clearInterval(timer); resolve(); }));
  cleanups.push(() => { clearInterval(timer); socket.destroy(); });
  return { socket, closed };
}

function connected(peer: { socket: Socket; closed: Promise<void> }): Promise<void> {
  return Promise.race([new Promise<void>((r) => peer.socket.once('connect', () => r())), peer.closed]);
}

/** Sends the console's line from 127.0.0.2 and waits until the outbox holds it. */
async function consoleLineStored(outbox: Outbox, port: number): Promise<boolean> {
  const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
  socket.on('error', () => undefined);
  socket.end(`${CONSOLE_LINE}\n`);
  for (let i = 0; i < 400; i++) {
    const lines = outbox.peek(100, 1e9).map((item) => JSON.parse(item.body) as Envelope)
      .map((e) => (e.transport === 'syslog' ? e.syslog.line : ''));
    if (lines.includes(CONSOLE_LINE)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe('syslog TCP under slow peers', () => {
  it('60 slow peers from one address: 10 are admitted, 50 refused, and a console line sent meanwhile is stored', async () => {
    const { receiver, outbox, port } = await start();
    // The first ten connect before the others, so that the admitted ones are known: five begin a message, five don't.
    const peers = Array.from({ length: 10 }, (_, i) => slowPeer(port, '127.0.0.1', i));
    await Promise.all(peers.map(connected));
    peers.push(...Array.from({ length: 50 }, (_, i) => slowPeer(port, '127.0.0.1', 10 + i)));
    await Promise.all(peers.map(connected));
    expect(await consoleLineStored(outbox, port)).toBe(true);
    // Every slow peer is let go: refused at once, or closed by the message clock or the idle clock.
    await Promise.all(peers.map((p) => p.closed));
    const health = receiver.health();
    expect(health.rejectedByReason['connections-per-source']).toBe(50);
    const warnings = receiver.warnings();
    expect(warnings['closed-slow']).toBe(5);
    expect(warnings['closed-idle']).toBe(5);
  });

  it('60 slow peers from six addresses fill every slot; the console still gets in, in place of one that never sent', async () => {
    const { receiver, outbox, port } = await start();
    const peers = Array.from({ length: 60 }, (_, i) => slowPeer(port, `127.0.0.${11 + (i % 6)}`, i));
    await Promise.all(peers.map(connected));
    expect(await consoleLineStored(outbox, port)).toBe(true);
    await Promise.all(peers.map((p) => p.closed));
    expect(receiver.warnings()['closed-evicted']).toBe(11);
    expect(receiver.health().rejectedByReason.connections).toBeUndefined();
  });
});

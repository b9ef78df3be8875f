// The syslog receiver on real sockets: UDP, TCP and TLS, spoken to by node sockets and util-linux `logger`.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../../lib/logger.js';
import type { Capture, SyslogCapture } from '../../../protocol/envelope.js';
import { RecordingSink, makeSelfSignedCert } from '../smtp/test-support.js';
import { syslogReceiverConfigSchema, type SyslogReceiverConfigInput } from './config.js';
import { createSyslogReceiver, type SyslogReceiver } from './receiver.js';
import { eventually } from '../../../test/helpers/eventually.js';

const run = promisify(execFile);
const BOM = '\uFEFF';

function sendUdp(port: number, message: string | Buffer): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => socket.send(message, port, '127.0.0.1', (err) => { socket.close(); if (err) reject(err); else resolve(); }));
}

/** Writes the chunks one by one on a TCP connection, then closes it. */
function sendTcp(port: number, chunks: (string | Buffer)[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      for (const chunk of chunks) socket.write(chunk);
      socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

/** Polls a condition that has no reply to wait for (a refused datagram), giving up after a while. */
async function until(condition: () => boolean): Promise<void> {
  await eventually(condition, 5_000, 10);
}

describe('syslog receiver', () => {
  const cert = makeSelfSignedCert();
  const logLines: string[] = [];
  const logSink = new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } });
  let receiver: SyslogReceiver;
  let sink: RecordingSink;
  let ports: { udp: number; tcp: number; tls: number };
  const lines = (): SyslogCapture[] => sink.captures.flatMap((c) => (c.transport === 'syslog' ? [c.syslog] : []));

  beforeAll(async () => {
    sink = new RecordingSink();
    const config = syslogReceiverConfigSchema.parse({
      udp: { port: 0 }, tcp: { port: 0 }, tls: { port: 0, certFile: cert.certFile, keyFile: cert.keyFile }, maxMessageBytes: 1024,
    });
    receiver = createSyslogReceiver(config, { sink, logger: createLogger({ destination: logSink }) });
    await receiver.start();
    const a = receiver.addresses();
    ports = { udp: a.udp?.port ?? 0, tcp: a.tcp?.port ?? 0, tls: a.tls?.port ?? 0 };
  });
  afterAll(async () => {
    await receiver.stop();
    cert.cleanup();
  });

  it('reports its three listeners', () => {
    expect(receiver.health()).toMatchObject({
      name: 'syslog', healthy: true, listening: `udp 127.0.0.1:${ports.udp}, tcp 127.0.0.1:${ports.tcp}, tls 127.0.0.1:${ports.tls}`,
    });
  });

  it('captures a UDP datagram as received, with its source', async () => {
    const line = '<54>Sep 16 08:30:10 WIN-SEPM SymantecServer: Virus found,Computer name: WS-07';
    await sendUdp(ports.udp, `${line}\n`);
    await sink.waitFor(1);
    expect(sink.captures[0]).toMatchObject({ transport: 'syslog', source: { address: '127.0.0.1' }, syslog: { protocol: 'udp', line } });
  });

  it('captures newline-framed TCP lines split across packets, ignoring empty lines', async () => {
    const before = sink.captures.length;
    await sendTcp(ports.tcp, ['<13>first li', 'ne\r\n\n\n<13>sec', 'ond line\n<13>third', ' line\0']);
    await sink.waitFor(before + 3);
    expect(lines().slice(before).map((l) => [l.protocol, l.line])).toEqual([
      ['tcp', '<13>first line'], ['tcp', '<13>second line'], ['tcp', '<13>third line'],
    ]);
  });

  it('captures octet-counted TCP messages, mixed with newline framing on the same connection', async () => {
    const before = sink.captures.length;
    const json = '<14>1 2026-02-27T16:25:37.704Z HOST ERAServer 3432 - - {"event_type":"Threat_Event",\n"threat_name":"Eicar"}';
    await sendTcp(ports.tcp, [`${Buffer.byteLength(json)} ${json}`, '<13>plain after\n']);
    await sink.waitFor(before + 2);
    expect(lines().slice(before).map((l) => l.line)).toEqual([json, '<13>plain after']);
  });

  it('receives over TLS with a verified certificate and strips the BOM ESET sends', async () => {
    const before = sink.captures.length;
    const head = '<14>1 2026-02-27T16:25:37.704Z HOST ERAServer 3432 - - ';
    const body = '{"event_type":"Threat_Event","hostname":"pc-01"}';
    const message = Buffer.from(`${head}${BOM}${body}`);
    await new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: ports.tls, ca: readFileSync(cert.certFile) }, () => {
        socket.end(Buffer.concat([Buffer.from(`${message.length} `), message]));
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    await sink.waitFor(before + 1);
    expect(lines()[before]).toEqual({ protocol: 'tls', line: head + body });
  });

  it('counts a TLS client that gives up on the handshake, and stores nothing from it', async () => {
    const before = sink.captures.length;
    const outcome = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: ports.tls }, () => resolve('connected'));
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(outcome).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    await until(() => receiver.health().rejectedByReason.tls === 1);
    expect(receiver.health().rejectedByReason.tls).toBe(1);
    expect(sink.captures.length).toBe(before);
  });

  it('takes messages from util-linux logger over UDP, TCP and TCP with octet counting', async () => {
    const before = sink.captures.length;
    const base = ['-n', '127.0.0.1', '-t', 'ERAServer', '--rfc5424'];
    await run('logger', [...base, '-d', '-P', String(ports.udp), 'HEARTBEAT udp']);
    await run('logger', [...base, '-T', '-P', String(ports.tcp), 'HEARTBEAT tcp']);
    await run('logger', [...base, '-T', '--octet-count', '-P', String(ports.tcp), 'HEARTBEAT octet']);
    await sink.waitFor(before + 3);
    const got = lines().slice(before).map((l) => `${l.protocol} ${l.line}`);
    expect(got).toHaveLength(3);
    expect(got.find((l) => l.endsWith('octet'))).toMatch(/^tcp <13>1 \S+ \S+ ERAServer - - \[.*\] HEARTBEAT octet$/);
    expect(got.find((l) => l.endsWith('HEARTBEAT tcp'))).toMatch(/^tcp <13>1 \S+ \S+ ERAServer /);
    expect(got.find((l) => l.endsWith('HEARTBEAT udp'))).toMatch(/^udp <13>1 \S+ \S+ ERAServer /);
  });

  it('truncates an oversized message to maxMessageBytes, keeps it, and counts it', async () => {
    const before = sink.captures.length;
    await sendTcp(ports.tcp, [`<13>${'x'.repeat(5000)}\n<13>next\n`]);
    await sink.waitFor(before + 2);
    expect(lines()[before]?.line).toHaveLength(1024);
    expect(lines()[before + 1]?.line).toBe('<13>next');
    expect(receiver.warnings().truncated).toBe(1);
  });

  it('counts a garbage flood, logs it at a bounded rate, stores none of it, and keeps going', async () => {
    const before = sink.captures.length;
    const rejectedBefore = receiver.health().rejectedByReason.malformed ?? 0;
    const logBefore = logLines.length;
    const flood = Array.from({ length: 5000 }, (_, i) => `garbage line ${i} \u0001\u00ff\n`).join('');
    await sendTcp(ports.tcp, [flood, Buffer.from([0xff, 0xfe, 0x00, 0x0a]), '<13>survivor\n']);
    await sink.waitFor(before + 1);
    await sendUdp(ports.udp, 'not syslog either');
    await until(() => receiver.health().rejectedByReason.malformed === rejectedBefore + 5002);
    expect(receiver.health().rejectedByReason.malformed).toBe(rejectedBefore + 5002);
    expect(lines().slice(before).map((l) => l.line)).toEqual(['<13>survivor']);
    const floodLogs = logLines.slice(logBefore).filter((l) => l.includes('syslog message without PRI refused'));
    expect(floodLogs.length).toBeGreaterThan(0);
    expect(floodLogs.length).toBeLessThanOrEqual(5);
    await sendUdp(ports.udp, '<13>still alive');
    await sink.waitFor(before + 2);
    expect(receiver.health().healthy).toBe(true);
  });

  it('replaces invalid UTF-8 and counts it', async () => {
    const before = sink.captures.length;
    await sendUdp(ports.udp, Buffer.concat([Buffer.from('<13>caf'), Buffer.from([0xe9])]));
    await sink.waitFor(before + 1);
    expect(lines()[before]?.line).toBe('<13>caf\uFFFD');
    expect(receiver.warnings()['invalid-utf8']).toBe(1);
  });
});

describe('syslog receiver refusals', () => {
  const start = async (overrides: Partial<SyslogReceiverConfigInput>) => {
    const sink = new RecordingSink();
    const receiver = createSyslogReceiver(syslogReceiverConfigSchema.parse({ udp: { port: 0 }, tcp: { port: 0 }, ...overrides }), { sink, logger: silentLogger() });
    await receiver.start();
    return { sink, receiver, udp: receiver.addresses().udp?.port ?? 0, tcp: receiver.addresses().tcp?.port ?? 0 };
  };

  it('drops datagrams and closes connections (TLS before its handshake) from outside the allowed networks', async () => {
    const cert = makeSelfSignedCert();
    const { sink, receiver, udp, tcp } = await start({
      allowedNetworks: ['192.0.2.0/24'], tls: { port: 0, certFile: cert.certFile, keyFile: cert.keyFile },
    });
    try {
      await sendUdp(udp, '<13>from loopback');
      await sendTcp(tcp, ['<13>from loopback\n']);
      const handshake = new Promise<string>((resolve) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: receiver.addresses().tls?.port ?? 0, rejectUnauthorized: false }, () => resolve('connected'));
        socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(await handshake).not.toBe('connected');
      await until(() => receiver.health().rejectedByReason.network === 3);
      expect(receiver.health().rejectedByReason).toEqual({ network: 3 });
      expect(sink.captures).toHaveLength(0);
    } finally {
      await receiver.stop();
      cert.cleanup();
    }
  });

  it('drops a TCP connection past maxConnections and keeps serving the first', async () => {
    const { sink, receiver, tcp } = await start({ maxConnections: 1 });
    const first = connect({ host: '127.0.0.1', port: tcp });
    try {
      first.write('<13>first connection\n');
      await sink.waitFor(1);
      await new Promise<void>((resolve) => {
        const second = connect({ host: '127.0.0.1', port: tcp });
        second.on('error', () => undefined);
        second.on('close', () => resolve());
      });
      await until(() => receiver.health().rejectedByReason.connections === 1);
      expect(receiver.health().rejectedByReason.connections).toBe(1);
      first.write('<13>still served\n');
      await sink.waitFor(2);
      expect(sink.captures.map((c) => c.transport === 'syslog' && c.syslog.line)).toEqual(['<13>first connection', '<13>still served']);
    } finally {
      first.destroy();
      await receiver.stop();
    }
  });

  it('closes a TCP connection that stays silent past idleTimeoutMs', async () => {
    const { receiver, tcp } = await start({ idleTimeoutMs: 1000 });
    try {
      const closedBy = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: tcp });
        socket.on('end', () => resolve('server'));
        socket.on('error', () => resolve('error'));
      });
      expect(closedBy).toBe('server');
    } finally {
      await receiver.stop();
    }
  });

  it('rejects an oversized message when set to, and counts it as size', async () => {
    const { sink, receiver, tcp } = await start({ maxMessageBytes: 512, oversize: 'reject' });
    try {
      await sendTcp(tcp, [`<13>${'x'.repeat(2000)}\n<13>small\n`]);
      await sink.waitFor(1);
      expect(sink.captures).toHaveLength(1);
      expect(receiver.health().rejectedByReason.size).toBe(1);
    } finally {
      await receiver.stop();
    }
  });

  it('stops reading a TCP sender faster than the outbox, and takes everything once the outbox catches up', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const seen: string[] = [];
    const slowSink = { capture: async (c: Capture): Promise<string> => { if (c.transport === 'syslog') seen.push(c.syslog.line); await gate; return 'id'; } };
    const receiver = createSyslogReceiver(syslogReceiverConfigSchema.parse({ tcp: { port: 0 } }), { sink: slowSink, logger: silentLogger() });
    await receiver.start();
    try {
      const total = 20_000;
      const sent = sendTcp(receiver.addresses().tcp?.port ?? 0, [Array.from({ length: total }, (_, i) => `<13>line ${i}\n`).join('')]);
      await until(() => seen.length >= 2000);
      await new Promise((r) => setTimeout(r, 200)); // room for the reader to run on, were it not paused
      expect(seen.length).toBeGreaterThanOrEqual(2000);
      expect(seen.length).toBeLessThan(total / 2);
      release();
      await sent;
      await until(() => receiver.health().received === total);
      expect(receiver.health().received).toBe(total);
      expect(seen[total - 1]).toBe(`<13>line ${total - 1}`);
    } finally {
      release();
      await receiver.stop();
    }
  });

  it('counts messages the outbox refuses, and stops cleanly', async () => {
    const { sink, receiver, udp, tcp } = await start({});
    sink.refusing = true;
    await sendTcp(tcp, ['<13>lost 1\n<13>lost 2\n']);
    await until(() => receiver.health().rejectedByReason.outbox === 2);
    expect(receiver.health().rejectedByReason.outbox).toBe(2);
    expect(receiver.health().lastError).toContain('outbox');
    await receiver.stop();
    expect(receiver.health()).toMatchObject({ healthy: false, listening: '' });
    await expect(sendTcp(tcp, ['<13>x\n'])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(udp).toBeGreaterThan(0);
  });
});

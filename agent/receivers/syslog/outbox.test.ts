// The syslog receiver in front of the real SQLite outbox: what arrives is stored as valid envelopes, in order.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { envelopeSchema, type SyslogEnvelope } from '../../../protocol/envelope.js';
import { Outbox } from '../../outbox/index.js';
import { syslogReceiverConfigSchema } from './config.js';
import { createSyslogReceiver } from './receiver.js';
import { eventually } from '../../../test/helpers/eventually.js';

describe('syslog receiver with the real outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-syslog-outbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores TCP lines in order and a UDP datagram as schema-valid envelopes', async () => {
    const outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 1e9 });
    const config = syslogReceiverConfigSchema.parse({ udp: { port: 0 }, tcp: { port: 0 } });
    const receiver = createSyslogReceiver(config, { sink: outbox, logger: silentLogger() });
    await receiver.start();
    try {
      const { udp, tcp } = receiver.addresses();
      const tcpLines = Array.from({ length: 200 }, (_, i) => `<14>Sep 16 08:30:10 SEPM SymantecServer: line ${i}`);
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: tcp?.port ?? 0 }, () => socket.end(`${tcpLines.join('\n')}\n`));
        socket.on('error', reject);
        socket.on('close', () => resolve());
      });
      const datagram = createSocket('udp4');
      await new Promise<void>((resolve) => datagram.send('<190>Aug 12 09:58:13 - ERAServer[16238]: HEARTBEAT', udp?.port ?? 0, '127.0.0.1', () => resolve()));
      datagram.close();
      const stored = (): SyslogEnvelope[] => outbox.peek(1000, 1e9)
        .map((i) => envelopeSchema.parse(JSON.parse(i.body)))
        .filter((e): e is SyslogEnvelope => e.transport === 'syslog');
      await eventually(() => stored().length >= 201, 5_000, 10);
      const envelopes = stored();
      expect(envelopes.filter((e) => e.syslog.protocol === 'tcp').map((e) => e.syslog.line)).toEqual(tcpLines);
      expect(envelopes.find((e) => e.syslog.protocol === 'udp')?.syslog.line).toBe('<190>Aug 12 09:58:13 - ERAServer[16238]: HEARTBEAT');
      expect(receiver.health().received).toBe(201);
    } finally {
      await receiver.stop();
      outbox.close();
    }
  });
});

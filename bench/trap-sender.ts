// Load generator, run as a separate process: sends pre-encoded v2c traps to 127.0.0.1:port at a fixed rate.
// Protocol (IPC): receives { port, rate, seconds, base, community }, answers { sent, elapsedMs } when done.
import { createSocket } from 'node:dgram';
import { buildTrapTemplate, patchCounter } from './ber.js';

/** One burst of load. */
export interface SendOrder {
  port: number;
  rate: number;
  seconds: number;
  /** The first counter value; packets carry base, base+1, … */
  base: number;
  community: string;
}

/** What the sender did. */
export interface SendReport {
  sent: number;
  elapsedMs: number;
  sendErrors: number;
}

const RING = 8192;

async function send(order: SendOrder): Promise<SendReport> {
  const template = buildTrapTemplate(order.community);
  // A ring of copies: a packet is never patched while the kernel may still hold it.
  const ring = Array.from({ length: RING }, () => ({ packet: Buffer.from(template.packet), counterOffset: template.counterOffset }));
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.connect(order.port, '127.0.0.1', () => r()));
  const total = Math.round(order.rate * order.seconds);
  let sent = 0;
  let sendErrors = 0;
  const onSent = (err: Error | null): void => { if (err) sendErrors += 1; };
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    // A 1 ms timer, sending what is due since the start: steady on average, without spinning a core.
    const tick = (): void => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      const due = Math.min(total, Math.floor(order.rate * elapsed));
      while (sent < due) {
        const t = ring[sent % RING]!;
        patchCounter(t, order.base + sent);
        socket.send(t.packet, onSent);
        sent += 1;
      }
      if (sent >= total) resolve(); else setTimeout(tick, 1);
    };
    tick();
  });
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  await new Promise<void>((r) => socket.close(() => r()));
  return { sent, elapsedMs, sendErrors };
}

process.on('message', (order: SendOrder) => {
  send(order).then((report) => process.send?.(report), (err: Error) => { console.error(err); process.exit(1); });
});
process.on('disconnect', () => process.exit(0));

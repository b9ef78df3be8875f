// The demo's outgoing mail server: accepts the collector's notifications on loopback and writes each as an .eml
// file, so a first look shows what engineers and contacts would receive. Not for production: it relays nothing.
import { SMTPServer } from 'smtp-server';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** A running demo mailbox. */
export interface DemoMailbox {
  port: number;
  dir: string;
  close(): Promise<void>;
}

/** Starts the mailbox on 127.0.0.1:port, writing messages into `dir`. */
export async function startDemoMailbox(dir: string, port: number): Promise<DemoMailbox> {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, size: 30 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',').replace(/[^a-z0-9@.,_-]/gi, '_');
        writeFileSync(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}-${to.slice(0, 80)}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
  return {
    port: (server.server.address() as AddressInfo).port, dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

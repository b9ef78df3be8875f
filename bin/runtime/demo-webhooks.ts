// The demo's webhook receiver: what a help-desk or SOC integration would receive from the collector. It verifies each
// delivery's HMAC as a real receiver must, and saves each signed delivery as a JSON file (mode 0600) so a newcomer can
// read it. Loopback only; not for production.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../collector/notify/webhook/index.js';

/** A running demo receiver: its URL, the folder it writes to, and how to stop it. */
export interface DemoWebhookReceiver {
  url: string;
  dir: string;
  /** Deliveries saved so far. */
  saved(): number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

// A name for the file: when, a counter, and the payload's type ("ticket.opened") when it has one.
function fileName(n: number, body: unknown, now: Date): string {
  const payload = (body as { payload?: { type?: unknown } } | null)?.payload;
  const type = typeof payload?.type === 'string' ? payload.type.replace(/[^a-z0-9._-]/gi, '_').slice(0, 40) : 'delivery';
  return `${now.toISOString().replace(/[:.]/g, '-')}-${n}-${type}.json`;
}

/** Starts the receiver on 127.0.0.1:port (0: any free port), verifying with `secret` and writing into `dir`. */
export async function startDemoWebhookReceiver(dir: string, secret: string, port = 0, now: () => Date = () => new Date()): Promise<DemoWebhookReceiver> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const header = (name: string): string | undefined => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
      const verified = req.method === 'POST' && verifyWebhookSignature({
        secret, rawBody, now: now(), signature: header(SIGNATURE_HEADER), timestamp: header(TIMESTAMP_HEADER),
      });
      if (!verified) {
        res.statusCode = 401;
        res.end('signature not valid');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        res.statusCode = 400;
        res.end('not JSON');
        return;
      }
      const record = { receivedAt: now().toISOString(), verified: true, delivery: header(DELIVERY_HEADER) ?? null,
        signature: header(SIGNATURE_HEADER), timestamp: header(TIMESTAMP_HEADER), body };
      writeFileSync(join(dir, fileName(++n, body, now())), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, dir, saved: () => n,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

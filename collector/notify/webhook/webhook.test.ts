import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../lib/clock.js';
import { DeliveryError } from '../../../lib/errors.js';
import { silentLogger } from '../../../lib/logger.js';
import type { OutboxEntry } from '../outbox-schema.js';
import { signWebhookBody, verifyWebhookSignature, WebhookChannel, webhooksConfigSchema } from './index.js';

const SECRET = 'un-secreto-de-al-menos-16';
const clock = fixedClock('2026-03-20T19:00:00Z');

interface Received { headers: IncomingHttpHeaders; rawBody: string; verified: boolean }

// A receiver that verifies the signature the way a customer's endpoint would, and answers what the test asks.
async function startReceiver(answer: () => number | 'hang'): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhookSignature({
        secret: SECRET, rawBody, now: clock(),
        signature: req.headers['x-xpears-signature'] as string | undefined,
        timestamp: req.headers['x-xpears-timestamp'] as string | undefined,
      });
      received.push({ headers: req.headers, rawBody, verified });
      const status = answer();
      if (status === 'hang') return;
      res.statusCode = verified ? status : 401;
      res.end(verified ? 'ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const entry = (to = 'soc'): OutboxEntry => ({
  id: '019c0000-0000-7000-8000-0000000000aa',
  channel: 'webhook',
  to: [to],
  message: { subject: 'Caso XP-7 abierto', text: 'Ransomware en srv-01' },
  payload: { ticket: 'XP-7', severity: 'threat-incident' },
  subjectRef: { kind: 'ticket', id: 'XP-7', customerId: 'acme' },
  state: 'pending',
  attempts: 0,
  nextAttemptAt: clock(),
  createdAt: clock(),
});

function channel(url: string, secret = SECRET, timeoutMs = 5_000): WebhookChannel {
  const webhooks = webhooksConfigSchema.parse({ soc: { url, secret, timeoutMs, headers: { 'x-route': 'soc' } } });
  return new WebhookChannel({ webhooks, clock, logger: silentLogger() });
}

async function failure(p: Promise<void>): Promise<DeliveryError> {
  const err: unknown = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(err)}`);
  return err;
}

describe('WebhookChannel against a real HTTP receiver', () => {
  it('POSTs the JSON body with a signature the receiver verifies', async () => {
    const rx = await startReceiver(() => 204);
    await channel(rx.url).send(entry());
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.headers['x-xpears-timestamp']).toBe(String(Date.parse('2026-03-20T19:00:00Z') / 1000));
    expect(got.headers['x-xpears-delivery']).toBe('019c0000-0000-7000-8000-0000000000aa');
    expect(got.headers['x-route']).toBe('soc');
    expect(JSON.parse(got.rawBody)).toEqual({
      id: '019c0000-0000-7000-8000-0000000000aa', subject: 'Caso XP-7 abierto', text: 'Ransomware en srv-01',
      payload: { ticket: 'XP-7', severity: 'threat-incident' }, ref: { kind: 'ticket', id: 'XP-7', customerId: 'acme' },
      createdAt: '2026-03-20T19:00:00.000Z',
    });
  });

  it('a wrong secret is refused by the receiver: 401 is a final auth failure', async () => {
    const rx = await startReceiver(() => 204);
    const err = await failure(channel(rx.url, 'otro-secreto-de-16-chars').send(entry()));
    expect([err.reason, err.retryable]).toEqual(['auth', false]);
    expect(rx.received[0]?.verified).toBe(false);
  });

  it.each([[500, 'server', true], [429, 'rate-limited', true], [404, 'client', false]] as const)(
    'an answer %i is %s, retryable %s', async (status, reason, retryable) => {
      const rx = await startReceiver(() => status);
      const err = await failure(channel(rx.url).send(entry()));
      expect([err.reason, err.retryable]).toEqual([reason, retryable]);
      expect(err.message).toContain(String(status));
    });

  it('a receiver that never answers is a retryable timeout', async () => {
    const rx = await startReceiver(() => 'hang');
    const err = await failure(channel(rx.url, SECRET, 300).send(entry()));
    expect([err.reason, err.retryable]).toEqual(['timeout', true]);
  });

  it('an unknown webhook id is final; a closed port is a retryable network failure', async () => {
    const rx = await startReceiver(() => 204);
    expect((await failure(channel(rx.url).send(entry('nope')))).retryable).toBe(false);
    const url = rx.url;
    rx.server.closeAllConnections();
    await new Promise((resolve) => rx.server.close(resolve));
    servers.splice(servers.indexOf(rx.server), 1);
    const err = await failure(channel(url).send(entry()));
    expect([err.reason, err.retryable]).toEqual(['network', true]);
  });
});

describe('webhook signature', () => {
  it('rejects an altered body, a stale timestamp and a missing header', () => {
    const ts = Math.floor(clock().getTime() / 1000);
    const signature = signWebhookBody(SECRET, ts, '{"a":1}');
    const base = { secret: SECRET, signature, timestamp: String(ts), now: clock() };
    expect(verifyWebhookSignature({ ...base, rawBody: '{"a":1}' })).toBe(true);
    expect(verifyWebhookSignature({ ...base, rawBody: '{"a":2}' })).toBe(false);
    expect(verifyWebhookSignature({ ...base, rawBody: '{"a":1}', now: new Date(clock().getTime() + 301_000) })).toBe(false);
    expect(verifyWebhookSignature({ ...base, rawBody: '{"a":1}', signature: undefined })).toBe(false);
  });

  it('config refuses a short secret and a non-http url', () => {
    expect(webhooksConfigSchema.safeParse({ a: { url: 'http://x.test/h', secret: 'short' } }).success).toBe(false);
    expect(webhooksConfigSchema.safeParse({ a: { url: 'ftp://x.test/h', secret: SECRET } }).success).toBe(false);
    expect(webhooksConfigSchema.safeParse({ a: { url: 'https://x.test/h', secret: SECRET } }).success).toBe(true);
  });
});

// The agent's HTTP client against real servers on loopback: bodies (a string or UTF-8 bytes, gzipped or not), a
// path prefix, failures classified, and a corporate proxy reached with CONNECT (with its credentials).
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createCollectorClient, type CollectorClient } from './http.js';
import { DeliveryError } from '../lib/errors.js';
import { startTunnelProxy, type TunnelProxy } from '../test/helpers/proxy.js';

interface Received { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer; peerPort: number | undefined }

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0).reverse()) await c(); });

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  closers.push(() => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return (server.address() as AddressInfo).port;
}

/** A collector stand-in that records each request and answers with `answer`. */
async function collector(answer: (req: Received, res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), peerPort: req.socket.remotePort };
      received.push(r);
      answer(r, res);
    });
  });
  return { url: `http://127.0.0.1:${await listen(server)}`, received };
}

/** A tunnelling proxy, closed after the test. */
async function proxy(status = 200): Promise<TunnelProxy> {
  const p = await startTunnelProxy(status);
  closers.push(() => p.close());
  return p;
}

function client(url: string, extra: Partial<Parameters<typeof createCollectorClient>[0]> = {}): CollectorClient {
  const c = createCollectorClient({ url, token: 'xpr_test_secret', timeoutMs: 2_000, gzipLevel: 1, ...extra });
  closers.push(() => c.close());
  return c;
}

const ok = (_r: Received, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":["a"]}');

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('collector client', () => {
  it('sends UTF-8 bytes gzipped with their length, under the URL path prefix, and parses the answer', async () => {
    const c = await collector(ok);
    const json = '{"envelopes":[{"text":"señal — ✓"}]}';
    const res = await client(`${c.url}/relay/`).postJson<{ accepted: string[] }>('/v1/envelopes', Buffer.from(json, 'utf8'));
    expect(res).toEqual({ status: 200, body: { accepted: ['a'] } });
    const [r] = c.received;
    expect(r!.url).toBe('/relay/v1/envelopes');
    expect(r!.headers['content-encoding']).toBe('gzip');
    expect(Number(r!.headers['content-length'])).toBe(r!.body.length);
    expect(r!.headers.authorization).toBe('Bearer xpr_test_secret');
    expect(gunzipSync(r!.body).toString('utf8')).toBe(json);
  });

  it('sends a string as it is when gzip is off', async () => {
    const c = await collector(ok);
    const http = client(c.url, { gzipLevel: 0 });
    await http.postJson('/v1/heartbeats', '{"ñ":1}');
    await http.postJson('/v1/heartbeats', '{"ñ":2}');
    expect(c.received.map((r) => r.body.toString('utf8'))).toEqual(['{"ñ":1}', '{"ñ":2}']);
    expect(c.received[0]!.headers['content-encoding']).toBeUndefined();
    expect(Number(c.received[0]!.headers['content-length'])).toBe(Buffer.byteLength('{"ñ":1}'));
  });

  it('classifies an answer that never comes as a retryable timeout', async () => {
    const c = await collector(() => undefined); // reads the request, never answers
    const err = await failure(client(c.url, { timeoutMs: 1_000 }).postJson('/v1/envelopes', '{}'));
    expect(err.reason).toBe('timeout');
    expect(err.retryable).toBe(true);
  });

  it('classifies a refused connection as a retryable network failure', async () => {
    const err = await failure(client('http://127.0.0.1:9').postJson('/v1/envelopes', '{}'));
    expect(err.reason).toBe('network');
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('reports the status and message of an error answer (401: not retryable)', async () => {
    const c = await collector((_r, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"token revoked"}'));
    const err = await failure(client(c.url).postJson('/v1/envelopes', '{}'));
    expect(err.message).toBe('collector answered 401: token revoked');
    expect(err.reason).toBe('auth');
    expect(err.retryable).toBe(false);
    expect((err as DeliveryError & { status?: number }).status).toBe(401);
  });

  it('reaches an http collector through the proxy with CONNECT, sending the credentials of the proxy URL', async () => {
    const c = await collector(ok);
    const p = await proxy();
    const res = await client(c.url, { proxy: `http://agent%40acme:p%3Ass@127.0.0.1:${p.port}` }).postJson('/v1/envelopes', '{}');
    expect(res.status).toBe(200);
    expect(p.connects).toEqual([{ target: new URL(c.url).host, auth: `Basic ${Buffer.from('agent@acme:p:ss').toString('base64')}` }]);
    expect(c.received).toHaveLength(1);
  });

  it('classifies a proxy that refuses the tunnel as a retryable network failure', async () => {
    const c = await collector(ok);
    const p = await proxy(407);
    const err = await failure(client(c.url, { proxy: `http://127.0.0.1:${p.port}` }).postJson('/v1/envelopes', '{}'));
    expect(err.reason).toBe('network');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/collector unreachable/);
    expect(c.received).toHaveLength(0);
  });
});

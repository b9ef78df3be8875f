// The forwarder against a real HTTP server on loopback and a real outbox file: batches in flight at once, and a
// failed batch that stays queued while the one beside it is delivered.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from './outbox/index.js';
import { Forwarder, batchBody } from './forwarder.js';
import { createCollectorClient, type CollectorClient } from './http.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { reached } from '../test/helpers/eventually.js';

type Handler = (ids: string[], res: ServerResponse) => void;

interface Fixture { outbox: Outbox; client: CollectorClient; server: Server; forwarder?: Forwarder; dir: string }
const open: Fixture[] = [];

afterEach(async () => {
  for (const f of open.splice(0)) {
    await f.forwarder?.stop();
    await f.client.close();
    await new Promise((r) => f.server.close(r));
    f.outbox.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

function bodyIds(req: IncomingMessage): Promise<string[]> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { envelopes: { id: string }[] }).envelopes.map((e) => e.id)));
  });
}

const accept = (ids: string[], res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' })
  .end(JSON.stringify({ accepted: ids, duplicates: [], rejected: [] }));

async function setUp(captures: number, handler: Handler): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-forwarder-'));
  const outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 64 * 1024 ** 2 });
  await Promise.all(Array.from({ length: captures }, (_, i) => outbox.capture({
    transport: 'syslog', source: { address: '192.0.2.10', port: 514 }, syslog: { protocol: 'udp', line: `<14>line ${i}` },
  })));
  const server = createServer((req, res) => { void bodyIds(req).then((ids) => handler(ids, res)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createCollectorClient({ url, token: 'xpr_test_secret', timeoutMs: 5_000, gzipLevel: 0 });
  const f: Fixture = { outbox, client, server, dir };
  open.push(f);
  return f;
}

function start(f: Fixture, inFlight: number): Forwarder {
  f.forwarder = new Forwarder(f.outbox, f.client, { batchSize: 10, maxBatchBytes: 1024 ** 2, backoffInitialMs: 10, backoffMaxMs: 20, idlePollMs: 20, inFlight }, silentLogger());
  f.forwarder.start();
  return f.forwarder;
}

const until = (check: () => boolean, ms = 5_000): Promise<void> => reached(check, ms, 10);

describe('Forwarder', () => {
  it('sends the next batch before the first is answered, and delivers every envelope once', async () => {
    const delivered: string[] = [];
    let concurrent = 0;
    let peak = 0;
    const f = await setUp(50, (ids, res) => {
      concurrent += 1;
      peak = Math.max(peak, concurrent);
      // Hold each answer a little, so a second batch can arrive meanwhile if the forwarder sends one.
      setTimeout(() => { concurrent -= 1; delivered.push(...ids); accept(ids, res); }, 30);
    });
    start(f, 2);
    await until(() => f.outbox.stats().depth === 0);
    expect(peak).toBe(2);
    expect(delivered).toHaveLength(50);
    expect(new Set(delivered).size).toBe(50);
  });

  it('with inFlight 1 never has two batches at the collector', async () => {
    let concurrent = 0;
    let peak = 0;
    const f = await setUp(30, (ids, res) => {
      concurrent += 1;
      peak = Math.max(peak, concurrent);
      setTimeout(() => { concurrent -= 1; accept(ids, res); }, 20);
    });
    start(f, 1);
    await until(() => f.outbox.stats().depth === 0);
    expect(peak).toBe(1);
  });

  it('keeps a failed batch queued while the batch beside it is delivered, then sends it again', async () => {
    const delivered: string[] = [];
    let requests = 0;
    const f = await setUp(20, (ids, res) => {
      requests += 1;
      if (requests === 1) { setTimeout(() => res.writeHead(503).end('busy'), 30); return; } // the first batch fails
      delivered.push(...ids);
      accept(ids, res);
    });
    const fwd = start(f, 2);
    await until(() => f.outbox.stats().depth === 0);
    expect(delivered).toHaveLength(20);
    expect(new Set(delivered).size).toBe(20);
    expect(fwd.state.lastErrorReason).not.toBeNull();
    expect(fwd.state.consecutiveFailures).toBe(0);
  });
});

describe('batchBody', () => {
  it('writes the batch document as UTF-8 once, multi-byte characters included', () => {
    const bodies = [JSON.stringify({ id: 'a', line: 'señal — ✓ 日本' }), JSON.stringify({ id: 'b', line: '"quoted" \\ 🙂' }), '{"id":"c"}'];
    const buf = batchBody(bodies);
    expect(buf.toString('utf8')).toBe(`{"protocol":1,"envelopes":[${bodies.join(',')}]}`);
    expect(JSON.parse(buf.toString('utf8')).envelopes.map((e: { id: string }) => e.id)).toEqual(['a', 'b', 'c']);
    expect(batchBody([]).toString('utf8')).toBe('{"protocol":1,"envelopes":[]}');
  });
});

describe('Forwarder after a failure', () => {
  it('retries one batch at a time until the collector answers again, then sends batches side by side', async () => {
    let concurrent = 0;
    let failing = 3;
    const arrivals: { concurrent: number; afterFailure: boolean; afterRecovery: boolean }[] = [];
    let failed = false;
    let recovered = false;
    const f = await setUp(80, (ids, res) => {
      concurrent += 1;
      arrivals.push({ concurrent, afterFailure: failed, afterRecovery: recovered });
      setTimeout(() => {
        concurrent -= 1;
        if (failing > 0) { failing -= 1; failed = true; res.writeHead(503).end('busy'); return; }
        if (failed) recovered = true;
        accept(ids, res);
      }, 30);
    });
    start(f, 2);
    await until(() => f.outbox.stats().depth === 0);
    expect(arrivals[1]!.concurrent).toBe(2); // before any failure: two in flight
    const whileFailing = arrivals.filter((a) => a.afterFailure && !a.afterRecovery);
    expect(whileFailing.length).toBeGreaterThan(1);
    expect(Math.max(...whileFailing.map((a) => a.concurrent))).toBe(1);
    expect(Math.max(...arrivals.filter((a) => a.afterRecovery).map((a) => a.concurrent))).toBe(2);
  });
});

// Issue 20, item 6: a heartbeat the collector accepts ends the forwarder's backoff, so a collector that came back is
// drained at once rather than after up to backoffMaxMs. Real HTTP server on loopback, real outbox file.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from './outbox/index.js';
import { Forwarder } from './forwarder.js';
import { HeartbeatSender, buildHeartbeat } from './heartbeat.js';
import { createCollectorClient } from './http.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { eventually } from '../test/helpers/eventually.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const until = (check: () => boolean, ms = 10_000): Promise<boolean> => eventually(check, ms, 20);

describe('forwarder backoff', () => {
  it('ends when a heartbeat is accepted: the outbox drains at once, not after the minute of backoff', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpears-resume-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let down = true;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (down) { res.writeHead(503).end(); return; }
        if (req.url === '/v1/heartbeats') { res.writeHead(200, { 'content-type': 'application/json' }).end('{}'); return; }
        const ids = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { envelopes: { id: string }[] }).envelopes.map((e) => e.id);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: ids, duplicates: [], rejected: [] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const client = createCollectorClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'xpr_test_secret', timeoutMs: 5_000, gzipLevel: 0 });
    cleanups.push(() => client.close());
    const outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock: systemClock, logger: silentLogger(), maxBytes: 1e8 });
    cleanups.push(() => outbox.close());
    await Promise.all(Array.from({ length: 5 }, (_, i) => outbox.capture({ transport: 'syslog', source: { address: '192.0.2.1', port: 514 }, syslog: { protocol: 'udp', line: `<14>${i}` } })));
    // A first backoff of at least 60 s (full jitter over a 120 s ceiling).
    const forwarder = new Forwarder(outbox, client, { batchSize: 10, maxBatchBytes: 1e6, backoffInitialMs: 120_000, backoffMaxMs: 120_000, idlePollMs: 50 }, silentLogger());
    const heartbeat = new HeartbeatSender(client, () => buildHeartbeat(outbox, [], systemClock()), 3_600_000, systemClock, silentLogger(), () => forwarder.resume());
    forwarder.start();
    cleanups.push(() => forwarder.stop());
    expect(await until(() => forwarder.state.consecutiveFailures === 1)).toBe(true);
    await heartbeat.beat(); // still down: the backoff goes on
    expect(forwarder.state.consecutiveFailures).toBe(1);
    expect(outbox.stats().depth).toBe(5);
    down = false;
    await heartbeat.beat();
    expect(heartbeat.lastError).toBeNull();
    expect(await until(() => outbox.stats().depth === 0)).toBe(true);
    expect(forwarder.state.sent).toBe(5);
  });
});

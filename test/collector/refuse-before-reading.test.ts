// The collector refuses before it reads (issue 13, item 1), over real sockets on loopback: no token, no body read;
// slow peers are cut off by the deadlines; one address cannot hold more than its share of unauthenticated sockets.
import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { connect, type Socket } from 'node:net';
import { request, Agent } from 'node:http';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { testCollector, type TestCollector } from '../helpers/collector.js';
import { uuidv7 } from '../../lib/ids.js';
import type { SlowSocketOutcome } from '../helpers/slow-uploads.js';
import type { ConnectionLimits } from '../../collector/ingest/guard.js';

// Short deadlines so the test sees them pass; production defaults are in docs/operations.md.
const LIMITS: ConnectionLimits = {
  headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, idleTimeoutMs: 1_500, keepAliveTimeoutMs: 1_000,
  maxConnections: 1_000, maxUnauthenticatedPerSource: 50,
};
// The bound docs/operations.md gives for 200 unauthenticated slow uploads (each announcing 8 MiB and sending 1 MiB
// at once): the collector's resident memory grows by less than this. Reading their bodies would take 100+ MiB.
const RSS_BOUND_BYTES = 64 * 1024 * 1024;

let c: TestCollector;
let port: number;
let limits = LIMITS;
beforeEach(async () => {
  c = await testCollector({ connections: limits });
  await c.app.listen({ host: '127.0.0.1', port: 0 });
  port = (c.app.server.address() as AddressInfo).port;
});
afterEach(async () => { await c.close(); });

/** An HTTP request from a chosen loopback address (the agent is not where the attacker is). */
function post(path: string, token: string | undefined, body: string, from = '127.0.0.2', agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path, method: 'POST', localAddress: from, ...(agent ? { agent } : {}),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function batch(): { id: string; body: string } {
  const id = uuidv7();
  const e = { id, capturedAt: new Date().toISOString(), transport: 'syslog', source: { address: '10.0.0.5', port: 514 }, syslog: { protocol: 'udp', line: '<134>Mar 20 15:00:01 era01 ERAServer: hello' } };
  return { id, body: JSON.stringify({ protocol: 1, envelopes: [e] }) };
}

/** A raw socket from `from`; resolves once connected or closed. */
function rawSocket(from: string): Promise<{ s: Socket; closed: Promise<string> }> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: from });
    let seen = '';
    s.on('data', (d) => { seen += d.toString('latin1'); });
    s.on('error', () => undefined);
    const closed = new Promise<string>((r) => s.once('close', () => r(seen)));
    s.once('connect', () => resolve({ s, closed }));
    s.once('close', () => resolve({ s, closed }));
  });
}

describe('the collector refuses before it reads', () => {
  it('answers 401 to a 9 MiB body without a token, not 413, and closes the connection without reading it', async () => {
    const { s, closed } = await rawSocket('127.0.0.3');
    s.write(`POST /v1/envelopes HTTP/1.1\r\nHost: c\r\nContent-Type: application/json\r\nContent-Length: ${9 * 1024 * 1024}\r\n\r\n`);
    s.write(Buffer.alloc(64 * 1024, 0x20));
    const answer = await closed; // the collector closes it: the other 8.9 MiB are never asked for
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.toLowerCase()).toContain('connection: close');
  });

  it('refuses a body past the limit while it streams in (chunked, no length announced) with 413', async () => {
    const { s, closed } = await rawSocket('127.0.0.3');
    s.write(`POST /v1/heartbeats HTTP/1.1\r\nHost: c\r\nContent-Type: application/json\r\nAuthorization: Bearer ${c.tokenA}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < 9 && !s.destroyed; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`);
    const answer = await Promise.race([closed, new Promise<string>((r) => s.on('data', (d) => r(d.toString('latin1'))))]);
    s.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

});

describe('200 unauthenticated slow peers, let in as if each came from its own address', () => {
  beforeAll(() => { limits = { ...LIMITS, maxUnauthenticatedPerSource: 1_000 }; });
  afterAll(() => { limits = LIMITS; });

  it('200 unauthenticated slow uploads: memory stays bounded, every socket is closed, an agent\'s batch is stored meanwhile', async () => {
    await post('/v1/heartbeats', c.tokenB, '{}'); // the app's first request, so lazy allocations are behind us
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const attacker = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/slow-uploads.ts'),
      JSON.stringify({ port, uploads: 100, slowHeaders: 100, deadlineMs: 10 * LIMITS.requestTimeoutMs })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const connected = new Promise<void>((r) => attacker.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('connected\n')) r(); }));
    const exited = new Promise<void>((r) => attacker.once('exit', () => r()));
    await connected;

    const { id, body } = batch();
    const stored = await post('/v1/envelopes', c.tokenA, body);
    expect(stored.status).toBe(200);
    expect(JSON.parse(stored.body)).toEqual({ accepted: [id], duplicates: [], rejected: [] });

    await exited;
    clearInterval(sampler);
    const report = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as { outcomes: SlowSocketOutcome[] };
    const uploads = report.outcomes.filter((o) => o.kind === 'upload');
    const headers = report.outcomes.filter((o) => o.kind === 'headers');
    // Every socket was closed by the collector before the attacker's deadline (10 × the request timeout).
    expect(report.outcomes.filter((o) => o.closedAfterMs === null)).toEqual([]);
    // Uploads: answered 401 before their body was read and closed (the close may reset the connection before the
    // attacker reads the answer, as it is still sending: then it sees no status).
    expect(uploads.every((o) => o.status === 401 || o.status === null)).toBe(true);
    // Slow headers: cut off by the headers' deadline (408); never answered as a request.
    expect(headers.every((o) => o.status === 408 || o.status === null)).toBe(true);
    expect(headers.filter((o) => o.status === 408).length).toBeGreaterThan(0);
    expect(peak - before).toBeLessThan(RSS_BOUND_BYTES);
    expect(c.repo.countEnvelopes('acme')).toBe(1);
    console.log(`slow uploads: RSS +${((peak - before) / 1048576).toFixed(1)} MiB at peak; closed after at most `
      + `${Math.max(...report.outcomes.map((o) => o.closedAfterMs ?? 0))} ms; 401: ${uploads.filter((o) => o.status === 401).length}, `
      + `408: ${headers.filter((o) => o.status === 408).length}, closed unanswered: ${report.outcomes.filter((o) => o.status === null).length}`);
  }, 60_000);

});

describe('unauthenticated connections per address', () => {
  // Deadlines far off here: the sockets this test opens must stay open while it counts them.
  beforeAll(() => { limits = { ...LIMITS, headersTimeoutMs: 30_000, requestTimeoutMs: 30_000, idleTimeoutMs: 30_000, keepAliveTimeoutMs: 30_000 }; });
  afterAll(() => { limits = LIMITS; });

  it('caps them; a connection that proved an agent no longer counts', async () => {
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    // An agent's kept-alive connection from 127.0.0.4 proves itself with a heartbeat.
    expect((await post('/v1/heartbeats', c.tokenA, JSON.stringify({}), '127.0.0.4', keepAlive)).status).not.toBe(401);
    const idle = [];
    for (let i = 0; i < LIMITS.maxUnauthenticatedPerSource; i++) idle.push(await rawSocket('127.0.0.4'));
    expect(idle.every(({ s }) => !s.destroyed)).toBe(true); // the agent's connection left its place to them
    const over = await rawSocket('127.0.0.4');
    expect(await over.closed).toBe(''); // closed at once, nothing said
    const elsewhere = await rawSocket('127.0.0.5');
    expect(elsewhere.s.destroyed).toBe(false);
    for (const { s } of [...idle, elsewhere]) s.destroy();
    keepAlive.destroy();
  });
});

describe('connections in all', () => {
  beforeAll(() => { limits = { ...LIMITS, idleTimeoutMs: 30_000, headersTimeoutMs: 30_000, requestTimeoutMs: 30_000, maxConnections: 5 }; });
  afterAll(() => { limits = LIMITS; });

  it('closes a connection past maxConnections as it arrives, whatever its address', async () => {
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await rawSocket(`127.0.0.${10 + i}`));
    expect(open.every(({ s }) => !s.destroyed)).toBe(true);
    const over = await rawSocket('127.0.0.20');
    expect(await over.closed).toBe('');
    open.pop()!.s.destroy();
    // Once the server has seen that close, a new connection is served (tried until it is, 100 times at most).
    let answer = '';
    for (let i = 0; i < 100 && answer === ''; i++) {
      const again = await rawSocket('127.0.0.21');
      again.s.write('GET /healthz HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n');
      answer = await again.closed;
      if (answer === '') await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    for (const { s } of open) s.destroy();
  });
});

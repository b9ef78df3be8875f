import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { testCollector, type TestCollector } from '../helpers/collector.js';
import { uuidv7 } from '../../lib/ids.js';
import { silentLogger } from '../../lib/logger.js';
import { PreparePool } from '../../collector/ingest/prepare-pool.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import type { Envelope } from '../../protocol/envelope.js';

let c: TestCollector;
// Batches are validated and parsed in this thread, or in a worker thread of the prepare pool (the collector's
// default on a machine with two cores or more): the POST tests run both ways.
let pool: PreparePool | undefined;
let usePool = false;
beforeEach(async () => {
  pool = usePool ? new PreparePool(1, silentLogger()) : undefined;
  c = await testCollector(pool ? { prepare: (body, hint, encoding) => pool!.prepare(body, hint, encoding) } : {});
});
afterEach(async () => { await c.close(); await pool?.close(); });

function syslogEnvelope(line: string): Envelope {
  return { id: uuidv7(), capturedAt: new Date().toISOString(), transport: 'syslog', source: { address: '10.0.0.5', port: 514 }, syslog: { protocol: 'udp', line } };
}
function post(token: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  return c.app.inject({
    method: 'POST', url: '/v1/envelopes',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

for (const mode of ['in this thread', 'in a worker thread'] as const) describe(`POST /v1/envelopes, prepared ${mode}`, () => {
  beforeAll(() => { usePool = mode === 'in a worker thread'; });
  afterAll(() => { usePool = false; });

  it('stores a batch, and the same envelope twice only once', async () => {
    const e = syslogEnvelope('<134>Mar 20 15:00:01 era01 ERAServer: hello');
    const first = await post(c.tokenA, { protocol: 1, envelopes: [e] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: [e.id], duplicates: [], rejected: [] });
    const again = await post(c.tokenA, { protocol: 1, envelopes: [e, e] });
    expect(again.json()).toEqual({ accepted: [], duplicates: [e.id], rejected: [] });
    expect(c.repo.countEnvelopes()).toBe(1);
    const events = c.repo.listEvents({ customerId: 'acme' });
    expect(events).toHaveLength(1);
    expect(events[0]!.envelopeId).toBe(e.id);
  });

  it('refuses a missing, wrong or revoked token with 401 and stores nothing', async () => {
    const e = syslogEnvelope('x');
    expect((await post(undefined, { protocol: 1, envelopes: [e] })).statusCode).toBe(401);
    expect((await post('xpr_acme-a1_' + 'A'.repeat(43), { protocol: 1, envelopes: [e] })).statusCode).toBe(401);
    expect((await post('garbage', { protocol: 1, envelopes: [e] })).statusCode).toBe(401);
    await c.registry.revokeAgent(c.agentA);
    const revoked = await post(c.tokenA, { protocol: 1, envelopes: [e] });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error).toBe('AUTH_INVALID');
    expect(c.repo.countEnvelopes()).toBe(0);
  });

  it('accepts an agent enrolled a moment ago by another process (the CLI), without waiting for the next look at the registry', async () => {
    const e = syslogEnvelope('first');
    expect((await post(c.tokenA, { protocol: 1, envelopes: [e] })).statusCode).toBe(200); // the registry was looked at just now
    const cli = await Registry.open(join(c.dir, 'registry.json'), resolvePlans()); // the CLI's own handle on the file
    const enrolled = await cli.enrollAgent('acme');
    const fresh = syslogEnvelope('from the new agent');
    const res = await post(enrolled.token, { protocol: 1, envelopes: [fresh] });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toEqual([fresh.id]);
    expect((await post('xpr_nobody_' + 'A'.repeat(43), { protocol: 1, envelopes: [syslogEnvelope('x')] })).statusCode).toBe(401);
  });

  it('takes the customer from the token: a customerId in the payload changes nothing', async () => {
    const e = { ...syslogEnvelope('from B'), customerId: 'acme' };
    const res = await post(c.tokenB, { protocol: 1, customerId: 'acme', envelopes: [e, { ...syslogEnvelope('clean from B') }] });
    expect(res.statusCode).toBe(200);
    // The envelope with the foreign field is refused (strict schema); the clean one lands under globex.
    expect(res.json().rejected).toHaveLength(1);
    expect(c.repo.listEvents({ customerId: 'acme' })).toHaveLength(0);
    expect(c.repo.listEvents({ customerId: 'globex' })).toHaveLength(1);
  });

  it('stores the valid envelopes of a batch and reports the invalid one by index', async () => {
    const good = [syslogEnvelope('one'), syslogEnvelope('two')];
    const res = await post(c.tokenA, { protocol: 1, envelopes: [good[0], { id: 'not-a-uuid', transport: 'snmp' }, good[1]] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toEqual([good[0]!.id, good[1]!.id]);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ index: 1, id: 'not-a-uuid' });
    expect(body.rejected[0].error).toMatch(/id/);
  });

  it('answers invalid JSON, a wrong shape, a 10 MB body and a broken gzip with 4xx, and keeps serving', async () => {
    expect((await post(c.tokenA, '{"protocol": 1, "envelopes": [')).statusCode).toBe(400);
    expect((await post(c.tokenA, { protocol: 99, envelopes: [] })).statusCode).toBe(400);
    const big = await post(c.tokenA, randomBytes(10 * 1024 * 1024));
    expect(big.statusCode).toBe(413);
    const badGzip = await post(c.tokenA, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(badGzip.statusCode).toBeGreaterThanOrEqual(400);
    expect(badGzip.statusCode).toBeLessThan(500);
    const e = syslogEnvelope('still alive');
    expect((await post(c.tokenA, { protocol: 1, envelopes: [e] })).json().accepted).toEqual([e.id]);
  });

  it('refuses an envelope carrying a __proto__ key and pollutes nothing', async () => {
    const good = syslogEnvelope('fine');
    const bad = JSON.stringify(syslogEnvelope('poisoned')).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const res = await post(c.tokenA, `{"protocol":1,"envelopes":[${JSON.stringify(good)},${bad}]}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toEqual([good.id]);
    expect(res.json().rejected).toEqual([expect.objectContaining({ index: 1, error: expect.stringContaining('__proto__') })]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('accepts a gzip body and refuses one that inflates past the limit', async () => {
    const e = syslogEnvelope('zipped');
    const ok = await post(c.tokenA, gzipSync(JSON.stringify({ protocol: 1, envelopes: [e] })), { 'content-encoding': 'gzip' });
    expect(ok.json().accepted).toEqual([e.id]);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    const res = await post(c.tokenA, bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
  });
});

describe('operator endpoints', () => {
  it('need the admin token', async () => {
    expect((await c.app.inject({ method: 'GET', url: '/v1/events' })).statusCode).toBe(401);
    expect((await c.app.inject({ method: 'GET', url: '/v1/events', headers: { authorization: `Bearer ${c.tokenA}` } })).statusCode).toBe(401);
    const ok = await c.app.inject({ method: 'GET', url: '/v1/agents', headers: { authorization: `Bearer ${c.adminToken}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()[0]).not.toHaveProperty('tokenHash');
  });

  it('serve Prometheus metrics counting what was refused', async () => {
    await post('garbage', { protocol: 1, envelopes: [] });
    const m = await c.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.body).toMatch(/xpears_collector_auth_failures_total\{reason="unknown"\} 1/);
  });
});

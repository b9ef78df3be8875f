// Listing routes take a limit from 1 to 10,000 and refuse anything else with a 400 (issue 13, item 7); a secret put
// in a query string never reaches the log.
import { describe, it, expect, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import { buildCollectorApp } from '../../collector/server.js';
import { SqliteEventRepository, eventStoreMigrations } from '../../collector/store/store.js';
import { migrate } from '../../collector/store/db.js';
import { createCollectorMetrics } from '../../collector/metrics.js';
import { registerTicketRoutes } from '../../collector/tickets/index.js';
import { ticketKit, storedEvent } from '../../collector/tickets/testkit.js';
import { createLogger, redactUrl } from '../../lib/logger.js';
import { testCollector } from '../helpers/collector.js';

// /v1/events on a collector app; /v1/tickets on one with the ticket routes (tickets' own test kit).
async function app(route: string) {
  const lines: string[] = [];
  const logger = createLogger({ destination: new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }) as never });
  if (route === '/v1/events') {
    const c = await testCollector({ logger });
    closers.push(() => c.close());
    return { a: c.app, lines };
  }
  const k = ticketKit();
  migrate(k.db, eventStoreMigrations);
  k.pipeline.processEvent(storedEvent(), k.clock());
  const a = buildCollectorApp({
    repo: new SqliteEventRepository(k.db), registry: k.registry, logger, metrics: createCollectorMetrics(),
    now: k.clock, adminToken: 'admin-test-token-0123456789', adminRoutes: [(admin) => registerTicketRoutes(admin, k.service)],
  });
  return { a, lines };
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const close of closers.splice(0)) await close(); });
const auth = { authorization: 'Bearer admin-test-token-0123456789' };

describe('listing limits', () => {
  for (const route of ['/v1/events', '/v1/tickets']) {
    it(`${route} refuses -1, 0, NaN, words, fractions, empty and 10,001 with a 400 that says why`, async () => {
      const { a } = await app(route);
      for (const bad of ['-1', '0', 'NaN', 'abc', '1.5', '', '10001', '1e9']) {
        const r = await a.inject({ method: 'GET', url: `${route}?limit=${bad}`, headers: auth });
        expect(r.statusCode, `limit=${bad}`).toBe(400);
        expect(r.json().message).toContain('limit must be a whole number from 1 to 10000');
      }
      for (const good of ['1', '10000']) {
        const r = await a.inject({ method: 'GET', url: `${route}?limit=${good}`, headers: auth });
        expect(r.statusCode, `limit=${good}`).toBe(200);
        expect(r.json().length).toBeLessThanOrEqual(Number(good));
      }
      expect((await a.inject({ method: 'GET', url: route, headers: auth })).statusCode).toBe(200);
    });
  }
});

describe('secrets in URLs', () => {
  it('logs a refused request\'s path with every query value redacted', async () => {
    const { a, lines } = await app('/v1/events');
    const r = await a.inject({ method: 'GET', url: '/v1/events?token=xpa_SECRET123&limit=-1', headers: auth });
    expect(r.statusCode).toBe(400);
    const refused = await a.inject({ method: 'GET', url: '/v1/events?admin=xpa_OTHERSECRET', headers: { authorization: 'Bearer wrong' } });
    expect(refused.statusCode).toBe(401);
    const log = lines.join('');
    expect(log).toContain('/v1/events?token=[redacted]&limit=[redacted]');
    expect(log).toContain('/v1/events?admin=[redacted]');
    expect(log).not.toContain('SECRET');
  });

  it('redacts values, keeps names and paths', () => {
    expect(redactUrl('/v1/x?a=1&b&c=2')).toBe('/v1/x?a=[redacted]&b=[redacted]&c=[redacted]');
    expect(redactUrl('/v1/x')).toBe('/v1/x');
    expect(redactUrl(undefined)).toBeUndefined();
  });
});

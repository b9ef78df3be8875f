// The noise routes behind the admin token, on a real collector app (inject) and a real SQLite file.
import { describe, expect, it } from 'vitest';
import { buildCollectorApp } from '../server.js';
import { SqliteEventRepository } from '../store/store.js';
import { createCollectorMetrics } from '../metrics.js';
import { silentLogger } from '../../lib/logger.js';
import { ticketKit } from '../tickets/testkit.js';
import { DEFAULT_NOISE_CONFIG } from './config.js';
import { registerNoiseRoutes } from './routes.js';
import { NoiseStore } from './store.js';

const token = 'admin-test-token-0123456789';

describe('noise routes', () => {
  it('adds, lists and ends windows and silences with the admin token only; a silence without an end is a 400', async () => {
    const k = ticketKit();
    const app = buildCollectorApp({ repo: new SqliteEventRepository(k.db), registry: k.registry, logger: silentLogger(),
      metrics: createCollectorMetrics(), now: k.clock, adminToken: token,
      adminRoutes: [(admin) => registerNoiseRoutes(admin, { store: new NoiseStore(k.db), clock: k.clock, config: DEFAULT_NOISE_CONFIG })] });
    const call = (method: 'GET' | 'POST', url: string, body?: unknown, auth = true) => app.inject({ method, url,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
    try {
      expect((await call('GET', '/v1/maintenance', undefined, false)).statusCode).toBe(401);
      const w = await call('POST', '/v1/maintenance', { customerId: 'acme', agentId: 'agent-1', reason: 'upgrade', author: 'ana',
        schedule: { kind: 'weekly', days: [6], from: '22:00', to: '02:00' } });
      expect(w.statusCode).toBe(201);
      expect(w.json()).toMatchObject({ id: 'M-1', customerId: 'acme', agentId: 'agent-1', computer: null });
      expect((await call('GET', '/v1/maintenance')).json()).toHaveLength(1);
      expect((await call('POST', '/v1/maintenance/M-1/end', {})).json()).toEqual({ ended: true });
      expect((await call('GET', '/v1/maintenance')).json()).toEqual([]);
      const noEnd = await call('POST', '/v1/silences', { matchers: { threat: 'EICAR' }, comment: 'c', author: 'ana' });
      expect(noEnd.statusCode).toBe(400);
      expect(noEnd.body).toMatch(/endsAt/);
      const s = await call('POST', '/v1/silences', { matchers: { threat: 'EICAR' }, endsAt: '2026-03-21T00:00:00Z', comment: 'c', author: 'ana' });
      expect(s.statusCode).toBe(201);
      expect((await call('POST', '/v1/silences/S-1/expire', {})).json()).toEqual({ expired: true });
      expect((await call('POST', '/v1/silences/S-9/expire', {})).statusCode).toBe(404);
    } finally {
      await app.close();
      k.db.close();
    }
  });
});

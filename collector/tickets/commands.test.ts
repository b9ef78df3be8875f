import { afterEach, describe, expect, it } from 'vitest';
import { buildCollectorApp } from '../server.js';
import { createCollectorMetrics } from '../metrics.js';
import { eventStoreMigrations, SqliteEventRepository } from '../store/store.js';
import { migrate } from '../store/db.js';
import { silentLogger } from '../../lib/logger.js';
import { ticketAck, ticketClose, ticketEscalate, ticketList, ticketResolve, ticketShow } from './commands.js';
import { registerTicketRoutes } from './routes.js';
import { storedEvent, ticketKit, type TicketKit } from './testkit.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });
function kit(): TicketKit {
  const k = ticketKit();
  kits.push(k);
  return k;
}

describe('ticket commands', () => {
  it('list, show, ack, escalate, resolve and close a ticket as the CLI does', () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-02' }, eventType: 'definitions-outdated', severity: 'medium' }), k.clock());
    const list = ticketList(k.service);
    expect(list.data).toHaveLength(2);
    expect(list.text).toContain(`${t.number}  open`);
    expect(ticketAck(k.service, t.number, { by: 'ing.lopez' }).text).toBe(`${t.number} acknowledged: acknowledged, L1`);
    expect(ticketEscalate(k.service, t.number, { by: 'ing.lopez', note: 'muestras al laboratorio' }).data.level).toBe('L2');
    ticketResolve(k.service, t.number, { by: 'ing.lopez' });
    expect(ticketList(k.service, { state: 'resolved' }).data.map((x) => x.number)).toEqual([t.number]);
    ticketClose(k.service, t.number, { by: 'ing.lopez', note: 'confirmado por el cliente' });
    expect(ticketList(k.service).data).toHaveLength(1);
    expect(ticketList(k.service, { state: 'all' }).data).toHaveLength(2);
    const shown = ticketShow(k.service, t.id).text;
    expect(shown).toContain('Qué recomendamos');
    expect(shown).toContain('ing.lopez  escalated L1 → L2  (muestras al laboratorio)');
    expect(shown).toContain('computers (1): “PC-01”');
  });

  it('refuses bad options with a message a person understands', () => {
    const k = kit();
    expect(() => ticketList(k.service, { state: 'pending' })).toThrow(/--state must be one of/);
    expect(() => ticketList(k.service, { level: 'L4' })).toThrow(/--level/);
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    expect(() => ticketAck(k.service, t.id, { by: ' ' })).toThrow(/--by/);
  });
});

describe('ticket routes', () => {
  function app(k: TicketKit) {
    migrate(k.db, eventStoreMigrations);
    return buildCollectorApp({
      repo: new SqliteEventRepository(k.db), registry: k.registry, logger: silentLogger(), metrics: createCollectorMetrics(),
      now: k.clock, adminToken: 'admin-secret', adminRoutes: [(a) => registerTicketRoutes(a, k.service)],
    });
  }
  const auth = { authorization: 'Bearer admin-secret' };

  it('serves the list and a ticket, and walks it through its states', async () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    const a = app(k);
    const list = await a.inject({ method: 'GET', url: '/v1/tickets?state=open', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.json().map((x: { number: string }) => x.number)).toEqual([t.number]);
    const one = await a.inject({ method: 'GET', url: `/v1/tickets/${t.number}`, headers: auth });
    expect(one.json().ticket.id).toBe(t.id);
    const ack = await a.inject({ method: 'POST', url: `/v1/tickets/${t.id}/ack`, headers: auth, payload: { by: 'ing.lopez' } });
    expect(ack.json()).toMatchObject({ state: 'acknowledged', responseMet: true });
    const again = await a.inject({ method: 'POST', url: `/v1/tickets/${t.id}/ack`, headers: auth, payload: { by: 'ing.lopez' } });
    expect(again.statusCode).toBe(409);
    const esc = await a.inject({ method: 'POST', url: `/v1/tickets/${t.id}/escalate`, headers: auth, payload: { by: 'x', note: 'L2' } });
    expect(esc.json().level).toBe('L2');
    expect((await a.inject({ method: 'POST', url: `/v1/tickets/${t.id}/resolve`, headers: auth, payload: { by: 'x' } })).json().state).toBe('resolved');
    expect((await a.inject({ method: 'POST', url: `/v1/tickets/${t.id}/close`, headers: auth, payload: { by: 'x' } })).json().state).toBe('closed');
    await a.close();
  });

  it('answers 401 without the token, 404 for an unknown ticket, 400 for a bad body', async () => {
    const k = kit();
    const a = app(k);
    expect((await a.inject({ method: 'GET', url: '/v1/tickets' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'GET', url: '/v1/tickets/XR-2026-000404', headers: auth })).statusCode).toBe(404);
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    expect((await a.inject({ method: 'POST', url: `/v1/tickets/${t.id}/ack`, headers: auth, payload: { who: 'x' } })).statusCode).toBe(400);
    await a.close();
  });
});

// Maintenance windows through the real pipeline and the escalation pass, on a real SQLite file and a fixed clock.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/logger.js';
import { escalationConfigSchema } from '../escalation/config.js';
import { EscalationScheduler } from '../escalation/scheduler.js';
import { queuedMails, sampleCustomer, storedEvent, ticketKit, type TicketKit } from '../tickets/testkit.js';
import { responseDueAt } from '../tickets/sla.js';
import { NoiseStore } from './store.js';
import { activeOccurrence, parseMonthly, parseWeekly } from './schedule.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

function kit(start: string) {
  const k = ticketKit({ start });
  kits.push(k);
  k.registry.customers.set('demo', sampleCustomer('demo'));
  return { k, noise: new NoiseStore(k.db) };
}

describe('window schedules in the customer zone', () => {
  const zone = 'America/Argentina/Buenos_Aires';
  const at = (s: ReturnType<typeof parseWeekly>, iso: string) => activeOccurrence(s, new Date(iso), zone) !== null;
  it('a weekly Saturday 22:00–02:00 window crosses midnight into Sunday', () => {
    const s = parseWeekly('sat', '22:00-02:00');
    expect(at(s, '2026-03-21T21:59:00-03:00')).toBe(false);
    expect(at(s, '2026-03-21T22:00:00-03:00')).toBe(true);
    expect(at(s, '2026-03-22T01:59:59-03:00')).toBe(true);
    expect(at(s, '2026-03-22T02:00:00-03:00')).toBe(false);
    // Sunday 22:30 is not a Saturday start.
    expect(at(s, '2026-03-22T22:30:00-03:00')).toBe(false);
  });
  it('the first Sunday of the month, and only it', () => {
    const s = parseMonthly('first-sun', '06:00-10:00');
    expect(at(s, '2026-03-01T07:00:00-03:00')).toBe(true);
    expect(at(s, '2026-03-08T07:00:00-03:00')).toBe(false);
    expect(at(s, '2026-04-05T09:59:00-03:00')).toBe(true);
    expect(at(s, '2026-04-05T10:00:00-03:00')).toBe(false);
  });
});

describe('maintenance windows', () => {
  it('a weekly Saturday 22:00–02:00 window: the agent stops at 22:30, no ticket, no mail; still silent at 02:00 → ticket then', () => {
    const { k, noise } = kit('2026-03-21T22:00:00-03:00');
    k.registry.agents.set('agent-demo', { id: 'agent-demo', customerId: 'demo', name: 'srv-eset-demo', tokenHash: 'h',
      enrolledAt: '2026-01-01T00:00:00Z', lastSeenAt: new Date('2026-03-21T22:30:00-03:00').toISOString() });
    noise.addWindow({ customerId: 'demo', agentId: 'agent-demo', computer: null, schedule: parseWeekly('sat', '22:00-02:00'),
      reason: 'ESET PROTECT upgrade', author: 'ing.lopez' }, k.clock());
    const scheduler = new EscalationScheduler({ service: k.service, registry: k.registry, calendar: k.calendar, clock: k.clock,
      logger: silentLogger(), config: escalationConfigSchema.parse({}) });
    for (const t of ['2026-03-21T22:40:00-03:00', '2026-03-21T23:59:00-03:00', '2026-03-22T01:59:00-03:00']) {
      expect(scheduler.tick(new Date(t)).opened).toEqual([]);
    }
    expect(queuedMails(k)).toEqual([]);
    const twoAm = new Date('2026-03-22T02:00:00-03:00');
    const opened = scheduler.tick(twoAm).opened;
    expect(opened).toHaveLength(1);
    const t = k.service.show(opened[0]!).ticket;
    expect(t).toMatchObject({ customerId: 'demo', rule: 'agent-silence', openedAt: twoAm.toISOString() });
    const plan = k.service.planOf(k.registry.getCustomer('demo'));
    expect(t.responseDueAt).toBe(responseDueAt({ plan, caseKind: t.caseKind, openedAt: twoAm, calendar: k.calendar }).toISOString());
    expect(queuedMails(k).some((m) => m.to === 'ana@demo.example')).toBe(true);
  });

  it('a ransomware event on a computer inside its window is stored and marked, opens nothing; another computer opens', () => {
    const { k, noise } = kit('2026-03-20T16:50:00-03:00');
    const w = noise.addWindow({ customerId: 'acme', agentId: null, computer: 'pc-01', reason: 'reimage',
      author: 'ing.lopez', schedule: { kind: 'once', from: '2026-03-20T16:00:00-03:00', to: '2026-03-20T18:00:00-03:00' } }, k.clock());
    const inside = storedEvent({ eventType: 'ransomware', handled: false });
    const out = k.pipeline.processEvent(inside, k.clock());
    expect(out).toMatchObject({ ticket: null, created: false, suppressedBy: { kind: 'maintenance', ref: w.id } });
    expect(noise.suppressionsOf([inside.id]).get(inside.id)).toEqual({ kind: 'maintenance', ref: w.id });
    expect(queuedMails(k)).toEqual([]);
    const other = k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-02' } }), k.clock());
    expect(other.created).toBe(true);
    // Ended by hand: the next event of PC-01 opens its ticket.
    expect(noise.endWindow(w.id, k.clock())).toBe(true);
    expect(k.pipeline.processEvent(storedEvent(), k.clock()).created).toBe(true);
  });

  it('refuses a window that ends before it starts or has no reason', () => {
    const { k, noise } = kit('2026-03-20T16:50:00-03:00');
    const base = { customerId: 'acme', agentId: null, computer: null, author: 'x' };
    expect(() => noise.addWindow({ ...base, reason: 'r', schedule: { kind: 'once', from: '2026-03-20T18:00:00Z', to: '2026-03-20T17:00:00Z' } }, k.clock()))
      .toThrow(/end after it starts/);
    expect(() => noise.addWindow({ ...base, reason: ' ', schedule: parseWeekly('sun', '01:00-02:00') }, k.clock())).toThrow(/reason/);
  });
});

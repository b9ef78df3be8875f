import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/logger.js';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from '../tickets/testkit.js';
import { escalationConfigSchema, type EscalationConfigInput } from './config.js';
import { EscalationScheduler } from './scheduler.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

function setup(start: string, config: EscalationConfigInput = {}) {
  const k = ticketKit({ start });
  kits.push(k);
  const scheduler = new EscalationScheduler({
    service: k.service, registry: k.registry, calendar: k.calendar, clock: k.clock, logger: silentLogger(),
    config: escalationConfigSchema.parse(config),
  });
  return { k, scheduler, at: (iso: string) => scheduler.tick(new Date(iso)) };
}

describe('response warning and escalation', () => {
  it('warns once at 75 % of a Managed threat incident and escalates to L2 and the CAM once it is missed', () => {
    // Monday 2026-03-16 10:00 Buenos Aires: due 10:30; 75 % is 10:22:30.
    const { k, at } = setup('2026-03-16T10:00:00-03:00');
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    expect(t.responseDueAt).toBe(new Date('2026-03-16T10:30:00-03:00').toISOString());
    expect(at('2026-03-16T10:22:00-03:00').warned).toEqual([]);
    expect(at('2026-03-16T10:22:30-03:00').warned).toEqual([t.number]);
    expect(at('2026-03-16T10:25:00-03:00').warned).toEqual([]);
    expect(queuedMails(k).filter((m) => m.subject.includes('Vence la primera respuesta')).map((m) => m.to))
      .toEqual(['guardia@xpears.example']);
    // Exactly at the due time the target is still met.
    expect(at('2026-03-16T10:30:00-03:00').escalated).toEqual([]);
    expect(at('2026-03-16T10:31:00-03:00').escalated).toEqual([t.number]);
    expect(at('2026-03-16T10:32:00-03:00').escalated).toEqual([]);
    const detail = k.service.show(t.id);
    expect(detail.ticket).toMatchObject({ level: 'L2', state: 'open', escalatedAt: new Date('2026-03-16T10:31:00-03:00').toISOString() });
    expect(detail.history.map((h) => h.action)).toEqual(['opened', 'warned', 'escalated']);
    const escalation = queuedMails(k).filter((m) => m.subject.includes('escalado a L2'));
    expect(escalation.map((m) => m.to).sort()).toEqual(['ana@acme.example', 'cam@xpears.example', 'guardia@xpears.example', 'l2@xpears.example']);
    expect(escalation[0]!.text).toContain('venció sin respuesta');
    // A late acknowledgement records the miss.
    expect(k.service.acknowledge(t.id, 'ing.lopez', new Date('2026-03-16T10:40:00-03:00')).responseMet).toBe(false);
  });

  it('prefers a CAM the registry carries over the configured one', () => {
    const { k, at } = setup('2026-03-16T10:00:00-03:00');
    const customer = k.registry.customers.get('acme')!;
    k.registry.customers.set('acme', Object.assign({ ...customer }, { cam: { name: 'Registro CAM', email: 'cam-registro@xpears.example' } }));
    k.pipeline.processEvent(storedEvent(), k.clock());
    at('2026-03-16T10:31:00-03:00');
    const escalated = queuedMails(k).filter((m) => m.subject.includes('escalado a L2')).map((m) => m.to);
    expect(escalated).toContain('cam-registro@xpears.example');
    expect(escalated).not.toContain('cam@xpears.example');
  });

  it('counts business time only: a Basic ticket opened Friday 16:50 warns Monday 09:35', () => {
    const { k, at } = setup('2026-03-13T16:50:00-03:00');
    const customer = k.registry.customers.get('acme')!;
    k.registry.customers.set('acme', { ...customer, plan: 'basic' });
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    expect(t.responseDueAt).toBe(new Date('2026-03-16T09:50:00-03:00').toISOString());
    expect(at('2026-03-14T12:00:00-03:00')).toMatchObject({ warned: [], escalated: [] });
    expect(at('2026-03-16T09:34:00-03:00').warned).toEqual([]);
    expect(at('2026-03-16T09:35:00-03:00').warned).toEqual([t.number]);
    expect(at('2026-03-16T09:51:00-03:00').escalated).toEqual([t.number]);
  });

  it('honours a configured warning fraction and leaves answered tickets alone', () => {
    const { k, at } = setup('2026-03-16T10:00:00-03:00', { warnAtFraction: 0.5 });
    const a = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    const b = k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-02' } }), k.clock()).ticket!;
    k.service.acknowledge(b.id, 'ing.lopez', new Date('2026-03-16T10:05:00-03:00'));
    expect(at('2026-03-16T10:15:00-03:00').warned).toEqual([a.number]);
    expect(at('2026-03-16T11:00:00-03:00').escalated).toEqual([a.number]);
  });

  it('escalates at most once per ticket even from two schedulers', () => {
    const { k, at, scheduler } = setup('2026-03-16T10:00:00-03:00');
    k.pipeline.processEvent(storedEvent(), k.clock());
    const other = new EscalationScheduler({ service: k.service, registry: k.registry, calendar: k.calendar, clock: k.clock,
      logger: silentLogger(), config: escalationConfigSchema.parse({}) });
    // Both read the ticket as unescalated before either acts, as two processes would.
    const stale = k.service.repo.awaitingResponse();
    k.service.repo.awaitingResponse = () => stale;
    const first = at('2026-03-16T10:31:00-03:00').escalated.length + other.tick(new Date('2026-03-16T10:31:00-03:00')).escalated.length;
    expect(first).toBe(1);
    expect(scheduler.tick(new Date('2026-03-16T12:00:00-03:00')).escalated).toEqual([]);
    expect(k.service.list()[0]!.level).toBe('L2');
  });
});

describe('agent silence', () => {
  function withAgent(lastSeenAt: string | undefined, extra: { revokedAt?: string } = {}) {
    const s = setup('2026-03-16T10:00:00-03:00');
    s.k.registry.agents.set('agent-1', { id: 'agent-1', customerId: 'acme', name: 'srv-eset', tokenHash: 'h', enrolledAt: '2026-01-01T00:00:00Z',
      ...(lastSeenAt ? { lastSeenAt } : {}), ...extra });
    return s;
  }

  it('opens one Severity 2 ticket after 5 minutes of silence and resolves it when heartbeats resume', () => {
    const { k, at } = withAgent('2026-03-16T12:56:00Z');
    expect(at('2026-03-16T13:00:00Z').opened).toEqual([]);
    const first = at('2026-03-16T13:01:30Z');
    expect(first.opened).toHaveLength(1);
    expect(at('2026-03-16T13:02:30Z').opened).toEqual([]);
    const t = k.service.show(first.opened[0]!).ticket;
    expect(t).toMatchObject({ caseKind: 'severity-2', rule: 'agent-silence', agentId: 'agent-1' });
    expect(t.title).toBe('Severidad 2: agente sin conexión — srv-eset (Cliente acme)');
    const john = queuedMails(k).find((m) => m.to === 'john@acme.example')!;
    expect(john.subject).toContain('Severity 2: agent offline — srv-eset');
    k.registry.agents.set('agent-1', { ...k.registry.agents.get('agent-1')!, lastSeenAt: '2026-03-16T13:10:00Z' });
    expect(at('2026-03-16T13:10:30Z').resolved).toEqual([t.number]);
    expect(k.service.show(t.id).ticket.state).toBe('resolved');
    expect(queuedMails(k).some((m) => m.to === 'ana@acme.example' && m.text.includes('El agente volvió a comunicarse'))).toBe(true);
    // Silent again later: a new ticket.
    expect(at('2026-03-16T13:20:00Z').opened).toHaveLength(1);
  });

  it('takes the later of the registry and the store heartbeats, and names the host', () => {
    const k = ticketKit({ start: '2026-03-16T10:00:00-03:00' });
    kits.push(k);
    k.registry.agents.set('agent-1', { id: 'agent-1', customerId: 'acme', name: 'srv-eset', tokenHash: 'h', enrolledAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-03-16T12:00:00Z' });
    let beats = new Map([['agent-1', { receivedAt: '2026-03-16T13:28:00Z', heartbeat: { hostname: 'SRV-AV01' } }]]);
    const scheduler = new EscalationScheduler({ service: k.service, registry: k.registry, calendar: k.calendar, clock: k.clock,
      logger: silentLogger(), config: escalationConfigSchema.parse({}), lastHeartbeats: () => beats });
    expect(scheduler.tick(new Date('2026-03-16T13:30:00Z')).opened).toEqual([]);
    beats = new Map([['agent-1', { receivedAt: '2026-03-16T13:20:00Z', heartbeat: { hostname: 'SRV-AV01' } }]]);
    const opened = scheduler.tick(new Date('2026-03-16T13:30:00Z')).opened;
    expect(opened).toHaveLength(1);
    expect(k.service.show(opened[0]!).ticket.description).toContain('(servidor «SRV-AV01»)');
  });

  it('ignores agents never heard from, revoked agents, and a disabled check', () => {
    expect(withAgent(undefined).at('2026-03-16T13:30:00Z').opened).toEqual([]);
    expect(withAgent('2026-03-16T12:00:00Z', { revokedAt: '2026-03-16T12:30:00Z' }).at('2026-03-16T13:30:00Z').opened).toEqual([]);
    const s = setup('2026-03-16T10:00:00-03:00', { agentSilence: { enabled: false } });
    s.k.registry.agents.set('a', { id: 'a', customerId: 'acme', name: 'x', tokenHash: 'h', enrolledAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-03-16T12:00:00Z' });
    expect(s.at('2026-03-16T13:30:00Z').opened).toEqual([]);
  });
});

describe('escalation config', () => {
  it.each([
    ['a fraction of 1 or more', { warnAtFraction: 1 }, /warnAtFraction/],
    ['an unknown key', { warnAt: 0.5 }, /warnAt/],
    ['a bad cron', { schedule: 'every minute' }, /cron/],
    ['a bad CAM e-mail', { accountManagers: { acme: { name: 'C', email: 'nope' } } }, /email/],
  ])('rejects %s', (_n, input, message) => {
    expect(() => escalationConfigSchema.parse(input)).toThrow(message);
  });
  it('fills the defaults', () => {
    expect(escalationConfigSchema.parse({})).toMatchObject({ warnAtFraction: 0.75, schedule: '* * * * *', agentSilence: { afterMinutes: 5, caseKind: 'severity-2' } });
  });
});

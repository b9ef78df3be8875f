// Storm control through the real pipeline on a real SQLite file and a fixed clock.
import { afterEach, describe, expect, it } from 'vitest';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from '../tickets/testkit.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

const detection = (i: number) => storedEvent({ computer: { name: `PC-${String(i).padStart(3, '0')}` }, handled: false,
  threat: { name: 'Win32/Worm.Conficker', type: 'worm' }, eventType: 'threat-detected', action: 'left-alone' });

describe('storm control', () => {
  it('300 computers with one threat in two minutes: one ticket, then one incident listing all 300; at most two mails per contact', () => {
    const k = ticketKit({ start: '2026-03-20T16:50:00-03:00' });
    kits.push(k);
    const start = k.clock().getTime();
    // In batches of 10 as an agent would post them, 0.4 s apart.
    for (let b = 0; b < 30; b++) {
      k.clock.set(new Date(start + b * 400));
      k.pipeline.processStored(Array.from({ length: 10 }, (_, j) => detection(b * 10 + j)), k.clock());
    }
    const tickets = k.service.repo.list({});
    expect(tickets).toHaveLength(2);
    const incident = tickets.find((t) => t.dedupKey.startsWith('storm|'))!;
    expect(incident.dedupKey).toBe('storm|customer=acme|threat=win32/worm.conficker');
    expect(k.service.repo.computers(incident.id)).toHaveLength(300);
    expect(incident.title.startsWith('Brote en varios equipos: ')).toBe(true);
    expect(tickets.find((t) => t !== incident)!.title.startsWith('Brote')).toBe(false);
    const perContact = new Map<string, number>();
    for (const m of queuedMails(k)) for (const to of m.to.split(',')) perContact.set(to, (perContact.get(to) ?? 0) + 1);
    expect(Math.max(...perContact.values())).toBeLessThanOrEqual(2);
    expect(perContact.get('ana@acme.example')).toBe(2);
    // Thirty minutes later the next computer sends one update with what changed since the opening mail (2 computers).
    k.clock.set(new Date(start + 31 * 60_000));
    k.pipeline.processEvent(detection(300), k.clock());
    const isUpdate = (m: { dedupKey?: string | null }) => m.dedupKey?.includes(':storm-update:') === true;
    const updates = queuedMails(k).filter(isUpdate);
    expect([...new Set(updates.map((m) => m.subject))].sort()).toEqual([`[${incident.number}] Brote: 301 equipos (+299)`, `[${incident.number}] Outbreak: 301 computers (+299)`]);
    expect(new Set(updates.map((m) => m.to)).size).toBe(updates.length); // one per reader
    k.pipeline.processEvent(detection(301), k.clock());
    expect(queuedMails(k).filter(isUpdate)).toHaveLength(updates.length);
  });

  it('a different threat, or the same computer again, is no storm', () => {
    const k = ticketKit({ start: '2026-03-20T16:50:00-03:00' });
    kits.push(k);
    k.pipeline.processEvent(detection(1), k.clock());
    k.pipeline.processEvent(storedEvent({ computer: { name: 'PC-002' }, threat: { name: 'Win32/Other', type: 'trojan' } }), k.clock());
    expect(k.service.repo.list({}).every((t) => !t.dedupKey.startsWith('storm|'))).toBe(true);
  });
});

describe('inhibition', () => {
  it('a client "not connected" while its management server\'s agent is silent folds into the silence ticket', async () => {
    const { EscalationScheduler } = await import('../escalation/scheduler.js');
    const { escalationConfigSchema } = await import('../escalation/config.js');
    const { silentLogger } = await import('../../lib/logger.js');
    const k = ticketKit({ start: '2026-03-20T16:50:00-03:00' });
    kits.push(k);
    k.registry.agents.set('agent-1', { id: 'agent-1', customerId: 'acme', name: 'srv-eset', tokenHash: 'h',
      enrolledAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-03-20T19:30:00Z' });
    const opened = new EscalationScheduler({ service: k.service, registry: k.registry, calendar: k.calendar, clock: k.clock,
      logger: silentLogger(), config: escalationConfigSchema.parse({}) }).tick(k.clock()).opened;
    expect(opened).toHaveLength(1);
    // What the default rules ticket (mass-loss-of-protection): twelve clients stopped reporting to the console.
    const lost = storedEvent({ eventType: 'client-not-connected', severity: 'high', computersAffected: 12, computer: undefined,
      threat: undefined, action: undefined, handled: undefined });
    const outcome = k.pipeline.processEvent(lost, k.clock());
    expect(outcome.rule).toBe('mass-loss-of-protection');
    expect(outcome).toMatchObject({ created: false, ticket: { id: k.service.show(opened[0]!).ticket.id } });
    expect(k.service.repo.list({})).toHaveLength(1);
  });
});

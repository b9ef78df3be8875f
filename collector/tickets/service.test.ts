import { afterEach, describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../config/calendar.js';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from './testkit.js';

const kits: TicketKit[] = [];
function kit(...args: Parameters<typeof ticketKit>): TicketKit {
  const k = ticketKit(...args);
  kits.push(k);
  return k;
}
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

describe('the pipeline, one event at a time (EventPipeline.processEvent)', () => {
  it('opens a threat incident for ransomware with the Managed target on the business calendar', () => {
    // 2026-03-23 is a tourism non-working day; counted as working (a contract choice), the due time is Monday 09:20.
    const k = kit({ deps: { calendar: createBusinessCalendar({ holidays: { includeNonWorkingDays: false } }) } });
    const now = k.clock();
    const result = k.pipeline.processEvent(storedEvent(), now);
    expect(result.outcome).toBe('threat-incident');
    expect(result.rule).toBe('ransomware');
    expect(result.created).toBe(true);
    const t = result.ticket!;
    expect(t.number).toBe('XR-2026-000001');
    expect(t.responseDueAt).toBe(new Date('2026-03-23T09:20:00-03:00').toISOString());
    expect(t.state).toBe('open');
    expect(t.level).toBe('L1');
    expect(t.title).toBe('Incidente de amenaza: Ransomware «Win32/Filecoder.Phobos» en «PC-01» — Cliente acme');
    expect(t.description).toContain('Equipo: «PC-01» · IP: 10.0.0.21 · Usuario: «ACME\\jperez»');
    expect(t.description).toContain('La bloqueó («Bloqueado por el escudo anti-ransomware»).');
    expect(t.description).toContain('Aísle el equipo de la red');
  });

  it('counts tourism non-working days as closed by default (due Wednesday 09:20)', () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    expect(t.responseDueAt).toBe(new Date('2026-03-25T09:20:00-03:00').toISOString());
  });

  it('mails the on-duty engineer and the ESET contacts, each in their language, once', () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    const mails = queuedMails(k);
    expect(mails.map((m) => m.to).sort()).toEqual(['ana@acme.example', 'guardia@xpears.example', 'john@acme.example']);
    const john = mails.find((m) => m.to === 'john@acme.example')!;
    expect(john.subject).toBe(`[${t.number}] Threat incident: Ransomware “Win32/Filecoder.Phobos” on “PC-01” — Cliente acme`);
    expect(john.text).toContain('Isolate the computer');
    const ana = mails.find((m) => m.to === 'ana@acme.example')!;
    expect(ana.text).toContain('Hola Ana Pérez');
    expect(ana.text).toContain('Managed Services');
  });

  it('mails every contact when none is designated for the vendor', () => {
    const k = kit();
    const customer = k.registry.customers.get('acme')!;
    k.registry.customers.set('acme', { ...customer, contacts: customer.contacts.filter((c) => c.id === 'c3') });
    k.pipeline.processEvent(storedEvent(), k.clock());
    expect(queuedMails(k).map((m) => m.to).sort()).toEqual(['guardia@xpears.example', 'sole@acme.example']);
  });

  it('opens nothing for a report-only event', () => {
    const k = kit();
    const r = k.pipeline.processEvent(storedEvent({ eventType: 'threat-detected', action: 'cleaned', handled: true }), k.clock());
    expect(r).toMatchObject({ outcome: 'report-only', rule: 'threat-handled', ticket: null });
    expect(k.service.list()).toHaveLength(0);
    expect(queuedMails(k)).toHaveLength(0);
  });

  it('folds 500 repeats of the same threat within a minute into one ticket with count 500', () => {
    const k = kit();
    const start = Date.parse('2026-03-20T19:50:00Z');
    for (let i = 0; i < 500; i++) {
      const at = new Date(start + i * 100).toISOString();
      k.pipeline.processEvent(storedEvent({ occurredAt: at, computer: { name: i % 2 ? 'PC-01' : 'pc-01' } }), k.clock());
    }
    const tickets = k.service.list();
    expect(tickets).toHaveLength(1);
    const detail = k.service.show(tickets[0]!.number);
    expect(detail.ticket.count).toBe(500);
    expect(detail.ticket.lastSeenAt).toBe(new Date(start + 499 * 100).toISOString());
    expect(detail.eventIds).toHaveLength(500);
    // Opening mail only: repeats are not mailed again.
    expect(queuedMails(k)).toHaveLength(3);
  });

  it('handles a stored batch in one transaction with the same outcome as one by one', () => {
    const k = kit();
    const batch = [...Array.from({ length: 99 }, () => storedEvent()), storedEvent({ eventType: 'audit' })];
    const outcomes = k.pipeline.processStored(batch, k.clock());
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(outcomes.at(-1)).toMatchObject({ outcome: 'report-only', ticket: null });
    expect(k.service.list()).toEqual([expect.objectContaining({ count: 99 })]);
  });

  it('folds a batch of one key exactly as one event at a time would: counts, times, computers, retries, quiet gaps', () => {
    // outbreak: one ticket per customer, a 1,440-minute window. Out of order, a retried event, three computers, a gap.
    const attack = (at: string, pc: string, count = 1) => storedEvent({ eventType: 'outbreak', count, occurredAt: at, computer: { name: pc } });
    const evs = [attack('2026-03-20T10:00:00Z', 'PC-01', 3), attack('2026-03-20T09:00:00Z', 'PC-02'),
      attack('2026-03-20T10:30:00Z', 'PC-01', 2), attack('2026-03-22T18:00:00Z', 'PC-03', 4), storedEvent({ eventType: 'audit' })];
    const batch = [...evs.slice(0, 3), evs[1]!, ...evs.slice(3)]; // evs[1] delivered twice
    const oneByOne = kit();
    const together = kit();
    const single = batch.map((e) => oneByOne.pipeline.processEvent(e, oneByOne.clock()));
    const grouped = together.pipeline.processStored(batch, together.clock());
    expect(grouped.map((o) => [o.outcome, o.created])).toEqual(single.map((o) => [o.outcome, o.created]));
    const view = (k: TicketKit) => {
      const t = k.service.list()[0]!;
      const d = k.service.show(t.id);
      return { count: t.count, first: t.firstSeenAt, last: t.lastSeenAt, computers: t.computers,
        names: d.computers.map((c) => c.name), events: d.eventIds.length, history: d.history.map((h) => h.action) };
    };
    expect(view(together)).toEqual(view(oneByOne));
    expect(view(together)).toEqual({ count: 10, first: '2026-03-20T09:00:00Z', last: '2026-03-22T18:00:00Z', computers: 3,
      names: ['PC-01', 'PC-02', 'PC-03'], events: 4, history: ['opened', 'recurred'] });
    expect(grouped.at(-1)).toMatchObject({ outcome: 'report-only' });
    expect(grouped[3]!.ticket!.count).toBe(10);
  });

  it('counts a retried event once and tracks every computer affected', () => {
    const k = kit();
    const first = storedEvent({ eventType: 'outbreak', computer: { name: 'PC-01' } });
    k.pipeline.processEvent(first, k.clock());
    k.pipeline.processEvent(first, k.clock());
    k.pipeline.processEvent(storedEvent({ eventType: 'outbreak', computer: { name: 'PC-02' } }), k.clock());
    const t = k.service.list()[0]!;
    expect(t.count).toBe(2);
    expect(t.computers).toBe(2);
    expect(k.service.show(t.id).computers.map((c) => c.name)).toEqual(['PC-01', 'PC-02']);
  });

  it('folds a repeat after a quiet window into the open ticket and says so in its history', () => {
    const k = kit();
    // firewall-attack-repeated: a 240-minute window.
    const attack = (at: string) => storedEvent({ eventType: 'firewall-attack', severity: 'high', count: 6, occurredAt: at, threat: { name: 'SMB scan' } });
    const t = k.pipeline.processEvent(attack('2026-03-20T19:50:00Z'), k.clock()).ticket!;
    k.pipeline.processEvent(attack('2026-03-20T21:00:00Z'), k.clock());
    expect(k.service.show(t.id).history.map((h) => h.action)).toEqual(['opened']);
    k.pipeline.processEvent(attack('2026-03-21T03:00:00Z'), k.clock());
    const d = k.service.show(t.id);
    expect(d.ticket.count).toBe(18);
    expect(d.history.map((h) => h.action)).toEqual(['opened', 'recurred']);
    expect(k.service.list()).toHaveLength(1);
  });

  it('opens a new ticket for the same key once the previous one is resolved', () => {
    const k = kit();
    const a = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    k.service.resolve(a.id, 'ing.lopez', 'equipo restaurado', k.clock());
    const b = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    expect(b.id).not.toBe(a.id);
    expect(b.number).toBe('XR-2026-000002');
  });
});

describe('ticket lifecycle', () => {
  it('records every change in history and mails each step', () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    k.clock.advance(10 * 60_000);
    const acked = k.service.acknowledge(t.number, 'ing.lopez', k.clock());
    expect(acked).toMatchObject({ state: 'acknowledged', assignee: 'ing.lopez', responseMet: true });
    expect(acked.firstResponseAt).toBe(k.clock().toISOString());
    expect(() => k.service.acknowledge(t.id, 'ing.lopez', k.clock())).toThrow(/acknowledged: it cannot be acknowledged/);
    const l2 = k.service.escalate(t.id, 'ing.lopez', 'requiere especialista', k.clock());
    expect(l2.level).toBe('L2');
    k.service.escalate(t.id, 'ing.lopez', 'caso al fabricante', k.clock());
    expect(() => k.service.escalate(t.id, 'x', null, k.clock())).toThrow(/L3 already/);
    k.service.resolve(t.id, 'ing.lopez', 'muestras enviadas y equipo limpio', k.clock());
    const closed = k.service.close(t.id, 'ing.lopez', null, k.clock());
    expect(closed.state).toBe('closed');
    expect(() => k.service.resolve(t.id, 'x', null, k.clock())).toThrow(/closed/);
    const history = k.service.show(t.id).history.map((h) => [h.action, h.fromState, h.toState, h.fromLevel, h.toLevel, h.actor]);
    expect(history).toEqual([
      ['opened', null, 'open', null, 'L1', 'system'],
      ['acknowledged', 'open', 'acknowledged', 'L1', 'L1', 'ing.lopez'],
      ['escalated', 'acknowledged', 'acknowledged', 'L1', 'L2', 'ing.lopez'],
      ['escalated', 'acknowledged', 'acknowledged', 'L2', 'L3', 'ing.lopez'],
      ['resolved', 'acknowledged', 'resolved', 'L3', 'L3', 'ing.lopez'],
      ['closed', 'resolved', 'closed', 'L3', 'L3', 'ing.lopez'],
    ]);
    const ana = queuedMails(k).filter((m) => m.to === 'ana@acme.example').map((m) => m.subject.split(':')[0]);
    expect(ana).toEqual([
      `[${t.number}] Incidente de amenaza`, `[${t.number}] Caso tomado por un ingeniero`, `[${t.number}] Caso escalado a L2`,
      `[${t.number}] Caso escalado a L3`, `[${t.number}] Caso resuelto`, `[${t.number}] Caso cerrado`,
    ]);
    // Each reader gets the case's title in their own language.
    const john = queuedMails(k).filter((m) => m.to === 'john@acme.example').map((m) => m.subject);
    expect(john[2]).toBe(`[${t.number}] Case escalated to L2: Threat incident: Ransomware “Win32/Filecoder.Phobos” on “PC-01” — Cliente acme`);
    // L2 engineers and the CAM hear of the escalation.
    expect(queuedMails(k).filter((m) => m.to === 'l2@xpears.example').map((m) => m.subject)).toEqual([expect.stringContaining('escalado a L2')]);
    expect(queuedMails(k).some((m) => m.to === 'cam@xpears.example' && m.subject.includes('escalado a L2'))).toBe(true);
  });

  it('marks a late first response as missed', () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    const late = new Date(Date.parse(t.responseDueAt) + 1);
    expect(k.service.acknowledge(t.id, 'ing.lopez', late).responseMet).toBe(false);
  });

  it('counts a resolution without acknowledgement as the first response', () => {
    const k = kit();
    const t = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    const r = k.service.resolve(t.id, 'ing.lopez', null, k.clock());
    expect(r).toMatchObject({ state: 'resolved', responseMet: true, firstResponseAt: k.clock().toISOString() });
  });

  it('lists by state and level, and reports unknown tickets', () => {
    const k = kit();
    const a = k.pipeline.processEvent(storedEvent(), k.clock()).ticket!;
    k.pipeline.processEvent(storedEvent({ eventType: 'definitions-outdated', severity: 'medium' }), k.clock());
    k.service.acknowledge(a.id, 'x', k.clock());
    expect(k.service.list({ state: 'open' }).map((t) => t.caseKind)).toEqual(['severity-3']);
    expect(k.service.list({ state: ['open', 'acknowledged'] })).toHaveLength(2);
    expect(k.service.list({ level: 'L2' })).toHaveLength(0);
    expect(() => k.service.show('XR-2026-999999')).toThrow(/no ticket/);
  });
});

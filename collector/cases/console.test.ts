// The engineer's side of a case, through the console's ticket actions (collector/web/ticket-actions.ts) on a case
// mailed in over real SMTP (nodemailer → smtp-server): her reply shows on the timeline, the answer reaches her, threaded.
import { afterEach, describe, expect, it } from 'vitest';
import { runTicketAction } from '../web/ticket-actions.js';
import { caseKit, type CaseKit } from './testkit.js';

let kit: CaseKit;
afterEach(async () => { await kit?.close(); });

describe('a case on the engineer\'s side', () => {
  it('shows the contact\'s mailed reply in the ticket history and mails the console reply to her, threaded, as a public comment', async () => {
    kit = await caseKit();
    await kit.send({ from: 'ana@acme.example', subject: 'Alerta de licencia', messageId: '<open-1@acme.example>', text: 'La licencia vence.' });
    const [t] = kit.cases.tickets.list();
    await kit.send({ from: 'ana@acme.example', subject: `Re: [${t!.number}] Alerta de licencia`, text: 'Dato extra: vence el viernes.' });
    const history = kit.cases.tickets.show(t!.number).history;
    expect(history.find((h) => h.action === 'contact-replied')).toMatchObject({ actor: 'ana@acme.example', note: 'Dato extra: vence el viernes.' });

    const deps = { tickets: kit.cases.tickets, outbox: kit.outbox, registry: kit.registry, calendar: kit.calendar, cases: kit.cases };
    runTicketAction(deps, 'reply', t!.number, 'guardia', { subject: 'Renovación', text: 'La renovamos hoy.' }, kit.clock());
    const toAna = kit.outbox.list({ limit: 100 }).filter((e) => e.to.includes('ana@acme.example') && e.message.text.includes('La renovamos hoy.'));
    expect(toAna).toHaveLength(1);
    expect(toAna[0]!.message.subject).toBe(`[${t!.number}] Alerta de licencia`);
    expect((toAna[0]!.payload as { thread: { references: string[] } }).thread.references[0]).toBe('<open-1@acme.example>');
    expect(kit.cases.store.comments(t!.id, true).map((c) => [c.authorKind, c.body])).toEqual([
      ['contact', 'Dato extra: vence el viernes.'], ['engineer', 'La renovamos hoy.']]);
    expect(kit.cases.get(t!.id)!.firstResponseAt).not.toBeNull();
    // The engineer confirms the severity: Nivel 1, the due time recomputed from the opening, the confirmation recorded.
    runTicketAction(deps, 'severity', t!.number, 'guardia', { caseKind: 'severity-1' }, kit.clock());
    expect(kit.cases.get(t!.id)).toMatchObject({ caseKind: 'severity-1', requestedPriority: 3, severityConfirmedBy: 'guardia',
      responseDueAt: new Date('2026-03-25T09:50:00-03:00').toISOString() });
  });
});

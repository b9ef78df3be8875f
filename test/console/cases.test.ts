// Cases on a real collector (the console bench: HTTP, SQLite file, test/notify/smtp-sink for outgoing mail): an engineer
// opens a case for a contact who called, answers it from the ticket page, and the mail reaches her threaded; mail
// from an unknown sender is listed on the console's mailbox page; a read-only user opens nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startBench, type ConsoleBench } from './harness.js';
import { eventually } from '../helpers/eventually.js';

let bench: ConsoleBench;
beforeAll(async () => { bench = await startBench(); }, 60_000);
afterAll(async () => { await bench?.close(); });

describe('cases in the console', () => {
  it('opens a phone case, mails the acknowledgement, and threads the engineer\'s answer to it', async () => {
    const lucia = new Client(bench.collector.url);
    expect(await lucia.login('lucia')).toBe(303);
    const mailPage = await lucia.req('GET', '/console/mail');
    // The mailbox page is in every page's menu.
    expect((await lucia.req('GET', '/console/queue')).text).toContain('href="/console/mail"');
    const r = await lucia.req('POST', '/console/cases', { _csrf: Client.csrf(mailPage.text), customerId: 'acme', email: 'carla@acme.example',
      title: 'Llamó por la consola caída', description: 'La consola no abre desde esta mañana.', priority: '2' });
    expect(r.status).toBe(303);
    const number = /\/console\/tickets\/(XR-\d{4}-\d{6})/.exec(r.headers.get('location') ?? '')?.[1];
    const t = bench.collector.cases.service.get(number!);
    expect(t).toMatchObject({ origin: 'phone', requesterEmail: 'carla@acme.example', caseKind: 'severity-2' });
    expect(bench.collector.tickets.show(number!).history[0]).toMatchObject({ action: 'opened', actor: 'lucia' });

    const ticketPage = await lucia.req('GET', `/console/tickets/${number}`);
    const reply = await lucia.req('POST', `/console/tickets/${number}/reply`, { _csrf: Client.csrf(ticketPage.text), subject: 'Respuesta', text: 'Reinicie el servicio de la consola.' });
    expect(reply.status).toBe(303);
    const toCarla = () => bench.sink.messages.filter((m) => m.to && JSON.stringify(m.to).includes('carla@acme.example'));
    expect(await eventually(() => toCarla().some((m) => m.text?.includes('Reinicie el servicio de la consola.')))).toBe(true);
    const ack = toCarla().find((m) => m.text?.includes('Registramos su caso'))!;
    const answer = toCarla().find((m) => m.text?.includes('Reinicie el servicio de la consola.'))!;
    expect(answer.subject).toBe(`[${number}] Llamó por la consola caída`);
    expect(answer.inReplyTo).toBe(ack.messageId);
  });

  it('lists mail from an unknown sender on the mailbox page, and refuses a phone case to a read-only user', async () => {
    await bench.collector.cases.intake.receive(Buffer.from('From: desconocido@otro.example\r\nTo: soporte@cas.xpears.local\r\nSubject: Consulta suelta\r\nMessage-ID: <u1@otro.example>\r\n\r\nHola\r\n'), { kind: 'smtp' });
    const rita = new Client(bench.collector.url);
    expect(await rita.login('rita')).toBe(303);
    const page = await rita.req('GET', '/console/mail');
    expect(page.text).toMatch(/data-outcome="triage"[\s\S]*desconocido@otro\.example[\s\S]*Consulta suelta/);
    const r = await rita.req('POST', '/console/cases', { _csrf: Client.csrf(page.text), customerId: 'acme', email: 'carla@acme.example', title: 'x', description: 'y', priority: '3' });
    expect(r.status).toBe(403);
  });
});

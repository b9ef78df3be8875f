// End to end on loopback: a ransomware event from a Managed customer on Friday 2026-03-20 16:50 (Buenos Aires) opens a
// threat-incident ticket due Monday 09:20, and its mail reaches a real SMTP server through the outbox and dispatcher.
import { afterEach, describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../config/calendar.js';
import { silentLogger } from '../../lib/logger.js';
import { startSmtpSink, type SmtpSink } from '../../test/notify/smtp-sink.js';
import { createNotifier, type Notifier } from '../notify/notifier.js';
import { parseNotifyConfig } from '../notify/config.js';
import { storedEvent, ticketKit, type TicketKit } from './testkit.js';

let sink: SmtpSink | undefined;
let notifier: Notifier | undefined;
let kit: TicketKit | undefined;
afterEach(async () => {
  await notifier?.close();
  await sink?.close();
  kit?.db.close();
  sink = undefined; notifier = undefined; kit = undefined;
});

describe('event to mail, end to end', () => {
  it('ransomware on Friday 16:50 at a Managed customer: ticket due Monday 09:20, mail delivered to engineers and contacts', async () => {
    sink = await startSmtpSink();
    // Monday 2026-03-23 is a tourism "día no laborable": the Monday 09:20 holds when the contract counts those
    // days as working (with the default policy the same ticket is due Wednesday 25, see service.test.ts).
    kit = ticketKit({ start: '2026-03-20T16:50:00-03:00', deps: { calendar: createBusinessCalendar({ holidays: { includeNonWorkingDays: false } }) } });
    notifier = createNotifier({
      config: parseNotifyConfig({
        smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false },
        from: { address: 'cas@xpears.example' },
      }),
      db: kit.db, clock: kit.clock, logger: silentLogger(),
    });

    const now = kit.clock();
    const { ticket, outcome } = kit.pipeline.processEvent(storedEvent({ customerId: 'acme' }), now);
    expect(outcome).toBe('threat-incident');
    expect(ticket!.caseKind).toBe('threat-incident');
    expect(ticket!.responseDueAt).toBe(new Date('2026-03-23T09:20:00-03:00').toISOString());

    const report = await notifier.dispatcher.tick(now);
    expect(report).toMatchObject({ sent: 3 });
    expect(sink.envelopes.flat().sort()).toEqual(['ana@acme.example', 'guardia@xpears.example', 'john@acme.example']);
    const byRecipient = new Map(sink.messages.map((m, i) => [sink!.envelopes[i]![0]!, m]));
    const ana = byRecipient.get('ana@acme.example')!;
    expect(ana.subject).toBe(`[${ticket!.number}] Incidente de amenaza: Ransomware «Win32/Filecoder.Phobos» en «PC-01» — Cliente acme`);
    expect(ana.text).toContain('vence el lunes 23/03/2026 09:20 (-03:00)');
    expect(ana.text).toContain('Aísle el equipo de la red');
    const john = byRecipient.get('john@acme.example')!;
    expect(john.text).toContain('due by Monday 2026-03-23 09:20 (-03:00)');
    expect(john.text).toContain('What we recommend');

    // A second pass sends nothing again: each message left the outbox once.
    expect((await notifier.dispatcher.tick(now)).sent).toBe(0);
    expect(sink.messages).toHaveLength(3);
  });

  it('with the SMTP server down, the ticket mail waits and goes out once when it returns', async () => {
    // Find a free port, then stop listening on it: the relay is "down".
    const probe = await startSmtpSink();
    const port = probe.port;
    await probe.close();
    kit = ticketKit({ start: '2026-03-16T10:00:00-03:00' });
    notifier = createNotifier({
      config: parseNotifyConfig({
        smtp: { host: '127.0.0.1', port, starttls: 'never', pool: false, connectionTimeoutMs: 2_000 },
        from: { address: 'cas@xpears.example' },
      }),
      db: kit.db, clock: kit.clock, logger: silentLogger(),
    });
    const { ticket } = kit.pipeline.processEvent(storedEvent(), kit.clock());
    const down = await notifier.dispatcher.tick(kit.clock());
    expect(down.sent).toBe(0);
    expect(notifier.outbox.stats(kit.clock())).toMatchObject({ pending: 3, dead: 0 });

    sink = await startSmtpSink({ port });
    kit.clock.advance(60 * 60_000);
    expect((await notifier.dispatcher.tick(kit.clock())).sent).toBe(3);
    expect((await notifier.dispatcher.tick(kit.clock())).sent).toBe(0);
    expect(sink.envelopes.flat().sort()).toEqual(['ana@acme.example', 'guardia@xpears.example', 'john@acme.example']);
    expect(sink.messages.every((m) => m.subject?.startsWith(`[${ticket!.number}]`))).toBe(true);
  });
});

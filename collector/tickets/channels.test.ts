// A ticket's life on every channel the configuration names, end to end on loopback: a real HTTP receiver verifies the
// HMAC of each webhook delivery, a real SMTP server receives the help-desk case mail; nothing of either when
// notify.tickets is absent; a webhook answering 500 is retried, then dead, and `xpears notification list --state
// dead` shows it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/logger.js';
import { startSmtpSink, type SmtpSink } from '../../test/notify/smtp-sink.js';
import { parseNotifyConfig, type NotifyConfigInput } from '../notify/config.js';
import { createNotifier, type Notifier } from '../notify/notifier.js';
import { verifyWebhookSignature } from '../notify/webhook/index.js';
import { storedEvent, ticketKit, type TicketKit } from './testkit.js';

const SECRET = 'secreto-compartido-de-prueba';
interface Delivery { verified: boolean; body: { subject: string; payload: { type: string; step: string; ticket: { number: string } } } }

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

// A receiver as a customer's endpoint would be: verifies each signature (at the kit's clock), answers `status`.
async function receiver(now: () => Date, status: number): Promise<{ url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhookSignature({ secret: SECRET, rawBody, now: now(),
        signature: req.headers['x-xpears-signature'] as string | undefined, timestamp: req.headers['x-xpears-timestamp'] as string | undefined });
      deliveries.push({ verified, body: JSON.parse(rawBody) as Delivery['body'] });
      res.statusCode = verified ? status : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => { server.closeAllConnections(); return new Promise<void>((resolve) => server.close(() => resolve())); });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/xpears`, deliveries };
}

async function setUp(opts: { status?: number; routed: boolean; path?: string }): Promise<{ kit: TicketKit; sink: SmtpSink; notifier: Notifier; hook: { deliveries: Delivery[] } }> {
  const sink = await startSmtpSink();
  cleanup.push(() => sink.close());
  const made: { kit?: TicketKit } = {};
  const hook = await receiver(() => made.kit!.clock(), opts.status ?? 204);
  const input: NotifyConfigInput = {
    smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false },
    from: { address: 'cas@xpears.example' },
    webhooks: { soc: { url: hook.url, secret: SECRET } },
    helpdesk: { mailbox: 'soporte@mesa.example' },
    retry: { baseMs: 1_000, maxMs: 2_000, maxAttempts: 3 },
    ...(opts.routed ? { tickets: { webhooks: [{ webhook: 'soc', steps: ['opened', 'acknowledged', 'resolved'] }], helpdesk: true } } : {}),
  };
  const config = parseNotifyConfig(input);
  // The service as the collector builds it: the routes it reads from notify.tickets.
  const kit = made.kit = ticketKit({ start: '2026-03-16T10:00:00-03:00', deps: { ticketRoutes: config.tickets }, ...(opts.path ? { path: opts.path } : {}) });
  cleanup.push(() => { kit.db.close(); });
  const notifier = createNotifier({ config, db: kit.db, clock: kit.clock, logger: silentLogger() });
  cleanup.push(() => notifier.close());
  return { kit, sink, notifier, hook };
}

// Opens a ticket from a ransomware event, then acknowledges and resolves it.
function lifeOfATicket(kit: TicketKit): string {
  const { ticket } = kit.pipeline.processEvent(storedEvent({ customerId: 'acme' }), kit.clock());
  kit.clock.advance(5 * 60_000);
  kit.service.acknowledge(ticket!.id, 'ana.l1', kit.clock(), 'tomado');
  kit.clock.advance(30 * 60_000);
  kit.service.resolve(ticket!.id, 'ana.l1', 'limpio', kit.clock());
  return ticket!.number;
}

describe('ticket steps on webhooks and at the help desk', () => {
  it('opened, acknowledged, resolved: three signed deliveries and one help-desk case mail', async () => {
    const { kit, sink, notifier, hook } = await setUp({ routed: true });
    const number = lifeOfATicket(kit);
    const report = await notifier.dispatcher.tick(kit.clock());
    expect(report).toMatchObject({ dead: 0, retrying: 0 });

    expect(hook.deliveries.map((d) => [d.verified, d.body.payload.type, d.body.payload.ticket.number])).toEqual([
      [true, 'ticket.opened', number], [true, 'ticket.acknowledged', number], [true, 'ticket.resolved', number],
    ]);
    expect(hook.deliveries[0]!.body.subject).toMatch(new RegExp(`^\\[${number}\\] Caso abierto: `));

    const cases = sink.messages.filter((_, i) => sink.envelopes[i]!.includes('soporte@mesa.example'));
    expect(cases).toHaveLength(1);
    expect(cases[0]!.subject).toContain(`[${number}]`);
    expect(cases[0]!.text).toContain('Nombre de contacto: Ana Pérez');
    expect(cases[0]!.text).toContain('E-mail de contacto: ana@acme.example');
    expect(cases[0]!.text).toContain('Producto y versión: ESET PROTECT no informado');
    expect(cases[0]!.replyTo?.text).toBe('ana@acme.example');
    // The ordinary mails still go: three steps to the on-duty engineer and the two ESET contacts.
    expect(sink.messages).toHaveLength(1 + 3 * 3);
  });

  it('sends nothing to webhooks or the help desk when notify.tickets names none', async () => {
    const { kit, sink, notifier, hook } = await setUp({ routed: false });
    lifeOfATicket(kit);
    expect((await notifier.dispatcher.tick(kit.clock())).sent).toBe(9);
    expect(hook.deliveries).toEqual([]);
    expect(sink.envelopes.flat()).not.toContain('soporte@mesa.example');
    expect(notifier.outbox.list({ limit: 100 }).map((e) => e.channel).filter((c) => c !== 'email')).toEqual([]);
  });

  it('a webhook answering 500 is retried, then dead, and listed by `xpears notification list --state dead`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ticket-hooks-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { kit, notifier, hook } = await setUp({ routed: true, status: 500, path: join(dir, 'collector.db') });
    kit.pipeline.processEvent(storedEvent({ customerId: 'acme' }), kit.clock());
    const reports = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      reports.push(await notifier.dispatcher.tick(kit.clock()));
      kit.clock.advance(5_000);
    }
    expect(reports.map((r) => [r.retrying, r.dead])).toEqual([[1, 0], [1, 0], [0, 1]]);
    expect(hook.deliveries.map((d) => d.verified)).toEqual([true, true, true]);

    const file = join(dir, 'collector.yaml');
    writeFileSync(file, `dataDir: ${dir}\n`);
    const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/xpears.ts', 'notification', 'list', '--state', 'dead', '--config', file]);
    expect(cli.stdout).toMatch(/1 dead/);
    expect(cli.stdout).toMatch(/dead\s+webhook\s+attempts 3/);
    expect(cli.stdout).toContain('last failure (server): webhook soc answered 500');
  });

  it('a missed first response queues escalated and breached; at L3 breached alone', async () => {
    const { kit } = await setUp({ routed: false });
    const routes = parseNotifyConfig({ smtp: { host: '127.0.0.1' }, from: { address: 'cas@xpears.example' },
      webhooks: { soc: { url: 'http://127.0.0.1:9/h', secret: SECRET } }, tickets: { webhooks: [{ webhook: 'soc' }] } }).tickets;
    const routed = ticketKit({ path: kit.path, start: kit.clock().toISOString(), deps: { ticketRoutes: routes } });
    cleanup.push(() => { routed.db.close(); });
    const steps = (): string[] => routed.outbox.list({ limit: 100 }).filter((e) => e.channel === 'webhook')
      .map((e) => (e.payload as { step: string }).step).sort();
    const { ticket } = routed.pipeline.processEvent(storedEvent({ customerId: 'acme' }), routed.clock());
    routed.clock.advance(7 * 24 * 60 * 60_000);
    expect(routed.service.escalateMissed(ticket!.id, routed.clock())).toBe(true);
    expect(steps()).toEqual(['breached', 'escalated', 'opened']);

    const other = routed.pipeline.processEvent(storedEvent({ customerId: 'acme', computer: { name: 'PC-99' } }), routed.clock()).ticket!;
    routed.service.escalate(other.id, 'ana', null, routed.clock());
    routed.service.escalate(other.id, 'ana', null, routed.clock());
    routed.clock.advance(7 * 24 * 60 * 60_000);
    expect(routed.service.escalateMissed(other.id, routed.clock())).toBe(true);
    expect(steps()).toEqual(['breached', 'breached', 'escalated', 'escalated', 'escalated', 'opened', 'opened']);
  });
});


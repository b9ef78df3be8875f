// The notification stage wired from its configuration: e-mail, help desk and webhook, each to a real server.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { startSmtpSink } from '../../test/notify/smtp-sink.js';
import { openCollectorDb } from '../migrations.js';
import { helpdeskCaseMessage, parseNotifyConfig, createNotifier, verifyWebhookSignature, type NotifyConfigInput } from './index.js';

const SECRET = 'secreto-compartido-0123456789';
const clock = fixedClock('2026-03-20T20:00:00Z');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const baseConfig = (smtpPort: number, hookUrl: string): NotifyConfigInput => ({
  smtp: { host: '127.0.0.1', port: smtpPort, starttls: 'never' },
  from: { address: 'cas@xpears.com.ar', name: 'Xpears CAS' },
  webhooks: { soc: { url: hookUrl, secret: SECRET } },
  helpdesk: { mailbox: 'soporte@xpears.com.ar' },
  retry: { baseMs: 1_000 },
  onDuty: [{ name: 'Guardia', email: 'guardia@xpears.com.ar' }],
});

describe('parseNotifyConfig', () => {
  it('applies the defaults and freezes the result', () => {
    const config = parseNotifyConfig(baseConfig(2525, 'https://hooks.test/x'));
    expect(config.retry).toEqual({ baseMs: 1_000, maxMs: 3_600_000, maxAttempts: 24 });
    expect(config.dispatch).toMatchObject({ intervalMs: 5_000, batchSize: 100 });
    expect(config.onDuty).toEqual([{ name: 'Guardia', email: 'guardia@xpears.com.ar', language: 'es' }]);
    expect(config.smtp.tls.rejectUnauthorized).toBe(true);
    expect(Object.isFrozen(config.smtp)).toBe(true);
  });

  it('reports every problem with its dotted path, unknown keys included', () => {
    const input = { ...baseConfig(2525, 'https://hooks.test/x'), smtp: { host: 'x', prot: 25 }, from: { address: 'nope' } };
    let message = '';
    try { parseNotifyConfig(input); } catch (err) { message = (err as Error).message; }
    expect(message).toContain('notify.smtp');
    expect(message).toContain('prot');
    expect(message).toContain('notify.from.address');
  });
});

describe('createNotifier', () => {
  it('delivers e-mail, a help-desk case and a signed webhook through one dispatcher pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpears-notifier-'));
    const db = openCollectorDb(join(dir, 'collector.db'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => { db.close(); });
    const sink = await startSmtpSink();
    cleanup.push(() => sink.close());
    const hooks: boolean[] = [];
    const server: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
      req.on('end', () => {
        hooks.push(verifyWebhookSignature({ secret: SECRET, rawBody: raw, now: clock(),
          signature: String(req.headers['x-xpears-signature']), timestamp: String(req.headers['x-xpears-timestamp']) }));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const registry = new Registry();
    const config = parseNotifyConfig(baseConfig(sink.port, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`));
    const notifier = createNotifier({ config, db, clock, logger: silentLogger(), registry });
    cleanup.push(() => notifier.close());

    notifier.outbox.enqueue({ channel: 'email', to: config.onDuty.map((e) => e.email), message: { subject: 'Caso XP-9', text: 'Nuevo caso' } });
    notifier.outbox.enqueue(helpdeskCaseMessage({
      title: 'Brote en la red de Acme', description: 'Detecciones en 40 equipos', contactName: 'Ana Pérez',
      contactEmail: 'ana@cliente.com.ar', product: 'Symantec Endpoint Protection', productVersion: '14.3 RU9',
      operatingSystem: 'Windows Server', operatingSystemVersion: '2022',
    }));
    notifier.outbox.enqueue({ channel: 'webhook', to: ['soc'], message: { subject: 'Caso XP-9', text: 'Nuevo caso' }, payload: { ticket: 'XP-9' } });

    expect(await notifier.dispatcher.tick()).toMatchObject({ sent: 3, dead: 0 });
    expect(sink.envelopes.sort()).toEqual([['guardia@xpears.com.ar'], ['soporte@xpears.com.ar']]);
    expect(hooks).toEqual([true]);
    const metrics = await registry.getSingleMetricAsString('notifications_sent_total');
    expect(metrics).toContain('notifications_sent_total{channel="helpdesk"} 1');
    expect(metrics).toContain('notifications_sent_total{channel="webhook"} 1');
    clock.advance(31 * 86_400_000);
    expect(notifier.prune()).toBe(3);
  });
});

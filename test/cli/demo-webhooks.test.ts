// The demo's webhook receiver against the real webhook channel: a signed delivery is verified and saved as a 0600
// JSON file; one signed with another secret is refused (401) and saves nothing.
import { readdirSync, readFileSync, rmSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoWebhookReceiver, type DemoWebhookReceiver } from '../../bin/runtime/demo-webhooks.js';
import { fixedClock } from '../../lib/clock.js';
import { DeliveryError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { OutboxEntry } from '../../collector/notify/outbox-schema.js';
import { WebhookChannel, webhooksConfigSchema } from '../../collector/notify/webhook/index.js';

const SECRET = 'demo-secret-de-al-menos-16';
const clock = fixedClock('2026-03-20T19:00:00Z');
let receiver: DemoWebhookReceiver | undefined;
let dir = '';
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const entry: OutboxEntry = {
  id: '019c0000-0000-7000-8000-0000000000bb', channel: 'webhook', to: ['demo'],
  message: { subject: '[XP-1] Caso abierto: ransomware', text: 'Caso abierto (XP-1)' },
  payload: { type: 'ticket.opened', step: 'opened', ticket: { number: 'XP-1' } },
  subjectRef: { kind: 'ticket', id: 't1', customerId: 'demo' }, state: 'pending', attempts: 0,
  nextAttemptAt: clock(), createdAt: clock(),
};

const channel = (url: string, secret: string): WebhookChannel =>
  new WebhookChannel({ webhooks: webhooksConfigSchema.parse({ demo: { url, secret } }), clock, logger: silentLogger() });

describe('demo webhook receiver', () => {
  it('verifies and saves a signed delivery as a 0600 JSON file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-hooks-'));
    receiver = await startDemoWebhookReceiver(join(dir, 'webhooks'), SECRET, 0, clock);
    await channel(receiver.url, SECRET).send(entry);
    const files = readdirSync(receiver.dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-1-ticket\.opened\.json$/);
    const path = join(receiver.dir, files[0]!);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { verified: boolean; delivery: string; body: { payload: unknown; subject: string } };
    expect(saved.verified).toBe(true);
    expect(saved.delivery).toBe(entry.id);
    expect(saved.body.payload).toEqual(entry.payload);
    expect(saved.body.subject).toBe(entry.message.subject);
  });

  it('refuses a delivery signed with another secret and saves nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-hooks-'));
    receiver = await startDemoWebhookReceiver(join(dir, 'webhooks'), SECRET, 0, clock);
    const err = await channel(receiver.url, 'otro-secreto-de-16-caracteres').send(entry).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).reason).toBe('auth');
    expect(readdirSync(receiver.dir)).toEqual([]);
    expect(receiver.saved()).toBe(0);
  });
});

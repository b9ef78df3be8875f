import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { DeliveryError, XpearsError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import { listNotifications, retryDeadNotifications, retryNotification } from './commands.js';
import { NotificationOutbox } from './outbox.js';

const clock = fixedClock('2026-03-20T20:00:00Z');
let dir: string;
let db: Db;
let outbox: NotificationOutbox;
let dead: string;
let sent: string;

beforeEach(() => {
  clock.set('2026-03-20T20:00:00Z');
  dir = mkdtempSync(join(tmpdir(), 'xpears-cmd-'));
  db = openCollectorDb(join(dir, 'collector.db'));
  outbox = new NotificationOutbox({ db, clock, logger: silentLogger() });
  const msg = (to: string) => ({ channel: 'email' as const, to: [to], message: { subject: `Caso XP-1 para ${to}`, text: 'x' }, subjectRef: { kind: 'ticket' as const, id: 'XP-1' } });
  dead = outbox.enqueue(msg('gone@cliente.com.ar'));
  outbox.markFailed(dead, new DeliveryError('smtp EENVELOPE 550: mailbox unavailable', 'client', false), clock());
  clock.advance(1_000);
  sent = outbox.enqueue(msg('ana@cliente.com.ar'));
  outbox.markSent(sent, clock());
  clock.advance(1_000);
  outbox.enqueue(msg('beto@cliente.com.ar'));
  clock.advance(30_000);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('listNotifications', () => {
  it('lists newest first with counts, and tells how to retry the dead', () => {
    const { data, text } = listNotifications(outbox);
    expect(data.map((d) => d.to[0])).toEqual(['beto@cliente.com.ar', 'ana@cliente.com.ar', 'gone@cliente.com.ar']);
    expect(text.split('\n')[0]).toBe('1 pending, 1 dead, 1 sent, oldest pending waits 30 s');
    expect(text).toContain('last failure (client): smtp EENVELOPE 550: mailbox unavailable');
    expect(text).toContain('xpears notification retry <id>');
  });

  it('filters by state and refuses an unknown one', () => {
    expect(listNotifications(outbox, { state: 'dead' }).data.map((d) => d.id)).toEqual([dead]);
    expect(listNotifications(outbox, { state: 'sent' }).data[0]).toMatchObject({ id: sent, ref: 'ticket:XP-1', sentAt: '2026-03-20T20:00:01.000Z' });
    expect(() => listNotifications(outbox, { state: 'lost' as 'dead' })).toThrow(XpearsError);
    expect(() => listNotifications(outbox, { limit: 0 })).toThrow(/limit/);
  });
});

describe('retryNotification', () => {
  it('puts a dead notification back, due now; a sent one is refused', () => {
    const { data, text } = retryNotification(outbox, ` ${dead} `);
    expect(data).toMatchObject({ id: dead, state: 'pending', attempts: 0, nextAttemptAt: clock().toISOString() });
    expect(text).toContain('will be sent on the next pass');
    expect(outbox.due(clock(), 10).map((e) => e.id)).toContain(dead);
    expect(() => retryNotification(outbox, sent)).toThrow(/sent already/);
  });

  it('retries every dead notification at once', () => {
    expect(retryDeadNotifications(outbox).data).toEqual([dead]);
    expect(outbox.stats().dead).toBe(0);
    expect(retryDeadNotifications(outbox).text).toBe('no dead notifications');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { DeliveryError, XpearsError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import { NotificationOutbox } from './outbox.js';
import type { OutgoingMessage } from './types.js';

const mail = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  channel: 'email',
  to: ['ana@cliente.com.ar'],
  message: { subject: 'Caso XP-1', text: 'Se abrió el caso.', html: '<p>Se abrió el caso.</p>' },
  subjectRef: { kind: 'ticket', id: 'XP-1', customerId: 'acme' },
  ...over,
});

const retryable = new DeliveryError('421 try later', 'server', true);
const permanent = new DeliveryError('550 no such user', 'client', false);

let dir: string;
let db: Db;
const clock = fixedClock('2026-03-20T18:00:00Z');
const policy = { baseMs: 1_000, maxMs: 8_000, maxAttempts: 4 };
const open = (path = join(dir, 'collector.db')): NotificationOutbox => {
  db = openCollectorDb(path);
  return new NotificationOutbox({ db, clock, logger: silentLogger(), retry: policy, random: () => 0.5 });
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xpears-outbox-'));
  clock.set('2026-03-20T18:00:00Z');
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('NotificationOutbox', () => {
  it('stores a message durably: it is due after the file is reopened, with everything it carried', () => {
    const id = open().enqueue(mail({ payload: { a: 1 }, attachments: [{ filename: 'r.pdf', path: '/tmp/r.pdf', contentType: 'application/pdf' }] }));
    db.close();
    const [entry, ...rest] = open().due(clock(), 10);
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({
      id, channel: 'email', to: ['ana@cliente.com.ar'], state: 'pending', attempts: 0, payload: { a: 1 },
      message: { subject: 'Caso XP-1', text: 'Se abrió el caso.', html: '<p>Se abrió el caso.</p>' },
      subjectRef: { kind: 'ticket', id: 'XP-1', customerId: 'acme' },
      attachments: [{ filename: 'r.pdf', path: '/tmp/r.pdf', contentType: 'application/pdf' }],
    });
  });

  it('stores a dedupKey once and returns the first id', () => {
    const outbox = open();
    const first = outbox.enqueue(mail({ dedupKey: 'ticket:XP-1:opened:ana' }));
    const second = outbox.enqueue(mail({ dedupKey: 'ticket:XP-1:opened:ana', message: { subject: 'other', text: 'x' } }));
    expect(second).toBe(first);
    expect(outbox.list()).toHaveLength(1);
    expect(outbox.enqueue(mail())).not.toBe(outbox.enqueue(mail()));
  });

  it('refuses a message that could never be delivered', () => {
    const outbox = open();
    expect(() => outbox.enqueue(mail({ to: [] }))).toThrow(XpearsError);
    expect(() => outbox.enqueue(mail({ channel: 'webhook', to: ['a', 'b'] }))).toThrow(/exactly one webhook/);
    expect(() => outbox.enqueue(mail({ message: { subject: ' ', text: 'x' } }))).toThrow(/subject/);
    expect(outbox.stats().pending).toBe(0);
  });

  it('backs off after a retryable failure and is due again only after the delay', () => {
    const outbox = open();
    const id = outbox.enqueue(mail());
    const outcome = outbox.markFailed(id, retryable, clock());
    // random 0.5 with equal jitter: 0.5 * 1000 + 0.5 * 500 = 750 ms after the first failure.
    expect(outcome).toEqual({ state: 'pending', attempts: 1, nextAttemptAt: new Date(clock().getTime() + 750) });
    expect(outbox.due(new Date(clock().getTime() + 749), 10)).toHaveLength(0);
    expect(outbox.due(new Date(clock().getTime() + 750), 10).map((e) => e.id)).toEqual([id]);
    expect(outbox.get(id)).toMatchObject({ lastError: '421 try later', lastReason: 'server' });
  });

  it('is dead after maxAttempts retryable failures, or at once on a permanent one', () => {
    const outbox = open();
    const a = outbox.enqueue(mail());
    for (let i = 1; i < policy.maxAttempts; i++) expect(outbox.markFailed(a, retryable, clock()).state).toBe('pending');
    expect(outbox.markFailed(a, retryable, clock())).toEqual({ state: 'dead', attempts: 4 });
    const b = outbox.enqueue(mail());
    expect(outbox.markFailed(b, permanent, clock()).state).toBe('dead');
    expect(outbox.due(new Date('2030-01-01'), 10)).toHaveLength(0);
    expect(outbox.list({ state: 'dead' }).map((e) => e.id).sort()).toEqual([a, b].sort());
    expect(outbox.stats()).toMatchObject({ pending: 0, dead: 2 });
  });

  it('retry brings a dead message back due now; a sent one cannot be retried', () => {
    const outbox = open();
    const id = outbox.enqueue(mail());
    outbox.markFailed(id, permanent, clock());
    clock.advance(60_000);
    expect(outbox.retry(id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(outbox.due(clock(), 10).map((e) => e.id)).toEqual([id]);
    expect(outbox.markSent(id, clock())).toBe(true);
    expect(outbox.markSent(id, clock())).toBe(false);
    expect(() => outbox.retry(id)).toThrow(/sent already/);
    expect(() => outbox.retry('nope')).toThrow(/no notification/);
    expect(() => outbox.markFailed(id, retryable, clock())).toThrow(/is sent/);
  });

  it('claim leases messages so a second claim does not take them, until the lease expires', () => {
    const outbox = open();
    const id = outbox.enqueue(mail());
    expect(outbox.claim(clock(), 10, 30_000).map((e) => e.id)).toEqual([id]);
    expect(outbox.claim(clock(), 10, 30_000)).toHaveLength(0);
    expect(outbox.claim(new Date(clock().getTime() + 30_000), 10, 30_000).map((e) => e.id)).toEqual([id]);
  });

  it('reports the age of the oldest pending message and prunes old sent ones', () => {
    const outbox = open();
    const first = outbox.enqueue(mail());
    clock.advance(5_000);
    outbox.enqueue(mail());
    clock.advance(5_000);
    expect(outbox.stats()).toEqual({ pending: 2, dead: 0, sent: 0, oldestPendingAgeMs: 10_000 });
    outbox.markSent(first, clock());
    expect(outbox.stats()).toMatchObject({ pending: 1, sent: 1, oldestPendingAgeMs: 5_000 });
    expect(outbox.pruneSent(new Date(clock().getTime() + 1))).toBe(1);
    expect(outbox.get(first)).toBeUndefined();
  });
});

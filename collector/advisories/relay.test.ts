// What the fan-out's shortcuts must not change: a message rendered once per advisory and language and personalised
// per reader is the message a full render gives; the outbox's enqueueMany answers as enqueue would, message by message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { defineTemplate } from '../notify/template.js';
import { NotificationOutbox } from '../notify/outbox.js';
import type { OutgoingMessage } from '../notify/types.js';
import { openDatabase, type Db } from '../store/db.js';
import { alertData, enqueueAll } from './relay.js';
import { advisoryAlertTemplate, advisoryDigestTemplate, renderPerReader } from './templates.js';
import type { Advisory } from './types.js';

const ADVISORY: Advisory = {
  id: 'adv-0123456789', source: 'broadcom', guid: 'broadcom:1', link: 'https://example.test/1', title: 'SEPM RCE',
  summary: 'A remote code execution.', published: '2026-11-19T00:00:00.000Z', vendor: 'symantec',
  products: ['Symantec Endpoint Protection Manager'], kind: 'vulnerability', risk: 'critical', riskSource: 'severity-field',
  state: 'new', firstSeen: '2026-11-20T13:00:00.000Z', decidedBy: null, decidedAt: null, dropReason: null, relayedAt: null,
  action: 'Upgrade to 14.3 RU10.',
};

describe('renderPerReader', () => {
  const readers: [string, string][] = [['Ana', 'Acme SA'], ['José Núñez', 'Año & Cía <SA>'], ['$& $1 {{title}}', 'x\ny'], ['', 'Empty'], ['Bob', '']];

  it.each(['es', 'en'] as const)('gives the alert a full render gives, reader by reader (%s)', (language) => {
    const render = renderPerReader(advisoryAlertTemplate, language, alertData(ADVISORY, { language, name: '', customerName: '' }));
    for (const [name, customerName] of readers) {
      expect(render(name, customerName)).toEqual(advisoryAlertTemplate.render(language, alertData(ADVISORY, { language, name, customerName })));
    }
  });

  it('gives the digest a full render gives', () => {
    const items = [{ riskWord: 'MEDIO', vendorName: 'ESET', title: 'T', kindWord: 'amenaza', products: ['ESET PROTECT'], link: '' }];
    const data = { date: '2026-11-21', count: 1, items };
    const render = renderPerReader(advisoryDigestTemplate, 'es', { ...data, contactName: '', customerName: '' });
    for (const [contactName, customerName] of readers) {
      expect(render(contactName, customerName)).toEqual(advisoryDigestTemplate.render('es', { ...data, contactName, customerName }));
    }
  });

  it('renders per reader where splicing could differ: a name in the subject, html, the marker in the data', () => {
    const template = defineTemplate({
      id: 'test/per-reader', variables: ['contactName', 'customerName', 'title'],
      es: { subject: '{{customerName}}: {{title}}', text: 'Hola {{contactName}}', html: '<p>{{contactName}}</p>' },
      en: { subject: '{{customerName}}: {{title}}', text: 'Hello {{contactName}}', html: '<p>{{contactName}}</p>' },
    });
    for (const title of ['T', 'odd \uE000 title']) {
      const render = renderPerReader(template, 'en', { title, contactName: '', customerName: '' });
      for (const [contactName, customerName] of readers) {
        expect(render(contactName, customerName)).toEqual(template.render('en', { title, contactName, customerName }));
      }
    }
  });
});

describe('enqueueMany', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xpears-relay-'));
    db = openDatabase(join(dir, 'collector.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const mail = (to: string, dedupKey?: string): OutgoingMessage => ({
    channel: 'email', to: [to], message: { subject: 'S', text: 'T' }, ...(dedupKey ? { dedupKey } : {}),
  });

  it('answers as enqueue would, message by message: a known dedupKey gives the id stored before', () => {
    const outbox = new NotificationOutbox({ db, clock: fixedClock('2026-11-20T13:00:00Z'), logger: silentLogger() });
    const first = outbox.enqueue(mail('a@example.test', 'k1'));
    const ids = outbox.enqueueMany([mail('b@example.test', 'k2'), mail('a@example.test', 'k1'), mail('c@example.test'), mail('b@example.test', 'k2')]);
    expect(ids[1]).toBe(first);
    expect(ids[3]).toBe(ids[0]);
    expect(new Set(ids).size).toBe(3);
    expect(db.prepare('SELECT COUNT(*) FROM notify_outbox').pluck().get()).toBe(3);
    expect(outbox.get(ids[2]!)?.to).toEqual(['c@example.test']);
    expect(outbox.enqueueMany([])).toEqual([]);
  });

  it('refuses the whole call when one message could never be delivered, writing none', () => {
    const outbox = new NotificationOutbox({ db, clock: fixedClock('2026-11-20T13:00:00Z'), logger: silentLogger() });
    expect(() => outbox.enqueueMany([mail('a@example.test'), { ...mail('b@example.test'), to: [] }])).toThrow(/at least one recipient/);
    expect(db.prepare('SELECT COUNT(*) FROM notify_outbox').pluck().get()).toBe(0);
  });

  it('enqueueAll falls back to enqueue for a queue without enqueueMany', () => {
    const seen: string[] = [];
    const ids = enqueueAll({ enqueue: (m) => { seen.push(m.to[0]!); return `id-${seen.length}`; } }, [mail('a@x.test'), mail('b@x.test')]);
    expect(ids).toEqual(['id-1', 'id-2']);
    expect(seen).toEqual(['a@x.test', 'b@x.test']);
  });
});

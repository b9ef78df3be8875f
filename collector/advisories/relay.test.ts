// What the fan-out's shortcuts must not change: a message rendered once per advisory and language and personalised
// per reader is the message a full render gives; the outbox's enqueueMany answers as enqueue would, message by message.
// And how one contact's mail of a pass reads: the single alert for one advisory, a bundle for several.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { defineTemplate } from '../notify/template.js';
import { NotificationOutbox } from '../notify/outbox.js';
import type { OutgoingMessage } from '../notify/types.js';
import type { Db } from '../store/db.js';
import { openCollectorDb } from '../migrations.js';
import { alertData, bundleData, bySeverity, DETAILED_MAX, MessageRenderer } from './messages.js';
import { enqueueAll } from './relay.js';
import { advisoryAlertTemplate, advisoryBundleTemplate, advisoryDigestTemplate, renderPerReader } from './templates.js';
import type { Advisory } from './types.js';

const ADVISORY: Advisory = {
  id: 'adv-0123456789', source: 'broadcom', guid: 'broadcom:1', link: 'https://example.test/1', title: 'SEPM RCE',
  summary: 'A remote code execution.', published: '2026-11-19T00:00:00.000Z', vendor: 'symantec',
  products: ['Symantec Endpoint Protection Manager'], kind: 'vulnerability', risk: 'critical', riskSource: 'severity-field',
  state: 'new', firstSeen: '2026-11-20T13:00:00.000Z', decidedBy: null, decidedAt: null, dropReason: null, relayedAt: null,
  passId: null, digestDate: null, action: 'Upgrade to 14.3 RU10.', publisher: 'vendor', textLanguage: 'en', families: ['sep'],
  vendorId: 'broadcom:1', vendorLink: 'https://example.test/1', vendorPublished: '2026-11-19T00:00:00.000Z',
  affectedVersions: [], fixedVersions: ['14.3 RU10'], sightings: [], updateOf: null, changes: [],
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
    const items = [{ riskWord: 'MEDIO', vendorName: 'ESET', title: 'T', kindWord: 'amenaza', products: ['ESET PROTECT'], link: '',
      publisherName: 'el blog de ESET', fixed: '' }];
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
    db = openCollectorDb(join(dir, 'collector.db'));
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

describe('one contact\'s mail of a pass', () => {
  const levels = ['low', 'critical', 'medium', 'high', 'critical', 'info', 'high', 'high', 'medium', 'critical', 'low', 'high', 'info', 'critical'] as const;
  const many: Advisory[] = levels.map((risk, i) => ({
    ...ADVISORY, id: `adv-00000000${String(i).padStart(2, '0')}`, title: `Advisory ${i} (${risk})`, risk,
    link: `https://example.test/${i}`, vendorLink: `https://example.test/${i}`, published: `2026-11-${String(10 + i).padStart(2, '0')}T00:00:00.000Z`,
  }));
  const sorted = [...many].sort(bySeverity);

  it('orders most severe first, the newest first within a level', () => {
    expect(sorted.map((a) => a.risk)).toEqual(['critical', 'critical', 'critical', 'critical', 'high', 'high', 'high', 'high',
      'medium', 'medium', 'low', 'low', 'info', 'info']);
    expect(sorted.slice(0, 4).map((a) => a.title)).toEqual(['Advisory 13 (critical)', 'Advisory 9 (critical)', 'Advisory 4 (critical)', 'Advisory 1 (critical)']);
  });

  it('gives the first advisories in full and the rest one line each, naming the count and the highest level', () => {
    const es = advisoryBundleTemplate.render('es', { ...bundleData(sorted, 'es'), contactName: 'Ana', customerName: 'Acme SA' });
    expect(es.subject).toBe('[Avisos de fabricantes] 14 avisos nuevos · riesgo máximo CRÍTICO');
    expect(es.text).toContain('Hola Ana:');
    expect(es.text.match(/Referencia: adv-/g)).toHaveLength(DETAILED_MAX);
    // The source's English advice is quoted as such, after ours in Spanish (issue 19: this asserted the English
    // text as the "Qué hacer" line of a Spanish mail, unmarked).
    expect(es.text).toContain('Qué hacer: Verifique si las versiones instaladas están afectadas');
    expect(es.text).toContain('Indicación de la fuente (texto original en inglés): “Upgrade to 14.3 RU10.”');
    expect(es.text).toContain('Otros 4 avisos (nivel, fabricante, título, enlace, referencia):');
    expect(es.text).toContain('14. [INFORMATIVO] Symantec (Broadcom): Advisory 5 (info) · https://example.test/5 · adv-0000000005');
    // Each advisory once, in order.
    const order = [...es.text.matchAll(/adv-00000000(\d\d)/g)].map((m) => Number(m[1]));
    expect(order.filter((n, i) => order.indexOf(n) === i)).toEqual(sorted.map((a) => Number(a.id.slice(-2))));
    const en = advisoryBundleTemplate.render('en', { ...bundleData(sorted.slice(4, 7), 'en'), contactName: 'Bob', customerName: 'Acme SA' });
    expect(en.subject).toBe('[Vendor advisories] 3 new advisories · highest risk HIGH');
    expect(en.text).toContain('Reference: adv-');
    expect(en.text).not.toContain('Other ');
  });

  it('keeps the single-advisory alert for one advisory, and personalises renders shared between readers', () => {
    const renderer = new MessageRenderer();
    const one = renderer.passMail('one', [ADVISORY], 'en', 'Bob', 'Acme SA');
    expect(one).toEqual(advisoryAlertTemplate.render('en', alertData(ADVISORY, { language: 'en', name: 'Bob', customerName: 'Acme SA' })));
    const first = renderer.passMail('all', sorted, 'es', 'Ana', 'Acme SA');
    const second = renderer.passMail('all', sorted, 'es', 'José', 'Año & Cía');
    expect(second).toEqual(advisoryBundleTemplate.render('es', { ...bundleData(sorted, 'es'), contactName: 'José', customerName: 'Año & Cía' }));
    expect(first.text).toContain('Hola Ana:');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/logger.js';
import { startSmtpSink, type SmtpSink } from '../../../test/notify/smtp-sink.js';
import { createSmtpTransport, EmailChannel, fromConfigSchema, smtpConfigSchema } from '../email/index.js';
import type { OutboxEntry } from '../outbox-schema.js';
import { defineHelpdeskCase, HelpdeskChannel, helpdeskCaseMessage, type HelpdeskCaseFields } from './index.js';

const fields: HelpdeskCaseFields = {
  title: 'ESET PROTECT: agente sin conexión en srv-01',
  description: 'El agente de srv-01 no envía latidos desde las 16:50.\nSe verificó la red.',
  contactName: 'Ana Pérez',
  contactEmail: 'ana@cliente.com.ar',
  product: 'ESET PROTECT',
  productVersion: '11.1',
  operatingSystem: 'Windows Server',
  operatingSystemVersion: '2019',
  customer: 'Acme S.A.',
  reference: 'XP-42',
};

describe('defineHelpdeskCase', () => {
  it('writes the case in the format the manuals ask for, in Spanish, signed with the contact', () => {
    const m = defineHelpdeskCase(fields);
    expect(m.subject).toBe('ESET PROTECT: agente sin conexión en srv-01 [XP-42]');
    expect(m.text).toBe(`Título: ESET PROTECT: agente sin conexión en srv-01

Descripción:
El agente de srv-01 no envía latidos desde las 16:50.
Se verificó la red.

Nombre de contacto: Ana Pérez
E-mail de contacto: ana@cliente.com.ar
Producto y versión: ESET PROTECT 11.1
Sistema operativo y versión: Windows Server 2019
Cliente: Acme S.A.
Referencia: XP-42

--
Ana Pérez
Acme S.A.
`);
  });

  it('leaves out the optional lines and can write English', () => {
    const { customer: _c, reference: _r, ...required } = fields;
    const es = defineHelpdeskCase(required);
    expect(es.subject).toBe('ESET PROTECT: agente sin conexión en srv-01');
    expect(es.text).not.toContain('Cliente:');
    expect(es.text.endsWith('--\nAna Pérez\n')).toBe(true);
    expect(defineHelpdeskCase(fields, 'en').text).toContain('Operating system and version: Windows Server 2019');
  });

  it('refuses a case without the fields the manuals require', () => {
    expect(() => defineHelpdeskCase({ ...fields, productVersion: ' ' })).toThrow(/productVersion/);
    expect(() => defineHelpdeskCase({ ...fields, contactEmail: 'ana' })).toThrow(/contactEmail/);
  });
});

describe('HelpdeskChannel', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => { await sink?.close(); });

  it('mails the case to the CAS mailbox, whatever the message says, with Reply-To the contact', async () => {
    sink = await startSmtpSink();
    const email = new EmailChannel({
      transport: createSmtpTransport(smtpConfigSchema.parse({ host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false })),
      from: fromConfigSchema.parse({ address: 'relay@xpears.com.ar' }),
      logger: silentLogger(),
    });
    const queued = helpdeskCaseMessage(fields, { dedupKey: 'helpdesk:XP-42' });
    const entry: OutboxEntry = {
      ...queued, id: '019c0000-0000-7000-8000-0000000000cc', state: 'pending', attempts: 0,
      nextAttemptAt: new Date(), createdAt: new Date('2026-03-20T20:00:00Z'),
    };
    await new HelpdeskChannel({ email, config: { mailbox: 'soporte@xpears.com.ar' } }).send(entry);
    email.close();
    expect(sink.envelopes).toEqual([['soporte@xpears.com.ar']]);
    const mail = sink.messages[0]!;
    expect(mail.subject).toBe('ESET PROTECT: agente sin conexión en srv-01 [XP-42]');
    expect(mail.replyTo?.value[0]?.address).toBe('ana@cliente.com.ar');
    expect(mail.text).toContain('Producto y versión: ESET PROTECT 11.1');
  });
});

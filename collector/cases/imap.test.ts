// The CAS mailbox over IMAP: a test-owned Dovecot on loopback (test/helpers/dovecot.ts), messages put in by APPEND,
// read by the poller into cases on a real SQLite file; a crash in the middle of a poll and a restart make no duplicate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { join } from 'node:path';
import { silentLogger } from '../../lib/logger.js';
import { startDovecot, type TestDovecot } from '../../test/helpers/dovecot.js';
import { reached } from '../../test/helpers/eventually.js';
import { sampleCustomer, ticketKit } from '../tickets/testkit.js';
import { CaseService } from './service.js';
import { MailIntake } from './intake.js';
import { ImapPoller } from './imap.js';
import type { ImapConfig } from './config.js';

let dovecot: TestDovecot;
beforeAll(async () => { dovecot = await startDovecot(); }, 30_000);
afterAll(async () => { await dovecot?.stop(); });

const config = (): ImapConfig => ({ host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, pass: dovecot.pass,
  mailbox: 'INBOX', pollSeconds: 3600, rejectUnauthorized: false });

async function append(messages: string[]): Promise<void> {
  const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false });
  await client.connect();
  for (const m of messages) await client.append('INBOX', m.replace(/\n/g, '\r\n'));
  await client.logout();
}

const mail = (n: number, from = 'ana@acme.example'): string =>
  `From: ${from}\nTo: soporte@cas.xpears.local\nSubject: Caso por IMAP ${n}\nMessage-ID: <imap-${n}-${process.pid}@acme.example>\nDate: Fri, 20 Mar 2026 16:00:00 -0300\n\nTexto ${n}\n`;

function open(path?: string) {
  const k = ticketKit(path ? { path } : {});
  k.registry.customers.set('beta', sampleCustomer('beta'));
  const cases = new CaseService(k.service, { mailDomain: 'xpears.example' });
  const intake = new MailIntake(cases, { maxAttachmentBytes: 1 << 20, attachmentsDir: join(k.path, '..', 'attachments'),
    throttle: { max: 50, windowMinutes: 10 }, defaultPriority: 3 }, k.clock, silentLogger());
  return { k, cases, intake };
}

describe('the CAS mailbox over IMAP (Dovecot on loopback)', () => {
  it('turns each message into one case, also across a restart in the middle of a poll', async () => {
    await append([mail(1), mail(2), mail(3)]);
    const first = open();
    let handed = 0;
    // The collector dies right after the second message committed (before the server flag and the third).
    const dying = { receive: async (raw: Buffer, source: Parameters<MailIntake['receive']>[1]) => {
      const r = await first.intake.receive(raw, source);
      if (++handed === 2) throw new Error('killed mid-poll');
      return r;
    } } as unknown as MailIntake;
    const p1 = new ImapPoller(dying, first.cases.store, config(), silentLogger());
    await expect(p1.poll()).rejects.toThrow('killed mid-poll');
    await p1.stop();
    expect(first.cases.tickets.list()).toHaveLength(2);
    first.k.db.close();

    const second = open(first.k.path);
    const p2 = new ImapPoller(second.intake, second.cases.store, config(), silentLogger());
    expect(await p2.poll()).toBe(1);
    expect(await p2.poll()).toBe(0);
    await p2.stop();
    const titles = second.cases.tickets.list().map((t) => t.title).sort();
    expect(titles).toEqual(['Caso por IMAP 1', 'Caso por IMAP 2', 'Caso por IMAP 3']);
    expect(second.k.db.prepare('SELECT COUNT(*) FROM imap_seen').pluck().get()).toBe(3);
    second.k.db.close();
  }, 60_000);

  it('reads a new message while idling, without waiting for the next poll', async () => {
    const { k, cases, intake } = open();
    const poller = new ImapPoller(intake, cases.store, config(), silentLogger());
    poller.start();
    try {
      // Everything already in the mailbox (from the test above) is read first.
      await reached(() => cases.store.mailsByOutcome(['case'], 100).length >= 3, 20_000);
      await append([mail(4, 'ana@beta.example')]);
      await reached(() => cases.tickets.list({ customerId: 'beta' }).length === 1, 20_000);
      expect(cases.tickets.list({ customerId: 'beta' })[0]).toMatchObject({ title: 'Caso por IMAP 4', requesterEmail: 'ana@beta.example' });
    } finally {
      await poller.stop();
      k.db.close();
    }
  }, 60_000);
});

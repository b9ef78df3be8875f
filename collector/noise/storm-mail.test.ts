// The outbreak incident's update mail in each reader's language, through the real pipeline on a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from '../tickets/testkit.js';
import { stormUpdateMail } from './storm-mail.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

const detection = (i: number) => storedEvent({ computer: { name: `PC-${String(i).padStart(3, '0')}` }, handled: false,
  threat: { name: 'Win32/Worm.Conficker', type: 'worm' }, eventType: 'threat-detected', action: 'left-alone' });

describe('the storm update mail', () => {
  it('goes in Spanish to the Spanish readers and in English to the English contact, once per language', () => {
    const k = ticketKit({ start: '2026-03-20T16:50:00-03:00' });
    kits.push(k);
    const start = k.clock().getTime();
    k.pipeline.processStored(Array.from({ length: 5 }, (_, i) => detection(i)), k.clock());
    k.clock.set(new Date(start + 31 * 60_000));
    k.pipeline.processEvent(detection(5), k.clock());
    const incident = k.service.repo.list({}).find((t) => t.dedupKey.startsWith('storm|'))!;
    const updates = queuedMails(k).filter((m) => m.dedupKey?.startsWith('storm-update|'));
    expect(updates.map((m) => [m.subject, m.to.split(',').includes('john@acme.example'), m.to.split(',').includes('ana@acme.example')])).toEqual([
      [`[${incident.number}] Brote: 6 equipos (+4)`, false, true],
      [`[${incident.number}] Outbreak: 6 computers (+4)`, true, false],
    ]);
    expect(updates[1]!.text).toContain(`Incident ${incident.number} has 4 more computers since the last update; 6 in all.`);
    expect(updates[1]!.text).toContain('PC-005');
    // The same step again (a re-run after a crash) queues nothing more.
    k.pipeline.processEvent(detection(5), k.clock());
    expect(queuedMails(k).filter((m) => m.dedupKey?.startsWith('storm-update|'))).toHaveLength(2);
  });

  it('renders the English text with the computers one per line', () => {
    expect(stormUpdateMail.render('en', { number: 'T-1', total: 3, added: 1, computers: 'a\nb\nc' }).text).toBe(
      'Incident T-1 has 1 more computers since the last update; 3 in all.\n\na\nb\nc');
  });
});

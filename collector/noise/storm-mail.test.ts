// The outbreak incident's update mail in each reader's language, through the real pipeline on a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from '../tickets/testkit.js';
import { stormUpdateMail } from './storm-mail.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

const detection = (i: number) => storedEvent({ computer: { name: `PC-${String(i).padStart(3, '0')}` }, handled: false,
  threat: { name: 'Win32/Worm.Conficker', type: 'worm' }, eventType: 'threat-detected', action: 'left-alone' });

describe('the storm update mail', () => {
  it('goes to each reader of the opening on their own, in their language, once per count', () => {
    const k = ticketKit({ start: '2026-03-20T16:50:00-03:00' });
    kits.push(k);
    const start = k.clock().getTime();
    k.pipeline.processStored(Array.from({ length: 5 }, (_, i) => detection(i)), k.clock());
    k.clock.set(new Date(start + 31 * 60_000));
    k.pipeline.processEvent(detection(5), k.clock());
    const incident = k.service.repo.list({}).find((t) => t.dedupKey.startsWith('storm|'))!;
    const isUpdate = (m: { dedupKey?: string | null }) => m.dedupKey?.includes(':storm-update:') === true;
    const readers = queuedMails(k).filter((m) => m.dedupKey?.startsWith(`ticket:${incident.id}:opened:`)).map((m) => m.to).sort();
    const updates = queuedMails(k).filter(isUpdate);
    expect(updates.map((m) => m.to).sort()).toEqual(readers);
    expect(readers).toContain('john@acme.example');
    expect(readers).toContain('ana@acme.example');
    for (const m of updates) {
      expect(m.subject).toBe(m.to === 'john@acme.example' ? `[${incident.number}] Outbreak: 6 computers (+4)` : `[${incident.number}] Brote: 6 equipos (+4)`);
    }
    const john = updates.find((m) => m.to === 'john@acme.example')!;
    expect(john.text).toContain(`Incident ${incident.number} has 4 more computers since the last update; 6 in all.`);
    expect(john.text).toContain('PC-005');
    // The same step again (a re-run after a crash) queues nothing more.
    k.pipeline.processEvent(detection(5), k.clock());
    expect(queuedMails(k).filter(isUpdate)).toHaveLength(readers.length);
  });

  it('renders the English text with the computers one per line', () => {
    expect(stormUpdateMail.render('en', { number: 'T-1', total: 3, added: 1, computers: 'a\nb\nc' }).text).toBe(
      'Incident T-1 has 1 more computers since the last update; 3 in all.\n\na\nb\nc');
  });
});

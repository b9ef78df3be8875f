// Threading a reader's mails of a ticket: the headers of the next mail (bounded References), and the notifier
// recording each Message-ID per address in case_messages on a real SQLite file, once per step even when retried.
import { afterEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../cases/store.js';
import { MAX_REFERENCES, threadHeaders, TicketNotifier } from './notify.js';
import { storedEvent, ticketKit, type TicketKit } from './testkit.js';

describe('threadHeaders', () => {
  it.each([
    [[], undefined],
    [['<a@x>'], { inReplyTo: '<a@x>', references: ['<a@x>'] }],
    [['<a@x>', '<b@x>', '<c@x>'], { inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>', '<c@x>'] }],
  ])('answers %j with %j', (earlier, expected) => {
    expect(threadHeaders(earlier)).toEqual(expected);
  });

  it('keeps the root and the latest ones when the thread is longer than the bound', () => {
    const earlier = Array.from({ length: 25 }, (_, i) => `<m${i}@x>`);
    const h = threadHeaders(earlier)!;
    expect(h.references).toHaveLength(MAX_REFERENCES);
    expect(h.references[0]).toBe('<m0@x>');
    expect(h.references.slice(1)).toEqual(earlier.slice(-(MAX_REFERENCES - 1)));
    expect(h.inReplyTo).toBe('<m24@x>');
  });
});

// A ticket opened by the pipeline, and a notifier that threads through the cases' store on the same file.
function threaded(k: TicketKit) {
  k.pipeline.processStored([storedEvent()], k.clock());
  const store = new CaseStore(k.db);
  const notifier = new TicketNotifier({ queue: k.outbox, zone: 'America/Argentina/Buenos_Aires',
    threads: { store, messageIdOf: (id) => `<${id}@cas.test>` } });
  return { ticket: k.service.list({})[0]!, store, notifier, now: k.clock() };
}

describe('TicketNotifier with threads', () => {
  let k: TicketKit;
  afterEach(() => k.db.close());

  it('threads each address on its own, records every Message-ID once, and lets a retried step add nothing', () => {
    k = ticketKit();
    const { ticket, store, notifier, now } = threaded(k);
    for (let h = 1; h <= 12; h += 1) notifier.reply(ticket, h, [{ email: 'Ana@acme.example' }], `r${h}`, 'texto', now);
    notifier.reply(ticket, 12, [{ email: 'ana@acme.example' }], 'r12', 'texto', now);
    notifier.reply(ticket, 13, [{ email: 'john@acme.example' }], 'r13', 'text', now);
    const replies = k.outbox.list({ limit: 100 }).filter((e) => e.dedupKey?.includes(':reply:'))
      .sort((a, b) => Number(/:h(\d+):/.exec(a.dedupKey!)![1]) - Number(/:h(\d+):/.exec(b.dedupKey!)![1]));
    expect(replies).toHaveLength(13);
    const ids = replies.map((e) => `<${e.id}@cas.test>`);
    const anas = store.threadOf(ticket.id, 'ana@acme.example');
    expect(anas).toEqual(ids.slice(0, 12));
    const thread = (i: number) => (replies[i]!.payload as { thread?: { inReplyTo: string; references: string[] } } | undefined)?.thread;
    expect(thread(0)).toBeUndefined();
    expect(thread(11)).toEqual({ inReplyTo: ids[10], references: [ids[0], ...ids.slice(2, 11)] });
    expect(replies[0]!.message.subject).toBe(`[${ticket.number}] r1`);
    // John's first mail of the ticket starts his own thread.
    expect(thread(12)).toBeUndefined();
    expect(store.threadOf(ticket.id, 'john@acme.example')).toEqual([ids[12]]);
    expect(store.ticketOfMessage(ids[5]!)).toBe(ticket.id);
  });

  it('sends an update rendered elsewhere (the outbreak\'s) to each reader in their language and thread', () => {
    k = ticketKit();
    const { ticket, store, notifier, now } = threaded(k);
    notifier.reply(ticket, 1, [{ email: 'ana@acme.example' }], 'r1', 'texto', now);
    const first = `<${k.outbox.list({ limit: 100 }).find((e) => e.dedupKey?.includes(':reply:h1:'))!.id}@cas.test>`;
    notifier.update(ticket, 'storm-update:7', [{ email: 'ana@acme.example', language: 'es' }, { email: 'john@acme.example', language: 'en' }],
      (language) => ({ subject: `[${ticket.number}] ${language}`, text: language }), now);
    notifier.update(ticket, 'storm-update:7', [{ email: 'ana@acme.example', language: 'es' }], () => ({ subject: 'again', text: 'again' }), now);
    const updates = k.outbox.list({ limit: 100 }).filter((e) => e.dedupKey?.includes(':storm-update:7:'));
    expect(updates.map((e) => [e.to.join(','), e.message.subject]).sort()).toEqual([
      ['ana@acme.example', `[${ticket.number}] es`], ['john@acme.example', `[${ticket.number}] en`]]);
    const thread = (to: string) => (updates.find((e) => e.to.includes(to))!.payload as { thread?: { inReplyTo: string } } | undefined)?.thread;
    expect(thread('ana@acme.example')?.inReplyTo).toBe(first);
    expect(thread('john@acme.example')).toBeUndefined();
    expect(store.threadOf(ticket.id, 'ana@acme.example')).toHaveLength(2);
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { TicketRepository } from './repository.js';
import { correlate, dedupKey, type CorrelationInput } from './correlate.js';
import { queuedMails, storedEvent, ticketKit, type TicketKit } from './testkit.js';
import { openDatabase } from '../store/db.js';

const kits: TicketKit[] = [];
afterEach(() => { for (const k of kits.splice(0)) k.db.close(); });

describe('dedupKey', () => {
  const rule = (key: string[]) => ({ name: 'r', dedup: { key, windowMinutes: 5 } }) as unknown as Parameters<typeof dedupKey>[2];
  const table: [string, Parameters<typeof dedupKey>[0], string[], string][] = [
    ['customer and type', storedEvent({ eventType: 'outbreak' }), ['customer', 'eventType'], 'r|customer=acme|eventType=outbreak'],
    ['case and spaces ignored', storedEvent({ computer: { name: ' PC-01 ' }, threat: { name: 'Win32/X' } }), ['threat.name', 'computer.name'], 'r|threat.name=win32/x|computer.name=pc-01'],
    ['absent value', storedEvent({ computer: {} }), ['computer.name'], 'r|computer.name=-'],
    ['separators escaped', storedEvent({ threat: { name: 'a|computer.name=b' } }), ['threat.name'], 'r|threat.name=a\\|computer.name\\=b'],
    ['agent', storedEvent({ agentId: 'ag-9' }), ['agent'], 'r|agent=ag-9'],
  ];
  it.each(table)('%s', (_n, event, key, expected) => {
    expect(dedupKey(event, 'acme', rule(key))).toBe(expected);
  });
  it('keeps a 100 KB value small but exact: its head and a hash, different tails different keys', () => {
    const long = 'X'.repeat(100_000);
    const key = dedupKey(storedEvent({ threat: { name: long } }), 'acme', rule(['threat.name']));
    expect(key.length).toBeLessThan(150);
    expect(key.startsWith(`r|threat.name=${'x'.repeat(64)}…#`)).toBe(true);
    expect(dedupKey(storedEvent({ threat: { name: `${long}Y` } }), 'acme', rule(['threat.name']))).not.toBe(key);
    expect(dedupKey(storedEvent({ threat: { name: long.toLowerCase() } }), 'acme', rule(['threat.name']))).toBe(key);
  });
  it('never merges two rules with the same fields', () => {
    const e = storedEvent();
    expect(dedupKey(e, 'acme', { name: 'a', dedup: { key: ['customer'], windowMinutes: 1 } }))
      .not.toBe(dedupKey(e, 'acme', { name: 'b', dedup: { key: ['customer'], windowMinutes: 1 } }));
  });
});

function input(key: string, now: Date, id: string): CorrelationInput {
  return {
    event: storedEvent({ id }), dedupKey: key, windowMinutes: 60, now,
    draft: () => ({ id: `t-${id}`, customerId: 'acme', agentId: null, caseKind: 'severity-2', rule: 'r', vendor: 'eset',
      product: null, eventType: 'outbreak', title: 't', description: 'd', titles: { es: 't' }, language: 'es', openedAt: now.toISOString(),
      responseDueAt: now.toISOString() }),
  };
}

describe('correlation across connections on one file', () => {
  it('two connections: the second folds into the ticket the first opened', () => {
    const k = ticketKit();
    kits.push(k);
    const other = openDatabase(k.path);
    const a = new TicketRepository(k.db);
    const b = new TicketRepository(other);
    const now = k.clock();
    expect(correlate(a, input('K', now, 'e1')).created).toBe(true);
    const second = correlate(b, input('K', now, 'e2'));
    expect(second).toMatchObject({ created: false });
    expect(second.ticket.count).toBe(2);
    other.close();
  });

  it('a fold answers the ticket exactly as stored, without reading it back', () => {
    const k = ticketKit();
    kits.push(k);
    const repo = new TicketRepository(k.db);
    const opened = k.clock();
    correlate(repo, input('F', opened, 'f1'));
    for (const [i, minutes] of [[2, 3], [3, 200], [4, -30]] as const) {
      const now = new Date(opened.getTime() + minutes * 60_000);
      const event = storedEvent({ id: `f${i}`, occurredAt: now.toISOString(), count: i, computer: { name: `PC-${i % 2}` } });
      const folded = correlate(repo, { ...input('F', now, `f${i}`), event });
      expect(folded.created).toBe(false);
      expect(folded.ticket).toEqual(repo.get(folded.ticket.id));
    }
  });

  it('the partial unique index refuses a second open ticket even from a writer that skips the lock', () => {
    const k = ticketKit();
    kits.push(k);
    const other = openDatabase(k.path);
    const now = k.clock();
    correlate(new TicketRepository(k.db), input('K', now, 'e1'));
    const rogue = new TicketRepository(other);
    const draft = input('K', now, 'e2').draft();
    expect(() => rogue.insert({ ...draft, dedupKey: 'K', windowMinutes: 5, count: 1, firstSeenAt: draft.openedAt, lastSeenAt: draft.openedAt }))
      .toThrow(/UNIQUE/);
    other.close();
  });

  it('a writer whose read was stale retries and folds instead of failing', () => {
    const k = ticketKit();
    kits.push(k);
    const now = k.clock();
    correlate(new TicketRepository(k.db), input('K', now, 'e1'));
    const other = openDatabase(k.path);
    const stale = new TicketRepository(other);
    // The first look misses the open ticket, as a process that read before the other committed would.
    let looks = 0;
    const real = stale.findOpenByKey.bind(stale);
    stale.findOpenByKey = (key) => (looks++ === 0 ? undefined : real(key));
    const r = correlate(stale, input('K', now, 'e2'));
    expect(r.created).toBe(false);
    expect(r.ticket.count).toBe(2);
    other.close();
  });

  it('four collector processes racing on one file open exactly one ticket', async () => {
    const k = ticketKit();
    kits.push(k);
    const worker = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
    const startAt = Date.now() + 2_000;
    const run = promisify(execFile);
    const outputs = await Promise.all([1, 2, 3, 4].map((w) =>
      run(process.execPath, ['--import', 'tsx', worker, k.path, String(w), '50', String(startAt)])));
    const created = outputs.map((o) => (JSON.parse(o.stdout) as { created: number }).created);
    expect(created.reduce((a, b) => a + b, 0)).toBe(1);
    const tickets = k.service.list();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.count).toBe(200);
    expect(k.service.show(tickets[0]!.id).eventIds).toHaveLength(200);
    // One opening mail per recipient, whichever process opened it.
    expect(queuedMails(k)).toHaveLength(3);
  });
});

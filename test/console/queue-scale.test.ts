// The console's queue and ticket page as they hold up at scale, over real HTTP against a real collector: the poll's
// ETag and 304, the cached queue rebuilt when a ticket changes from another connection (as the CLI changes it), the
// queue in pages of 100 with its range and links, a ticket page showing its 50 newest events and how many there are,
// and the query plans of every filter the queue offers (each served by an index; no scan of tickets or computers).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { eventually } from '../e2e/harness.js';
import { Client, PASSWORD, ransomwareLine, startBench, type ConsoleBench } from './harness.js';
import { openDatabase } from '../../collector/store/db.js';
import { TicketRepository } from '../../collector/tickets/index.js';
import { queueQueries, type QueueFilter } from '../../collector/web/queries.js';
import { uuidv7 } from '../../lib/ids.js';

let bench: ConsoleBench;
beforeAll(async () => { bench = await startBench(); }, 60_000);
afterAll(async () => { await bench.close(); });

// `count` envelopes of one syslog line in one POST, as the agent batches them.
async function postLines(line: string, count: number): Promise<void> {
  const envelopes = Array.from({ length: count }, () => ({ id: uuidv7(), capturedAt: new Date().toISOString(), source: { address: '10.20.30.40', port: 514 },
    transport: 'syslog', syslog: { protocol: 'udp', line } }));
  const res = await fetch(`${bench.collector.url}/v1/envelopes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.agentToken}` },
    body: JSON.stringify({ protocol: 1, envelopes }) });
  expect(res.status).toBe(200);
}

// Open tickets written as the pipeline writes them (the repository), each due a minute after the one before.
function addOpenTickets(count: number): void {
  const repo = bench.collector.tickets.repo;
  const at = new Date().toISOString();
  repo.inTransaction(() => {
    for (let i = 0; i < count; i++) {
      repo.insert({ id: uuidv7(), customerId: 'acme', agentId: null, caseKind: 'severity-3', rule: 'test', dedupKey: `queue-scale|${i}`, windowMinutes: 60,
        vendor: 'eset', product: 'ESET PROTECT', eventType: 'ransomware', title: `Caso de prueba ${i}`, description: 'prueba', titles: { es: `Caso de prueba ${i}`, en: `Test case ${i}` },
        language: 'es', openedAt: at, responseDueAt: new Date(Date.now() + (i + 10) * 60_000).toISOString(), count: 1, firstSeenAt: at, lastSeenAt: at });
    }
  });
}

const rowsIn = (text: string) => [...text.matchAll(/<tr data-ticket="([^"]+)"/g)].map((m) => m[1]!);

describe('the console at scale', () => {
  it('shows a ticket\'s 50 newest events and how many are linked', async () => {
    await postLines(ransomwareLine('pc-muchos'), 60);
    expect(await eventually(() => bench.collector.tickets.list({}).some((t) => t.count >= 60))).toBe(true);
    const number = bench.collector.tickets.list({}).find((t) => t.count >= 60)!.number;
    const c = new Client(bench.collector.url);
    await c.login('lucia');
    const page = await c.req('GET', `/console/tickets/${number}`);
    expect(page.status).toBe(200);
    expect(page.text.match(/<details class="event">/g)?.length).toBe(50);
    expect(page.text).toContain('Se muestran los 50 vinculados más recientemente, de 60.');
    expect(page.text).toContain('Eventos (60)');
  });

  it('answers a repeated poll with 304, and with the new rows once a ticket changes in another process', async () => {
    const c = await session('marcos');
    const first = await fetchPoll(c);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const again = await fetchPoll(c, etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // Another connection to the file, as `xpears ticket` would open it: the queue's version moves by trigger.
    const other = openDatabase(join(bench.dir.path, 'collector', 'collector.db'));
    try {
      const number = rowsIn((JSON.parse(first.text) as { rows: string }).rows)[0]!;
      const repo = new TicketRepository(other);
      repo.update(repo.get(number)!.id, { assignee: 'asignado-por-cli' }, new Date().toISOString());
    } finally { other.close(); }
    const changed = await fetchPoll(c, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((JSON.parse(changed.text) as { rows: string }).rows).toContain('asignado-por-cli');
  });

  it('shows the queue in pages of 100, with the range and links to the pages around it', async () => {
    addOpenTickets(130);
    const total = bench.collector.tickets.list({ state: ['open', 'acknowledged'], limit: 1000 }).length;
    expect(total).toBeGreaterThan(130);
    const c = new Client(bench.collector.url);
    await c.login('lucia');
    const one = await c.req('GET', '/console/queue');
    expect(rowsIn(one.text)).toHaveLength(100);
    expect(one.text).toContain(`Tickets 1–100 de ${total}.`);
    expect(one.text).toContain(`Siguientes ${total - 100}`);
    expect(one.text).toContain('href="/console/queue?page=2"');
    const two = await c.req('GET', '/console/queue?page=2');
    expect(rowsIn(two.text)).toHaveLength(total - 100);
    expect(two.text).toContain(`Tickets 101–${total} de ${total}.`);
    expect(two.text).toContain('Anteriores');
    expect(rowsIn(two.text).some((n) => rowsIn(one.text).includes(n))).toBe(false);
    // The live update of page 2 is page 2, with the filters kept in the links.
    const live = JSON.parse((await c.req('GET', '/console/api/queue?page=2&customer=acme')).text) as { rows: string; count: number };
    expect(live.count).toBe(total);
    expect(rowsIn(live.rows)).toEqual(rowsIn(two.text));
    expect(live.rows).toContain('href="/console/queue?customer=acme&amp;page=1"');
  });

  it('finds tickets by number, computer and threat through the trigram index, and by one or two characters too', async () => {
    const c = new Client(bench.collector.url);
    await c.login('lucia');
    const big = bench.collector.tickets.list({ limit: 1000 }).find((t) => t.count >= 60)!;
    const found = async (q: string, state = '') => rowsIn((await c.req('GET', `/console/queue?q=${encodeURIComponent(q)}${state ? `&state=${state}` : ''}`)).text);
    expect(await found('PC-MUCHOS')).toEqual([big.number]);
    expect(await found(big.number.slice(-6), 'all')).toEqual([big.number]);
    expect(await found('Filecoder.Akira')).toContain(big.number);
    expect(await found('no-existe-ese-equipo')).toEqual([]);
    expect(await found('mu')).toEqual([big.number]);
    expect((await found('de prueba 12')).length).toBe(1 + 10); // "Caso de prueba 12" and 120–129
    // A ticket pruned (retention deletes tickets) leaves the search with it.
    const db = bench.collector.db;
    const gone = db.prepare(`SELECT id FROM tickets WHERE title = 'Caso de prueba 129'`).pluck().get() as string;
    db.prepare('DELETE FROM tickets WHERE id = ?').run(gone);
    expect(db.prepare('SELECT COUNT(*) FROM console_search WHERE ticket_id = ?').pluck().get(gone)).toBe(0);
    expect((await found('de prueba 12')).length).toBe(1 + 9);
  });

  it('reads every filter the queue offers through an index: no scan of tickets, nor of the computers for the search', () => {
    const db = bench.collector.db;
    const states = [undefined, 'open', 'closed', 'all'];
    const choices: QueueFilter[] = [{}, { customer: 'acme' }, { caseKind: 'severity-1' }, { level: 'L2' }, { assignee: 'lucia' }, { vendor: 'eset' },
      { mine: 'lucia' }, { q: 'pc-07' }, { customer: 'acme', level: 'L1', q: 'XR-2026' }];
    for (const state of states) {
      for (const choice of choices) {
        const q = queueQueries({ ...choice, ...(state ? { state } : {}) });
        for (const [kind, text, args] of [['page', q.page, [...q.args, 100, 0]], ['count', q.count, q.args]] as const) {
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...args) as { detail: string }[]).map((r) => r.detail);
          const where = `${kind} ${JSON.stringify({ ...choice, state })}: ${plan.join(' | ')}`;
          for (const step of plan) {
            if (/^SCAN tickets\b/.test(step)) expect(step, where).toMatch(/USING (COVERING )?INDEX/);
            // A count with a filter reads the filter's tickets only (a page may walk the due order: it stops at 100).
            const filtered = ['customer', 'caseKind', 'level', 'assignee', 'vendor', 'mine'].some((k) => k in choice);
            if (kind === 'count' && filtered) expect(step, where).not.toMatch(/^SCAN tickets\b/);
            expect(step, where).not.toMatch(/^SCAN (ticket_computers|console_search\b|s\b)/);
            // Without a search the rows come in due order from an index; a search sorts only what it matched.
            if (!choice.q) expect(step, where).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
          }
          if (choice.q) expect(plan.join(' | '), where).toMatch(/SCAN f VIRTUAL TABLE INDEX \d+:M/);
        }
      }
    }
    const events = (db.prepare(`EXPLAIN QUERY PLAN SELECT event_id FROM ticket_events INDEXED BY ticket_events_recent WHERE ticket_id = ? ORDER BY linked_at DESC, event_id DESC LIMIT 50`)
      .all('x') as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(events).toMatch(/SEARCH ticket_events USING (COVERING )?INDEX ticket_events_recent \(ticket_id=\?\)/);
    expect(events).not.toMatch(/TEMP B-TREE/);
  });
});

// An engineer's session cookie, logged in through the form.
async function session(login: string): Promise<string> {
  const page = await fetch(`${bench.collector.url}/console/login`);
  const jar = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const token = /name="_login" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${bench.collector.url}/console/login`, { method: 'POST', redirect: 'manual',
    headers: { cookie: jar.join('; '), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _login: token, login, password: PASSWORD }).toString() });
  expect(res.status).toBe(303);
  return [...jar, ...res.headers.getSetCookie().map((c) => c.split(';')[0]!)].join('; ');
}

// The queue's poll as console.js sends it (with the last ETag when there is one).
async function fetchPoll(cookie: string, etag?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${bench.collector.url}/console/api/queue`, { headers: { cookie, accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

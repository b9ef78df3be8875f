// The console benchmarks' store: tickets through the ticket repository (numbers, computers, states as the product
// writes them), and events written in bulk with the event store's own INSERTs (the columns SqliteEventRepository
// writes, in its shapes: envelope-payload.ts, event-row.ts) into the schema the collector's migrations made, indexes
// included. An event's envelope and detail are the product parser's output for fixture 04 (an ESET ransomware syslog
// line), with its id, times and computer filled in per event; the first one is parsed again and compared, so the text
// stays what the parser makes of it.
// Speed: one prepared statement per table, 100,000 events a transaction, time-ordered ids (each key is appended to,
// not written at random), the secondary indexes of the event tables built after the rows (with the migrations' own
// statements), a 2 GiB page cache, and, while seeding only, no journal and no fsync (the directory is thrown away if
// seeding stops half-way; the collector opens the file in WAL afterwards, as always).
// Distribution: every hundredth ticket is a large one (50 × the mean events, 50 computers; an outbreak), the others
// share the rest with one computer each; a ticket's events fall in the 30 minutes after it opened.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { CollectorServices } from '../bin/runtime/services.js';
import type { Db } from '../collector/store/db.js';
import { parseEnvelope } from '../collector/parse/index.js';
import { payloadOf } from '../collector/store/envelope-payload.js';
import { eventDetail } from '../collector/store/event-row.js';
import { envelopeSchema } from '../protocol/envelope.js';
import { CASE_KINDS } from '../config/plans.js';
import { uuidv7 } from '../lib/ids.js';
import { ROOT } from '../test/e2e/harness.js';

/** The agents the tickets and events are spread over, one per customer. */
export type SeedAgents = readonly { customerId: string; agentId: string }[];

/** What was seeded: every ticket's id, the open tickets' numbers, and those of the large open ones. */
export interface Seeded {
  ids: string[]; open: string[]; largeOpen: string[];
  /** Wall-clock and CPU seconds (user + system) of each part: on a shared machine the CPU figure is the steady one. */
  ticketSeconds: number; eventSeconds: number; ticketCpu: number; eventCpu: number;
}

const MINUTE = 60_000;
const PER_TRANSACTION = 100_000;
const isLarge = (i: number) => i % 100 === 7;

/** How many events each ticket gets: `events` in all, a large ticket 50 times what a small one does. */
export function eventsPerTicket(tickets: number, events: number): number[] {
  const large = Array.from({ length: tickets }, (_, i) => isLarge(i)).filter(Boolean).length;
  const small = Math.floor(events / (tickets - large + 50 * large));
  const counts = Array.from({ length: tickets }, (_, i) => (isLarge(i) ? 50 * small : small));
  // The remainder, one each to the newest tickets.
  let rest = events - counts.reduce((a, b) => a + b, 0);
  for (let i = tickets - 1; rest > 0; i = (i - 1 + tickets) % tickets, rest--) counts[i]! += 1;
  return counts;
}

const computersOf = (i: number): string[] => (isLarge(i) ? Array.from({ length: 50 }, (_, k) => `pc-${(i + k * 37) % 5000}`) : [`pc-${i % 5000}`]);

/** Tickets through TicketRepository (insert, then update to their state; computers with addComputers). */
function seedTickets(s: CollectorServices, agents: SeedAgents, counts: number[], openCount: number, now: number): Pick<Seeded, 'ids' | 'open' | 'largeOpen'> {
  const total = counts.length;
  const ids: string[] = []; const open: string[] = []; const largeOpen: string[] = [];
  for (let from = 0; from < total; from += 20_000) {
    s.tickets.repo.inTransaction(() => {
      for (let i = from; i < Math.min(total, from + 20_000); i++) {
        const { customerId, agentId } = agents[i % agents.length]!;
        const openedMs = now - (total - i) * MINUTE;
        const at = new Date(openedMs).toISOString();
        const last = new Date(openedMs + 30 * MINUTE).toISOString();
        const computers = computersOf(i);
        const title = `Incidente de amenaza: Ransomware «Win32/Filecoder.WannaCryptor.D» en «${computers[0]!}»${computers.length > 1 ? ` y ${computers.length - 1} equipos más` : ''} — Cliente ${i % agents.length} SA`;
        const t = s.tickets.repo.insert({ id: uuidv7(openedMs), customerId, agentId, caseKind: CASE_KINDS[i % CASE_KINDS.length]!, rule: 'ransomware',
          dedupKey: `bench|${i}`, windowMinutes: 1440, vendor: i % 10 === 3 ? 'symantec' : 'eset', product: 'ESET PROTECT', eventType: 'ransomware', title,
          description: `Qué pasó\n${title}`, titles: { es: title, en: title }, language: 'es', openedAt: at,
          responseDueAt: new Date(openedMs + (i % 7) * 3_600_000 + 30 * MINUTE).toISOString(), count: counts[i]!, firstSeenAt: at, lastSeenAt: last });
        s.tickets.repo.addComputers(t.id, computers.map((name) => ({ name, ip: null, user: null })));
        const answered = new Date(openedMs + 20 * MINUTE).toISOString();
        if (i < total - openCount) {
          s.tickets.repo.update(t.id, { state: 'closed', computers: computers.length, firstResponseAt: answered, responseMet: true, assignee: `eng${i % 20}`, closedAt: last }, last);
        } else {
          const acked = i % 3 === 0;
          s.tickets.repo.update(t.id, { computers: computers.length, level: i % 10 === 0 ? 'L2' : 'L1',
            ...(acked ? { state: 'acknowledged' as const, firstResponseAt: answered, responseMet: true, assignee: `eng${i % 20}` } : {}) }, last);
          open.push(t.number);
          if (isLarge(i)) largeOpen.push(t.number);
        }
        ids.push(t.id);
      }
    });
  }
  return { ids, open, largeOpen };
}

// The ESET line's date as the console writes it ("12-Jan-2026 03:15:00").
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const esetDate = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}`;

// Fixture 04 through the product's parser, as templates: the parts between the envelope id, capture time, computer
// name and occurrence time, joined again per event.
function templates() {
  const f = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/04-json-ransomware-occurred-spelling.json'), 'utf8')) as { envelope: unknown };
  const envelope = envelopeSchema.parse(f.envelope);
  const [event] = parseEnvelope(envelope, undefined);
  if (!event || envelope.transport !== 'syslog') throw new Error('fixture 04 no longer parses to one syslog event');
  const marks = [envelope.id, envelope.capturedAt, 'srv-files', '12-Jan-2026 03:15:00', event.occurredAt];
  const pattern = () => new RegExp(marks.map((m) => m.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'g');
  const split = (text: string) => text.split(pattern());
  // As the store writes them: the payload without the id and capture time (columns), the detail without the columns.
  const payload = split(payloadOf(envelope));
  const detail = split(eventDetail(event));
  // Which value goes in each gap, by the mark found there.
  const gaps = (text: string) => [...text.matchAll(pattern())].map((m) => marks.indexOf(m[0]));
  return { envelope, event, payload, payloadGaps: gaps(payloadOf(envelope)), detail, detailGaps: gaps(eventDetail(event)) };
}

const join2 = (parts: string[], gaps: number[], values: string[]) => {
  let out = parts[0]!;
  for (let k = 0; k < gaps.length; k++) out += values[gaps[k]!]! + parts[k + 1]!;
  return out;
};

// A UUIDv7-shaped envelope id from an instant and a running number: ids sort by time, so every index on them is
// appended to.
const envelopeId = (ms: number, n: number) => {
  const h = ms.toString(16).padStart(12, '0');
  const c = n.toString(16).padStart(15, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6, 15).padStart(12, '0')}`;
};

/** Events in bulk, each linked to its ticket (counts from eventsPerTicket), in transactions of 100,000. */
function seedEvents(db: Db, agents: SeedAgents, ids: string[], counts: number[], now: number, log: (line: string) => void): void {
  const tpl = templates();
  const ev = tpl.event;
  const insertEnvelope = db.prepare(`INSERT INTO envelopes (id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload)
    VALUES (?, ?, ?, 'syslog', ?, ?, ?, ?)`);
  const insertEvent = db.prepare(`INSERT INTO events (id, envelope_id, seq, customer_id, agent_id, vendor, product, event_type, severity,
    vendor_severity, occurred_at, received_at, computer_name, computer_ip, computer_user, threat_name, threat_type, threat_object,
    threat_hash, action, handled, count, computers_affected, summary, format, detail, triaged)
    VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, NULL, ?, ?, 1, NULL, ?, ?, ?, 1)`);
  const link = db.prepare('INSERT INTO ticket_events (ticket_id, event_id, linked_at) VALUES (?, ?, ?)');
  const total = ids.length;
  let n = 0;
  let checked = false;
  let i = 0; let k = 0; // ticket, and event within it
  const all = counts.reduce((a, b) => a + b, 0);
  while (n < all) {
    db.transaction(() => {
      for (const end = Math.min(all, n + PER_TRANSACTION); n < end; n++) {
        while (k >= counts[i]!) { i++; k = 0; }
        const { customerId, agentId } = agents[i % agents.length]!;
        const computers = computersOf(i);
        const occurredMs = now - (total - i) * MINUTE + Math.floor((k * 30 * MINUTE) / counts[i]!);
        const occurred = new Date(occurredMs);
        const occurredIso = occurred.toISOString();
        const received = new Date(occurredMs + 1_000).toISOString();
        const id = envelopeId(occurredMs, n);
        const computer = computers[k % computers.length]!;
        const values = [id, occurredIso, computer, esetDate(occurred), occurredIso];
        const payload = join2(tpl.payload, tpl.payloadGaps, values);
        const detail = join2(tpl.detail, tpl.detailGaps, values);
        const summary = ev.summary.replace('srv-files', computer);
        if (!checked) {
          // The first event, parsed by the product again: the templates must give what the parser gives.
          const envelope = envelopeSchema.parse({ id, capturedAt: occurredIso, ...(JSON.parse(payload) as object) });
          const again = parseEnvelope(envelope, undefined)[0]!;
          if (eventDetail(again) !== detail || again.summary !== summary || again.computer?.name !== computer) {
            throw new Error(`seed templates drifted from the parser:\n${eventDetail(again)}\n${detail}`);
          }
          checked = true;
        }
        insertEnvelope.run(id, customerId, agentId, occurredIso, received, tpl.envelope.source.address, payload);
        const eventId = `${id}.0`;
        insertEvent.run(eventId, id, customerId, agentId, ev.vendor, ev.product ?? null, ev.eventType, ev.severity, ev.vendorSeverity ?? null,
          occurredIso, received, computer, ev.threat?.name ?? null, ev.threat?.type ?? null, ev.threat?.object ?? null, ev.action ?? null,
          ev.handled === undefined ? null : ev.handled ? 1 : 0, summary, ev.format, detail);
        link.run(ids[i]!, eventId, received);
        k++;
      }
    })();
    if ((n / PER_TRANSACTION) % 10 === 0 || n === all) log(`  ${n} events stored`);
  }
}

/** Fills the store: `counts.length` tickets (the newest `openCount` open) and their events. Closes the services: the
 *  events are written on a connection of their own, the only one open, so the journal can be turned off. */
export function seedConsoleStore(s: CollectorServices, agents: SeedAgents, o: { tickets: number; open: number; events: number; log?: (line: string) => void }): Seeded {
  const log = o.log ?? ((line: string) => console.log(line));
  const now = Date.now();
  const counts = eventsPerTicket(o.tickets, o.events);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const t0 = performance.now(); const c0 = cpu();
  const seeded = seedTickets(s, agents, counts, o.open, now);
  const path = s.db.name;
  s.close();
  const t1 = performance.now(); const c1 = cpu();
  const db = new Database(path);
  try {
    db.pragma('cache_size = -2097152');
    db.pragma('synchronous = OFF');
    // No journal while the events go in: seeding is all or nothing anyway (the directory is thrown away on failure).
    // better-sqlite3 opens in SQLite's defensive mode, which refuses journal_mode OFF: this connection leaves it.
    db.unsafeMode(true);
    if (db.pragma('journal_mode = OFF', { simple: true }) !== 'off') throw new Error('the journal could not be turned off: is another connection open?');
    // The secondary indexes of the event tables are built once at the end, from the very statements the migrations ran
    // (sqlite_master keeps them): a quarter less CPU than keeping them up to date row by row.
    const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
      AND tbl_name IN ('events', 'envelopes', 'ticket_events')`).all() as { name: string; sql: string }[];
    for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
    seedEvents(db, agents, seeded.ids, counts, now, log);
    for (const ix of indexes) db.exec(ix.sql);
    db.pragma('journal_mode = WAL');
    db.unsafeMode(false);
  } finally {
    db.close();
  }
  const t2 = performance.now(); const c2 = cpu();
  return { ...seeded, ticketSeconds: (t1 - t0) / 1000, eventSeconds: (t2 - t1) / 1000, ticketCpu: c1 - c0, eventCpu: c2 - c1 };
}

// The envelope and event store on SQLite, behind the repository interface the rest of the collector uses.
import type { Db, Migration } from './db.js';
import { storeMigrations } from './migrations.js';
import type { Envelope, Heartbeat } from '../../protocol/envelope.js';
import type { ParsedEvent, StoredEvent } from '../../protocol/event.js';

/** An envelope to store, with the event the parsers made of it. */
export interface IncomingEnvelope {
  envelope: Envelope;
  events: ParsedEvent[];
  raw: string;
}

/** Filters for listing events. */
export interface EventFilter {
  customerId?: string;
  since?: string;
  until?: string;
  eventType?: string;
  limit?: number;
}

/** The store as the collector's stages see it. A PostgreSQL implementation can stand in later. */
export interface EventRepository {
  /** Stores new envelopes and their events in one transaction; an id already stored is a duplicate, untouched. */
  storeBatch(customerId: string, agentId: string, items: IncomingEnvelope[], receivedAt: string): { accepted: StoredEvent[][]; acceptedIds: string[]; duplicateIds: string[] };
  listEvents(filter: EventFilter): StoredEvent[];
  listEventsOfEnvelope(envelopeId: string): StoredEvent[];
  countEnvelopes(customerId?: string): number;
  /** Envelopes for re-parsing, oldest first, in pages. */
  envelopesForReparse(filter: { customerId?: string; since?: string; afterId?: string; limit: number }): { id: string; customerId: string; agentId: string; receivedAt: string; envelope: Envelope }[];
  /** Replaces the events derived from one envelope. */
  replaceEvents(envelopeId: string, customerId: string, agentId: string, events: ParsedEvent[], raw: string, receivedAt: string): StoredEvent[];
  /** Events stored but not yet through triage (a crash between storage and triage), oldest first. */
  untriagedEvents(limit: number): StoredEvent[];
  /** Marks events as through triage; called in the same transaction as the ticket work. */
  markTriaged(eventIds: readonly string[]): void;
  recordHeartbeat(agentId: string, customerId: string, heartbeat: Heartbeat, receivedAt: string): void;
  lastHeartbeats(): Map<string, { receivedAt: string; heartbeat: Heartbeat }>;
}

/** Migrations of the store, heartbeats included. */
export const eventStoreMigrations: Migration[] = [
  ...storeMigrations,
  {
    id: 'store/002-heartbeats',
    up(db) {
      db.exec(`
        CREATE TABLE heartbeats (
          agent_id TEXT NOT NULL,
          customer_id TEXT NOT NULL,
          received_at TEXT NOT NULL,
          body TEXT NOT NULL
        );
        CREATE INDEX heartbeats_agent_time ON heartbeats (agent_id, received_at);
        CREATE INDEX heartbeats_customer_time ON heartbeats (customer_id, received_at);
      `);
    },
  },
  {
    // Events already stored before this migration count as triaged; new ones start at 0.
    id: 'store/003-events-triaged',
    up(db) {
      db.exec(`
        ALTER TABLE events ADD COLUMN triaged INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX events_untriaged ON events (received_at) WHERE triaged = 0;
      `);
    },
  },
];

interface EventRow {
  id: string; envelope_id: string; customer_id: string; agent_id: string; received_at: string; detail: string;
}

/** The SQLite implementation. */
export class SqliteEventRepository implements EventRepository {
  private readonly insertEnvelope;
  private readonly insertEvent;

  constructor(private readonly db: Db) {
    this.insertEnvelope = db.prepare(`INSERT INTO envelopes (id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
    this.insertEvent = db.prepare(`INSERT INTO events (id, envelope_id, seq, customer_id, agent_id, vendor, product, event_type, severity,
      vendor_severity, occurred_at, received_at, computer_name, computer_ip, computer_user, threat_name, threat_type, threat_object,
      threat_hash, action, handled, count, computers_affected, summary, format, detail, triaged)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  storeBatch(customerId: string, agentId: string, items: IncomingEnvelope[], receivedAt: string) {
    const acceptedIds: string[] = [];
    const duplicateIds: string[] = [];
    const accepted: StoredEvent[][] = [];
    this.db.transaction(() => {
      for (const it of items) {
        const e = it.envelope;
        const r = this.insertEnvelope.run(e.id, customerId, agentId, e.transport, e.capturedAt, receivedAt, e.source.address, JSON.stringify(e));
        if (r.changes === 0) { duplicateIds.push(e.id); continue; }
        acceptedIds.push(e.id);
        accepted.push(this.insertEvents(e.id, customerId, agentId, it.events, it.raw, receivedAt));
      }
    }).immediate();
    return { accepted, acceptedIds, duplicateIds };
  }

  // New events wait for triage (triaged 0); re-parsed ones do not go through it again (old events open no ticket).
  private insertEvents(envelopeId: string, customerId: string, agentId: string, events: ParsedEvent[], raw: string, receivedAt: string, triaged: 0 | 1 = 0): StoredEvent[] {
    return events.map((ev, seq) => {
      const stored: StoredEvent = { ...ev, id: `${envelopeId}.${seq}`, envelopeId, customerId, agentId, raw, receivedAt };
      this.insertEvent.run(
        stored.id, envelopeId, seq, customerId, agentId, ev.vendor, ev.product ?? null, ev.eventType, ev.severity,
        ev.vendorSeverity ?? null, ev.occurredAt, receivedAt, ev.computer?.name ?? null, ev.computer?.ip ?? null,
        ev.computer?.user ?? null, ev.threat?.name ?? null, ev.threat?.type ?? null, ev.threat?.object ?? null,
        ev.threat?.hash ?? null, ev.action ?? null, ev.handled === undefined ? null : ev.handled ? 1 : 0, ev.count ?? 1,
        ev.computersAffected ?? null, ev.summary, ev.format, JSON.stringify({ ...ev, raw }), triaged,
      );
      return stored;
    });
  }

  listEvents(filter: EventFilter): StoredEvent[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.customerId) { where.push('customer_id = ?'); args.push(filter.customerId); }
    if (filter.since) { where.push('occurred_at >= ?'); args.push(filter.since); }
    if (filter.until) { where.push('occurred_at < ?'); args.push(filter.until); }
    if (filter.eventType) { where.push('event_type = ?'); args.push(filter.eventType); }
    const sql = `SELECT id, envelope_id, customer_id, agent_id, received_at, detail FROM events
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY occurred_at DESC, id DESC LIMIT ?`;
    return this.toStored(this.db.prepare(sql).all(...args, filter.limit ?? 100) as EventRow[]);
  }

  listEventsOfEnvelope(envelopeId: string): StoredEvent[] {
    return this.toStored(this.db.prepare('SELECT id, envelope_id, customer_id, agent_id, received_at, detail FROM events WHERE envelope_id = ? ORDER BY seq').all(envelopeId) as EventRow[]);
  }

  private toStored(rows: EventRow[]): StoredEvent[] {
    return rows.map((r) => {
      const detail = JSON.parse(r.detail) as ParsedEvent & { raw: string };
      return { ...detail, id: r.id, envelopeId: r.envelope_id, customerId: r.customer_id, agentId: r.agent_id, receivedAt: r.received_at };
    });
  }

  untriagedEvents(limit: number): StoredEvent[] {
    return this.toStored(this.db.prepare(`SELECT id, envelope_id, customer_id, agent_id, received_at, detail FROM events
      WHERE triaged = 0 ORDER BY received_at, id LIMIT ?`).all(limit) as EventRow[]);
  }

  markTriaged(eventIds: readonly string[]): void {
    const mark = this.db.prepare('UPDATE events SET triaged = 1 WHERE id = ?');
    this.db.transaction(() => { for (const id of eventIds) mark.run(id); })();
  }

  countEnvelopes(customerId?: string): number {
    return (customerId
      ? this.db.prepare('SELECT COUNT(*) FROM envelopes WHERE customer_id = ?').pluck().get(customerId)
      : this.db.prepare('SELECT COUNT(*) FROM envelopes').pluck().get()) as number;
  }

  envelopesForReparse(filter: { customerId?: string; since?: string; afterId?: string; limit: number }) {
    const where = ['id > ?'];
    const args: (string | number)[] = [filter.afterId ?? ''];
    if (filter.customerId) { where.push('customer_id = ?'); args.push(filter.customerId); }
    if (filter.since) { where.push('captured_at >= ?'); args.push(filter.since); }
    const rows = this.db.prepare(`SELECT id, customer_id, agent_id, received_at, payload FROM envelopes WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`)
      .all(...args, filter.limit) as { id: string; customer_id: string; agent_id: string; received_at: string; payload: string }[];
    return rows.map((r) => ({ id: r.id, customerId: r.customer_id, agentId: r.agent_id, receivedAt: r.received_at, envelope: JSON.parse(r.payload) as Envelope }));
  }

  replaceEvents(envelopeId: string, customerId: string, agentId: string, events: ParsedEvent[], raw: string, receivedAt: string): StoredEvent[] {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE envelope_id = ?').run(envelopeId);
      return this.insertEvents(envelopeId, customerId, agentId, events, raw, receivedAt, 1);
    })();
  }

  recordHeartbeat(agentId: string, customerId: string, heartbeat: Heartbeat, receivedAt: string): void {
    this.db.prepare('INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES (?, ?, ?, ?)')
      .run(agentId, customerId, receivedAt, JSON.stringify(heartbeat));
  }

  lastHeartbeats(): Map<string, { receivedAt: string; heartbeat: Heartbeat }> {
    const rows = this.db.prepare(`SELECT h.agent_id, h.received_at, h.body FROM heartbeats h
      JOIN (SELECT agent_id, MAX(received_at) AS m FROM heartbeats GROUP BY agent_id) x ON x.agent_id = h.agent_id AND x.m = h.received_at`)
      .all() as { agent_id: string; received_at: string; body: string }[];
    return new Map(rows.map((r) => [r.agent_id, { receivedAt: r.received_at, heartbeat: JSON.parse(r.body) as Heartbeat }]));
  }
}

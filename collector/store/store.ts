// The envelope and event store on SQLite, behind the repository interface the rest of the collector uses.
import type { Db } from './db.js';
import type { Envelope, Heartbeat } from '../../protocol/envelope.js';
import type { ParsedEvent, StoredEvent } from '../../protocol/event.js';
import { rawText } from '../parse/input.js';
import type { PreparedEnvelope } from '../ingest/prepare.js';
import { EVENT_FIELD_COLUMNS, eventDetail, eventOfRow, type EventFieldsRow } from './event-row.js';
import { envelopeOfRow, payloadOf } from './envelope-payload.js';

/** The store's migrations, in order (event-migrations.ts). */
export { eventStoreMigrations } from './event-migrations.js';

/** An envelope to store, with the events the parsers made of it: the envelope itself, or as the ingest prepared it
 *  (its head, its JSON, and each event's JSON, maybe without the events themselves: see collector/ingest/prepare.ts). */
export type IncomingEnvelope =
  | { envelope: Envelope; events: ParsedEvent[]; raw: string }
  | PreparedEnvelope;

/** Filters for listing events. */
export interface EventFilter {
  customerId?: string;
  since?: string;
  until?: string;
  eventType?: string;
  limit?: number;
}

/** Work on the events a batch stored, done in the batch's transaction (triage and tickets). */
export type StoredEventsStage = (events: StoredEvent[]) => void;

/** What storeBatch did. */
export interface StoreResult {
  accepted: StoredEvent[][];
  acceptedIds: string[];
  duplicateIds: string[];
  /** The stage threw: its work was rolled back, the batch is stored, and its events are left untriaged. */
  stageError?: unknown;
}

/** The store as the collector's stages see it. A PostgreSQL implementation can stand in later. */
export interface EventRepository {
  /**
   * Stores new envelopes and their events in one transaction; an id already stored is a duplicate, untouched.
   * With a stage, the stage runs on the new events inside the same transaction (one commit, one disk sync, for the
   * batch and its tickets), in a savepoint: if it throws, its work is undone, the batch is still stored, and the
   * events are marked untriaged for the leftovers pass to retry. Without a stage, every new event is untriaged.
   */
  storeBatch(customerId: string, agentId: string, items: IncomingEnvelope[], receivedAt: string, stage?: StoredEventsStage): StoreResult;
  /**
   * Runs `fn` in one transaction, committed once (one disk sync) when it returns and rolled back if it throws. A
   * storeBatch inside it is a savepoint: several batches stored this way commit together (collector/ingest/ingest.ts).
   */
  inTransaction<T>(fn: () => T): T;
  listEvents(filter: EventFilter): StoredEvent[];
  /** The events of an envelope id; with `customerId`, of that customer's envelope only (ids are per customer). */
  listEventsOfEnvelope(envelopeId: string, customerId?: string): StoredEvent[];
  countEnvelopes(customerId?: string): number;
  /** Envelopes for re-parsing, oldest first, in pages. */
  envelopesForReparse(filter: { customerId?: string; since?: string; afterId?: string; afterCustomer?: string; limit: number }): { id: string; customerId: string; agentId: string; receivedAt: string; envelope: Envelope }[];
  /** Replaces the events derived from one envelope. */
  replaceEvents(envelopeId: string, customerId: string, agentId: string, events: ParsedEvent[], raw: string, receivedAt: string): StoredEvent[];
  /** Events stored but not yet through triage (a crash between storage and triage), oldest first. */
  untriagedEvents(limit: number): StoredEvent[];
  /** Marks events as through triage; called in the same transaction as the ticket work. */
  markTriaged(eventIds: readonly string[]): void;
  recordHeartbeat(agentId: string, customerId: string, heartbeat: Heartbeat, receivedAt: string): void;
  lastHeartbeats(): Map<string, { receivedAt: string; heartbeat: Heartbeat }>;
}

interface EventRow extends EventFieldsRow {
  id: string; envelope_id: string; customer_id: string; agent_id: string; received_at: string; payload: string;
}

// The columns every event read selects: the event's own (event-row.ts), and its envelope's payload for the raw text.
const EVENT_COLUMNS = `ev.id, ev.envelope_id, ev.customer_id, ev.agent_id, ev.received_at, ${EVENT_FIELD_COLUMNS}, en.payload`;
const EVENT_FROM = 'events ev JOIN envelopes en ON en.customer_id = ev.customer_id AND en.id = ev.envelope_id';

/** An envelope given whole (re-parsing, tests) in the shape the ingest prepares. */
function asPrepared(it: { envelope: Envelope; events: ParsedEvent[]; raw: string }): PreparedEnvelope {
  const e = it.envelope;
  return {
    id: e.id, transport: e.transport, capturedAt: e.capturedAt, sourceAddress: e.source.address, payload: payloadOf(e),
    raw: it.raw, details: [], events: it.events, // the events are given: their JSON is not needed
  };
}

/** The SQLite implementation. */
export class SqliteEventRepository implements EventRepository {
  private readonly insertEnvelope;
  private readonly insertEvent;

  constructor(private readonly db: Db) {
    this.insertEnvelope = db.prepare(`INSERT INTO envelopes (id, customer_id, agent_id, transport, captured_at, received_at, source_address, payload)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id, id) DO NOTHING`);
    this.insertEvent = db.prepare(`INSERT INTO events (id, envelope_id, seq, customer_id, agent_id, vendor, product, event_type, severity,
      vendor_severity, occurred_at, received_at, computer_name, computer_ip, computer_user, threat_name, threat_type, threat_object,
      threat_hash, action, handled, count, computers_affected, summary, format, detail, triaged)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
  }

  storeBatch(customerId: string, agentId: string, items: IncomingEnvelope[], receivedAt: string, stage?: StoredEventsStage): StoreResult {
    const acceptedIds: string[] = [];
    const duplicateIds: string[] = [];
    const accepted: StoredEvent[][] = [];
    let stageError: unknown;
    // Events are written triaged when the stage runs in this transaction: its outcome commits with them.
    const triaged = stage ? 1 : 0;
    this.db.transaction(() => {
      for (const it of items) {
        const p = 'payload' in it ? it : asPrepared(it);
        const r = this.insertEnvelope.run(p.id, customerId, agentId, p.transport, p.capturedAt, receivedAt, p.sourceAddress, p.payload);
        if (r.changes === 0) { duplicateIds.push(p.id); continue; }
        acceptedIds.push(p.id);
        // Events read back from their JSON are this batch's own objects: they become the stored events in place.
        const events = p.events ?? p.details.map((d) => JSON.parse(d) as ParsedEvent);
        accepted.push(this.insertEvents(p.id, customerId, agentId, events, p.raw, receivedAt, triaged, p.events === undefined, p.rests));
      }
      const events = stage ? accepted.flat() : [];
      if (stage && events.length > 0) {
        try {
          this.db.transaction(() => stage(events))(); // nested: a savepoint
        } catch (err) {
          stageError = err;
          this.setTriaged(events.map((ev) => ev.id), 0);
        }
      }
    }).immediate();
    return { accepted, acceptedIds, duplicateIds, ...(stageError !== undefined ? { stageError } : {}) };
  }

  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // Re-parsed events do not go through triage again (old events open no ticket): they are written triaged.
  // `detail` holds only what the columns do not (event-row.ts); the raw text is the envelope's (rawText), read back
  // from there.
  // An event is `<envelope>.<seq>`; if another customer's envelope of the same id holds that, `<envelope>.<seq>@<customer>`
  // (envelope ids are UUIDs, so that form cannot be sent as one).
  private insertEvents(envelopeId: string, customerId: string, agentId: string, events: ParsedEvent[], raw: string, receivedAt: string,
    triaged: 0 | 1, inPlace = false, rests?: readonly string[]): StoredEvent[] {
    return events.map((ev, seq) => {
      let id = `${envelopeId}.${seq}`;
      const detail = rests?.[seq] ?? eventDetail(ev);
      if (this.insertOneEvent(id, envelopeId, seq, customerId, agentId, ev, receivedAt, detail, triaged) === 0) {
        id = `${id}@${customerId}`;
        this.insertOneEvent(id, envelopeId, seq, customerId, agentId, ev, receivedAt, detail, triaged);
      }
      let stored: StoredEvent;
      if (inPlace) {
        stored = ev as StoredEvent;
        stored.id = id; stored.envelopeId = envelopeId; stored.customerId = customerId; stored.agentId = agentId;
        stored.raw = raw; stored.receivedAt = receivedAt;
      } else {
        stored = { ...ev, id, envelopeId, customerId, agentId, raw, receivedAt };
      }
      return stored;
    });
  }

  // One event row; 0 when its id is taken (by another customer's envelope of the same id).
  private insertOneEvent(id: string, envelopeId: string, seq: number, customerId: string, agentId: string, ev: ParsedEvent,
    receivedAt: string, detail: string, triaged: 0 | 1): number {
    return this.insertEvent.run(
      id, envelopeId, seq, customerId, agentId, ev.vendor, ev.product ?? null, ev.eventType, ev.severity,
      ev.vendorSeverity ?? null, ev.occurredAt, receivedAt, ev.computer?.name ?? null, ev.computer?.ip ?? null,
      ev.computer?.user ?? null, ev.threat?.name ?? null, ev.threat?.type ?? null, ev.threat?.object ?? null,
      ev.threat?.hash ?? null, ev.action ?? null, ev.handled === undefined ? null : ev.handled ? 1 : 0, ev.count ?? 1,
      ev.computersAffected ?? null, ev.summary, ev.format, detail, triaged,
    ).changes;
  }

  listEvents(filter: EventFilter): StoredEvent[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.customerId) { where.push('ev.customer_id = ?'); args.push(filter.customerId); }
    if (filter.since) { where.push('ev.occurred_at >= ?'); args.push(filter.since); }
    if (filter.until) { where.push('ev.occurred_at < ?'); args.push(filter.until); }
    if (filter.eventType) { where.push('ev.event_type = ?'); args.push(filter.eventType); }
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ev.occurred_at DESC, ev.id DESC LIMIT ?`;
    return this.toStored(this.db.prepare(sql).all(...args, filter.limit ?? 100) as EventRow[]);
  }

  listEventsOfEnvelope(envelopeId: string, customerId?: string): StoredEvent[] {
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE ev.envelope_id = ?${customerId === undefined ? '' : ' AND ev.customer_id = ?'}
      ORDER BY ev.customer_id, ev.seq`;
    return this.toStored(this.db.prepare(sql).all(envelopeId, ...(customerId === undefined ? [] : [customerId])) as EventRow[]);
  }

  private toStored(rows: EventRow[]): StoredEvent[] {
    return rows.map((r) => {
      // Events stored before the raw text moved out of `detail` still carry it there.
      const { event, raw } = eventOfRow(r);
      return { ...event, raw: raw ?? rawText(JSON.parse(r.payload) as Envelope), id: r.id, envelopeId: r.envelope_id, customerId: r.customer_id,
        agentId: r.agent_id, receivedAt: r.received_at };
    });
  }

  untriagedEvents(limit: number): StoredEvent[] {
    return this.toStored(this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
      WHERE ev.triaged = 0 ORDER BY ev.received_at, ev.id LIMIT ?`).all(limit) as EventRow[]);
  }

  markTriaged(eventIds: readonly string[]): void {
    this.setTriaged(eventIds, 1);
  }

  private setTriaged(eventIds: readonly string[], triaged: 0 | 1): void {
    const mark = this.db.prepare('UPDATE events SET triaged = ? WHERE id = ?');
    this.db.transaction(() => { for (const id of eventIds) mark.run(triaged, id); })();
  }

  countEnvelopes(customerId?: string): number {
    return (customerId
      ? this.db.prepare('SELECT COUNT(*) FROM envelopes WHERE customer_id = ?').pluck().get(customerId)
      : this.db.prepare('SELECT COUNT(*) FROM envelopes').pluck().get()) as number;
  }

  envelopesForReparse(filter: { customerId?: string; since?: string; afterId?: string; afterCustomer?: string; limit: number }) {
    const where = ['(id, customer_id) > (?, ?)'];
    const args: (string | number)[] = [filter.afterId ?? '', filter.afterCustomer ?? ''];
    if (filter.customerId) { where.push('customer_id = ?'); args.push(filter.customerId); }
    if (filter.since) { where.push('captured_at >= ?'); args.push(filter.since); }
    const rows = this.db.prepare(`SELECT id, customer_id, agent_id, captured_at, received_at, payload FROM envelopes WHERE ${where.join(' AND ')} ORDER BY id, customer_id LIMIT ?`)
      .all(...args, filter.limit) as { id: string; customer_id: string; agent_id: string; captured_at: string; received_at: string; payload: string }[];
    // The payload holds the envelope without its id and capture time, which are the row's (envelope-payload.ts).
    return rows.map((r) => ({ id: r.id, customerId: r.customer_id, agentId: r.agent_id, receivedAt: r.received_at, envelope: envelopeOfRow(r.id, r.captured_at, r.payload) }));
  }

  replaceEvents(envelopeId: string, customerId: string, agentId: string, events: ParsedEvent[], raw: string, receivedAt: string): StoredEvent[] {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE customer_id = ? AND envelope_id = ?').run(customerId, envelopeId);
      return this.insertEvents(envelopeId, customerId, agentId, events, raw, receivedAt, 1);
    })();
  }

  recordHeartbeat(agentId: string, customerId: string, heartbeat: Heartbeat, receivedAt: string): void {
    this.db.prepare('INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES (?, ?, ?, ?)')
      .run(agentId, customerId, receivedAt, JSON.stringify(heartbeat));
  }

  lastHeartbeats(): Map<string, { receivedAt: string; heartbeat: Heartbeat }> {
    // One row per agent, kept by a trigger on heartbeats (lookup-migrations.ts): no scan of the heartbeat index.
    const rows = this.db.prepare('SELECT agent_id, received_at, body FROM agent_last_heartbeat').all() as { agent_id: string; received_at: string; body: string }[];
    return new Map(rows.map((r) => [r.agent_id, { receivedAt: r.received_at, heartbeat: JSON.parse(r.body) as Heartbeat }]));
  }
}

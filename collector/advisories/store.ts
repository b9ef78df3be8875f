// The advisory store. Invariants: an item is stored once (same source+guid, same link, or same title+day is the same
// advisory); a relay record (advisory × customer × contact) is written once and never deleted, so no advisory
// reaches a contact twice, whatever restarts happen; each source's fetch state survives restarts.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db, Migration } from '../store/db.js';
import type { Language } from '../notify/types.js';
import type { Advisory, AdvisoryState, DeliveryMode, FeedItem, RiskLevel } from './types.js';

/** Schema of the advisories, the sources' fetch state and the relay records. */
export const migrations: Migration[] = [{
  id: 'advisories/001-advisories-sources-relays',
  up(db) {
    db.exec(`
      CREATE TABLE advisories (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, identity TEXT NOT NULL UNIQUE, guid TEXT, link TEXT,
        title_key TEXT NOT NULL, vendor TEXT NOT NULL, kind TEXT NOT NULL, risk TEXT NOT NULL, risk_source TEXT NOT NULL,
        title TEXT NOT NULL, summary TEXT NOT NULL, published TEXT, products TEXT NOT NULL, action TEXT,
        state TEXT NOT NULL, first_seen TEXT NOT NULL, decided_by TEXT, decided_at TEXT, drop_reason TEXT, relayed_at TEXT
      );
      CREATE INDEX advisories_guid ON advisories (source, guid);
      CREATE INDEX advisories_link ON advisories (link);
      CREATE INDEX advisories_title ON advisories (title_key);
      CREATE INDEX advisories_state ON advisories (state, first_seen);
      CREATE TABLE advisory_sources (
        source_id TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, last_attempt_at TEXT, last_ok_at TEXT,
        last_error TEXT, last_error_at TEXT, consecutive_failures INTEGER NOT NULL DEFAULT 0,
        items_last INTEGER, new_last INTEGER
      );
      CREATE TABLE advisory_relays (
        advisory_id TEXT NOT NULL REFERENCES advisories(id), customer_id TEXT NOT NULL, contact_id TEXT NOT NULL,
        email TEXT NOT NULL, language TEXT NOT NULL, mode TEXT NOT NULL, digest_date TEXT, state TEXT NOT NULL,
        message_id TEXT, created_at TEXT NOT NULL, sent_at TEXT,
        PRIMARY KEY (advisory_id, customer_id, contact_id)
      );
      CREATE INDEX advisory_relays_state ON advisory_relays (state, digest_date);
    `);
  },
}, {
  id: 'advisories/002-relays-by-contact',
  up(db) {
    // A digest closes one contact's entries of one date with a single statement.
    db.exec('CREATE INDEX advisory_relays_contact ON advisory_relays (customer_id, contact_id, digest_date)');
  },
}];

/** A source's fetch state as stored and shown by `sourceStatus()`. */
export interface SourceState {
  sourceId: string;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  itemsLast: number | null;
  newLast: number | null;
}

/** One relay record: an advisory routed to one contact of one customer. */
export interface RelayRecord {
  advisoryId: string;
  customerId: string;
  contactId: string;
  email: string;
  language: Language;
  mode: DeliveryMode;
  digestDate: string | null;
  /** routing: to queue at once; queued: in the outbox; pending: waits for its digest; sent: in a digest. */
  state: 'routing' | 'queued' | 'pending' | 'sent';
  messageId: string | null;
  createdAt: string;
}

/** One contact's digest of one date. */
export interface DigestGroup {
  digestDate: string;
  customerId: string;
  contactId: string;
}

/** Filter for listing advisories. */
export interface AdvisoryFilter {
  state?: AdvisoryState;
  vendor?: string;
  risk?: RiskLevel;
  source?: string;
  limit?: number;
}

/** How an item is recognised when seen again. */
export function identityOf(source: string, item: FeedItem): { identity: string; titleKey: string } {
  const titleKey = `${item.title.toLowerCase().replace(/\s+/g, ' ').trim()}|${item.published?.slice(0, 10) ?? ''}`;
  const identity = item.guid ? `guid:${source}:${item.guid}` : item.link ? `link:${item.link}` : `title:${titleKey}`;
  return { identity, titleKey };
}

/** A short, stable id a person can type: derived from the identity, so a re-poll finds the same id. */
export function advisoryIdOf(identity: string): string {
  return `adv-${createHash('sha256').update(identity).digest('hex').slice(0, 10)}`;
}

type Row = Record<string, string | number | null>;

/** One key for a customer's contact (contact ids are unique per customer only). */
export function relayKey(customerId: string, contactId: string): string {
  return `${customerId}\u0000${contactId}`;
}
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** SQLite access for the advisory pipeline. */
export class AdvisoryStore {
  private readonly statements = new Map<string, Statement>();
  constructor(private readonly db: Db) {}

  // Prepared once per SQL text: preparing is most of the cost of a small statement.
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The id of the stored advisory this item is, if any (by source+guid, link, or title+day). */
  findExisting(source: string, item: FeedItem): string | undefined {
    const { identity, titleKey } = identityOf(source, item);
    const row = this.sql(`SELECT id FROM advisories WHERE identity = @identity
        OR (@guid IS NOT NULL AND source = @source AND guid = @guid) OR (@link IS NOT NULL AND link = @link)
        OR title_key = @titleKey LIMIT 1`)
      .get({ identity, guid: item.guid ?? null, source, link: item.link ?? null, titleKey }) as { id: string } | undefined;
    return row?.id;
  }

  /** Stores a new advisory. */
  insert(a: Advisory, identity: string, titleKey: string): void {
    this.sql(`INSERT INTO advisories (id, source, identity, guid, link, title_key, vendor, kind, risk, risk_source,
        title, summary, published, products, action, state, first_seen)
      VALUES (@id, @source, @identity, @guid, @link, @titleKey, @vendor, @kind, @risk, @riskSource, @title, @summary,
        @published, @products, @action, @state, @firstSeen)`)
      .run({ ...a, identity, titleKey, products: JSON.stringify(a.products), action: a.action ?? null });
  }

  /** One advisory by id. */
  get(id: string): Advisory | undefined {
    const row = this.sql('SELECT * FROM advisories WHERE id = ?').get(id) as Row | undefined;
    return row ? toAdvisory(row) : undefined;
  }

  /** Advisories, newest first. */
  list(filter: AdvisoryFilter = {}): Advisory[] {
    const rows = this.sql(`SELECT * FROM advisories WHERE (@state IS NULL OR state = @state)
        AND (@vendor IS NULL OR vendor = @vendor) AND (@risk IS NULL OR risk = @risk) AND (@source IS NULL OR source = @source)
      ORDER BY first_seen DESC, id LIMIT @limit`)
      .all({ state: filter.state ?? null, vendor: filter.vendor ?? null, risk: filter.risk ?? null,
        source: filter.source ?? null, limit: filter.limit ?? 100 }) as Row[];
    return rows.map(toAdvisory);
  }

  /** Advisories waiting to be relayed (new and not held, or approved). */
  awaitingRelay(): Advisory[] {
    return (this.sql("SELECT * FROM advisories WHERE state IN ('new', 'approved') ORDER BY first_seen, id").all() as Row[])
      .map(toAdvisory);
  }

  /** Moves an advisory to a state, with who decided and why. */
  setState(id: string, state: AdvisoryState, at: string, by?: string, reason?: string): void {
    this.sql(`UPDATE advisories SET state = @state,
        decided_by = COALESCE(@by, decided_by), decided_at = CASE WHEN @by IS NULL THEN decided_at ELSE @at END,
        drop_reason = COALESCE(@reason, drop_reason), relayed_at = CASE WHEN @state = 'relayed' THEN @at ELSE relayed_at END
      WHERE id = @id`).run({ id, state, at, by: by ?? null, reason: reason ?? null });
  }

  /** A source's stored fetch state (zeroes for a source never fetched). */
  sourceState(sourceId: string): SourceState {
    const row = this.sql('SELECT * FROM advisory_sources WHERE source_id = ?').get(sourceId) as Row | undefined;
    return {
      sourceId, etag: str(row?.etag), lastModified: str(row?.last_modified), lastAttemptAt: str(row?.last_attempt_at),
      lastOkAt: str(row?.last_ok_at), lastError: str(row?.last_error), lastErrorAt: str(row?.last_error_at),
      consecutiveFailures: Number(row?.consecutive_failures ?? 0),
      itemsLast: row?.items_last == null ? null : Number(row.items_last), newLast: row?.new_last == null ? null : Number(row.new_last),
    };
  }

  /** Records a successful fetch (a 304 keeps the validators it had). */
  recordFetchOk(sourceId: string, at: string, v: { etag?: string | null; lastModified?: string | null; items: number; fresh: number }): void {
    this.sql(`INSERT INTO advisory_sources (source_id, etag, last_modified, last_attempt_at, last_ok_at, consecutive_failures, items_last, new_last)
      VALUES (@id, @etag, @lm, @at, @at, 0, @items, @fresh)
      ON CONFLICT (source_id) DO UPDATE SET etag = CASE WHEN @keep THEN etag ELSE @etag END,
        last_modified = CASE WHEN @keep THEN last_modified ELSE @lm END, last_attempt_at = @at, last_ok_at = @at,
        consecutive_failures = 0, items_last = @items, new_last = @fresh`)
      .run({ id: sourceId, at, etag: v.etag ?? null, lm: v.lastModified ?? null, keep: v.etag === undefined ? 1 : 0,
        items: v.items, fresh: v.fresh });
  }

  /** Records a failed fetch or parse. */
  recordFetchError(sourceId: string, at: string, error: string): void {
    this.sql(`INSERT INTO advisory_sources (source_id, last_attempt_at, last_error, last_error_at, consecutive_failures)
      VALUES (@id, @at, @error, @at, 1)
      ON CONFLICT (source_id) DO UPDATE SET last_attempt_at = @at, last_error = @error, last_error_at = @at,
        consecutive_failures = consecutive_failures + 1`).run({ id: sourceId, at, error });
  }

  /** Writes a relay record; false when one existed already. */
  addRelay(r: RelayRecord): boolean {
    // Positional: a fan-out writes a million of these, and binding by name costs more than the values.
    return this.sql(`INSERT OR IGNORE INTO advisory_relays (advisory_id, customer_id, contact_id, email, language, mode,
        digest_date, state, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(r.advisoryId, r.customerId, r.contactId, r.email, r.language, r.mode, r.digestDate, r.state, r.messageId, r.createdAt).changes === 1;
  }

  /** Relay records of one advisory. */
  relaysOf(advisoryId: string): RelayRecord[] {
    return (this.sql('SELECT * FROM advisory_relays WHERE advisory_id = ? ORDER BY customer_id, contact_id').all(advisoryId) as Row[])
      .map(toRelay);
  }

  /** Immediate relay records not handed to the outbox yet, oldest first; at most `limit` of them when given. */
  routingRelays(limit = -1): RelayRecord[] {
    return (this.sql(`SELECT * FROM advisory_relays WHERE state = 'routing' ORDER BY created_at, advisory_id, customer_id, contact_id LIMIT ?`)
      .all(limit) as Row[]).map(toRelay);
  }

  /** The contacts (relayKey of customer and contact) an advisory has a relay record for already. */
  relayedContacts(advisoryId: string): Set<string> {
    const rows = this.sql('SELECT customer_id, contact_id FROM advisory_relays WHERE advisory_id = ?').raw().all(advisoryId) as [string, string][];
    return new Set(rows.map(([customer, contact]) => relayKey(customer, contact)));
  }

  /** Marks immediate relay records as handed to the outbox, with the message ids it returned. */
  markQueued(done: readonly { record: RelayRecord; messageId: string }[]): void {
    const stmt = this.sql(`UPDATE advisory_relays SET state = 'queued', message_id = ?
      WHERE advisory_id = ? AND customer_id = ? AND contact_id = ? AND state = 'routing'`);
    this.db.transaction(() => {
      for (const { record: r, messageId } of done) stmt.run(messageId, r.advisoryId, r.customerId, r.contactId);
    })();
  }

  /** Digest entries still to send whose digest date is on or before the given one. */
  pendingDigest(upTo: string): RelayRecord[] {
    return (this.sql(`SELECT * FROM advisory_relays WHERE state = 'pending' AND digest_date <= ?
      ORDER BY digest_date, customer_id, contact_id, created_at`).all(upTo) as Row[]).map(toRelay);
  }

  /** Who has digest entries due up to the given date: one row per digest date × customer × contact, in that order. */
  pendingDigestGroups(upTo: string): DigestGroup[] {
    return (this.sql(`SELECT DISTINCT digest_date, customer_id, contact_id FROM advisory_relays
      WHERE state = 'pending' AND digest_date <= ? ORDER BY digest_date, customer_id, contact_id`).raw().all(upTo) as [string, string, string][])
      .map(([digestDate, customerId, contactId]) => ({ digestDate, customerId, contactId }));
  }

  /** The advisories of one contact's pending digest entries of one date, in the order they were routed. */
  pendingDigestOf(customerId: string, contactId: string, digestDate: string): string[] {
    return this.sql(`SELECT advisory_id FROM advisory_relays
      WHERE customer_id = ? AND contact_id = ? AND digest_date = ? AND state = 'pending' ORDER BY created_at, rowid`)
      .pluck().all(customerId, contactId, digestDate) as string[];
  }

  /** Marks one contact's pending digest entries of one date as sent in the given message (one statement). */
  markDigestSent(customerId: string, contactId: string, digestDate: string, messageId: string, at: string): number {
    return this.sql(`UPDATE advisory_relays SET state = 'sent', message_id = ?, sent_at = ?
      WHERE customer_id = ? AND contact_id = ? AND digest_date = ? AND state = 'pending'`)
      .run(messageId, at, customerId, contactId, digestDate).changes;
  }

  /** Runs a function that commits many transactions back to back without a WAL checkpoint after each commit (each
   *  one would copy the pages back to the database file and sync it), then checkpoints once. Nothing else runs on
   *  this connection meanwhile: the function is synchronous. */
  withCheckpointDeferred<T>(fn: () => T): T {
    const before = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    if (before <= 0) return fn();
    this.db.pragma('wal_autocheckpoint = 0');
    try {
      return fn();
    } finally {
      this.db.pragma(`wal_autocheckpoint = ${before}`);
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  /** Runs a function in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function toAdvisory(r: Row): Advisory {
  const a: Advisory = {
    id: String(r.id), source: String(r.source), guid: str(r.guid), link: str(r.link), title: String(r.title),
    summary: String(r.summary), published: str(r.published), vendor: String(r.vendor) as Advisory['vendor'],
    products: JSON.parse(String(r.products)) as string[], kind: String(r.kind) as Advisory['kind'],
    risk: String(r.risk) as Advisory['risk'], riskSource: String(r.risk_source) as Advisory['riskSource'],
    state: String(r.state) as AdvisoryState, firstSeen: String(r.first_seen), decidedBy: str(r.decided_by),
    decidedAt: str(r.decided_at), dropReason: str(r.drop_reason), relayedAt: str(r.relayed_at),
  };
  if (r.action) a.action = String(r.action);
  return a;
}

function toRelay(r: Row): RelayRecord {
  return {
    advisoryId: String(r.advisory_id), customerId: String(r.customer_id), contactId: String(r.contact_id),
    email: String(r.email), language: String(r.language) as Language, mode: String(r.mode) as DeliveryMode,
    digestDate: str(r.digest_date), state: String(r.state) as RelayRecord['state'], messageId: str(r.message_id),
    createdAt: String(r.created_at),
  };
}

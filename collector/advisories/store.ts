// The advisory store. Invariants:
//  - an item is stored once (same source+guid, same link, or same title+day is the same advisory);
//  - an advisory is taken by exactly one relay pass: its state becomes 'relayed' and its pass_id is set in the one
//    statement that takes it, and nothing makes it 'new' again;
//  - a customer has at most one delivery per pass and per digest date (primary key), written in the transaction that
//    queues its mails, and never deleted: a pass or a digest resumed after a crash skips the customers it finds done;
//  - each source's fetch state survives restarts.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { canonicalLink, visibleText } from './identity.js';
import { jsonColumns, str, toAdvisory, toDelivery, type AdvisoryFilter, type Delivery, type RelayPass, type Row, type SourceState } from './store-rows.js';
import type { Advisory, AdvisoryState, FeedItem } from './types.js';

export { migrations } from './schema.js';

export type { AdvisoryFilter, Delivery, DeliveryRecipient, RelayPass, SourceState } from './store-rows.js';

/** How an item is recognised when seen again. */
export function identityOf(source: string, item: FeedItem): { identity: string; titleKey: string } {
  const titleKey = `${visibleText(item.title).toLowerCase().replace(/\s+/g, ' ')}|${item.published?.slice(0, 10) ?? ''}`;
  const guid = item.guid ? visibleText(item.guid) : undefined;
  const link = canonicalLink(item.link);
  const identity = guid ? `guid:${source}:${guid}` : link ? `link:${link}` : `title:${titleKey}`;
  return { identity, titleKey };
}

/** A short, stable id a person can type: derived from the identity, so a re-poll finds the same id. */
export function advisoryIdOf(identity: string): string {
  return `adv-${createHash('sha256').update(identity).digest('hex').slice(0, 10)}`;
}

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
    const row = this.sql(`SELECT id FROM advisories WHERE update_of IS NULL AND (identity = @identity
        OR (@guid IS NOT NULL AND source = @source AND guid = @guid) OR (@link IS NOT NULL AND link = @link)
        OR title_key = @titleKey) ORDER BY first_seen, id LIMIT 1`)
      .get({ identity, guid: item.guid ? visibleText(item.guid) : null, source, link: canonicalLink(item.link) ?? null, titleKey }) as { id: string } | undefined;
    return row?.id;
  }

  /** The advisory (never an update) one of these normalised keys belongs to, the first stored. */
  findByKeys(keys: readonly string[]): string | undefined {
    if (keys.length === 0) return undefined;
    return this.sql(`SELECT k.advisory_id FROM advisory_keys k JOIN advisories a ON a.id = k.advisory_id
      WHERE k.key IN (SELECT value FROM json_each(?)) ORDER BY a.first_seen, a.id LIMIT 1`).pluck().get(JSON.stringify(keys)) as string | undefined;
  }

  /** Records keys for an advisory (a key already taken keeps its advisory). */
  addKeys(id: string, keys: readonly string[]): void {
    for (const key of keys) this.sql('INSERT OR IGNORE INTO advisory_keys (key, advisory_id) VALUES (?, ?)').run(key, id);
  }

  /** Stores a new advisory (or an update of one). */
  insert(a: Advisory, identity: string, titleKey: string): void {
    this.sql(`INSERT INTO advisories (id, source, identity, guid, link, title_key, vendor, kind, risk, risk_source,
        title, summary, published, products, action, state, first_seen, publisher, text_language, families, vendor_id,
        vendor_link, vendor_published, affected_versions, fixed_versions, sightings, update_of, changes)
      VALUES (@id, @source, @identity, @guid, @link, @titleKey, @vendor, @kind, @risk, @riskSource, @title, @summary,
        @published, @products, @action, @state, @firstSeen, @publisher, @textLanguage, @families, @vendorId,
        @vendorLink, @vendorPublished, @affectedVersions, @fixedVersions, @sightings, @updateOf, @changes)`)
      .run({ ...a, identity, titleKey, action: a.action ?? null, ...jsonColumns(a) });
  }

  /** Rewrites what a merge may change in a stored advisory: risk, products, versions, vendor fields, sightings. */
  updateMerged(a: Advisory): void {
    this.sql(`UPDATE advisories SET risk = @risk, risk_source = @riskSource, products = @products, families = @families,
        vendor_id = @vendorId, vendor_link = @vendorLink, vendor_published = @vendorPublished,
        affected_versions = @affectedVersions, fixed_versions = @fixedVersions, sightings = @sightings, action = @action
      WHERE id = @id`).run({ ...a, action: a.action ?? null, ...jsonColumns(a) });
  }

  /** Makes an advisory the system dropped for its age 'new' (or 'held') again: a source has just published it. */
  revive(id: string, state: 'new' | 'held'): void {
    this.sql(`UPDATE advisories SET state = @state, drop_reason = NULL, decided_by = NULL, decided_at = NULL
      WHERE id = @id AND state = 'dropped' AND decided_by = 'system'`).run({ id, state });
  }

  /** How many updates of an advisory are stored. */
  updateCount(id: string): number {
    return Number(this.sql('SELECT COUNT(*) FROM advisories WHERE update_of = ?').pluck().get(id));
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

  /** Takes every advisory that may go (new, or approved; only `onlyId` when given) into a new pass, in one
   *  transaction: they become 'relayed' with the pass id and, when below high, the pass's digest date. Returns the
   *  pass, or undefined when nothing may go. */
  openPass(id: string, at: string, digestDate: string, onlyId?: string): RelayPass | undefined {
    return this.transaction(() => {
      const taken = this.sql(`UPDATE advisories SET state = 'relayed', relayed_at = @at, pass_id = @id,
          digest_date = CASE WHEN risk IN ('critical', 'high') THEN NULL ELSE @digestDate END
        WHERE state IN ('new', 'approved') AND (@onlyId IS NULL OR id = @onlyId)`)
        .run({ id, at, digestDate, onlyId: onlyId ?? null }).changes;
      if (taken === 0) return undefined;
      this.sql('INSERT INTO advisory_passes (id, at, digest_date, advisories) VALUES (?, ?, ?, ?)').run(id, at, digestDate, taken);
      return { id, at, digestDate, advisories: taken, doneAt: null };
    });
  }

  /** Passes not delivered to every customer yet, oldest first. */
  openPasses(): RelayPass[] {
    return (this.sql('SELECT * FROM advisory_passes WHERE done_at IS NULL ORDER BY at, id').all() as Row[]).map((r) => ({
      id: String(r.id), at: String(r.at), digestDate: String(r.digest_date), advisories: Number(r.advisories), doneAt: null,
    }));
  }

  /** Marks a pass delivered to every customer. */
  closePass(id: string, at: string): void {
    this.sql('UPDATE advisory_passes SET done_at = ? WHERE id = ?').run(at, id);
  }

  /** The advisories a pass took. */
  passAdvisories(passId: string): Advisory[] {
    return (this.sql('SELECT * FROM advisories WHERE pass_id = ?').all(passId) as Row[]).map(toAdvisory);
  }

  /** Whether a customer has its delivery of a pass or a digest date already. */
  delivered(kind: Delivery['kind'], batch: string, customerId: string): boolean {
    return this.sql('SELECT 1 FROM advisory_deliveries WHERE kind = ? AND batch = ? AND customer_id = ?').pluck().get(kind, batch, customerId) !== undefined;
  }

  /** Records what a customer was sent; false when it had its delivery of that pass or date already. */
  addDelivery(d: Delivery): boolean {
    return this.sql(`INSERT OR IGNORE INTO advisory_deliveries (kind, batch, customer_id, advisory_ids, recipients, created_at)
      VALUES (?, ?, ?, ?, ?, ?)`)
      .run(d.kind, d.batch, d.customerId, JSON.stringify(d.advisoryIds), JSON.stringify(d.recipients), d.createdAt).changes === 1;
  }

  /** The deliveries that carried an advisory: its pass's, and its digest's. */
  deliveriesOf(advisory: Pick<Advisory, 'id' | 'passId' | 'digestDate'>): Delivery[] {
    const rows = this.sql(`SELECT * FROM advisory_deliveries d
      WHERE ((d.kind = 'pass' AND d.batch = @passId) OR (d.kind = 'digest' AND d.batch = @digestDate))
        AND EXISTS (SELECT 1 FROM json_each(d.advisory_ids) WHERE value = @id)
      ORDER BY d.created_at, d.kind, d.customer_id`)
      .all({ id: advisory.id, passId: advisory.passId, digestDate: advisory.digestDate }) as Row[];
    return rows.map(toDelivery);
  }

  /** Digest dates up to `upTo` with advisories whose digest is not done yet, oldest first. */
  dueDigestDates(upTo: string): string[] {
    return this.sql(`SELECT DISTINCT digest_date FROM advisories WHERE digest_date IS NOT NULL AND digest_date <= ?
        AND state = 'relayed' AND digest_date NOT IN (SELECT digest_date FROM advisory_digest_runs) ORDER BY digest_date`)
      .pluck().all(upTo) as string[];
  }

  /** The advisories of one digest date. */
  digestAdvisories(digestDate: string): Advisory[] {
    return (this.sql("SELECT * FROM advisories WHERE digest_date = ? AND state = 'relayed'").all(digestDate) as Row[]).map(toAdvisory);
  }

  /** The passes that took a digest date's advisories. */
  passesOfDigest(digestDate: string): string[] {
    return this.sql("SELECT DISTINCT pass_id FROM advisories WHERE digest_date = ? AND pass_id IS NOT NULL").pluck().all(digestDate) as string[];
  }

  /** The advisories a customer was sent at once by the given passes. */
  sentAtOnce(customerId: string, passIds: readonly string[]): Set<string> {
    const rows = this.sql(`SELECT advisory_ids FROM advisory_deliveries
      WHERE kind = 'pass' AND batch IN (SELECT value FROM json_each(?)) AND customer_id = ?`).pluck().all(JSON.stringify(passIds), customerId) as string[];
    const ids = new Set<string>();
    for (const row of rows) for (const id of JSON.parse(row) as string[]) ids.add(id);
    return ids;
  }

  /** Whether every customer's digest of a date is done. */
  digestDone(digestDate: string): boolean {
    return this.sql('SELECT 1 FROM advisory_digest_runs WHERE digest_date = ?').pluck().get(digestDate) !== undefined;
  }

  /** Marks a digest date done for every customer. */
  closeDigestDate(digestDate: string, at: string): void {
    this.sql('INSERT OR IGNORE INTO advisory_digest_runs (digest_date, done_at) VALUES (?, ?)').run(digestDate, at);
  }

  /** Runs a function in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

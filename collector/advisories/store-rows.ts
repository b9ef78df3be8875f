// The advisory store's row shapes and their conversions: what SQLite holds (JSON columns as text) ↔ the objects.
import type { Language } from '../notify/types.js';
import type { ProductVendor } from '../registry/types.js';
import type { Advisory, AdvisorySighting, AdvisoryState, RiskLevel } from './types.js';

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

/** A relay pass: the advisories one poll (or one approve) relays, delivered customer by customer. */
export interface RelayPass {
  id: string;
  at: string;
  /** The digest date of the pass's medium/low/info advisories. */
  digestDate: string;
  advisories: number;
  /** Null while customers remain to be delivered (a pass cut short by a crash or a stop is resumed). */
  doneAt: string | null;
}

/** One contact's part of a delivery. */
export interface DeliveryRecipient {
  contactId: string;
  email: string;
  language: Language;
  /** The outbox message the contact was sent. */
  messageId: string;
  /** The vendors whose advisories of the delivery this contact received. */
  vendors: ProductVendor[];
  /** How many advisories the contact's mail holds (absent on records carried over from advisory_relays). */
  items?: number;
  /** The advisories the contact's mail holds (absent on records written before issue 19). */
  advisoryIds?: string[];
}

/** What one customer was sent in one pass (kind 'pass', batch = pass id) or one digest (batch = digest date). */
export interface Delivery {
  kind: 'pass' | 'digest';
  batch: string;
  customerId: string;
  advisoryIds: string[];
  recipients: DeliveryRecipient[];
  createdAt: string;
}

/** Filter for listing advisories. */
export interface AdvisoryFilter {
  state?: AdvisoryState;
  vendor?: string;
  risk?: RiskLevel;
  source?: string;
  limit?: number;
}

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, string | number | null>;
/** A nullable column as a string or null. */
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A row of advisories as an advisory. */
export function toAdvisory(r: Row): Advisory {
  const a: Advisory = {
    id: String(r.id), source: String(r.source), guid: str(r.guid), link: str(r.link), title: String(r.title),
    summary: String(r.summary), published: str(r.published), vendor: String(r.vendor) as Advisory['vendor'],
    products: JSON.parse(String(r.products)) as string[], kind: String(r.kind) as Advisory['kind'],
    risk: String(r.risk) as Advisory['risk'], riskSource: String(r.risk_source) as Advisory['riskSource'],
    state: String(r.state) as AdvisoryState, firstSeen: String(r.first_seen), decidedBy: str(r.decided_by),
    decidedAt: str(r.decided_at), dropReason: str(r.drop_reason), relayedAt: str(r.relayed_at),
    passId: str(r.pass_id), digestDate: str(r.digest_date),
    publisher: String(r.publisher ?? 'other') as Advisory['publisher'], textLanguage: r.text_language === 'es' ? 'es' : 'en',
    families: list(r.families), vendorId: str(r.vendor_id), vendorLink: str(r.vendor_link), vendorPublished: str(r.vendor_published),
    affectedVersions: list(r.affected_versions), fixedVersions: list(r.fixed_versions),
    sightings: JSON.parse(String(r.sightings ?? '[]')) as AdvisorySighting[], updateOf: str(r.update_of), changes: list(r.changes),
  };
  if (r.action) a.action = String(r.action);
  return a;
}

const list = (v: unknown): string[] => JSON.parse(String(v ?? '[]')) as string[];

/** An advisory's JSON columns as text. */
export function jsonColumns(a: Advisory): Record<string, string> {
  return {
    products: JSON.stringify(a.products), families: JSON.stringify(a.families), affectedVersions: JSON.stringify(a.affectedVersions),
    fixedVersions: JSON.stringify(a.fixedVersions), sightings: JSON.stringify(a.sightings), changes: JSON.stringify(a.changes),
  };
}

/** A row of advisory_deliveries as a delivery. */
export function toDelivery(r: Row): Delivery {
  return {
    kind: String(r.kind) as Delivery['kind'], batch: String(r.batch), customerId: String(r.customer_id),
    advisoryIds: JSON.parse(String(r.advisory_ids)) as string[], recipients: JSON.parse(String(r.recipients)) as DeliveryRecipient[],
    createdAt: String(r.created_at),
  };
}

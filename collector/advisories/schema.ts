// The advisory tables and their migrations. 001 and 002 are released as they are; 003 replaces the relay record per
// advisory × contact (advisory_relays) with relay passes and one delivery row per pass × customer (or digest date ×
// customer), and carries the old records over.
import type { Db, Migration } from '../store/db.js';
import { normalizeCve } from './identity.js';

/** Schema of the advisories, the sources' fetch state, relay passes and deliveries. */
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
}, {
  id: 'advisories/003-passes-and-deliveries',
  up(db) {
    // advisories.pass_id: the relay pass that took the advisory (set once, with state 'relayed').
    // advisories.digest_date: for medium/low/info ones, the digest they belong to; its audience is computed then.
    // advisory_passes: one row per relay pass (a poll's, or an approve's); done_at NULL while customers remain.
    // advisory_deliveries: what one customer was sent, written in the transaction that queues the mails:
    //   kind 'pass' (batch = pass id) or 'digest' (batch = digest date); advisory_ids and recipients are JSON.
    // advisory_digest_runs: digest dates whose every customer is done.
    db.exec(`
      ALTER TABLE advisories ADD COLUMN pass_id TEXT;
      ALTER TABLE advisories ADD COLUMN digest_date TEXT;
      CREATE INDEX advisories_pass ON advisories (pass_id) WHERE pass_id IS NOT NULL;
      CREATE INDEX advisories_digest ON advisories (digest_date) WHERE digest_date IS NOT NULL;
      CREATE TABLE advisory_passes (
        id TEXT PRIMARY KEY, at TEXT NOT NULL, digest_date TEXT NOT NULL, advisories INTEGER NOT NULL, done_at TEXT
      );
      CREATE INDEX advisory_passes_open ON advisory_passes (at) WHERE done_at IS NULL;
      CREATE TABLE advisory_deliveries (
        kind TEXT NOT NULL CHECK (kind IN ('pass', 'digest')), batch TEXT NOT NULL, customer_id TEXT NOT NULL,
        advisory_ids TEXT NOT NULL, recipients TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (kind, batch, customer_id)
      );
      CREATE INDEX advisory_deliveries_customer ON advisory_deliveries (customer_id, created_at);
      CREATE TABLE advisory_digest_runs (digest_date TEXT PRIMARY KEY, done_at TEXT NOT NULL);
    `);
    carryOverRelayRecords(db);
    db.exec('DROP TABLE advisory_relays');
  },
}, {
  id: 'advisories/004-identity-products-publisher',
  up(db) {
    // advisory_keys: the normalised keys (CVE ids, "vendor:CA8810") that make items of any source one advisory.
    // sightings: every source that carried it (JSON); update_of/changes: an update relayed after the advisory.
    db.exec(`
      ALTER TABLE advisories ADD COLUMN publisher TEXT NOT NULL DEFAULT 'other';
      ALTER TABLE advisories ADD COLUMN text_language TEXT NOT NULL DEFAULT 'en';
      ALTER TABLE advisories ADD COLUMN families TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE advisories ADD COLUMN vendor_id TEXT;
      ALTER TABLE advisories ADD COLUMN vendor_link TEXT;
      ALTER TABLE advisories ADD COLUMN vendor_published TEXT;
      ALTER TABLE advisories ADD COLUMN affected_versions TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE advisories ADD COLUMN fixed_versions TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE advisories ADD COLUMN sightings TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE advisories ADD COLUMN update_of TEXT;
      ALTER TABLE advisories ADD COLUMN changes TEXT NOT NULL DEFAULT '[]';
      CREATE INDEX advisories_update_of ON advisories (update_of) WHERE update_of IS NOT NULL;
      CREATE TABLE advisory_keys (key TEXT PRIMARY KEY, advisory_id TEXT NOT NULL REFERENCES advisories(id));
    `);
    db.exec(`UPDATE advisories SET publisher = CASE WHEN guid LIKE 'kev:%' THEN 'cisa' WHEN guid LIKE 'broadcom:%' THEN 'vendor'
      ELSE 'other' END`);
    // Stored KEV entries keep their CVE as a key (the one a re-publication without the zero-width space must find).
    const rows = db.prepare("SELECT id, guid FROM advisories WHERE guid LIKE 'kev:%' ORDER BY first_seen, id").all() as { id: string; guid: string }[];
    const insert = db.prepare('INSERT OR IGNORE INTO advisory_keys (key, advisory_id) VALUES (?, ?)');
    for (const r of rows) {
      const cve = normalizeCve(r.guid.slice(4));
      if (cve) insert.run(cve, r.id);
    }
  },
}];

interface OldRecord {
  advisory_id: string; customer_id: string; contact_id: string; email: string; language: string; mode: string;
  digest_date: string | null; state: string; message_id: string | null; created_at: string; sent_at: string | null;
  vendor: string;
}

// The records of advisory_relays as deliveries, streamed in groups (one group's records at a time in memory):
//  - at-once records of an advisory × customer, all queued → a 'pass' delivery of batch "legacy:<advisory>";
//  - an advisory with records still 'routing' (a two-phase pass cut short) → an open pass "legacy:<advisory>", so the
//    next relay delivers it; contacts already queued are not sent it again (same dedup key advisory × contact);
//  - digest records give the advisory its digest_date; those of a date × customer, all sent → a 'digest' delivery;
//    a date without pending records is done; a customer with pending ones gets that date's digest made anew at the
//    digest hour (its contacts who had it already are not sent it again: the digest's dedup key is unchanged).
function carryOverRelayRecords(db: Db): void {
  db.exec(`UPDATE advisories SET pass_id = 'legacy:' || id WHERE id IN (SELECT advisory_id FROM advisory_relays)`);
  db.exec(`UPDATE advisories SET digest_date = (SELECT MIN(digest_date) FROM advisory_relays r
    WHERE r.advisory_id = advisories.id AND r.mode = 'digest') WHERE id IN (SELECT advisory_id FROM advisory_relays WHERE mode = 'digest')`);
  db.exec(`INSERT INTO advisory_passes (id, at, digest_date, advisories, done_at)
    SELECT 'legacy:' || advisory_id, MIN(created_at), COALESCE(MIN(digest_date), substr(MIN(created_at), 1, 10)), 1, NULL
    FROM advisory_relays WHERE advisory_id IN (SELECT advisory_id FROM advisory_relays WHERE state = 'routing') GROUP BY advisory_id`);
  const insert = db.prepare(`INSERT OR IGNORE INTO advisory_deliveries (kind, batch, customer_id, advisory_ids, recipients, created_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const write = (kind: 'pass' | 'digest', batch: string, group: OldRecord[]): void => {
    const ids = [...new Set(group.map((r) => r.advisory_id))];
    const byContact = new Map<string, { contactId: string; email: string; language: string; messageId: string | null; vendors: Set<string> }>();
    for (const r of group) {
      const c = byContact.get(r.contact_id) ?? { contactId: r.contact_id, email: r.email, language: r.language, messageId: r.message_id, vendors: new Set<string>() };
      c.vendors.add(r.vendor);
      byContact.set(r.contact_id, c);
    }
    const recipients = [...byContact.values()].map((c) => ({ ...c, vendors: [...c.vendors].sort() }));
    const at = group.map((r) => r.sent_at ?? r.created_at).sort()[0]!;
    insert.run(kind, batch, group[0]!.customer_id, JSON.stringify(ids), JSON.stringify(recipients), at);
  };
  // Read a page at a time by key (the connection cannot write while a statement iterates), a group's records together.
  const groups = (mode: string, first: 'advisory_id' | 'digest_date', flush: (group: OldRecord[]) => void): void => {
    const page = db.prepare(`SELECT r.*, a.vendor FROM advisory_relays r JOIN advisories a ON a.id = r.advisory_id
      WHERE r.mode = ? AND (r.${first}, r.customer_id, r.contact_id) > (?, ?, ?)
      ORDER BY r.${first}, r.customer_id, r.contact_id LIMIT 10000`);
    const keyOf = (r: OldRecord): string => `${r[first] ?? ''}\u0000${r.customer_id}`;
    let group: OldRecord[] = [];
    let after: [string, string, string] = ['', '', ''];
    for (;;) {
      const rows = page.all(mode, ...after) as OldRecord[];
      if (rows.length === 0) break;
      for (const r of rows) {
        if (group.length > 0 && keyOf(group[0]!) !== keyOf(r)) { flush(group); group = []; }
        group.push(r);
      }
      const last = rows.at(-1)!;
      after = [last[first] ?? '', last.customer_id, last.contact_id];
    }
    if (group.length > 0) flush(group);
  };
  groups('immediate', 'advisory_id',
    (group) => { if (group.every((r) => r.state === 'queued')) write('pass', `legacy:${group[0]!.advisory_id}`, group); });
  groups('digest', 'digest_date',
    (group) => { if (group.every((r) => r.state === 'sent')) write('digest', group[0]!.digest_date ?? '', group); });
  db.exec(`INSERT INTO advisory_digest_runs (digest_date, done_at)
    SELECT digest_date, MAX(sent_at) FROM advisory_relays WHERE mode = 'digest' AND digest_date IS NOT NULL
    GROUP BY digest_date HAVING SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) = 0`);
}

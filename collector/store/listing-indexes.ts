// Indexes that serve the listings an operator or the console asks for newest first (issue 20), found by
// test/collector/query-plans.test.ts, which puts every statement of those listings through EXPLAIN QUERY PLAN: without
// them each page sorted the whole table (`ticket list`, /v1/tickets and the console's ticket lists, `notification
// list` and the console's notifications page, `advisory list` and the console's advisories page). With them, the
// newest page is read from the end of the index and the walk stops at the LIMIT.
import type { Migration } from './db.js';

/** Newest-first listing indexes, after every table they index. */
export const listingIndexMigrations: readonly Migration[] = [{
  id: 'listings/001-newest-first',
  up(db) {
    db.exec(`
      CREATE INDEX IF NOT EXISTS tickets_opened ON tickets (opened_at, number);
      CREATE INDEX IF NOT EXISTS notify_outbox_created ON notify_outbox (created_at, id);
      CREATE INDEX IF NOT EXISTS advisories_first_seen ON advisories (first_seen DESC, id); -- the listing orders first_seen DESC, id ASC
    `);
  },
}];

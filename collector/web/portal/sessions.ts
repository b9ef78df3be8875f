// The portal's sign-in for designated contacts: a one-time link mailed to the contact's address (works once, expires)
// opens a session bound to her customer. Only SHA-256 hashes of links and session ids are stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../lib/clock.js';
import type { Db, Migration } from '../../store/db.js';

/** The portal's tables. */
export const portalMigrations: Migration[] = [{
  id: 'portal/001-sign-in',
  up(db) {
    db.exec(`
      CREATE TABLE portal_links (
        token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL, email TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
      ) WITHOUT ROWID;
      CREATE TABLE portal_sessions (
        id_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL, email TEXT NOT NULL, csrf TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
}];

/** A signed-in contact. */
export interface PortalSession {
  customerId: string;
  email: string;
  csrf: string;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex');
const token = (): string => randomBytes(32).toString('base64url');

/** Links and sessions over the collector's database. */
export class PortalSessions {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly opts: { linkMinutes: number; sessionHours: number }) {}

  /** A new one-time link token for a contact (the caller mails it). */
  createLink(customerId: string, email: string): string {
    const t = token();
    const now = this.clock();
    this.db.prepare('INSERT INTO portal_links (token_hash, customer_id, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(hash(t), customerId, email.toLowerCase(), now.toISOString(), new Date(now.getTime() + this.opts.linkMinutes * 60_000).toISOString());
    return t;
  }

  /** Spends a link: a new session id when it is unused and unexpired (once: the UPDATE decides), else undefined. */
  redeem(linkToken: string): { sessionId: string; session: PortalSession } | undefined {
    const now = this.clock().toISOString();
    const row = this.db.prepare(`UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
      RETURNING customer_id AS customerId, email`).get(now, hash(linkToken), now) as { customerId: string; email: string } | undefined;
    if (!row) return undefined;
    const sessionId = token();
    const csrf = token();
    const expires = new Date(this.clock().getTime() + this.opts.sessionHours * 3_600_000).toISOString();
    this.db.prepare('INSERT INTO portal_sessions (id_hash, customer_id, email, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(hash(sessionId), row.customerId, row.email, csrf, now, expires);
    return { sessionId, session: { customerId: row.customerId, email: row.email, csrf } };
  }

  /** The live session of an id. */
  session(sessionId: string): PortalSession | undefined {
    return this.db.prepare('SELECT customer_id AS customerId, email, csrf FROM portal_sessions WHERE id_hash = ? AND expires_at > ?')
      .get(hash(sessionId), this.clock().toISOString()) as PortalSession | undefined;
  }

  /** Ends a session. */
  end(sessionId: string): void {
    this.db.prepare('DELETE FROM portal_sessions WHERE id_hash = ?').run(hash(sessionId));
  }
}

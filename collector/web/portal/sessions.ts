// The portal's sign-in for designated contacts: a one-time link mailed to the contact's address (works once, expires)
// opens a session bound to her customer, or lets her set her password (portal/002). Only SHA-256 hashes of links and
// session ids are stored. A session carries the language its pages are read in.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../lib/clock.js';
import type { Language } from '../../../lib/people.js';
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

/** What a one-time link is for: signing in, or setting the contact's password (then signing in). */
export type LinkPurpose = 'sign-in' | 'password';

/** The language column of sessions and the purpose of links (applied at the end of the collector's list). */
export const portalSessionMigrations: Migration[] = [{
  id: 'portal/002-link-purpose-session-language',
  up(db) {
    db.exec(`
      ALTER TABLE portal_links ADD COLUMN purpose TEXT NOT NULL DEFAULT 'sign-in' CHECK (purpose IN ('sign-in','password'));
      ALTER TABLE portal_sessions ADD COLUMN language TEXT NOT NULL DEFAULT 'es' CHECK (language IN ('es','en'));
    `);
  },
}];

/** A signed-in contact. */
export interface PortalSession {
  customerId: string;
  email: string;
  csrf: string;
  language: Language;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex');
const token = (): string => randomBytes(32).toString('base64url');

/** Links and sessions over the collector's database. */
export class PortalSessions {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly opts: { linkMinutes: number; sessionHours: number }) {}

  /** A new one-time link token for a contact (the caller mails it). */
  createLink(customerId: string, email: string, purpose: LinkPurpose = 'sign-in'): string {
    const t = token();
    const now = this.clock();
    this.db.prepare('INSERT INTO portal_links (token_hash, customer_id, email, created_at, expires_at, purpose) VALUES (?, ?, ?, ?, ?, ?)')
      .run(hash(t), customerId, email.toLowerCase(), now.toISOString(), new Date(now.getTime() + this.opts.linkMinutes * 60_000).toISOString(), purpose);
    return t;
  }

  /** Whether a link is unused and unexpired (the set-password form is shown only then; nothing is spent). */
  valid(linkToken: string, purpose: LinkPurpose): boolean {
    return this.db.prepare('SELECT 1 FROM portal_links WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?')
      .get(hash(linkToken), purpose, this.clock().toISOString()) !== undefined;
  }

  /** Spends a link of that purpose: whose it was when unused and unexpired (once: the UPDATE decides), else undefined. */
  spend(linkToken: string, purpose: LinkPurpose): { customerId: string; email: string } | undefined {
    const now = this.clock().toISOString();
    return this.db.prepare(`UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
      RETURNING customer_id AS customerId, email`).get(now, hash(linkToken), purpose, now) as { customerId: string; email: string } | undefined;
  }

  /** Opens a session for a contact (after a spent link or a checked password); returns its id, never stored. */
  open(customerId: string, email: string, language: Language): { sessionId: string; session: PortalSession } {
    const sessionId = token();
    const csrf = token();
    const now = this.clock();
    const expires = new Date(now.getTime() + this.opts.sessionHours * 3_600_000).toISOString();
    this.db.prepare('INSERT INTO portal_sessions (id_hash, customer_id, email, csrf, created_at, expires_at, language) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(hash(sessionId), customerId, email.toLowerCase(), csrf, now.toISOString(), expires, language);
    return { sessionId, session: { customerId, email: email.toLowerCase(), csrf, language } };
  }

  /** Sets the language a session's pages are read in (the header's switch). */
  setLanguage(sessionId: string, language: Language): void {
    this.db.prepare('UPDATE portal_sessions SET language = ? WHERE id_hash = ?').run(language, hash(sessionId));
  }

  /** The live session of an id. */
  session(sessionId: string): PortalSession | undefined {
    return this.db.prepare('SELECT customer_id AS customerId, email, csrf, language FROM portal_sessions WHERE id_hash = ? AND expires_at > ?')
      .get(hash(sessionId), this.clock().toISOString()) as PortalSession | undefined;
  }

  /** Ends a session. */
  end(sessionId: string): void {
    this.db.prepare('DELETE FROM portal_sessions WHERE id_hash = ?').run(hash(sessionId));
  }
}

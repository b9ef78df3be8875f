// Contacts' portal passwords, for providers that prefer them to mailed links (cases.portal.signIn): argon2id hashes
// made by the engineers' accounts' own functions (collector/accounts/passwords.ts), one per contact address. A contact
// sets hers through a one-time link mailed to her address (the same links as the sign-in's, purpose 'password').
import type { Db, Migration } from '../../store/db.js';
import { hashPassword, verifyPassword } from '../../accounts/passwords.js';

/** The passwords' table (applied at the end of the collector's list). */
export const portalPasswordMigrations: Migration[] = [{
  id: 'portal/003-contact-passwords',
  up(db) {
    db.exec('CREATE TABLE portal_passwords (email TEXT PRIMARY KEY, hash TEXT NOT NULL, set_at TEXT NOT NULL) WITHOUT ROWID');
  },
}];

/** Contacts' password hashes over the collector's database. */
export class PortalPasswords {
  constructor(private readonly db: Db) {}

  /** Hashes a password (length checked: accounts' MIN_PASSWORD_LENGTH); the caller stores it with `store`. */
  hash(password: string): Promise<string> {
    return hashPassword(password);
  }

  /** Stores a contact's hash, replacing the one before. */
  store(email: string, hash: string, at: string): void {
    this.db.prepare(`INSERT INTO portal_passwords (email, hash, set_at) VALUES (?, ?, ?)
      ON CONFLICT (email) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at`).run(email.toLowerCase(), hash, at);
  }

  /** Whether the password is the contact's; an address without one costs the same time and says no. */
  async check(email: string | undefined, password: string): Promise<boolean> {
    const row = email ? this.db.prepare('SELECT hash FROM portal_passwords WHERE email = ?').get(email.toLowerCase()) as { hash: string } | undefined : undefined;
    return verifyPassword(row?.hash, password);
  }
}

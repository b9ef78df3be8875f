// Console sessions: a random cookie value, kept as its SHA-256; idle and absolute expiry; revoked at once when the
// user is disabled or their role or password changes (AccountStore calls revokeAll).
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { Db } from '../store/db.js';

/** How long a session lives. */
export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** Default limits: 30 minutes idle, 12 hours in all (a shift). */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A session row, as found by its cookie. */
export interface SessionRow { id: string; login: string; csrf: string }

/** Session storage. */
export class SessionStore {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  /** Opens a session; returns the cookie value (shown to the browser only) and its CSRF token. */
  create(login: string, address: string | null): { token: string; csrf: string; id: string } {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = this.clock().getTime();
    const id = sha256(token);
    this.db.prepare('INSERT INTO user_sessions (id, login, csrf, address, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, login, csrf, address, now, now);
    return { token, csrf, id };
  }

  /** The live session of a cookie value, touched (idle clock restarted); undefined when unknown, revoked or expired. */
  find(token: string): SessionRow | undefined {
    const now = this.clock().getTime();
    const id = sha256(token);
    const row = this.db.prepare('SELECT id, login, csrf, created_at, last_seen_at, revoked_at FROM user_sessions WHERE id = ?')
      .get(id) as (SessionRow & { created_at: number; last_seen_at: number; revoked_at: number | null }) | undefined;
    if (!row || row.revoked_at !== null) return undefined;
    if (now - row.last_seen_at > this.limits.idleMs || now - row.created_at > this.limits.absoluteMs) return undefined;
    // Written at most once a minute per session: polling pages must not write on every request.
    if (now - row.last_seen_at > 60_000) this.db.prepare('UPDATE user_sessions SET last_seen_at = ? WHERE id = ?').run(now, id);
    return { id: row.id, login: row.login, csrf: row.csrf };
  }

  /** Ends one session (logout). */
  end(token: string): void {
    this.db.prepare('UPDATE user_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.clock().getTime(), sha256(token));
  }

  /** Ends every session of a user; returns how many were open. */
  revokeAll(login: string): number {
    return this.db.prepare('UPDATE user_sessions SET revoked_at = ? WHERE login = ? AND revoked_at IS NULL').run(this.clock().getTime(), login).changes;
  }

  /** Deletes sessions past their absolute expiry. */
  prune(): number {
    return this.db.prepare('DELETE FROM user_sessions WHERE created_at < ?').run(this.clock().getTime() - this.limits.absoluteMs).changes;
  }
}

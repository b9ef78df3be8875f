// The shapes of the CAS console's accounts: engineers, their roles, sessions and audit lines.
import type { Language } from '../notify/types.js';

/** The roles an engineer may hold: the support levels, the lead (may change everything) and read-only. */
export const ROLES = ['l1', 'l2', 'l3', 'lead', 'read-only'] as const;
export type Role = (typeof ROLES)[number];

/** An engineer's account, without the password hash. */
export interface User {
  login: string;
  name: string;
  email: string;
  role: Role;
  language: Language;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What adding a user takes. */
export interface NewUser {
  login: string;
  name: string;
  email: string;
  role: Role;
  language?: Language;
  password: string;
}

/** Who made a change: a person's login, `cli:<os user>`, `service` (the shared admin token) or `system`. */
export type Actor = string;

/** One line of the audit log. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: Actor;
  action: string;
  target: string | null;
  detail: string | null;
}

/** A live session, as a request sees it. */
export interface SessionInfo {
  user: User;
  /** The token every form POST of this session must carry. */
  csrf: string;
  /** The session's id (a hash of the cookie value). */
  id: string;
}

/** A personal API token's record (the token itself is shown once and kept only as a hash). */
export interface ApiTokenInfo {
  id: string;
  login: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

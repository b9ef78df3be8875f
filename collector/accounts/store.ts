// The accounts of the CAS console: engineers (argon2id passwords), their sessions and personal API tokens, and an
// audit log of every change with who made it. One SQLite file with the rest of the collector.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { XpearsError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Language } from '../notify/types.js';
import type { Db } from '../store/db.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { SessionStore, type SessionLimits } from './sessions.js';
import { ROLES, type Actor, type ApiTokenInfo, type AuditEntry, type NewUser, type Role, type SessionInfo, type User } from './types.js';

const LOGIN = /^[a-z][a-z0-9._-]{1,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

type UserRow = { login: string; name: string; email: string; role: Role; language: Language; disabled_at: string | null; created_at: string; updated_at: string };
const toUser = (r: UserRow): User => ({ login: r.login, name: r.name, email: r.email, role: r.role, language: r.language,
  disabledAt: r.disabled_at, createdAt: r.created_at, updatedAt: r.updated_at });
const USER_COLUMNS = 'login, name, email, role, language, disabled_at, created_at, updated_at';

/** Checks a role name. */
export function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new XpearsError('INVALID_ARGUMENT', `unknown role "${value}"; roles: ${ROLES.join(', ')}`);
  return value as Role;
}

/** Users, sessions, tokens and audit over the collector's database (its tables come from collector/migrations.ts). */
export class AccountStore {
  readonly sessions: SessionStore;

  constructor(private readonly db: Db, private readonly clock: Clock, limits?: SessionLimits) {
    this.sessions = new SessionStore(db, clock, limits);
  }

  /** Appends an audit line. */
  audit(actor: Actor, action: string, target: string | null, detail: string | null = null): void {
    this.db.prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)')
      .run(this.clock().toISOString(), actor, action, target, detail);
  }

  /** The audit log, newest first. */
  auditList(limit = 100): AuditEntry[] {
    return this.db.prepare('SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditEntry[];
  }

  /** Adds an engineer. */
  async addUser(input: NewUser, actor: Actor): Promise<User> {
    if (!LOGIN.test(input.login)) throw new XpearsError('INVALID_ARGUMENT', `login "${input.login}": 2-32 lowercase letters, digits, dots, dashes, starting with a letter`);
    if (!EMAIL.test(input.email)) throw new XpearsError('INVALID_ARGUMENT', `"${input.email}" is not an e-mail address`);
    if (!input.name.trim()) throw new XpearsError('INVALID_ARGUMENT', 'a name is required');
    const role = parseRole(input.role);
    const hash = await hashPassword(input.password);
    const at = this.clock().toISOString();
    this.db.transaction(() => {
      if (this.get(input.login)) throw new XpearsError('INVALID_ARGUMENT', `user ${input.login} exists already`);
      this.db.prepare(`INSERT INTO users (login, name, email, role, language, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(input.login, input.name.trim(), input.email, role, input.language ?? 'es', hash, at, at);
      this.audit(actor, 'user.add', input.login, `role ${role}`);
    }).immediate();
    return this.require(input.login);
  }

  /** A user by login. */
  get(login: string): User | undefined {
    const row = this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE login = ?`).get(login) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  /** A user by login, or NOT_FOUND. */
  require(login: string): User {
    const user = this.get(login);
    if (!user) throw new XpearsError('NOT_FOUND', `no user ${login}`);
    return user;
  }

  /** Every user, by login. */
  list(): User[] {
    return (this.db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY login`).all() as UserRow[]).map(toUser);
  }

  private change(login: string, actor: Actor, action: string, sets: Record<string, string | null>, detail: string | null, revoke: boolean): User {
    this.require(login);
    const at = this.clock().toISOString();
    const cols = Object.keys(sets);
    this.db.transaction(() => {
      this.db.prepare(`UPDATE users SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @at WHERE login = @login`).run({ ...sets, at, login });
      if (revoke) this.sessions.revokeAll(login);
      this.audit(actor, action, login, detail);
    }).immediate();
    return this.require(login);
  }

  /** Disables a user: their sessions end at once and their tokens stop working. */
  disable(login: string, actor: Actor): User {
    return this.change(login, actor, 'user.disable', { disabled_at: this.clock().toISOString() }, null, true);
  }

  /** Enables a disabled user again. */
  enable(login: string, actor: Actor): User {
    return this.change(login, actor, 'user.enable', { disabled_at: null }, null, false);
  }

  /** Changes a user's role; their sessions end (they log in again with the new rights). */
  setRole(login: string, role: Role, actor: Actor): User {
    const before = this.require(login);
    return this.change(login, actor, 'user.role', { role: parseRole(role) }, `${before.role} -> ${role}`, true);
  }

  /** Changes the language the console speaks to a user. */
  setLanguage(login: string, language: Language, actor: Actor): User {
    if (language !== 'es' && language !== 'en') throw new XpearsError('INVALID_ARGUMENT', `language "${String(language)}": es or en`);
    return this.change(login, actor, 'user.language', { language }, language, false);
  }

  /** Sets a new password; the user's sessions end. */
  async resetPassword(login: string, password: string, actor: Actor): Promise<User> {
    const hash = await hashPassword(password);
    return this.change(login, actor, 'user.reset-password', { password_hash: hash }, null, true);
  }

  /** The enabled user whose password this is, or undefined (same time spent for an unknown login). */
  async checkPassword(login: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT password_hash, disabled_at FROM users WHERE login = ?').get(login) as { password_hash: string; disabled_at: string | null } | undefined;
    const ok = await verifyPassword(row?.password_hash, password);
    return ok && row && row.disabled_at === null ? this.get(login) : undefined;
  }

  /** Opens a session for a user who proved their password. */
  login(user: User, address: string | null): { token: string; csrf: string } {
    const s = this.sessions.create(user.login, address);
    this.audit(user.login, 'session.login', user.login, address);
    return s;
  }

  /** The session behind a cookie value, if live and its user enabled. */
  session(token: string): SessionInfo | undefined {
    const row = this.sessions.find(token);
    const user = row ? this.get(row.login) : undefined;
    if (!row || !user || user.disabledAt) return undefined;
    return { user, csrf: row.csrf, id: row.id };
  }

  /** Creates a personal API token; the token is returned once and kept as a hash. */
  createToken(login: string, name: string, actor: Actor): { token: string; info: ApiTokenInfo } {
    this.require(login);
    const id = uuidv7(this.clock().getTime());
    const token = `xpu_${randomBytes(32).toString('base64url')}`;
    const at = this.clock().toISOString();
    this.db.prepare('INSERT INTO user_tokens (id, login, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(id, login, name, sha256(token), at);
    this.audit(actor, 'token.create', login, name);
    return { token, info: { id, login, name, createdAt: at, lastUsedAt: null, revokedAt: null } };
  }

  /** Revokes a personal API token by id. */
  revokeToken(id: string, actor: Actor): void {
    const row = this.db.prepare('SELECT login FROM user_tokens WHERE id = ?').get(id) as { login: string } | undefined;
    if (!row) throw new XpearsError('NOT_FOUND', `no token ${id}`);
    this.db.prepare('UPDATE user_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.clock().toISOString(), id);
    this.audit(actor, 'token.revoke', row.login, id);
  }

  /** The tokens of a user. */
  listTokens(login: string): ApiTokenInfo[] {
    return this.db.prepare(`SELECT id, login, name, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt
      FROM user_tokens WHERE login = ? ORDER BY created_at`).all(login) as ApiTokenInfo[];
  }

  /** The enabled user behind a personal API token, if it is live. */
  userOfToken(token: string): User | undefined {
    if (!token.startsWith('xpu_')) return undefined;
    const row = this.db.prepare('SELECT id, login, revoked_at FROM user_tokens WHERE token_hash = ?').get(sha256(token)) as { id: string; login: string; revoked_at: string | null } | undefined;
    const user = row && row.revoked_at === null ? this.get(row.login) : undefined;
    if (!row || !user || user.disabledAt) return undefined;
    this.db.prepare('UPDATE user_tokens SET last_used_at = ? WHERE id = ?').run(this.clock().toISOString(), row.id);
    return user;
  }
}

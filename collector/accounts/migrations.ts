// The accounts' tables in the collector's database: users, sessions, personal API tokens and the audit log.
import type { Migration } from '../store/db.js';

/** Schema steps of the accounts (applied by AccountStore itself, and idempotent through schema_migrations). */
export const accountMigrations: Migration[] = [
  {
    id: 'accounts/001-users',
    up(db) {
      db.exec(`
        CREATE TABLE users (
          login TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          email TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('l1','l2','l3','lead','read-only')),
          language TEXT NOT NULL DEFAULT 'es' CHECK (language IN ('es','en')),
          password_hash TEXT NOT NULL,
          disabled_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        -- A session's id is the SHA-256 of its cookie value: the file alone does not let anyone in.
        CREATE TABLE user_sessions (
          id TEXT PRIMARY KEY,
          login TEXT NOT NULL REFERENCES users(login),
          csrf TEXT NOT NULL,
          address TEXT,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          revoked_at INTEGER
        );
        CREATE INDEX user_sessions_login ON user_sessions (login);
        CREATE TABLE user_tokens (
          id TEXT PRIMARY KEY,
          login TEXT NOT NULL REFERENCES users(login),
          name TEXT NOT NULL,
          token_hash TEXT NOT NULL UNIQUE,
          created_at TEXT NOT NULL,
          last_used_at TEXT,
          revoked_at TEXT
        );
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT,
          detail TEXT
        );
      `);
    },
  },
];

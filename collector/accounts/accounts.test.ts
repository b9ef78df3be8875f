// Accounts on a real SQLite file: passwords, sessions (idle, absolute, revoked on disable), tokens, audit, throttle.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type Db } from '../store/db.js';
import { accountMigrations } from './migrations.js';
import { fixedClock } from '../../lib/clock.js';
import { AccountStore, LoginThrottle } from './index.js';

describe('accounts', () => {
  let dir: string; let db: Db; let clock: ReturnType<typeof fixedClock>; let store: AccountStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xpears-accounts-'));
    db = openDatabase(join(dir, 'c.db'));
    migrate(db, accountMigrations);
    clock = fixedClock('2026-11-20T12:00:00Z');
    store = new AccountStore(db, clock);
    await store.addUser({ login: 'lucia', name: 'Lucía Pérez', email: 'lucia@cas.example', role: 'l1', password: 'correct horse 1' }, 'cli:root');
  });
  afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

  it('checks passwords with argon2id and refuses a disabled user', async () => {
    expect(db.prepare('SELECT password_hash FROM users').pluck().get()).toMatch(/^\$argon2id\$/);
    expect((await store.checkPassword('lucia', 'correct horse 1'))?.name).toBe('Lucía Pérez');
    expect(await store.checkPassword('lucia', 'wrong password')).toBeUndefined();
    expect(await store.checkPassword('nobody', 'correct horse 1')).toBeUndefined();
    store.disable('lucia', 'cli:root');
    expect(await store.checkPassword('lucia', 'correct horse 1')).toBeUndefined();
  });

  it('ends sessions when idle, past the absolute limit, or when the user is disabled', () => {
    const user = store.require('lucia');
    const a = store.login(user, '127.0.0.1');
    clock.advance(29 * 60_000);
    expect(store.session(a.token)?.csrf).toBe(a.csrf);
    clock.advance(31 * 60_000);
    expect(store.session(a.token)).toBeUndefined();
    const b = store.login(user, '127.0.0.1');
    for (let i = 0; i < 25; i++) { clock.advance(29 * 60_000); store.session(b.token); }
    expect(store.session(b.token)).toBeUndefined();
    const c = store.login(user, '127.0.0.1');
    expect(store.session(c.token)).toBeDefined();
    store.disable('lucia', 'juan');
    expect(store.session(c.token)).toBeUndefined();
    expect(store.auditList().map((e) => `${e.actor} ${e.action} ${e.target}`)).toContain('juan user.disable lucia');
  });

  it('keeps personal tokens as hashes and stops them on revoke', () => {
    const { token, info } = store.createToken('lucia', 'script', 'lucia');
    expect(JSON.stringify(db.prepare('SELECT * FROM user_tokens').all())).not.toContain(token);
    expect(store.userOfToken(token)?.login).toBe('lucia');
    store.revokeToken(info.id, 'lucia');
    expect(store.userOfToken(token)).toBeUndefined();
  });

  it('throttles per account and per address', () => {
    const t = new LoginThrottle(clock, { perAccount: 3, perAddress: 5, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) t.fail('lucia', '10.0.0.1');
    expect(t.blocked('lucia', '10.0.0.9')).toBe(true);
    expect(t.blocked('juan', '10.0.0.1')).toBe(false);
    t.fail('juan', '10.0.0.1'); t.fail('ana', '10.0.0.1');
    expect(t.blocked('pedro', '10.0.0.1')).toBe(true);
    clock.advance(61_000);
    expect(t.blocked('lucia', '10.0.0.1')).toBe(false);
  });
});

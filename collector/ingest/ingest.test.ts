import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, type Db } from '../store/db.js';
import { SqliteEventRepository, eventStoreMigrations } from '../store/store.js';
import { uuidv7 } from '../../lib/ids.js';
import { GroupCommit } from './ingest.js';
import { prepareBatch, type PreparedBatch } from './prepare.js';
import type { AuthenticatedAgent } from './auth.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-group-commit-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'collector.db'));
  dbs.push(db);
  migrate(db, eventStoreMigrations);
  return { db, repo: new SqliteEventRepository(db) };
}

const who = (customerId: string): AuthenticatedAgent => ({ customerId, agent: { id: `agent-${customerId}` } as AuthenticatedAgent['agent'] });

function batch(n: number): PreparedBatch {
  const envelopes = Array.from({ length: n }, (_, i) => ({
    id: uuidv7(), capturedAt: new Date().toISOString(), transport: 'syslog', source: { address: '10.0.0.5', port: 514 },
    syslog: { protocol: 'udp', line: `<14>Nov 20 14:00:00 srv-eset ERAServer[5032]: line ${i}` },
  }));
  return prepareBatch(envelopes, undefined, false);
}

/** The commits made, by the number of batches each held. */
function committer(repo: SqliteEventRepository, maxEnvelopes?: number) {
  const commits: number[] = [];
  const group = new GroupCommit({ repo, now: () => new Date() }, maxEnvelopes, (batches) => commits.push(batches));
  return { group, commits };
}

describe('GroupCommit', () => {
  it('stores the batches ready in the same turn in one commit, each answered with its own envelopes', async () => {
    const { repo } = store();
    const { group, commits } = committer(repo);
    const batches = [batch(3), batch(2), batch(4)];
    const outcomes = await Promise.all(batches.map((b, i) => group.store(b, who(i === 1 ? 'globex' : 'acme'))));
    expect(commits).toEqual([3]);
    outcomes.forEach((o, i) => expect(o.result.accepted).toEqual(batches[i]!.items.map((it) => it.id)));
    expect(repo.countEnvelopes('acme')).toBe(7);
    expect(repo.countEnvelopes('globex')).toBe(2);
    expect(outcomes[1]!.stored.every((e) => e.customerId === 'globex')).toBe(true);
  });

  it('stores a lone batch at once, in a commit of its own', async () => {
    const { repo } = store();
    const { group, commits } = committer(repo);
    const first = await group.store(batch(2), who('acme'));
    const second = await group.store(batch(1), who('acme'));
    expect(commits).toEqual([1, 1]);
    expect(first.result.accepted).toHaveLength(2);
    expect(second.result.accepted).toHaveLength(1);
  });

  it('fails only the batch that failed: the others of its group are stored and answered', async () => {
    const { repo } = store();
    const { group, commits } = committer(repo);
    const bad = batch(2);
    (bad.items[1] as { payload: unknown }).payload = null; // NOT NULL: the insert throws half-way through the batch
    const [a, b, c] = await Promise.allSettled([group.store(batch(2), who('acme')), group.store(bad, who('acme')), group.store(batch(3), who('acme'))]);
    expect(a.status).toBe('fulfilled');
    expect(c.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(commits).toEqual([3]);
    // The bad batch's first envelope, stored before its second failed, was undone with it.
    expect(repo.countEnvelopes()).toBe(5);
    expect(repo.listEventsOfEnvelope(bad.items[0]!.id)).toEqual([]);
  });

  it('closes a group at its envelope limit and commits the rest next', async () => {
    const { repo } = store();
    const { group, commits } = committer(repo, 5);
    await Promise.all([group.store(batch(3), who('acme')), group.store(batch(2), who('acme')), group.store(batch(4), who('acme'))]);
    expect(commits).toEqual([2, 1]);
    expect(repo.countEnvelopes()).toBe(9);
  });

  it('answers the same envelope sent twice in one group as stored once, then a duplicate', async () => {
    const { repo } = store();
    const { group } = committer(repo);
    const b = batch(2);
    const [first, again] = await Promise.all([group.store(b, who('acme')), group.store(b, who('acme'))]);
    expect(first.result.accepted).toHaveLength(2);
    expect(again.result.duplicates).toEqual(first.result.accepted);
    expect(repo.countEnvelopes()).toBe(2);
  });
});

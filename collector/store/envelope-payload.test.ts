// An envelope's id and capture time are stored once, in their columns (envelope-payload.ts): every fixture stored and
// read back for re-parsing is the envelope received, byte for byte as JSON; rows of the old shape read the same, and
// compaction turns them into the new one only where the result reads back byte for byte.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, migrate, type Db } from './db.js';
import { eventStoreMigrations, SqliteEventRepository } from './store.js';
import { newShapePayload } from './envelope-payload.js';
import { rewriteEnvelopePayloads } from './compact.js';
import { prepareBatch } from '../ingest/prepare.js';
import { envelopeSchema, type Envelope } from '../../protocol/envelope.js';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function freshDb(): Db {
  const d = mkdtempSync(join(tmpdir(), 'xpears-envelope-payload-'));
  dirs.push(d);
  const db = openDatabase(join(d, 'collector.db'));
  migrate(db, eventStoreMigrations);
  return db;
}
const fixtures = (): Envelope[] => ['eset', 'symantec'].flatMap((vendor) => readdirSync(join(FIXTURES, vendor)).filter((f) => f.endsWith('.json')).sort()
  .map((f) => (JSON.parse(readFileSync(join(FIXTURES, vendor, f), 'utf8')) as { envelope?: Envelope }).envelope)
  .filter((e): e is Envelope => e !== undefined));

describe('an envelope stored once', () => {
  it('reads back for re-parsing as the envelope received, byte for byte, with no second copy of its id or time', () => {
    const db = freshDb();
    const repo = new SqliteEventRepository(db);
    const prepared = prepareBatch(fixtures(), undefined, false); // validated as the ingest validates it
    expect(prepared.items.length).toBeGreaterThan(50);
    repo.storeBatch('acme', 'agent-1', prepared.items, '2026-12-01T00:00:00.000Z');
    const received = new Map(fixtures().map((e) => [e.id, e]));
    const read = repo.envelopesForReparse({ limit: 10_000 });
    expect(read).toHaveLength(prepared.items.length);
    for (const r of read) {
      const sent = received.get(r.id)!;
      // What the store kept before: the validated envelope's JSON, whole.
      expect(JSON.stringify(r.envelope)).toBe(JSON.stringify(envelopeSchema.parse(sent)));
    }
    for (const p of db.prepare('SELECT payload FROM envelopes').pluck().all() as string[]) expect(Object.keys(JSON.parse(p) as object)).not.toContain('id');
    db.close();
  });

  it('reads old rows (id and time inside the payload) the same, and compaction rewrites them only to what reads back the same', () => {
    const db = freshDb();
    const repo = new SqliteEventRepository(db);
    const prepared = prepareBatch(fixtures(), undefined, false);
    repo.storeBatch('acme', 'agent-1', prepared.items, '2026-12-01T00:00:00.000Z');
    const now = repo.envelopesForReparse({ limit: 10_000 });
    const setPayload = db.prepare('UPDATE envelopes SET payload = ? WHERE id = ?');
    for (const r of now) setPayload.run(JSON.stringify(r.envelope), r.id); // the old shape: the whole envelope
    const oldBytes = db.prepare('SELECT SUM(LENGTH(payload)) FROM envelopes').pluck().get() as number;
    expect(repo.envelopesForReparse({ limit: 10_000 })).toStrictEqual(now);
    expect(rewriteEnvelopePayloads(db, 7)).toBe(now.length);
    expect(rewriteEnvelopePayloads(db)).toBe(0);
    expect(repo.envelopesForReparse({ limit: 10_000 })).toStrictEqual(now);
    expect(db.prepare('SELECT SUM(LENGTH(payload)) FROM envelopes').pluck().get() as number).toBeLessThan(oldBytes - 70 * now.length);
    // A payload whose id or time disagrees with its row is left as it is: it would not read back byte for byte.
    expect(newShapePayload(now[0]!.id, '2000-01-01T00:00:00.000Z', JSON.stringify(now[0]!.envelope))).toBeNull();
    db.close();
  });
});

// An event is stored once (event-row.ts): every parser fixture's events, stored and read back, are the events the
// parsers made, field for field, though `detail` keeps only what no column holds; rows written in the old shape
// (the whole event in `detail`) read the same.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, migrate, type Db } from './db.js';
import { eventStoreMigrations, SqliteEventRepository } from './store.js';
import { eventDetail, eventRest } from './event-row.js';
import { parseEnvelope, rawText } from '../parse/index.js';
import type { Envelope } from '../../protocol/envelope.js';
import type { ParsedEvent } from '../../protocol/event.js';
import { prepareBatch } from '../ingest/prepare.js';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function freshDb(): Db {
  const d = mkdtempSync(join(tmpdir(), 'xpears-event-row-'));
  dirs.push(d);
  const db = openDatabase(join(d, 'collector.db'));
  migrate(db, eventStoreMigrations);
  return db;
}

function fixtureEnvelopes(): Envelope[] {
  const out: Envelope[] = [];
  for (const vendor of ['eset', 'symantec']) {
    for (const f of readdirSync(join(FIXTURES, vendor)).filter((n) => n.endsWith('.json')).sort()) {
      const doc = JSON.parse(readFileSync(join(FIXTURES, vendor, f), 'utf8')) as { envelope?: Envelope };
      if (doc.envelope) out.push(doc.envelope);
    }
  }
  return out;
}
// What a reader compares: the event as JSON would carry it (no undefined keys), key order aside.
const plain = (ev: ParsedEvent) => JSON.parse(JSON.stringify(ev)) as unknown;

describe('an event stored once', () => {
  const envelopes = fixtureEnvelopes();

  it('reads back every fixture\'s events as parsed, with only what no column holds in detail', () => {
    expect(envelopes.length).toBeGreaterThan(50);
    const db = freshDb();
    const repo = new SqliteEventRepository(db);
    let events = 0;
    for (const e of envelopes) {
      const parsed = parseEnvelope(e);
      repo.storeBatch('acme', 'agent-1', [{ envelope: e, events: parsed, raw: rawText(e) }], '2026-12-01T00:00:00.000Z');
      const read = repo.listEventsOfEnvelope(e.id, 'acme');
      expect(read.map(({ id: _i, envelopeId: _e, customerId: _c, agentId: _a, raw: _r, receivedAt: _at, ...ev }) => plain(ev))).toStrictEqual(parsed.map(plain));
      expect(read.every((ev) => ev.raw === rawText(e))).toBe(true);
      events += parsed.length;
    }
    const details = db.prepare('SELECT detail FROM events').pluck().all() as string[];
    expect(details).toHaveLength(events);
    for (const d of details) expect(Object.keys(JSON.parse(d) as object)).not.toContain('summary');
    db.close();
  });

  it('stores what an ingest worker prepared (its JSON and each event\'s rest) the same way', () => {
    const db = freshDb();
    const repo = new SqliteEventRepository(db);
    const prepared = prepareBatch(envelopes, undefined, false); // as from a worker: no event objects
    expect(prepared.items.every((it) => it.rests?.length === it.details.length)).toBe(true);
    repo.storeBatch('acme', 'agent-1', prepared.items, '2026-12-01T00:00:00.000Z');
    for (const e of envelopes) {
      const read = repo.listEventsOfEnvelope(e.id, 'acme');
      expect(read.map(({ id: _i, envelopeId: _e, customerId: _c, agentId: _a, raw: _r, receivedAt: _at, ...ev }) => plain(ev))).toStrictEqual(parseEnvelope(e).map(plain));
    }
    db.close();
  });

  it('reads rows of the old shape (the whole event in detail) the same, and rewrites none of them by reading', () => {
    const db = freshDb();
    const repo = new SqliteEventRepository(db);
    for (const e of envelopes) repo.storeBatch('acme', 'agent-1', [{ envelope: e, events: parseEnvelope(e), raw: rawText(e) }], '2026-12-01T00:00:00.000Z');
    const now = repo.listEvents({ limit: 10_000 });
    const setDetail = db.prepare('UPDATE events SET detail = ? WHERE id = ?');
    for (const e of envelopes) parseEnvelope(e).forEach((ev, seq) => setDetail.run(JSON.stringify(ev), `${e.id}.${seq}`));
    expect(db.prepare("SELECT COUNT(*) FROM events WHERE detail NOT LIKE '%\"summary\"%'").pluck().get()).toBe(0);
    expect(repo.listEvents({ limit: 10_000 })).toStrictEqual(now);
    db.close();
  });

  it('marks only what a column cannot say: an explicit count of 1, a computer or threat with nothing in its columns', () => {
    const base: ParsedEvent = { vendor: 'eset', eventType: 'audit', severity: 'info', occurredAt: '2026-12-01T00:00:00.000Z', summary: 's', format: 'f' };
    expect(eventDetail(base)).toBe('{}');
    expect(eventDetail({ ...base, count: 3, computer: { name: 'PC', ip: '10.0.0.1' }, threat: { name: 'EICAR' }, handled: false })).toBe('{}');
    expect(eventRest({ ...base, count: 1 })).toEqual({ count: 1 });
    expect(eventRest({ ...base, computer: {}, threat: {} })).toEqual({ computer: {}, threat: {} });
    expect(eventRest({ ...base, computer: { name: 'PC', domain: 'ACME', os: 'Windows 11' }, actionText: 'limpiado', extra: { a: 'b' } }))
      .toEqual({ computer: { domain: 'ACME', os: 'Windows 11' }, actionText: 'limpiado', extra: { a: 'b' } });
  });
});

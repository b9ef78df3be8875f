// Issue 20: "a year of synthetic data pruned to its retention while agents keep sending: the files stop growing". A
// year at a small scale on a real SQLite file, through the product's own store and daily prune, a fake clock moving a
// day at a time: each day's envelopes are stored while that day's prune runs (in batches, with the ingest's batches
// between them), and the WAL is checkpointed as the collector's checkpointer would. Once the retention window is
// full, the files stay at their size for the rest of the year; when less comes than leaves, they shrink; and every
// envelope acknowledged within the retention window is there, with its events. No timing is asserted:
// docs/benchmarks.md has the rates.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCollectorDb } from '../../collector/migrations.js';
import { SqliteEventRepository } from '../../collector/store/store.js';
import { ScheduleLedger } from '../../collector/schedule/ledger.js';
import { retentionConfigSchema, retentionTick } from '../../collector/retention.js';
import { parseEnvelope, rawText } from '../../collector/parse/index.js';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Capture, Envelope } from '../../protocol/envelope.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const DAY = 86_400_000;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

// Fixture captures whose events take the capture's time (no time of their own in the text), so that a day's
// envelopes are that day's events and leave with them.
function capturesOnTheClock(): Capture[] {
  const out: Capture[] = [];
  for (const vendor of ['eset', 'symantec']) {
    for (const f of readdirSync(join(FIXTURES, vendor)).filter((n) => n.endsWith('.json')).sort()) {
      const e = (JSON.parse(readFileSync(join(FIXTURES, vendor, f), 'utf8')) as { envelope?: Envelope }).envelope;
      if (!e) continue;
      const probe = { ...e, capturedAt: '2031-01-01T00:00:00.000Z' } as Envelope;
      const events = parseEnvelope(probe);
      if (events.length > 0 && events.every((ev) => ev.occurredAt === probe.capturedAt)) {
        const { id: _id, capturedAt: _at, ...capture } = e;
        out.push(capture as Capture);
      }
    }
  }
  return out;
}

const filesBytes = (path: string) => [path, `${path}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);

describe('a year pruned to its retention while agents keep sending', () => {
  it('keeps the files at their size once the window is full, shrinks them when less comes, and loses nothing it acknowledged', async () => {
    const captures = capturesOnTheClock();
    expect(captures.length).toBeGreaterThan(5);
    const dir = mkdtempSync(join(tmpdir(), 'xpears-retention-year-'));
    dirs.push(dir);
    const path = join(dir, 'collector.db');
    const db = openCollectorDb(path);
    db.pragma('synchronous = OFF'); // a power cut is not what this tests: disk syncs would only slow it
    const repo = new SqliteEventRepository(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const empty = filesBytes(path); // every table of the collector, empty
    const clock = fixedClock('2027-01-01T00:30:00.000Z');
    const ledger = new ScheduleLedger(db);
    const days = 30;
    const deps = (retention: Record<string, unknown>) => ({ db, clock, ledger, logger: silentLogger(), pruneNotifications: () => 0,
      config: retentionConfigSchema.parse({ envelopesDays: days, eventsDays: days, batchRows: 20, ...retention }) });
    const perDay = 24;
    const acknowledged: { id: string; day: number; events: number }[] = [];
    const sizes: number[] = [];
    let n = 0;

    // Stores `count` of the day's envelopes in batches of 12, one batch per turn of the event loop.
    const ingestDay = async (day: number, count: number) => {
      for (let i = 0; i < count; i += 12) {
        const items = Array.from({ length: Math.min(12, count - i) }, () => {
          const c = captures[n % captures.length]!;
          const envelope = { id: uuidv7(), capturedAt: new Date(clock().getTime() + (n++ % 3_600) * 1000).toISOString(), ...c,
            source: { ...c.source, port: 1024 + (n % 60_000) } } as Envelope;
          return { envelope, events: parseEnvelope(envelope), raw: rawText(envelope) };
        });
        const r = repo.storeBatch('acme', 'agent-1', items, clock().toISOString());
        for (const it of items) if (r.acceptedIds.includes(it.envelope.id)) acknowledged.push({ id: it.envelope.id, day, events: it.events.length });
        await new Promise((res) => setImmediate(res));
      }
    };

    for (let day = 0; day < 365; day++) {
      // The day's prune and the day's ingest at once, as the collector runs them on its one thread.
      const pruning = retentionTick(deps({}));
      await ingestDay(day, perDay);
      await pruning;
      db.pragma('wal_checkpoint(TRUNCATE)');
      sizes.push(filesBytes(path));
      clock.advance(DAY);
    }
    // Every day was pruned once (the ledger), and ingest went on throughout.
    expect(ledger.periods('retention.prune', 1000)).toHaveLength(365);
    expect(acknowledged).toHaveLength(365 * perDay);

    // Once the window is full (a month, and a few days for the batches to settle), the files stop growing.
    const settled = sizes[days + 10]!;
    const rest = sizes.slice(days + 10);
    expect(Math.max(...rest)).toBeLessThanOrEqual(settled * 1.1);
    expect(sizes[364]!).toBeLessThan(sizes[days - 1]! * 1.5);
    // Without a prune the year would be about twelve windows' worth.
    const events = db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    const everEvents = acknowledged.reduce((s, a) => s + a.events, 0);
    expect(events).toBeLessThan(everEvents / 8);

    // Nothing acknowledged lost: every envelope of the last `days` days is there, with all its events.
    const recent = acknowledged.filter((a) => a.day > 364 - days + 1);
    const stored = new Set(db.prepare('SELECT id FROM envelopes').pluck().all() as string[]);
    expect(recent.filter((a) => !stored.has(a.id))).toEqual([]);
    const eventsOf = db.prepare('SELECT COUNT(*) FROM events WHERE envelope_id = ?').pluck();
    expect(recent.filter((a) => eventsOf.get(a.id) !== a.events)).toEqual([]);

    // Agents go quiet for a window and a half: what leaves goes back to the disk, and the files shrink.
    const full = sizes[364]!;
    for (let day = 365; day < 365 + days * 1.5; day++) {
      clock.advance(DAY);
      const pruning = retentionTick(deps({}));
      await ingestDay(day, 2);
      await pruning;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesBytes(path) - empty).toBeLessThan((full - empty) / 4);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});

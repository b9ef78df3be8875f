// The retry ledger: for a configured window, the keys of captures whose protocol names a retry (an inform's source,
// engine and request id; a mail's Message-ID), so that a sender's retry after a lost acknowledgement is answered
// without being stored a second time.
//
// Invariants:
// 1. A key is written inside the transaction that writes its envelope (Outbox.capture's withinWrite): after a crash
//    at any instant, the key exists exactly when its envelope was committed. A retry is therefore either the first
//    copy (nothing was committed) or answered as a duplicate (the copy is durable), never lost and never doubled.
// 2. A retry that arrives while its first copy is still being written waits for that write and shares its answer.
// 3. Keys expire after their window and are deleted lazily; an expired key no longer suppresses anything.
// The tables live in the outbox file (one fsync for envelope and key) but belong to this module alone.
import type Database from 'better-sqlite3';
import type { Capture } from '../../protocol/envelope.js';
import type { CaptureSink } from '../receivers/types.js';
import type { Clock } from '../../lib/clock.js';

const PRUNE_EVERY_MS = 60_000;
// RFC 3414 §2.2.2: at 2^31-1 the engine's boots stay there and every authenticated message is out of its window.
const MAX_ENGINE_BOOTS = 2_147_483_647;

/** What captureOnce did: the id of the envelope that holds the capture, and whether this call was a retry of it. */
export interface LedgerResult {
  id: string;
  duplicate: boolean;
}

/** An SNMP engine's time as the agent last accepted it (RFC 3414's local notion), kept across restarts. */
export interface EngineNotionRow {
  engineId: string;
  boots: number;
  time: number;
  latest: number;
  /** Wall-clock milliseconds when `time` was taken. */
  atMs: number;
}

/** Remembers retry keys beside the outbox; see the invariants above. */
export class RetryLedger {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly find: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly expire: Database.Statement;
  private readonly saveTime: Database.Statement;
  private prunedAt = 0;
  /** Retries answered without a second capture, since start. */
  duplicates = 0;

  private constructor(private readonly db: Database.Database, private readonly clock: Clock) {
    this.find = db.prepare('SELECT envelope_id AS id FROM capture_retries WHERE key = ? AND expires_at > ?');
    this.insert = db.prepare('INSERT OR REPLACE INTO capture_retries (key, envelope_id, expires_at) VALUES (?, ?, ?)');
    this.expire = db.prepare('DELETE FROM capture_retries WHERE expires_at <= ?');
    this.saveTime = db.prepare('INSERT OR REPLACE INTO snmp_engine_times (engine_id, boots, time, latest, at_ms) VALUES (?, ?, ?, ?, ?)');
  }

  /** Creates the ledger's tables in the outbox's database when missing (its whole migration) and opens it. */
  static open(db: Database.Database, clock: Clock): RetryLedger {
    db.exec(`CREATE TABLE IF NOT EXISTS capture_retries (
      key TEXT PRIMARY KEY,
      envelope_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    db.exec('CREATE INDEX IF NOT EXISTS capture_retries_expiry ON capture_retries (expires_at)');
    db.exec('CREATE TABLE IF NOT EXISTS agent_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID');
    db.exec(`CREATE TABLE IF NOT EXISTS snmp_engine_times (
      engine_id TEXT PRIMARY KEY, boots INTEGER NOT NULL, time INTEGER NOT NULL, latest INTEGER NOT NULL, at_ms INTEGER NOT NULL
    ) WITHOUT ROWID`);
    return new RetryLedger(db, clock);
  }

  /** Hands the capture to the sink unless `key` was captured within its window; a key of '' is never suppressed.
   *  `alsoWithin` runs in the same transaction as the envelope and the key. */
  async captureOnce(sink: CaptureSink, capture: Capture, key: string, windowMs: number, alsoWithin?: () => void): Promise<LedgerResult> {
    if (key === '' || windowMs <= 0) return { id: await sink.capture(capture, alsoWithin ? { withinWrite: () => alsoWithin() } : {}), duplicate: false };
    const now = this.clock().getTime();
    this.pruneIfDue(now);
    const writing = this.inFlight.get(key);
    if (writing) {
      const id = await writing;
      this.duplicates += 1;
      return { id, duplicate: true };
    }
    const row = this.find.get(key, now) as { id: string } | undefined;
    if (row) {
      this.duplicates += 1;
      return { id: row.id, duplicate: true };
    }
    const expiresAt = now + windowMs;
    const write = sink.capture(capture, { withinWrite: (id) => { this.insert.run(key, id, expiresAt); alsoWithin?.(); } });
    this.inFlight.set(key, write);
    try {
      return { id: await write, duplicate: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The id of the envelope a key names, when it is known and not expired (for tests and status). */
  lookup(key: string): string | undefined {
    return (this.find.get(key, this.clock().getTime()) as { id: string } | undefined)?.id;
  }

  /** The SNMP engine's boots counter, raised by one and kept (RFC 3414 §2.2.2: it grows at every start). */
  nextEngineBoots(): number {
    const read = this.db.prepare("SELECT value FROM agent_state WHERE name = 'snmp_engine_boots'").pluck();
    const current = (read.get() as number | undefined) ?? 0;
    const next = Math.min(current + 1, MAX_ENGINE_BOOTS);
    try {
      this.db.prepare("INSERT OR REPLACE INTO agent_state (name, value) VALUES ('snmp_engine_boots', ?)").run(next);
    } catch {
      // A full disk must not keep traps out: this start still counts above the last one kept (the next may repeat it).
    }
    return next;
  }

  /** The SNMP engines' time notions kept by earlier runs, most recent last, at most `limit`. */
  engineTimes(limit = 10_000): EngineNotionRow[] {
    return (this.db.prepare('SELECT engine_id AS engineId, boots, time, latest, at_ms AS atMs FROM snmp_engine_times ORDER BY at_ms DESC LIMIT ?')
      .all(limit) as EngineNotionRow[]).reverse();
  }

  /** Keeps one engine's time notion; meant to run inside a capture's write (captureOnce's alsoWithin). */
  saveEngineTime(row: EngineNotionRow): void {
    this.saveTime.run(row.engineId, row.boots, row.time, row.latest, row.atMs);
  }

  // Deleting expired keys is a write of its own: it may fail on a full disk, which only postpones it.
  private pruneIfDue(now: number): void {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    try {
      this.expire.run(now);
    } catch {
      // Retried at the next prune.
    }
  }
}

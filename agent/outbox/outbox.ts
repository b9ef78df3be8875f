// The agent's durable outbox: every capture lands here before its sender gets an acknowledgement.
//
// Invariants:
// 1. capture() resolves only after the envelope is committed to SQLite with synchronous=FULL (WAL fsynced).
// 2. An envelope leaves the table only through remove(), which the forwarder calls for ids the collector answered
//    2xx for (accepted or duplicate), or through deadLetter(), which keeps it in the table with state 'dead'.
// 3. Captures are written in groups (one transaction, one fsync for many captures): under load the group grows,
//    so throughput does not pay one fsync per trap. A group is written on the first event-loop turn that brings no
//    new capture (the sockets are drained), or once it is full or its oldest capture has waited GROUP_WAIT_MS.
// 4. When a write fails (disk full, read-only, quota reached) the outbox refuses: every capture of the failed group
//    and every new capture rejects with OUTBOX_REFUSING until a write succeeds again. Nothing is acknowledged that
//    was not written. With a disk guard (reserve.ts) captures are refused before the disk is full, and the writes
//    that drain the outbox may use a released margin file.
// 5. depth and bytes change only after a commit succeeded, and are counted again from the file after a failed write.
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import type { Capture, Envelope } from '../../protocol/envelope.js';
import type { CaptureSink } from '../receivers/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { XpearsError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { DiskGuard, recordDurably, afterDrain } from './reserve.js';
import { Refusals } from './refusal.js';
import { openOutboxDatabase } from './schema.js';

// libuv reads at most 32 datagrams per loop turn: writing after every turn would pay one fsync per 32 traps and
// leave the socket undrained while it blocks. Waiting for a quiet turn lets a burst become one group; this bounds it.
const GROUP_WAIT_MS = 25;

export { OUTBOX_CACHE_KIB } from './schema.js';

/** Settings of the outbox. */
export interface OutboxOptions {
  path: string;
  clock: Clock;
  logger: Logger;
  /** Refuse captures once the queued envelopes take this many bytes (protects the customer's disk). */
  maxBytes: number;
  /** At most this many captures in one transaction. */
  maxGroup?: number;
  /** The disk guard: refuse captures while fewer than minFreeBytes would stay free; keep a margin file of reserveBytes. */
  disk?: { minFreeBytes: number; reserveBytes: number };
}

/** A queued envelope, as the forwarder reads it. */
export interface OutboxItem {
  seq: number;
  id: string;
  body: string;
}

/** What status, metrics and the heartbeat report about the outbox. */
export interface OutboxStats {
  depth: number;
  bytes: number;
  oldestCapturedAt: string | null;
  deadLettered: number;
  refusing: boolean;
  lastError: string | null;
  written: number;
  refused: number;
}

/** What a receiver may ask of one capture's write (see CaptureSink). */
export interface CaptureWriteOptions {
  /** Runs inside the transaction that inserts the envelope, with its id: what it writes (the retry ledger's key)
   *  is committed with the envelope or not at all. It must not throw for an expected condition. */
  withinWrite?: (envelopeId: string) => void;
}

interface PendingCapture {
  envelope: Envelope;
  body: string;
  withinWrite?: (envelopeId: string) => void;
  resolve: (id: string) => void;
  reject: (err: Error) => void;
}

/** The durable outbox; implements the receivers' CaptureSink. */
export class Outbox implements CaptureSink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertGroup: (group: PendingCapture[]) => void;
  private pending: PendingCapture[] = [];
  private flushScheduled = false;
  private pendingAtLastTurn = 0;
  private groupStartedAt = 0;
  private bytes: number;
  private depth: number;
  private written = 0;
  private closed = false;
  private readonly guard: DiskGuard | null;
  private readonly refusals: Refusals;

  private constructor(private readonly opts: OutboxOptions, db: Database.Database) {
    this.db = db;
    this.insert = db.prepare('INSERT INTO outbox (id, captured_at, body, size) VALUES (?, ?, ?, ?)');
    this.insertGroup = db.transaction((group: PendingCapture[]) => {
      for (const p of group) {
        this.insert.run(p.envelope.id, p.envelope.capturedAt, p.body, p.body.length);
        p.withinWrite?.(p.envelope.id);
      }
    });
    this.depth = 0;
    this.bytes = 0;
    this.recount();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    this.guard = opts.disk
      ? new DiskGuard({ dir: dirname(opts.path), logger: opts.logger, ...opts.disk }, () => (db.pragma('freelist_count', { simple: true }) as number) * pageSize)
      : null;
    this.guard?.tuneWal(db);
    this.guard?.ensureReserve();
    this.refusals = new Refusals(this.guard, opts.clock, opts.logger);
  }

  // The counters from the committed file: at start and after any failed write.
  private recount(): void {
    const totals = this.db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM outbox WHERE state = 'pending'").get() as { n: number; b: number };
    this.depth = totals.n;
    this.bytes = totals.b;
  }

  /** Opens the outbox file, creating it and its folder if needed. Throws when it cannot be opened at all. */
  static open(opts: OutboxOptions): Outbox {
    const db = openOutboxDatabase(opts.path);
    return new Outbox(opts, db);
  }

  /** Envelopes a capture with a new id and the capture time, and resolves once it is durable. */
  capture(capture: Capture, options: CaptureWriteOptions = {}): Promise<string> {
    if (this.closed) return Promise.reject(new XpearsError('OUTBOX_REFUSING', 'the outbox is closed'));
    const envelope = { id: uuidv7(), capturedAt: this.opts.clock().toISOString(), ...capture } as Envelope;
    const body = JSON.stringify(envelope);
    const full = this.bytes + body.length > this.opts.maxBytes ? `outbox full: ${this.bytes} bytes queued, limit ${this.opts.maxBytes}` : null;
    const why = full ?? this.refusals.diskBlocked(body.length);
    if (why) {
      this.refusals.mark(why);
      this.refusals.count(1);
      return Promise.reject(new XpearsError('OUTBOX_REFUSING', why));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ envelope, body, resolve, reject, withinWrite: options.withinWrite });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        this.pendingAtLastTurn = 0;
        this.groupStartedAt = performance.now();
        setImmediate(() => this.onTurn());
      }
    });
  }

  // One loop turn later: more captures arrived during the turn (a burst being read) → wait another turn.
  private onTurn(): void {
    if (!this.flushScheduled) return;
    const grew = this.pending.length !== this.pendingAtLastTurn;
    const full = this.pending.length >= (this.opts.maxGroup ?? 5000);
    if (grew && !full && performance.now() - this.groupStartedAt < GROUP_WAIT_MS) {
      this.pendingAtLastTurn = this.pending.length;
      setImmediate(() => this.onTurn());
      return;
    }
    this.flush();
  }

  /** Writes every waiting capture in groups; resolves or rejects each. */
  private flush(): void {
    this.flushScheduled = false;
    const max = this.opts.maxGroup ?? 5000;
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, max);
      const why = this.refusals.checkDisk(group.reduce((n, p) => n + p.body.length, 0));
      try {
        if (why) throw new Error(why);
        this.insertGroup(group);
      } catch (err) {
        const message = why ?? `outbox write failed: ${(err as Error).message}`;
        this.refusals.mark(message);
        this.refusals.count(group.length);
        if (!why) this.recount();
        for (const p of group) p.reject(new XpearsError('OUTBOX_REFUSING', message));
        continue;
      }
      for (const p of group) this.bytes += p.body.length;
      this.depth += group.length;
      this.written += group.length;
      this.refusals.accepted();
      for (const p of group) p.resolve(p.envelope.id);
    }
  }

  /** The oldest pending envelopes, in capture order, up to a count and (roughly) a byte budget. */
  peek(limit: number, maxBytes: number, afterSeq = 0): OutboxItem[] {
    const rows = this.db
      .prepare("SELECT seq, id, body FROM outbox WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?")
      .all(afterSeq, limit) as OutboxItem[];
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      total += rows[i]!.body.length;
      if (total > maxBytes && i > 0) return rows.slice(0, i);
    }
    return rows;
  }

  /** Deletes envelopes the collector acknowledged. */
  remove(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const del = this.db.prepare("DELETE FROM outbox WHERE id = ? AND state = 'pending' RETURNING size");
    this.record(() => {
      let n = 0, bytes = 0;
      for (const id of ids) {
        const row = del.get(id) as { size: number } | undefined;
        if (row) { bytes += row.size; n += 1; }
      }
      return { n, bytes };
    });
  }

  // A write that drains the queue (reserve.ts: recordDurably); the counters are lowered only once it committed.
  private record(write: () => { n: number; bytes: number }): void {
    let done: { n: number; bytes: number };
    try {
      done = recordDurably(this.db, this.guard, write);
    } catch (err) {
      this.recount();
      throw err;
    }
    this.depth -= done.n;
    this.bytes -= done.bytes;
    if (!this.guard) return;
    this.refusals.drained();
    afterDrain(this.db, this.guard, this.depth === 0 && this.pending.length === 0, this.opts.logger);
  }

  /**
   * Deletes a whole batch the collector acknowledged, by its span of `seq`: the pending envelopes from `firstSeq` to
   * `lastSeq`. That is exactly the batch when it was read by `peek` (every pending envelope in that span, in order)
   * and every one of its envelopes was acknowledged: envelopes captured later have a larger `seq`, and dead letters
   * are not pending. A range is two scans of the table's ends instead of one index search per envelope (about half
   * the agent's CPU for removing, docs/benchmarks.md).
   */
  removeSpan(firstSeq: number, lastSeq: number): void {
    this.record(() => {
      const counted = this.db.prepare("SELECT COUNT(*) AS n, TOTAL(size) AS bytes FROM outbox WHERE seq BETWEEN ? AND ? AND state = 'pending'")
        .get(firstSeq, lastSeq) as { n: number; bytes: number };
      this.db.prepare("DELETE FROM outbox WHERE seq BETWEEN ? AND ? AND state = 'pending'").run(firstSeq, lastSeq);
      return counted;
    });
  }

  /** Keeps envelopes the collector refused for good, out of the sending queue, for a person to look at. */
  deadLetter(items: readonly { id: string; error: string }[]): void {
    const upd = this.db.prepare("UPDATE outbox SET state = 'dead', error = ? WHERE id = ? AND state = 'pending' RETURNING size");
    this.record(() => {
      let n = 0, bytes = 0;
      for (const it of items) {
        const row = upd.get(it.error, it.id) as { size: number } | undefined;
        if (row) { bytes += row.size; n += 1; }
      }
      return { n, bytes };
    });
  }

  /** Dead-lettered envelopes with their error. */
  listDead(limit = 100): { id: string; capturedAt: string; error: string | null }[] {
    return this.db
      .prepare("SELECT id, captured_at AS capturedAt, error FROM outbox WHERE state = 'dead' ORDER BY seq LIMIT ?")
      .all(limit) as { id: string; capturedAt: string; error: string | null }[];
  }

  /** Counts and health, for status, metrics and the heartbeat. */
  stats(): OutboxStats {
    const oldest = this.db.prepare("SELECT captured_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1").pluck().get() as string | undefined;
    const dead = this.db.prepare("SELECT COUNT(*) FROM outbox WHERE state = 'dead'").pluck().get() as number;
    return {
      depth: this.depth, bytes: this.bytes, oldestCapturedAt: oldest ?? null, deadLettered: dead,
      refusing: this.refusals.refusing, lastError: this.refusals.lastError, written: this.written, refused: this.refusals.refused,
    };
  }

  /** The raw SQLite handle: read-only use by tests and the status command; the retry ledger keeps its own table. */
  get database(): Database.Database {
    return this.db;
  }

  /** Writes the captures waiting for their group now, resolving or rejecting each (a stop's first step). */
  writePending(): void {
    if (!this.closed && this.pending.length > 0) this.flush();
  }

  /** Writes what is waiting, then closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}

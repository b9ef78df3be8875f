// The outbox's disk guard: a configured minimum of free space, checked with statfs before every group of captures,
// and a pre-allocated margin file released when a write the agent must make (deleting what the collector
// acknowledged, dead-lettering) finds the disk full. Captures are refused before the disk is full, never the
// deletions that drain it. Space SQLite already freed inside the file (its free pages) counts as usable: new
// captures reuse it before the file grows.
import { closeSync, existsSync, fsyncSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from '../../lib/logger.js';

/** The name of the margin file, beside the outbox. */
export const RESERVE_FILE = 'outbox.reserve';

const CHUNK = 64 * 1024;

/** Settings of the guard. */
export interface DiskGuardOptions {
  /** The folder of the outbox (the reserve file lives there, on the same filesystem). */
  dir: string;
  /** Captures are refused once fewer bytes than this would stay free. */
  minFreeBytes: number;
  /** Size of the margin file kept for the writes that drain the outbox. 0: none. */
  reserveBytes: number;
  logger: Logger;
}

/** True when an error is SQLite's or the system's "disk full". */
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === 'SQLITE_FULL' || e?.code === 'ENOSPC' || /database or disk is full|ENOSPC/.test(e?.message ?? '');
}

/** Free space of the filesystem holding `dir`, for an unprivileged process, in bytes. */
export function diskFreeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Keeps the minimum free and the margin file; the outbox asks it before writing captures. */
export class DiskGuard {
  private readonly file: string;

  constructor(private readonly opts: DiskGuardOptions, private readonly freedInsideBytes: () => number) {
    this.file = join(opts.dir, RESERVE_FILE);
  }

  /** Bytes the outbox can still write: the disk's free space plus the pages SQLite freed inside its file. */
  usable(): number {
    return diskFreeBytes(this.opts.dir) + this.freedInsideBytes();
  }

  /**
   * Why `bytes` more must be refused (the minimum would no longer stay free), or null when they fit. While already
   * refusing (`resuming`), a quarter more than the minimum must be free, so the outbox does not flap at the edge.
   */
  refusal(bytes: number, resuming = false): string | null {
    const usable = this.usable();
    if (usable - bytes >= this.opts.minFreeBytes * (resuming ? 1.25 : 1)) return null;
    return `disk nearly full: ${usable} bytes usable, minimum free ${this.opts.minFreeBytes}`;
  }

  /**
   * Keeps the WAL within half the margin: checkpointed (and cut back) once it passes that, so the room the margin
   * gives back always holds a drain's deletions until the next checkpoint. At most SQLite's default (1000 pages).
   */
  tuneWal(db: Database.Database): void {
    if (this.opts.reserveBytes === 0) return;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = Math.max(16, Math.min(1000, Math.floor(this.opts.reserveBytes / 2 / pageSize)));
    db.pragma(`wal_autocheckpoint = ${pages}`);
    db.pragma(`journal_size_limit = ${pages * pageSize}`);
  }

  /** Bytes of pages SQLite freed inside the outbox file. */
  freedInside(): number {
    return this.freedInsideBytes();
  }

  /** The margin file's configured size. */
  get reserveBytes(): number {
    return this.opts.reserveBytes;
  }

  /** Whether the margin file is in place. */
  get reserved(): boolean {
    return this.opts.reserveBytes === 0 || existsSync(this.file);
  }

  /** Creates the margin file when it is missing and the disk has room for it above the minimum. Returns true when it exists. */
  ensureReserve(): boolean {
    if (this.reserved) return true;
    if (diskFreeBytes(this.opts.dir) < this.opts.reserveBytes + this.opts.minFreeBytes) return false;
    const zeros = Buffer.alloc(CHUNK);
    const fd = openSync(this.file, 'w', 0o600);
    try {
      for (let left = this.opts.reserveBytes; left > 0; left -= CHUNK) writeSync(fd, zeros, 0, Math.min(CHUNK, left));
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(this.file, { force: true });
      this.opts.logger.warn({ component: 'outbox', err: (err as Error).message }, 'outbox reserve could not be allocated');
      return false;
    }
    closeSync(fd);
    this.opts.logger.info({ component: 'outbox', bytes: this.opts.reserveBytes }, 'outbox reserve allocated');
    return true;
  }

  /** Deletes the margin file so a write the agent must make finds room. Returns false when there was none to release. */
  release(): boolean {
    if (this.opts.reserveBytes === 0 || !existsSync(this.file)) return false;
    rmSync(this.file, { force: true });
    this.opts.logger.warn({ component: 'outbox', bytes: this.opts.reserveBytes }, 'outbox reserve released: disk full while recording the outbox state');
    return true;
  }
}

/**
 * Runs a write the agent must make (a deletion, a dead letter) in one transaction. A full disk releases the margin
 * file and the write is tried once more; a failure is thrown (the forwarder keeps the batch and sends it again).
 */
export function recordDurably<T>(db: Database.Database, guard: DiskGuard | null, write: () => T): T {
  const tx = db.transaction(write);
  try {
    return tx();
  } catch (err) {
    if (!isDiskFull(err) || !guard?.release()) throw err;
    try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch { /* the retry says whether there is room now */ }
    return tx();
  }
}

/** After envelopes left: an emptied queue whose margin is gone gives the disk back its pages; the margin comes back when there is room. */
export function afterDrain(db: Database.Database, guard: DiskGuard, empty: boolean, logger: Logger): void {
  // Only when the file holds at least a margin's worth of free pages: once compacted, an idle agent does not again.
  if (empty && !guard.reserved && guard.freedInside() >= guard.reserveBytes) {
    try {
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      logger.warn({ component: 'outbox', err: (err as Error).message }, 'outbox could not be compacted');
    }
  }
  guard.ensureReserve();
}

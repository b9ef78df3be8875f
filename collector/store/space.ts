// The disk space comes back (issue 20): SQLite keeps the pages a delete frees inside the file. A collector database
// is created with auto_vacuum = INCREMENTAL (db.ts), and after each prune batch the free pages are handed back to the
// file system a few at a time (`PRAGMA incremental_vacuum(N)`: it moves pages from the end of the file into the
// holes, then cuts the end off; in WAL mode the cut reaches the disk at the next checkpoint that copies the whole
// WAL). A file made before that has auto_vacuum NONE, and only a VACUUM, which rewrites the whole file, can switch it:
// done at start-up while the file is small, else left to the operator (`xpears collector compact`, with the
// collector stopped). docs/decisions.md says why this and not one file per month.
import type { Db } from './db.js';
import type { Logger } from '../../lib/logger.js';

/** SQLite's auto_vacuum modes. */
const INCREMENTAL = 2;

/** Pages handed back per step at most: at 16 KiB pages, 16 MiB of page moves, a few milliseconds of the writer. */
export const RECLAIM_STEP_PAGES = 1024;

/** Below this size an existing file is switched to incremental vacuum at start-up (a VACUUM of it takes about a second). */
export const SWITCH_AT_START_BYTES = 256 * 1024 * 1024;

/** Whether the database hands freed pages back (auto_vacuum INCREMENTAL). */
export function reclaims(db: Db): boolean {
  return db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL;
}

const freePages = (db: Db) => db.pragma('freelist_count', { simple: true }) as number;

/** Hands up to `maxPages` free pages back to the file system; returns how many it handed back (0 when the file
 *  cannot: auto_vacuum NONE). One short write transaction of its own. */
export function reclaimFreePages(db: Db, maxPages = RECLAIM_STEP_PAGES): number {
  if (!reclaims(db)) return 0;
  const free = freePages(db);
  if (free === 0) return 0;
  // exec, not a prepared statement's run(): run() steps once, and each step of this pragma hands back one page.
  db.exec(`PRAGMA incremental_vacuum(${Math.min(free, maxPages)})`);
  return free - freePages(db);
}

/** Bytes in the database file as SQLite counts them (page_count × page_size), WAL apart. */
export function databaseBytes(db: Db): number {
  return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}

/** Rewrites the whole file with auto_vacuum INCREMENTAL (VACUUM: about twice the file's size free on disk, and the
 *  collector stopped, since the writer is held meanwhile). Returns the size before and after. */
export function compactDatabase(db: Db): { before: number; after: number } {
  const before = databaseBytes(db);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { before, after: databaseBytes(db) };
}

/**
 * At start-up: a file that cannot hand pages back is switched when it is small enough to VACUUM in a moment; a larger
 * one stays as it is (it still reuses its free pages, it just never shrinks) and the log says what to run.
 */
export function ensureSpaceComesBack(db: Db, logger: Logger, limitBytes = SWITCH_AT_START_BYTES): 'incremental' | 'switched' | 'left' {
  if (reclaims(db)) return 'incremental';
  const bytes = databaseBytes(db);
  if (bytes <= limitBytes) {
    compactDatabase(db);
    logger.info({ bytes }, 'database switched to incremental vacuum: pruned space now goes back to the disk');
    return 'switched';
  }
  logger.warn({ bytes, command: 'xpears collector compact' },
    'the database file never shrinks after a prune (made before incremental vacuum): stop the collector and run `xpears collector compact` once');
  return 'left';
}

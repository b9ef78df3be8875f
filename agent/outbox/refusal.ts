// When the outbox refuses captures, and how loudly: one error when refusing starts, then at most one line every
// REFUSAL_LOG_MS with the count refused since the last, and one warning with the count when captures are accepted
// again. With a disk guard, it also holds the verdict on free space, looked at again at most every DISK_RECHECK_MS.
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DiskGuard } from './reserve.js';

// While refusing for want of disk, the free space is looked at again at most this often (and after every drain).
const DISK_RECHECK_MS = 200;
/** While refusing, one log line at most this often. */
export const REFUSAL_LOG_MS = 30_000;

/** The outbox's refusal state and its rate-bounded log. */
export class Refusals {
  refusing = false;
  lastError: string | null = null;
  refused = 0;
  private unlogged = 0;
  private loggedAt = 0;
  private diskRefusal: string | null = null;
  private diskCheckedAt = 0;

  constructor(private readonly guard: DiskGuard | null, private readonly clock: Clock, private readonly logger: Logger) {}

  /** Enters (or stays in) the refusing state with this reason; logs only on entering. */
  mark(reason: string): void {
    if (!this.refusing) {
      this.logger.error({ component: 'outbox', reason }, 'outbox refusing captures');
      this.loggedAt = this.clock().getTime();
    }
    this.refusing = true;
    this.lastError = reason;
  }

  /** Counts refused captures, logging the count at a bounded rate. */
  count(n: number): void {
    this.refused += n;
    this.unlogged += n;
    const now = this.clock().getTime();
    if (now - this.loggedAt < REFUSAL_LOG_MS) return;
    this.logger.error({ component: 'outbox', refused: this.unlogged, reason: this.lastError }, 'outbox still refusing captures');
    this.loggedAt = now;
    this.unlogged = 0;
  }

  /** A write succeeded: leaves the refusing state. */
  accepted(): void {
    if (!this.refusing) return;
    this.refusing = false;
    this.logger.warn({ component: 'outbox', refused: this.unlogged }, 'outbox writable again: captures accepted');
    this.unlogged = 0;
  }

  /** The guard's verdict for `bytes` more (twice the bytes: the WAL holds each page once more until a checkpoint). */
  checkDisk(bytes: number): string | null {
    if (!this.guard) return null;
    this.diskRefusal = this.guard.refusal(2 * bytes, this.diskRefusal !== null);
    this.diskCheckedAt = performance.now();
    return this.diskRefusal;
  }

  /** The reason to refuse for want of disk, looked at again when due; null when there is room. */
  diskBlocked(bytes: number): string | null {
    if (this.diskRefusal === null) return null;
    if (performance.now() - this.diskCheckedAt >= DISK_RECHECK_MS) return this.checkDisk(bytes);
    return this.diskRefusal;
  }

  /** Something left the outbox: the next capture looks at the disk again. */
  drained(): void {
    this.diskCheckedAt = 0;
  }
}

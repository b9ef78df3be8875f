// Slows and then stops password guessing on the SMTP receiver, per source address: each failed AUTH is answered
// after a delay, and past a number of failures the address is locked out for a while (every AUTH from it refused,
// the right password included). Pure but for the clock it is given; memory is bounded.
import type { Clock } from '../../../lib/clock.js';

/** The guard's settings (receivers.smtp.auth). */
export interface AuthGuardLimits {
  /** Failures counted within lockoutSeconds before the address is locked out. */
  maxFailures: number;
  lockoutSeconds: number;
  /** Addresses remembered at most; the oldest are forgotten first. */
  maxSources?: number;
}

interface SourceRecord { failures: number; firstAt: number; lockedUntil: number }

/** Per-address counts of failed AUTH attempts and lockouts. */
export class AuthGuard {
  private readonly sources = new Map<string, SourceRecord>();

  constructor(private readonly clock: Clock, private readonly limits: AuthGuardLimits) {}

  /** True while the address is locked out. */
  locked(address: string): boolean {
    const record = this.sources.get(address);
    return record !== undefined && record.lockedUntil > this.clock().getTime();
  }

  /** Counts a failure; answers whether this one locked the address out. */
  failed(address: string): boolean {
    const now = this.clock().getTime();
    const windowMs = this.limits.lockoutSeconds * 1000;
    let record = this.sources.get(address);
    if (!record || now - record.firstAt > windowMs) record = { failures: 0, firstAt: now, lockedUntil: 0 };
    record.failures += 1;
    const locks = record.failures >= this.limits.maxFailures && record.lockedUntil <= now;
    if (locks) record.lockedUntil = now + windowMs;
    this.sources.delete(address);
    this.sources.set(address, record);
    if (this.sources.size > (this.limits.maxSources ?? 10_000)) this.sources.delete(this.sources.keys().next().value!);
    return locks;
  }

  /** A successful AUTH clears the address's failures (not a lockout in force: locked() is asked first). */
  succeeded(address: string): void {
    if (!this.locked(address)) this.sources.delete(address);
  }
}

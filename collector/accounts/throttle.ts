// Login throttling: failures counted per account and per address in a sliding window; past the limit, refused
// until the window passes. In memory: one collector process serves the console.
import type { Clock } from '../../lib/clock.js';

/** Limits of the throttle. */
export interface ThrottleLimits {
  /** Failed logins of one account within the window before it is refused. */
  perAccount: number;
  /** Failed logins from one address within the window before it is refused. */
  perAddress: number;
  windowMs: number;
}

const DEFAULTS: ThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** Counts failed logins and says whether another attempt may be tried. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly limits: ThrottleLimits;

  constructor(private readonly clock: Clock, limits: Partial<ThrottleLimits> = {}) {
    this.limits = { ...DEFAULTS, ...limits };
  }

  private recent(key: string): number[] {
    const since = this.clock().getTime() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key); else this.failures.set(key, list);
    return list;
  }

  /** Whether a login for this account from this address is refused without looking at the password. */
  blocked(login: string, address: string): boolean {
    return this.recent(`a:${login.toLowerCase()}`).length >= this.limits.perAccount
      || this.recent(`ip:${address}`).length >= this.limits.perAddress;
  }

  /** Records a failed attempt. */
  fail(login: string, address: string): void {
    const now = this.clock().getTime();
    for (const key of [`a:${login.toLowerCase()}`, `ip:${address}`]) this.failures.set(key, [...this.recent(key), now]);
  }

  /** A successful login clears the account's failures (not the address's). */
  succeed(login: string): void {
    this.failures.delete(`a:${login.toLowerCase()}`);
  }
}

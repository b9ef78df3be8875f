import { describe, it, expect } from 'vitest';
import { fixedClock } from '../../../lib/clock.js';
import { AuthGuard } from './auth-guard.js';

describe('AuthGuard', () => {
  it('locks an address out at the fifth failure, for lockoutSeconds, and lets it try again after', () => {
    const clock = fixedClock('2026-03-02T10:00:00Z');
    const guard = new AuthGuard(clock, { maxFailures: 5, lockoutSeconds: 900 });
    expect([1, 2, 3, 4].map(() => guard.failed('10.0.0.5'))).toEqual([false, false, false, false]);
    expect(guard.locked('10.0.0.5')).toBe(false);
    expect(guard.failed('10.0.0.5')).toBe(true);
    expect(guard.locked('10.0.0.5')).toBe(true);
    expect(guard.locked('10.0.0.6')).toBe(false);
    guard.succeeded('10.0.0.5');
    expect(guard.locked('10.0.0.5')).toBe(true);
    clock.advance(900_001);
    expect(guard.locked('10.0.0.5')).toBe(false);
    expect(guard.failed('10.0.0.5')).toBe(false);
  });

  it('forgets failures spread wider than the window, and a success clears them', () => {
    const clock = fixedClock('2026-03-02T10:00:00Z');
    const guard = new AuthGuard(clock, { maxFailures: 3, lockoutSeconds: 60 });
    guard.failed('a');
    guard.failed('a');
    clock.advance(61_000);
    expect(guard.failed('a')).toBe(false);
    guard.failed('a');
    guard.succeeded('a');
    expect(guard.failed('a')).toBe(false);
    expect(guard.failed('a')).toBe(false);
    expect(guard.failed('a')).toBe(true);
  });

  it('remembers at most maxSources addresses, the oldest forgotten first', () => {
    const guard = new AuthGuard(fixedClock('2026-03-02T10:00:00Z'), { maxFailures: 1, lockoutSeconds: 60, maxSources: 2 });
    guard.failed('a');
    guard.failed('b');
    guard.failed('c');
    expect([guard.locked('a'), guard.locked('b'), guard.locked('c')]).toEqual([false, true, true]);
  });
});
